/** npm run bench [-- section ...]: prints figures; never fails on a number (CI runs it for the record). */
import { benchBundles } from './bench/bundles.ts';
import { benchFeeds } from './bench/feeds.ts';
import { benchIngest } from './bench/ingest.ts';
import { benchNewsletter } from './bench/newsletter.ts';
import { benchSending } from './bench/sending.ts';

const sections: Record<string, () => Promise<void>> = {
  ingest: benchIngest,
  feeds: benchFeeds,
  newsletter: () => benchNewsletter(),
  sending: () => benchSending(),
  bundles: benchBundles,
};

const wanted = process.argv.slice(2).filter((a) => a !== '--');
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await run();
  console.log('');
}
