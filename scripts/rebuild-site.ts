/**
 * npm run rebuild-site -- --site-url https://d123.cloudfront.net [--endpoint URL] [--data-bucket B --site-bucket B]
 * Rebuilds every feed and every day's page from the data bucket (after a backfill, a template change
 * or a new window setting) and uploads what changed. Without --endpoint it uses the local emulator.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { s3ClientFromEnv } from '../functions/commons/aws-clients.ts';
import { publishSite } from '../functions/app/publish/publish-site.ts';
import { DEFAULT_WINDOW } from '../functions/domain/feeds/feed-window.ts';
import { S3BlobStore } from '../functions/storage/s3-blob-store.ts';
import { DATA_BUCKET, LOCAL_ROOT, SITE_BUCKET } from './local/config.ts';
import { startLocalS3 } from './local/s3-emulator.ts';

const { values } = parseArgs({
  options: {
    'site-url': { type: 'string' },
    endpoint: { type: 'string' },
    'data-bucket': { type: 'string', default: DATA_BUCKET },
    'site-bucket': { type: 'string', default: SITE_BUCKET },
    'window-days': { type: 'string', default: String(DEFAULT_WINDOW.days) },
    'max-feed-bytes': { type: 'string', default: String(DEFAULT_WINDOW.maxFeedBytes) },
  },
});
if (!values['site-url']) {
  console.error('rebuild-site: --site-url is required (the public base URL feeds link to)');
  process.exit(2);
}
const local = values.endpoint ? null : await startLocalS3({ directory: join(LOCAL_ROOT, 's3'), buckets: [DATA_BUCKET, SITE_BUCKET] });
const client = local ? local.client : s3ClientFromEnv({ ...process.env, S3_ENDPOINT: values.endpoint });
const summary = await publishSite(
  { data: new S3BlobStore(client, values['data-bucket']), site: new S3BlobStore(client, values['site-bucket']) },
  { baseUrl: values['site-url'], allPages: true, maxSearchShards: Number.POSITIVE_INFINITY, window: { days: Number(values['window-days']), maxFeedBytes: Number(values['max-feed-bytes']) } },
);
console.log(`rebuild-site: ${summary.files} files, ${summary.uploaded.length} uploaded, ${summary.unchanged} unchanged; newest day ${summary.newestDay ?? 'none'}`);
await local?.stop();
