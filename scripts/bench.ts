/**
 * npm run bench [-- section ...]: prints figures; never fails on a number (CI runs it for the record),
 * but fails when a section crashes, so a figure never goes missing silently.
 * Each section runs in its own process, so its peak memory is its own.
 */
import { spawnSync } from 'node:child_process';

// Each section's modules load in its own process only: loading all of them took ~110 MB of RSS
// (measured: 260 MB against 152 MB for the newsletter's alone), which a section's peak counted.
const sections: Record<string, () => Promise<void>> = {
  ingest: async () => (await import('./bench/ingest.ts')).benchIngest(),
  feeds: async () => (await import('./bench/feeds.ts')).benchFeeds(),
  newsletter: async () => (await import('./bench/newsletter.ts')).benchNewsletter(),
  sending: async () => (await import('./bench/sending.ts')).benchSending(),
  bundles: async () => (await import('./bench/bundles.ts')).benchBundles(),
  classifier: async () => (await import('./bench/classifier.ts')).benchClassifier(),
  ranking: async () => (await import('./bench/ranking.ts')).benchRanking(),
  search: async () => (await import('./bench/search.ts')).benchSearch(),
  abuse: async () => (await import('./bench/abuse.ts')).benchAbuse(),
};

const wanted = process.argv.slice(2).filter((a) => a !== '--');
if (wanted.length === 1 && sections[wanted[0]!]) {
  await sections[wanted[0]!]!();
} else {
  for (const name of Object.keys(sections)) {
    if (wanted.length && !wanted.includes(name)) continue;
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, name], { stdio: 'inherit' });
    if (child.status !== 0) {
      console.log(`bench section ${name} crashed (exit ${child.status ?? child.signal})`);
      process.exitCode = 1;
    }
    console.log('');
  }
}
