/**
 * npm start [-- --once] [--port 8080]
 * Runs the whole pipeline locally with the same domain code the Lambdas run: S3 emulator on
 * 127.0.0.1, ingest of the bundled sample days, feeds and pages, then serves the site until Ctrl-C.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CollectingEventSink } from '../functions/domain/events.ts';
import { ingestDigest } from '../functions/domain/ingest.ts';
import { dateFromName, formatSummary, ingestDays, summarise } from '../functions/domain/ingest-runs.ts';
import { publishSite } from '../functions/domain/publish-site.ts';
import { S3BlobStore } from '../functions/storage/s3-blob-store.ts';
import { DATA_BUCKET, LOCAL_ROOT, SAMPLE_DIGESTS, SITE_BUCKET } from './local/config.ts';
import { progress } from './local/progress.ts';
import { startLocalS3 } from './local/s3-emulator.ts';
import { startSiteServer } from './local/site-server.ts';

const { values } = parseArgs({ options: { once: { type: 'boolean', default: false }, port: { type: 'string', default: '8080' }, fresh: { type: 'boolean', default: false } } });

if (values.fresh) rmSync(LOCAL_ROOT, { recursive: true, force: true });
const s3 = await startLocalS3({ directory: join(LOCAL_ROOT, 's3'), buckets: [DATA_BUCKET, SITE_BUCKET] });
const data = new S3BlobStore(s3.client, DATA_BUCKET);
const site = new S3BlobStore(s3.client, SITE_BUCKET);
const server = await startSiteServer({ client: s3.client, bucket: SITE_BUCKET, port: Number(values.port) }).catch(async () =>
  // The port is taken (another run?): any free port will do for a local look.
  startSiteServer({ client: s3.client, bucket: SITE_BUCKET }),
);

console.log(`Paperboy local run: S3 emulator at ${s3.endpoint} (buckets ${DATA_BUCKET}, ${SITE_BUCKET}; files in ${join(LOCAL_ROOT, 's3')})`);

// 1. Ingest the sample days, exactly as the upload trigger and the backfill do.
const files = readdirSync(SAMPLE_DIGESTS).filter((f) => f.endsWith('.md')).sort();
const events = new CollectingEventSink();
const bar = progress('ingest', files.length);
const results = await ingestDays(
  files,
  async (file) => {
    const source = join(SAMPLE_DIGESTS, file);
    const outcome = await ingestDigest({ store: data, events }, { bytes: readFileSync(source), source, dateHint: dateFromName(file) });
    return { date: outcome.date, source, status: outcome.status, outcome };
  },
  (r) => bar.tick(`${r.date} ${r.status}`),
);
bar.stop();
console.log(`ingest: ${formatSummary(summarise(results))}`);

// 2. Publish feeds and pages, as the publisher Lambda does on DigestReady.
const published = await publishSite({ data, site }, { baseUrl: server.url, allPages: true });
console.log(`publish: ${published.files} files (${published.uploaded.length} written, ${published.unchanged} unchanged), newest day ${published.newestDay ?? 'none'}`);
console.log(`  site:  ${server.url}/`);
console.log(`  feeds: ${server.url}/feeds/all.rss.xml  (OPML: ${server.url}/feeds.opml)`);

if (values.once) {
  await server.stop();
  await s3.stop();
  console.log('done (--once)');
} else {
  console.log('serving; press Ctrl-C to stop');
  const stop = async () => {
    await server.stop();
    await s3.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
