import { readableText } from '../../functions/domain/latex-text.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonFeed, parseOpml } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEntries } from '../../functions/domain/feeds/feed-window.ts';
import { paperTitle, type Lang } from '../../functions/domain/language.ts';
import type { Digest } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { inTaxonomy } from '../../functions/domain/categories.ts';
import { sitePaths, CONTENT_TYPE, type FeedVariant } from '../../functions/domain/site/paths.ts';
import { consecutiveDates, fixtureDays, relabelledBytes } from '../support/fixtures.ts';
import { loadWithNewsboat, readWithFeedparser, xmllint } from '../support/readers.ts';
import { startSitePipeline, type SitePipeline } from '../support/site-pipeline.ts';

// Five real days, relabelled as the five consecutive days a live window holds.
const DAYS = fixtureDays().slice(-5);
const DATES = consecutiveDates('2024-11-29', DAYS.length);
let pipe: SitePipeline;
let files: string[];
let digests: Digest[];
let tmp: string;

const url = (path: string) => `${pipe.server.url}/${path}`;

/** What a feed must hold, from the model: one item per arXiv id, newest day first. */
function expectedTitles(slug: string, lang: Lang, variant: FeedVariant = 'all'): string[] {
  const entries = collectEntries(digests).filter((e) => (slug === 'all' || e.category.slug === slug) && (variant === 'all' || e.paper.codeUrl !== null));
  // As readers see them: simple LaTeX in titles rendered as Unicode.
  return entries.map((e) => readableText(paperTitle(e.paper, lang)));
}

function feedTarget(path: string): { slug: string; lang: Lang; variant: FeedVariant } {
  const m = /^feeds\/(?:(en|zh)\/)?(code\/)?([^/]+?)\.(?:rss\.xml|atom\.xml|feed\.json)$/.exec(path);
  if (!m) throw new Error(`not a feed path: ${path}`);
  return { lang: (m[1] as Lang | undefined) ?? 'bi', variant: m[2] ? 'code' : 'all', slug: m[3] ?? '' };
}

beforeAll(async () => {
  pipe = await startSitePipeline();
  const bytes = DAYS.map((d, i) => relabelledBytes(d, DATES[i]!));
  for (const [i, b] of bytes.entries()) await pipe.ingest(b, `${DATES[i]}.md`);
  // As the site reads them: in the taxonomy.
  digests = bytes.map((b, i) => inTaxonomy(parseDigest(b, `${DATES[i]}.md`).digest));
  const summary = await pipe.publish();
  files = [...summary.uploaded];
  tmp = mkdtempSync(join(tmpdir(), 'paperboy-feeds-'));
}, 120_000);

afterAll(async () => {
  await pipe.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('published files', () => {
  it('are served with the right Content-Type and Cache-Control, and answer 304 to a conditional GET', async () => {
    const expectType = (p: string) =>
      p.endsWith('.rss.xml') ? CONTENT_TYPE.rss : p.endsWith('.atom.xml') ? CONTENT_TYPE.atom : p.endsWith('.feed.json') ? CONTENT_TYPE.json : p.endsWith('.opml') ? CONTENT_TYPE.opml : p.endsWith('.xsl') ? CONTENT_TYPE.xsl : p.endsWith('.png') ? CONTENT_TYPE.png : p.endsWith('.ico') ? CONTENT_TYPE.ico : p.endsWith('.bib') ? CONTENT_TYPE.bib : p === sitePaths.statusJson ? CONTENT_TYPE.data : p.startsWith('search/') ? searchType(p) : p.startsWith('assets/') ? assetType(p) : CONTENT_TYPE.html;
    // The subscribe form's ALTCHA widget: its script, worker and styles.
    const assetType = (p: string) => (p.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
    // Pagefind's files: its scripts, its entry file, and binary chunks.
    const searchType = (p: string) => (p.endsWith('.js') ? 'text/javascript; charset=utf-8' : p.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    for (const path of files) {
      const res = await fetch(url(path));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(expectType(path));
      expect(res.headers.get('cache-control'), path).toMatch(/^public, max-age=\d+$/);
      await res.arrayBuffer();
    }
    const first = await fetch(url('feeds/all.rss.xml'));
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(url('feeds/all.rss.xml'), { headers: { 'If-None-Match': etag ?? '' } });
    expect(again.status).toBe(304);
  });

  it('are all well-formed XML where they are XML (xmllint)', async () => {
    const xml = files.filter((p) => /\.(xml|opml|xsl)$/.test(p));
    expect(xml.length).toBeGreaterThan(90);
    const paths = await Promise.all(
      xml.map(async (p, i) => {
        const file = join(tmp, `${i}.xml`);
        writeFileSync(file, Buffer.from(await (await fetch(url(p))).arrayBuffer()));
        return file;
      }),
    );
    expect(await xmllint(paths)).toBe('');
  });
});

describe('Universal Feed Parser (python3-feedparser)', () => {
  it('reads every RSS and Atom feed with bozo = 0 and the right entries, titles, links and dates', async () => {
    const feeds = files.filter((p) => p.endsWith('.rss.xml') || p.endsWith('.atom.xml'));
    const parsed = await readWithFeedparser(feeds.map(url));
    expect(parsed).toHaveLength(feeds.length);
    const newest = digests[digests.length - 1]!;
    for (const [i, feed] of parsed.entries()) {
      const path = feeds[i]!;
      const { slug, lang, variant } = feedTarget(path);
      expect(feed.bozo, `${path}: ${feed.bozo_exception}`).toBe(0);
      expect(feed.version).toBe(path.endsWith('.rss.xml') ? 'rss20' : 'atom10');
      expect(feed.entries.map((e) => e.title), path).toEqual(expectedTitles(slug, lang, variant));
      const sample = collectEntries(digests).filter((e) => (slug === 'all' || e.category.slug === slug) && (variant === 'all' || e.paper.codeUrl))[0];
      if (sample) {
        const first = feed.entries[0]!;
        expect(first.link).toBe(sample.paper.absUrl);
        expect(first.id).toBe(`tag:paperboy,2024:${variant === 'code' ? 'code/' : ''}${slug}/${lang}/${sample.paper.arxivId}`);
        expect(new Date(first.updated ?? first.published ?? '').toISOString().slice(0, 10)).toBe(sample.date);
      }
      expect(new Date(feed.updated ?? '').toISOString().slice(0, 10)).toBe(newest.date);
    }
  });
});

describe('JSON Feed 1.1 (feedsmith parser)', () => {
  it('parses every JSON feed with the right items', async () => {
    const feeds = files.filter((p) => p.endsWith('.feed.json'));
    expect(feeds.length).toBeGreaterThan(30);
    for (const path of feeds) {
      const { slug, lang, variant } = feedTarget(path);
      const feed = parseJsonFeed(await (await fetch(url(path))).text());
      expect(feed.title).toMatch(/^Paperboy · /);
      expect((feed.items ?? []).map((i) => i.title)).toEqual(expectedTitles(slug, lang, variant));
      for (const item of feed.items ?? []) expect(item.url).toMatch(/^https:\/\/arxiv\.org\/abs\//);
    }
  });
});

describe('newsboat', () => {
  // The RSS and Atom editions of one feed share item ids (one paper, one item), and newsboat keeps an
  // id once across its whole cache, so each format gets its own newsboat profile, as a reader would.
  it.each(['.rss.xml', '.atom.xml'])('loads every %s feed non-interactively and lists its items', async (suffix) => {
    const feeds = files.filter((p) => p.endsWith(suffix));
    const { feeds: loaded, unreadLine } = await loadWithNewsboat(feeds.map(url));
    const total = feeds.reduce((n, p) => n + expectedTitles(feedTarget(p).slug, feedTarget(p).lang, feedTarget(p).variant).length, 0);
    expect(unreadLine).toBe(`${total} unread articles`);
    for (const path of feeds) {
      const { slug, lang, variant } = feedTarget(path);
      const feed = loaded.get(url(path));
      expect(feed?.title, path).toMatch(/^Paperboy · /);
      expect(feed?.items.length, path).toBe(expectedTitles(slug, lang, variant).length);
    }
    expect(loaded.get(url(`feeds/all${suffix}`))?.items).toContain(expectedTitles('all', 'bi')[0]);
  });
});

describe('OPML', () => {
  it('lists every RSS feed, and every listed feed is served', async () => {
    const opml = parseOpml(await (await fetch(url('feeds.opml'))).text());
    const listed = (opml.body?.outlines ?? []).flatMap((folder) => (folder.outlines ?? []).map((o) => o.xmlUrl ?? ''));
    const rss = files.filter((p) => p.endsWith('.rss.xml')).map(url);
    expect([...listed].sort()).toEqual([...rss].sort());
  });
});

describe('re-publishing', () => {
  it('the same days twice leaves every file byte-identical and uploads nothing', async () => {
    const before = await Promise.all(files.map(async (p) => Buffer.from(await (await fetch(url(p))).arrayBuffer())));
    const again = await pipe.publish();
    expect(again.uploaded).toEqual([]);
    const after = await Promise.all(files.map(async (p) => Buffer.from(await (await fetch(url(p))).arrayBuffer())));
    for (const [i, b] of before.entries()) expect(after[i]?.equals(b), files[i]).toBe(true);
  });
});
