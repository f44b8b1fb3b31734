import type { Context, S3Event } from 'aws-lambda';
import { EventBridgeSink } from '../messaging/event-bridge-sink.ts';
import { s3ClientFromEnv, eventBridgeClient } from '../commons/aws-clients.ts';
import { lambdaEnv, requireEnv } from '../commons/lambda-env.ts';
import { arxivFromEnv, translatorFromEnv } from '../commons/enrichment-config.ts';
import { emitMetric, logger } from '../commons/observability.ts';
import { INGEST_METRICS } from '../commons/metric-names.ts';
import { ingestLimitsFromEnv } from '../commons/ingest-config.ts';
import { abstractsStep, formatEnrichment } from '../app/ingest/enrich-day.ts';
import type { IngestOutcome } from '../app/ingest/ingest.ts';
import { ingestStoredObject, unmappedCategoryNames } from '../app/ingest/ingest-runs.ts';
import { reportUnmapped } from '../commons/unmapped-categories.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';

const store = new S3BlobStore(s3ClientFromEnv(), requireEnv('DATA_BUCKET'));
const events = new EventBridgeSink(eventBridgeClient(), requireEnv('EVENT_BUS_NAME'));
const arxiv = arxivFromEnv();
const translator = translatorFromEnv();
/** Size and paper ceilings (INGEST_MAX_BYTES, INGEST_MAX_PAPERS; defaults when unset), read once: a bad value fails the cold start by name. */
const limits = ingestLimitsFromEnv();

const complete = abstractsStep({ store, arxiv, translator }, (outcome) => logger.info(`abstracts ${formatEnrichment(outcome)}`, { outcome }));

/** S3 `incoming/` upload → ingest. The upload itself is left in place as the operator's record. */
export async function handler(event: S3Event, context?: Context): Promise<IngestOutcome[]> {
  if (context) logger.addContext(context);
  const outcomes: IngestOutcome[] = [];
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const outcome = await ingestStoredObject(
      { store, events, ...(complete ? { complete } : {}), timeZone: lambdaEnv.SOURCE_TIME_ZONE ?? 'UTC', limits, onCompleteError: (date, err) => logger.info(`abstracts for ${date} left for a later run`, { error: String(err) }) },
      key,
      store.bucket,
    );
    logger.info(`ingest ${key}: ${outcome.status}`, { outcome });
    outcomes.push(outcome);
    emitMetric(outcome.status === 'quarantined' ? INGEST_METRICS.quarantined : INGEST_METRICS.ingested, 1);
  }
  reportUnmapped(unmappedCategoryNames(outcomes));
  return outcomes;
}
