import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectEntries, DEFAULT_WINDOW, digestsInWindow } from '../../functions/domain/feeds/feed-window.ts';
import { LANGS } from '../../functions/domain/language.ts';
import type { Digest } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { buildSite } from '../../functions/app/publish/build-site.ts';
import { FEED_FORMATS, sitePaths } from '../../functions/domain/site/paths.ts';
import { consecutiveDates, fixtureDays, relabelledBytes } from '../support/fixtures.ts';
import { readWithFeedparser } from '../support/readers.ts';

// Two weeks of real days, relabelled as consecutive days so the whole window is full.
const SOURCES = fixtureDays().slice(-14);
const DATES = consecutiveDates('2024-11-29', SOURCES.length);
const DIGESTS: Digest[] = SOURCES.map((d, i) => parseDigest(relabelledBytes(d, DATES[i]!), `${DATES[i]}.md`).digest);
const BASE = 'https://paperboy.example';
const files = buildSite({ baseUrl: BASE, digests: DIGESTS, days: [], pageDays: [] });
const byPath = new Map(files.map((f) => [f.path, f]));

/** The ids a reader should find, counted straight from the digests: the window's papers that link code. */
function expectedIds(slug: string): string[] {
  const latest = new Map<string, { slug: string; code: boolean }>();
  for (const d of digestsInWindow(DIGESTS, DEFAULT_WINDOW.days)) for (const s of d.sections) for (const p of s.papers) latest.set(p.arxivId, { slug: s.category.slug, code: p.codeUrl !== null });
  return [...latest].filter(([, v]) => v.code && (slug === 'all' || v.slug === slug)).map(([id]) => id).sort();
}

const idOf = (guid: string) => guid.split('/').pop() ?? '';

describe('"with code" feeds', () => {
  it('the window has papers with code and papers without, so the filter is visible', () => {
    const entries = collectEntries(digestsInWindow(DIGESTS, DEFAULT_WINDOW.days));
    const withCode = entries.filter((e) => e.paper.codeUrl);
    expect(withCode.length).toBeGreaterThan(20);
    expect(withCode.length).toBeLessThan(entries.length / 2);
  });

  it('per category and for all, in every language and format, hold exactly the papers that link code, each with its code link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-code-feeds-'));
    const slugs = ['all', ...new Set(DIGESTS.flatMap((d) => d.sections.map((s) => s.category.slug)))];
    const targets: { path: string; slug: string }[] = [];
    for (const slug of slugs) {
      for (const lang of LANGS) {
        for (const format of ['rss', 'atom'] as const) {
          const path = sitePaths.feed(slug, lang, format, 'code');
          const file = byPath.get(path);
          expect(file, path).toBeDefined();
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), file!.body);
          targets.push({ path: join(dir, path), slug });
        }
        const json = JSON.parse(String(byPath.get(sitePaths.feed(slug, lang, 'json', 'code'))!.body)) as { title: string; items: { id: string; external_url?: string }[] };
        expect(json.items.map((i) => idOf(i.id)).sort(), `${slug} ${lang} json`).toEqual(expectedIds(slug));
        for (const item of json.items) expect(item.external_url).toMatch(/^https?:\/\//);
        expect(json.title).toMatch(lang === 'zh' ? /有代码/ : /with code/);
      }
    }
    const parsed = await readWithFeedparser(targets.map((t) => t.path));
    parsed.forEach((feed, i) => {
      const { slug } = targets[i]!;
      expect(feed.bozo, feed.bozo_exception).toBe(0);
      expect(feed.entries.map((e) => idOf(e.id)).sort(), targets[i]!.path).toEqual(expectedIds(slug));
      // Every item's body links the code.
      for (const e of feed.entries) expect(`${e.content ?? ''}${e.summary ?? ''}`, e.id).toMatch(/>Code<|>代码</);
      // Not the same items as the category's full feed: newsboat keeps one GUID per feed.
      for (const e of feed.entries) expect(e.id).toContain('code/');
    });
  });

  it('are listed in the OPML beside the full feeds, one folder per language', () => {
    const opml = String(byPath.get(sitePaths.opml)!.body);
    for (const lang of LANGS) {
      for (const slug of ['all', 'generative']) {
        expect(opml).toContain(`xmlUrl="${BASE}/${sitePaths.feed(slug, lang, 'rss', 'code')}"`);
        expect(opml).toContain(`xmlUrl="${BASE}/${sitePaths.feed(slug, lang, 'rss')}"`);
      }
    }
    expect(opml).toContain('with code · 有代码');
  });

  it('are reached from the front page in every language, and their pages offer every format', () => {
    const index = String(byPath.get(sitePaths.index)!.body);
    for (const lang of LANGS) {
      // One link per language on a category's card (issue 33.5), to the feed's page of formats.
      expect(index).toContain(`href="${sitePaths.feedPreview('generative', lang, 'code')}"`);
      const preview = String(byPath.get(sitePaths.feedPreview('generative', lang, 'code'))!.body);
      for (const f of FEED_FORMATS) expect(preview, `${lang} ${f}`).toContain(sitePaths.feed('generative', lang, f, 'code'));
    }
  });
});
