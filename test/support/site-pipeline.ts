import { CollectingEventSink } from '../../functions/domain/events.ts';
import { ingestDigest } from '../../functions/app/ingest/ingest.ts';
import { publishSite, type PublishSummary } from '../../functions/app/publish/publish-site.ts';
import type { WindowOptions } from '../../functions/domain/feeds/feed-window.ts';
import { S3BlobStore } from '../../functions/storage/s3-blob-store.ts';
import type { LocalS3 } from '../../scripts/local/s3-emulator.ts';
import { startSiteServer, type SiteServer } from '../../scripts/local/site-server.ts';
import { freshS3 } from './local-s3.ts';

export interface SitePipeline {
  readonly s3: LocalS3;
  readonly data: S3BlobStore;
  readonly site: S3BlobStore;
  readonly server: SiteServer;
  ingest(bytes: Uint8Array, source: string): Promise<void>;
  publish(window?: WindowOptions): Promise<PublishSummary>;
  stop(): Promise<void>;
}

/** s3rver with a data and a site bucket, the static server in front of the site bucket, real ingest and publish. */
export async function startSitePipeline(): Promise<SitePipeline> {
  const s3 = await freshS3(['data', 'site']);
  const data = new S3BlobStore(s3.client, 'data');
  const site = new S3BlobStore(s3.client, 'site');
  const server = await startSiteServer({ client: s3.client, bucket: 'site' });
  const events = new CollectingEventSink();
  return {
    s3,
    data,
    site,
    server,
    async ingest(bytes, source) {
      const outcome = await ingestDigest({ store: data, events }, { bytes, source });
      if (outcome.status === 'quarantined') throw new Error(`fixture quarantined: ${outcome.reason}`);
    },
    publish: (window) => publishSite({ data, site }, { baseUrl: server.url, ...(window ? { window } : {}) }),
    async stop() {
      await server.stop();
      await s3.stop();
    },
  };
}
