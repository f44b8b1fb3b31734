import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeSink } from '../commons/event-bridge-sink.ts';
import { requireEnv, s3ClientFromEnv } from '../commons/clients.ts';
import { emitMetric } from '../commons/metrics.ts';
import { daysToCheck } from '../domain/fetch-digest.ts';
import { formatSummary, ingestDays, ingestFromUrl, summarise, type RunSummary } from '../domain/ingest-runs.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';

const store = new S3BlobStore(s3ClientFromEnv(), requireEnv('DATA_BUCKET'));
const events = new EventBridgeSink(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME'));

/** EventBridge schedule → fetch today and the last few days; a day not published yet is tried next run. */
export async function handler(): Promise<RunSummary> {
  const template = requireEnv('SOURCE_URL_TEMPLATE');
  const days = daysToCheck(new Date(), Number(process.env.LOOKBACK_DAYS ?? '2'), process.env.SOURCE_TIME_ZONE ?? 'UTC');
  const results = await ingestDays(days, (date) => ingestFromUrl({ store, events }, template, date));
  const summary = summarise(results);
  console.log(JSON.stringify({ msg: `scheduled ingest: ${formatSummary(summary)}`, results }));
  emitMetric('DigestsIngested', summary.ingested + summary.unchanged);
  if (summary.quarantined) emitMetric('DigestsQuarantined', summary.quarantined);
  // Throwing makes the failure visible to the Errors alarm; missing days are not failures.
  if (summary.failed > 0) throw new Error(`scheduled ingest failed for ${summary.failed} day(s): ${formatSummary(summary)}`);
  return summary;
}
