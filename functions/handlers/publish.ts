import type { Context } from 'aws-lambda';
import { requireEnv, s3ClientFromEnv } from '../commons/clients.ts';
import type { DigestReadyEvent } from '../domain/events.ts';
import { publishSite, type PublishSummary } from '../app/publish-site.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';
import { logger } from '../commons/observability.ts';

const client = s3ClientFromEnv();
const data = new S3BlobStore(client, requireEnv('DATA_BUCKET'));
const site = new S3BlobStore(client, requireEnv('SITE_BUCKET'));

/** EventBridge DigestReady (or a manual `{"rebuild": true}`) → rebuild feeds and pages, upload what changed. */
export async function handler(event: { detail?: DigestReadyEvent; rebuild?: boolean }, context?: Context): Promise<PublishSummary> {
  if (context) logger.addContext(context);
  const summary = await publishSite(
    { data, site },
    {
      baseUrl: requireEnv('SITE_URL'),
      window: { days: Number(process.env.FEED_WINDOW_DAYS ?? '30'), maxItems: Number(process.env.FEED_MAX_ITEMS ?? '500') },
      allPages: event.rebuild === true,
    },
  );
  logger.info(`published ${summary.uploaded.length} changed of ${summary.files} files`, { trigger: event.detail?.date ?? 'rebuild', sample: summary.uploaded.slice(0, 5) });
  return summary;
}
