import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Digest } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { buildSite } from '../../functions/domain/site/build-site.ts';
import { SAMPLE_DIGESTS } from '../local/config.ts';
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
  console.log(`build every feed and page: ${fmt(median(times))} median of 15 (goal < 200 ms)`);
  console.log(`  of which feeds, OPML and index alone: ${fmt(median(feedTimes))} median; the 30 archive pages make up the rest`);
  console.log(`peak memory (RSS) so far: ${peakRssMb().toFixed(0)} MB`);
}
