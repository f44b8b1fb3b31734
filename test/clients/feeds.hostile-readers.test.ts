import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xmlChars } from '../../functions/domain/html.ts';
import type { Category, Digest, Paper } from '../../functions/domain/model.ts';
import { buildSite, type SiteFile } from '../../functions/app/publish/build-site.ts';
import { loadWithNewsboat, readWithFeedparser, xmllint } from '../support/readers.ts';

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

function hostileDigest(): Digest {
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

let dir: string;
let server: Server;
let base: string;
let files: Map<string, SiteFile>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-hostile-feeds-'));
  files = new Map(buildSite({ baseUrl: 'https://paperboy.example', digests: [hostileDigest()], days: [{ date: '2024-12-02', papers: 1 }] }).map((f) => [f.path, f]));
  server = createServer((req, res) => {
    const file = files.get((req.url ?? '/').slice(1));
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.contentType }).end(file.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const FEEDS = {
  rss: { bi: 'feeds/x-hostile-00000000.rss.xml', en: 'feeds/en/x-hostile-00000000.rss.xml', zh: 'feeds/zh/x-hostile-00000000.rss.xml' },
  atom: { bi: 'feeds/x-hostile-00000000.atom.xml', en: 'feeds/en/x-hostile-00000000.atom.xml', zh: 'feeds/zh/x-hostile-00000000.atom.xml' },
};

describe('hostile text in every feed format', () => {
  it('leaves every XML file well-formed (xmllint)', async () => {
    const xml = [...files.values()].filter((f) => /\.(xml|opml|xsl)$/.test(f.path));
    expect(xml.length).toBeGreaterThan(50);
    const paths = xml.map((f, i) => {
      const p = join(dir, `${i}.xml`);
      writeFileSync(p, f.body);
      return p;
    });
    expect(await xmllint(paths)).toBe('');
  });

  it('reads back as the same text in feedparser: titles, authors, abstracts, category names', async () => {
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
    expect(rssEn?.tags).toEqual([read(CATEGORY.nameEn)]);
    expect(rssZh?.tags).toEqual([read(CATEGORY.nameZh)]);
    for (const entry of [rssEn, atomEn]) {
      expect(entry?.content_text).toContain(read(ABSTRACT));
      expect(entry?.content_text).toContain(read(AUTHORS.join(', ')));
      expect(entry?.content_text).toContain(read(CATEGORY.nameEn));
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

  it('reads back as the same text in JSON Feed (feedsmith)', () => {
    const json = parseJsonFeed(String(files.get('feeds/en/x-hostile-00000000.feed.json')?.body));
    const item = json.items?.[0];
    expect(item?.title).toBe(TITLE);
    expect(item?.authors?.map((a) => a.name)).toEqual(AUTHORS);
    expect(item?.tags).toEqual([CATEGORY.nameEn]);
    expect(item?.content_html).not.toMatch(/<Creative>|<Zed>/);
  });
});
