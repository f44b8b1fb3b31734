/**
 * npm run bench [-- section ...]: prints figures; never fails on a number (CI runs it for the record),
 * but fails when a section crashes, so a figure never goes missing silently.
 * Each section runs in its own process, so its peak memory is its own.
 */
import { spawnSync } from 'node:child_process';
import { benchAbuse } from './bench/abuse.ts';
import { benchBundles } from './bench/bundles.ts';
import { benchClassifier } from './bench/classifier.ts';
import { benchFeeds } from './bench/feeds.ts';
import { benchIngest } from './bench/ingest.ts';
import { benchNewsletter } from './bench/newsletter.ts';
import { benchRanking } from './bench/ranking.ts';
import { benchSearch } from './bench/search.ts';
import { benchSending } from './bench/sending.ts';

const sections: Record<string, () => Promise<void>> = {
  ingest: benchIngest,
  feeds: benchFeeds,
  newsletter: () => benchNewsletter(),
  sending: () => benchSending(),
  bundles: benchBundles,
  classifier: benchClassifier,
  ranking: benchRanking,
  search: benchSearch,
  abuse: benchAbuse,
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
