import type { Context } from 'aws-lambda';
import { s3ClientFromEnv } from '../commons/aws-clients.ts';
import { lambdaEnv, requireEnv } from '../commons/lambda-env.ts';
import type { DigestReadyEvent } from '../domain/events.ts';
import { DEFAULT_WINDOW } from '../domain/feeds/feed-window.ts';
import { publishSite, type PublishSummary } from '../app/publish/publish-site.ts';
import { pingHub } from '../sources/websub-hub.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';
import { logger } from '../commons/observability.ts';

const client = s3ClientFromEnv();
const data = new S3BlobStore(client, requireEnv('DATA_BUCKET'));
const site = new S3BlobStore(client, requireEnv('SITE_BUCKET'));
const hub = lambdaEnv.WEBSUB_HUB || undefined;

async function notifyHub(feedUrls: readonly string[]): Promise<void> {
  if (!hub) return;
  const result = await pingHub(hub, feedUrls);
  if (result.failed.length) logger.warn('the WebSub hub refused some pings; subscribers will poll instead', { hub, failed: result.failed.slice(0, 5), count: result.failed.length });
}

/** EventBridge DigestReady (or a manual `{"rebuild": true}`) → rebuild feeds and pages, upload what changed. */
export async function handler(event: { detail?: DigestReadyEvent; rebuild?: boolean }, context?: Context): Promise<PublishSummary> {
  if (context) logger.addContext(context);
  const summary = await publishSite(
    { data, site, notifyHub },
    {
      baseUrl: requireEnv('SITE_URL'),
      window: { days: Number(lambdaEnv.FEED_WINDOW_DAYS ?? DEFAULT_WINDOW.days), maxFeedBytes: Number(lambdaEnv.FEED_MAX_BYTES ?? DEFAULT_WINDOW.maxFeedBytes) },
      ...(hub ? { hub } : {}),
      allPages: event.rebuild === true,
      graceHours: Number(lambdaEnv.DIGEST_GRACE_HOURS ?? '3'),
      ...(lambdaEnv.ALTCHA_ASSETS_DIR ? { altchaDir: lambdaEnv.ALTCHA_ASSETS_DIR } : {}),
    },
  );
  logger.info(`published ${summary.uploaded.length} changed of ${summary.files} files`, { trigger: event.detail?.date ?? 'rebuild', sample: summary.uploaded.slice(0, 5), searchShards: summary.searchShards });
  return summary;
}
