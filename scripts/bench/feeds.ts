import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Digest } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { ALL_SLUG } from '../../functions/domain/categories.ts';
import { collectEntries, DEFAULT_WINDOW, digestsInWindow } from '../../functions/domain/feeds/feed-window.ts';
import { fitFeed } from '../../functions/domain/feeds/fit-feed.ts';
import { renderAtom, renderJsonFeed, renderRss } from '../../functions/domain/feeds/render-feeds.ts';
import { buildSite } from '../../functions/app/publish/build-site.ts';
import { SAMPLE_DIGESTS } from '../local/config.ts';
import { withBorrowedAbstracts } from './busy-day.ts';
import { fmt, median, peakRssMb } from './stats.ts';

/**
 * The corpus holds one real day a week; the bench relabels the 30 newest as 30 consecutive days so
 * the 30-day window is full of real digests, as it is in production.
 */
export function thirtyConsecutiveDays(): Digest[] {
  const files = readdirSync(SAMPLE_DIGESTS).filter((f) => f.endsWith('.md')).sort().slice(-30);
  const start = Date.parse('2024-11-01T00:00:00Z');
  return files.map((f, i) => ({ ...parseDigest(readFileSync(join(SAMPLE_DIGESTS, f)), f).digest, date: new Date(start + i * 86_400_000).toISOString().slice(0, 10) }));
}

// The worst case a window meets once arXiv's abstracts are added: every paper with both abstracts.
function benchWindow(): void {
  const every = readdirSync(SAMPLE_DIGESTS).filter((f) => f.endsWith('.md')).map((f) => parseDigest(readFileSync(join(SAMPLE_DIGESTS, f)), f).digest);
  const digests = withBorrowedAbstracts(busiestConsecutive(every), every);
  const window = digestsInWindow(digests, DEFAULT_WINDOW.days);
  const entries = collectEntries(window);
  const files = buildSite({ baseUrl: 'https://paperboy.example', digests, days: [], pageDays: [] }).filter((f) => f.path.startsWith('feeds/') && !f.path.endsWith('.xsl'));
  const sizes = files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.body) })).sort((a, b) => b.bytes - a.bytes);
  console.log(`weekly reader: ${DEFAULT_WINDOW.days}-day window of the busiest real days, every paper with both abstracts (${entries.length} papers)`);
  for (const [name, render] of [
    ['rss', renderRss],
    ['atom', renderAtom],
    ['json', renderJsonFeed],
  ] as const) {
    const spec = { baseUrl: 'https://paperboy.example', category: { slug: ALL_SLUG, nameEn: 'All categories', nameZh: '全部类别' }, lang: 'bi' as const, entries, updated: window.at(-1)?.date ?? '' };
    const fitted = fitFeed(spec, render, DEFAULT_WINDOW.maxFeedBytes);
    const kept = entries.slice(0, fitted.entries);
    const days = new Set(kept.map((e) => e.date)).size;
    console.log(`  all (bilingual) ${name}: ${fitted.entries}/${entries.length} papers over ${days} of ${window.length} days, ${fitted.fullEntries} with whole abstracts, ${(Buffer.byteLength(fitted.body) / 1e6).toFixed(2)} MB`);
  }
  console.log(`  largest feed: ${sizes[0]?.path} ${((sizes[0]?.bytes ?? 0) / 1e6).toFixed(2)} MB (limit ${(DEFAULT_WINDOW.maxFeedBytes / 1e6).toFixed(1)} MB, readers' 2 MB); feeds over 2 MB: ${sizes.filter((s) => s.bytes > 2e6).length}`);
}

/** The window's worth of busiest fixture days, relabelled as consecutive days. */
function busiestConsecutive(every: readonly Digest[]): Digest[] {
  const busiest = [...every].sort((a, b) => count(b) - count(a)).slice(0, DEFAULT_WINDOW.days);
  const start = Date.parse('2024-11-01T00:00:00Z');
  return busiest.map((d, i) => ({ ...d, date: new Date(start + i * 86_400_000).toISOString().slice(0, 10) }));
}
const count = (d: Digest) => d.sections.reduce((n, s) => n + s.papers.length, 0);

export async function benchFeeds(): Promise<void> {
  const digests = thirtyConsecutiveDays();
  const papers = digests.reduce((n, d) => n + d.sections.reduce((m, s) => m + s.papers.length, 0), 0);
  const input = { baseUrl: 'https://paperboy.example', digests, days: digests.map((d) => ({ date: d.date, papers: 1 })) };
  let files = buildSite(input);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    files = buildSite(input);
    times.push(performance.now() - t);
  }
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.body), 0);
  const onlyFeeds = () => buildSite({ ...input, pageDays: [] });
  const feedTimes: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    onlyFeeds();
    feedTimes.push(performance.now() - t);
  }
  console.log('## feeds and pages');
  console.log(`30-day window of real days (${papers} papers): ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  console.log(`build every feed and page: ${fmt(median(times))} median of 15 (feeds through the feed package, big ones fitted to their byte limit)`);
  console.log(`  of which feeds, OPML and index alone: ${fmt(median(feedTimes))} median; the 30 archive pages make up the rest`);
  benchWindow();
  console.log(`peak memory (RSS) so far: ${peakRssMb().toFixed(0)} MB`);
}
