import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonFeed } from 'feedsmith';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xmlChars } from '../../functions/domain/html.ts';
import type { Category, Digest, Paper } from '../../functions/domain/model.ts';
import { buildSite, type SiteFile } from '../../functions/app/publish/build-site.ts';
import { inTaxonomy } from '../../functions/domain/categories.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { launchChromium } from '../support/browser.ts';
import { HOSTILE_ABSTRACT, HOSTILE_TITLE_SHOWN as HOSTILE_TITLE, HOSTILE_ZH, hostileDigest as hostileMarkdown } from '../support/hostile.ts';
import { loadWithNewsboat, readWithFeedparser, xmllint } from '../support/readers.ts';
import { startSitePipeline, type SitePipeline } from '../support/site-pipeline.ts';

/**
 * Hostile text, two ways in: a digest file with markup and script in its fields, through ingest and
 * publish as in production; and a digest whose every field holds what breaks a naive XML writer,
 * built straight into a site. Each property is checked once, over both.
 */
/**
 * Everything a title, an author, an abstract or a category name could hold that breaks a naive XML
 * writer (and `feed`'s xml-js in particular): two CDATA ends, markup characters, a literal entity,
 * an angle-bracketed word (a real 2024 title), XML-forbidden characters, bidi controls and emoji.
 */
const NASTY = 'two ]]> and ]]> <&"\' a literal &amp; Redefining <Creative> in Dictionary \u0007\uFFFE \u202Bمرحبا\u202C \u200F😀';
const TITLE = `Title ${NASTY}`;
const TITLE_ZH = `标题 ${NASTY} 中文`;
const AUTHORS = [`Ann ${NASTY}`, 'Bob &amp; Co', 'Zoë <Zed>'];
const ABSTRACT = `Abstract ${NASTY} end.`;
const ABSTRACT_ZH = `摘要 ${NASTY} 完。`;
const CATEGORY: Category = { name: `类别 ${NASTY}`, nameZh: `类别 ${NASTY}`, nameEn: `Cat ${NASTY}`, slug: 'x-hostile-00000000', known: false };

/** What survives: XML 1.0 cannot carry U+0007 or U+FFFE in any form, so they are the only loss. */
const read = (s: string) => xmlChars(s);

function nastyDigest(): Digest {
  const paper: Paper = {
    arxivId: '2412.00001',
    version: 1,
    titleEn: TITLE,
    titleZh: TITLE_ZH,
    titleZhRaw: TITLE_ZH,
    authors: AUTHORS,
    authorsTruncated: false,
    abstractEn: ABSTRACT,
    abstractZh: ABSTRACT_ZH,
    pdfUrl: 'https://arxiv.org/pdf/2412.00001v1',
    absUrl: 'https://arxiv.org/abs/2412.00001v1',
    codeUrl: 'https://github.com/x/y?a=1&b=<2>',
    category: CATEGORY.slug,
    index: 1,
  };
  return { date: '2024-12-02', source: 'hostile', headerStyle: 'modern', format: 'detailed', sections: [{ category: CATEGORY, papers: [paper] }] };
}

let pipe: SitePipeline;
let browser: Browser;
let pipelineFiles: string[];
const url = (p: string) => `${pipe.server.url}/${p}`;

let dir: string;
let server: Server;
let base: string;
let files: Map<string, SiteFile>;

beforeAll(async () => {
  pipe = await startSitePipeline();
  await pipe.ingest(Buffer.from(hostileMarkdown()), 'hostile.md');
  pipelineFiles = [...(await pipe.publish()).uploaded];
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-hostile-feeds-'));
  files = new Map(buildSite({ baseUrl: 'https://paperboy.example', digests: [nastyDigest()], days: [{ date: '2024-12-02', papers: 1 }] }).map((f) => [f.path, f]));
  server = createServer((req, res) => {
    const file = files.get((req.url ?? '/').slice(1));
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.contentType }).end(file.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await pipe.stop();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A category name from a digest is never shown: the taxonomy files the paper (the classifier, for a
 * name it does not map) and names it. The feeds to read are that category's.
 */
const FILED = inTaxonomy(nastyDigest()).sections[0]!.category;
const FEEDS = {
  rss: { bi: sitePaths.feed(FILED.slug, 'bi', 'rss'), en: sitePaths.feed(FILED.slug, 'en', 'rss'), zh: sitePaths.feed(FILED.slug, 'zh', 'rss') },
  atom: { bi: sitePaths.feed(FILED.slug, 'bi', 'atom'), en: sitePaths.feed(FILED.slug, 'en', 'atom'), zh: sitePaths.feed(FILED.slug, 'zh', 'atom') },
};

describe('hostile text in every feed format and page', () => {
  it('leaves every XML file well-formed (xmllint), published or built', async () => {
    const published = await Promise.all(pipelineFiles.filter((p) => /\.(xml|opml|xsl)$/.test(p)).map(async (p) => (await fetch(url(p))).text()));
    const built = [...files.values()].filter((f) => /\.(xml|opml|xsl)$/.test(f.path)).map((f) => f.body);
    expect(built.length).toBeGreaterThan(50);
    const paths = [...published, ...built].map((body, i) => {
      const p = join(dir, `${i}.xml`);
      writeFileSync(p, body);
      return p;
    });
    expect(await xmllint(paths)).toBe('');
  });

  it('reads back as the same text in feedparser: titles, authors, abstracts, category names; markup arrives escaped', async () => {
    const [rss, atom, zh] = await readWithFeedparser([url('feeds/generative.rss.xml'), url('feeds/en/generative.atom.xml'), url('feeds/zh/generative.rss.xml')]);
    expect(rss?.bozo).toBe(0);
    expect(atom?.bozo).toBe(0);
    expect(rss?.entries[0]?.title).toBe(`${HOSTILE_TITLE} | ${HOSTILE_ZH}`);
    expect(atom?.entries[0]?.title).toBe(HOSTILE_TITLE);
    expect(zh?.entries[0]?.title).toBe(HOSTILE_ZH);
    // The content is HTML: the markup in the abstract must arrive escaped, never as an element.
    expect(rss?.entries[0]?.content).toContain('&quot;&gt;&lt;img src=x onerror=');
    expect(rss?.entries[0]?.content).not.toMatch(/<img|<script|javascript:/);

    const targets = [FEEDS.rss.en, FEEDS.rss.zh, FEEDS.rss.bi, FEEDS.atom.en, FEEDS.atom.zh, FEEDS.atom.bi];
    const parsed = await readWithFeedparser(targets.map((p) => `${base}/${p}`));
    for (const feed of parsed) expect(feed.bozo, `${feed.target}: ${feed.bozo_exception}`).toBe(0);
    const [rssEn, rssZh, rssBi, atomEn, atomZh, atomBi] = parsed.map((f) => f.entries[0]!);
    expect(rssEn?.title).toBe(read(TITLE));
    expect(rssZh?.title).toBe(read(TITLE_ZH));
    expect(rssBi?.title).toBe(read(`${TITLE} | ${TITLE_ZH}`));
    expect(atomEn?.title).toBe(read(TITLE));
    expect(atomZh?.title).toBe(read(TITLE_ZH));
    expect(atomBi?.title).toBe(read(`${TITLE} | ${TITLE_ZH}`));
    // RSS names the authors in one dc:creator; Atom one <author> each.
    expect(rssEn?.author).toBe(read(AUTHORS.join(', ')));
    expect(atomEn?.authors).toEqual(AUTHORS.map(read));
    expect(rssEn?.tags).toEqual([FILED.nameEn]);
    expect(rssZh?.tags).toEqual([FILED.nameZh]);
    for (const entry of [rssEn, atomEn]) {
      expect(entry?.content_text).toContain(read(ABSTRACT));
      expect(entry?.content_text).toContain(read(AUTHORS.join(', ')));
      expect(entry?.content_text).toContain(FILED.nameEn);
      expect(entry?.summary_text).toBe(read(ABSTRACT));
    }
    for (const entry of [rssZh, atomZh]) expect(entry?.content_text).toContain(read(ABSTRACT_ZH));
    for (const entry of [rssBi, atomBi]) {
      expect(entry?.content_text).toContain(read(ABSTRACT));
      expect(entry?.content_text).toContain(read(ABSTRACT_ZH));
    }
  });

  it('reads back as the same titles and authors in newsboat, RSS and Atom alike', async () => {
    for (const format of ['atom', 'rss'] as const) {
      const urls = Object.values(FEEDS[format]).map((p) => `${base}/${p}`);
      const { feeds } = await loadWithNewsboat(urls);
      const [bi, en, zh] = urls.map((u) => feeds.get(u)?.details[0]);
      expect(en?.title, format).toBe(read(TITLE));
      expect(zh?.title, format).toBe(read(TITLE_ZH));
      expect(bi?.title, format).toBe(read(`${TITLE} | ${TITLE_ZH}`));
      expect(en?.author, format).toContain(read(AUTHORS[0]!));
      expect(en?.content, format).not.toMatch(/<Creative>|<Zed>/);
    }
  });

  it('reads back as the same text in JSON Feed (feedsmith)', async () => {
    const published = parseJsonFeed(await (await fetch(url('feeds/generative.feed.json'))).text());
    expect(published.items?.[0]?.title).toBe(`${HOSTILE_TITLE} | ${HOSTILE_ZH}`);
    expect(published.items?.[0]?.content_html).not.toMatch(/<img|<script|javascript:/);
    expect(published.items?.[0]?.external_url).toBeUndefined();
    const json = parseJsonFeed(String(files.get(sitePaths.feed(FILED.slug, 'en', 'json'))?.body));
    const item = json.items?.[0];
    expect(item?.title).toBe(TITLE);
    expect(item?.authors?.map((a) => a.name)).toEqual(AUTHORS);
    expect(item?.tags).toEqual([FILED.nameEn]);
    expect(item?.content_html).not.toMatch(/<Creative>|<Zed>/);
  });

  it('shows as text on the day page in a real browser, and runs nothing', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url('days/2024-12-02.html'));
    await page.locator('details').first().evaluate((d) => ((d as HTMLDetailsElement).open = true));
    const text = await page.locator('main').innerText();
    expect(text).toContain(HOSTILE_TITLE);
    expect(text).toContain(HOSTILE_ZH);
    expect(text).toContain(HOSTILE_ABSTRACT.slice(0, 40));
    // The hostile heading names no category: its paper is filed in the taxonomy, under the taxonomy's name.
    expect(text).not.toContain('Evil');
    expect(await page.locator('main b').count()).toBe(0);
    expect(text).toContain(inTaxonomy(parseDigest(hostileMarkdown(), 'hostile.md').digest).sections[0]!.category.nameEn);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // The code link was javascript:, so it is not offered at all.
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.close();
  });
});

describe('a revised paper', () => {
  it('updates its item instead of adding a second one', async () => {
    const day1 = fixtureBytes('2024-02-04').toString('utf8');
    const first = /\*\*PDF:\*\* <http:\/\/arxiv\.org\/pdf\/(\d{4}\.\d{5})v1>/.exec(day1)?.[1];
    expect(first).toBeDefined();
    // The next day lists the same paper again as v2.
    const day2 = day1.replace('**2024-02-04**', '**2024-02-05**').replace(`${first}v1`, `${first}v2`);
    const revised = await startSitePipeline();
    try {
      await revised.ingest(Buffer.from(day1), 'd1.md');
      await revised.ingest(Buffer.from(day2), 'd2.md');
      await revised.publish();
      const [feed] = await readWithFeedparser([`${revised.server.url}/feeds/all.atom.xml`]);
      const items = feed?.entries.filter((e) => e.id.endsWith(`/${first}`)) ?? [];
      expect(items).toHaveLength(1);
      expect(items[0]?.link).toBe(`https://arxiv.org/abs/${first}v2`);
      expect(items[0]?.published?.slice(0, 10)).toBe('2024-02-04');
      expect(items[0]?.updated?.slice(0, 10)).toBe('2024-02-05');
    } finally {
      await revised.stop();
    }
  });
});
