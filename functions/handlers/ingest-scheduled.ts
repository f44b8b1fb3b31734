import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeSink } from '../commons/event-bridge-sink.ts';
import { requireEnv, s3ClientFromEnv } from '../commons/clients.ts';
import { arxivFromEnv, translatorFromEnv } from '../commons/enrichment-config.ts';
import { emitMetric } from '../commons/metrics.ts';
import { completeDays, enrichDay, formatEnrichment } from '../app/enrich-day.ts';
import { formatSummary, ingestDays, ingestFromUrl, summarise, type RunSummary } from '../app/ingest-runs.ts';
import { daysToCheck } from '../sources/upstream-digest.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';

const store = new S3BlobStore(s3ClientFromEnv(), requireEnv('DATA_BUCKET'));
const events = new EventBridgeSink(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME'));
const arxiv = arxivFromEnv();
const translator = translatorFromEnv();

/**
 * EventBridge schedule → fetch today and the last few days (a day not published yet is tried next
 * run), then complete those days' abstracts from arXiv where an earlier run could not.
 */
export async function handler(): Promise<RunSummary> {
  const template = requireEnv('SOURCE_URL_TEMPLATE');
  const days = daysToCheck(new Date(), Number(process.env.LOOKBACK_DAYS ?? '2'), process.env.SOURCE_TIME_ZONE ?? 'UTC');
  const complete = arxiv ? (date: string) => enrichDay({ store, arxiv, translator }, date) : undefined;
  const deps = { store, events, ...(complete ? { complete } : {}), onCompleteError: (date: string, err: unknown) => console.log(JSON.stringify({ msg: `abstracts for ${date} left for a later run`, error: String(err) })) };
  const results = await ingestDays(days, (date) => ingestFromUrl(deps, template, date));
  const summary = summarise(results);
  console.log(JSON.stringify({ msg: `scheduled ingest: ${formatSummary(summary)}`, results }));
  emitMetric('DigestsIngested', summary.ingested + summary.unchanged);
  if (summary.quarantined) emitMetric('DigestsQuarantined', summary.quarantined);
  if (arxiv) {
    const completed = await completeDays({ store, events, arxiv, translator }, days);
    for (const o of completed) console.log(JSON.stringify({ msg: `abstracts ${formatEnrichment(o)}`, outcome: o }));
  }
  // Throwing makes the failure visible to the Errors alarm; missing days are not failures.
  if (summary.failed > 0) throw new Error(`scheduled ingest failed for ${summary.failed} day(s): ${formatSummary(summary)}`);
  return summary;
}
