import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSearchShard, closeSearchIndexer } from '../../functions/app/publish/search-index.ts';
import type { Digest } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { searchShardOf } from '../../functions/domain/search/search-records.ts';
import { withBorrowedAbstracts } from './busy-day.ts';
import { SAMPLE_DIGESTS } from '../local/config.ts';
import { peakRssMb } from './stats.ts';

/**
 * The year 2024 as the archive holds it: 322 published days (2024-01-01 to 2024-11-28 without the
 * eleven days never published). The corpus keeps one real day a week, so each date gets a real day
 * in turn, its papers given ids of their own, and every paper both abstracts (the worst case, as
 * arXiv enrichment gives them): more words to index than the real year had.
 */
function yearOfDays(): Digest[] {
  const every = readdirSync(SAMPLE_DIGESTS).filter((f) => f.endsWith('.md')).sort().map((f) => parseDigest(readFileSync(join(SAMPLE_DIGESTS, f)), f).digest);
  const dates: string[] = [];
  for (let t = Date.parse('2024-01-01T00:00:00Z'); dates.length < 322; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (d < '2024-08-27' || d > '2024-09-06') dates.push(d);
  }
  const days = dates.map((date, i) => {
    const src = every[i % every.length]!;
    return { ...src, date, sections: src.sections.map((s) => ({ ...s, papers: s.papers.map((p) => ({ ...p, arxivId: `${p.arxivId}${i}` })) })) };
  });
  return withBorrowedAbstracts(days, every);
}

/** The Pagefind binary is a child process: its peak resident memory, read from /proc while it works. */
function watchChildRss(): { stop: () => number } {
  let peak = 0;
  const timer = setInterval(() => {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('pagefind')) continue;
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        peak = Math.max(peak, kb / 1024);
      } catch {
        // the process ended between the listing and the read
      }
    }
  }, 100);
  return { stop: () => (clearInterval(timer), peak) };
}

export async function benchSearch(): Promise<void> {
  const year = yearOfDays();
  const papers = year.reduce((n, d) => n + d.sections.reduce((m, s) => m + s.papers.length, 0), 0);
  const months = [...new Set(year.map((d) => searchShardOf(d.date)))].sort();
  console.log(`## Archive search index (Pagefind ${JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', 'pagefind', 'package.json'), 'utf8')).version}, one shard per half-month)`);
  console.log(`full year: ${year.length} days, ${papers} papers, every one with both abstracts, ${months.length} half-month shards`);
  const watch = watchChildRss();
  let files = 0;
  let bytes = 0;
  const times: number[] = [];
  const start = performance.now();
  for (const month of months) {
    const t0 = performance.now();
    const shard = await buildSearchShard(month, year);
    times.push(performance.now() - t0);
    files += shard.length;
    bytes += shard.reduce((n, f) => n + f.body.length, 0);
  }
  const total = performance.now() - start;
  const childPeak = watch.stop();
  await closeSearchIndexer();
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`  full-year build (every shard, as the first publish or rebuild-site does): ${(total / 1000).toFixed(1)} s`);
  console.log(`  one shard (a day's publish rebuilds one): median ${(sorted[Math.floor(sorted.length / 2)]! / 1000).toFixed(1)} s, slowest ${(sorted.at(-1)! / 1000).toFixed(1)} s`);
  console.log(`  index size: ${(bytes / 1e6).toFixed(1)} MB in ${files} files (${(bytes / 1e6 / months.length).toFixed(1)} MB and ${Math.round(files / months.length)} files a shard)`);
  console.log(`  peak memory: Pagefind binary ${childPeak.toFixed(0)} MB, Node ${peakRssMb().toFixed(0)} MB (Publish has 2,048 MB for both)`);
}
