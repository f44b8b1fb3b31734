import type { Context } from 'aws-lambda';
import { EventBridgeSink } from '../messaging/event-bridge-sink.ts';
import { s3ClientFromEnv, eventBridgeClient } from '../commons/aws-clients.ts';
import { lambdaEnv, requireEnv } from '../commons/lambda-env.ts';
import { arxivFromEnv, translatorFromEnv } from '../commons/enrichment-config.ts';
import { emitMetric, logger } from '../commons/observability.ts';
import { INGEST_METRICS } from '../commons/metric-names.ts';
import { ingestLimitsFromEnv } from '../commons/ingest-config.ts';
import { producerFromEnv, sourceFromEnv } from '../commons/source-config.ts';
import { abstractsStep, completeDays, formatEnrichment } from '../app/ingest/enrich-day.ts';
import { formatSummary, ingestDays, ingestFromUrl, summarise, unmappedCategoryNames, type RunSummary } from '../app/ingest/ingest-runs.ts';
import { reportUnmapped } from '../commons/unmapped-categories.ts';
import { watchCoverage, watchDigest } from '../app/ingest/digest-watch.ts';
import { formatListingVerdict, watchedListings, watchListings } from '../app/ingest/listing-watch.ts';
import { formatProduce, produceDay, type ProduceOutcome } from '../app/ingest/produce-day.ts';
import { daysToCheck, fetchDigest } from '../sources/upstream-digest.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';

const store = new S3BlobStore(s3ClientFromEnv(), requireEnv('DATA_BUCKET'));
const events = new EventBridgeSink(eventBridgeClient(), requireEnv('EVENT_BUS_NAME'));
const source = sourceFromEnv();
const arxiv = arxivFromEnv();
const translator = translatorFromEnv();
const producer = source === 'url' ? null : producerFromEnv(store);
/** The producer's feeds, remembered as it reads them, for the ListingStale rule. */
const listings = producer ? watchedListings(producer.deps.listing) : null;
const graceHours = Number(lambdaEnv.DIGEST_GRACE_HOURS ?? '3');
/** Size and paper ceilings (INGEST_MAX_BYTES, INGEST_MAX_PAPERS; defaults when unset), read once: a bad value fails the cold start by name. */
const limits = ingestLimitsFromEnv();

/**
 * EventBridge schedule → fetch today and the last few days from the URL template (a day not
 * published yet is tried next run) and/or produce the last announcement from arXiv (written to
 * `incoming/arxiv/`, which the upload trigger ingests), then complete recent days' abstracts.
 */
export async function handler(_event?: unknown, context?: Context): Promise<{ summary: RunSummary | null; produced: ProduceOutcome | null }> {
  if (context) logger.addContext(context);
  const days = daysToCheck(new Date(), Number(lambdaEnv.LOOKBACK_DAYS ?? '2'), lambdaEnv.SOURCE_TIME_ZONE ?? 'UTC');
  const failures: string[] = [];

  let summary: RunSummary | null = null;
  if (source !== 'arxiv') {
    const template = requireEnv('SOURCE_URL_TEMPLATE');
    const complete = abstractsStep({ store, arxiv, translator });
    const deps = { store, events, timeZone: lambdaEnv.SOURCE_TIME_ZONE ?? 'UTC', limits, ...(complete ? { complete } : {}), onCompleteError: (date: string, err: unknown) => logger.info(`abstracts for ${date} left for a later run`, { error: String(err) }) };
    const results = await ingestDays(days, (date) => ingestFromUrl({ ...deps, fetchDigest }, template, date));
    summary = summarise(results);
    logger.info(`scheduled ingest: ${formatSummary(summary)}`, { results });
    emitMetric(INGEST_METRICS.ingested, summary.ingested + summary.unchanged);
    if (summary.quarantined) emitMetric(INGEST_METRICS.quarantined, summary.quarantined);
    reportUnmapped(unmappedCategoryNames(results.flatMap((r) => ('outcome' in r ? [r.outcome] : []))));
    if (summary.failed > 0) failures.push(`URL source failed for ${summary.failed} day(s): ${formatSummary(summary)}`);
  }

  let produced: ProduceOutcome | null = null;
  if (producer && listings) {
    try {
      produced = await produceDay({ ...producer.deps, listing: listings.source }, producer.options);
      logger.info(`producer: ${formatProduce(produced)}`, { produced });
      if (produced.status === 'written') emitMetric(INGEST_METRICS.produced, 1);
      if (produced.status === 'incomplete') failures.push(`producer: ${formatProduce(produced)}`);
    } catch (err) {
      failures.push(`producer: ${(err as Error).message}`);
    }
    // The feeds the producer read, judged against the last runs' (the ListingStale alarm), even when producing failed.
    try {
      const verdicts = await watchListings(store, listings.seen(), new Date(), graceHours);
      if (verdicts.length) emitMetric(INGEST_METRICS.listingStale, verdicts.filter((v) => v.state === 'stale').length);
      for (const v of verdicts) logger.info(`arXiv listing ${formatListingVerdict(v)}`, { listing: v });
    } catch (err) {
      failures.push(`listing watch: ${(err as Error).message}`);
    }
  }

  // Whether the expected digest is in, after this run's ingest and production (the DigestMissing alarm reads it).
  try {
    const now = new Date();
    const expectation = await watchDigest(store, now, graceHours, source);
    emitMetric(INGEST_METRICS.missing, expectation.state === 'missing' ? 1 : 0);
    logger.info(`digest of ${expectation.date}: ${expectation.state} (due ${expectation.due.toISOString()}; by ${expectation.basis})`, { expectation });
    if (source === 'both') {
      const coverage = await watchCoverage(store, now, Number(lambdaEnv.UPSTREAM_QUIET_DAYS ?? '3'), graceHours);
      emitMetric(INGEST_METRICS.upstreamQuiet, coverage.quiet ? 1 : 0);
      logger.info(`sources of the last ${coverage.days.length} announcement days (${coverage.days.join(', ')}): third party ${coverage.upstream.length}, producer ${coverage.producer.length}${coverage.quiet ? '; the third party is quiet, the producer carries the project' : ''}`, { coverage });
    }
  } catch (err) {
    failures.push(`digest watch: ${(err as Error).message}`);
  }

  if (arxiv) {
    const completed = await completeDays({ store, events, arxiv, translator }, days);
    for (const o of completed) logger.info(`abstracts ${formatEnrichment(o)}`, { outcome: o });
  }
  // Throwing makes the failure visible to the Errors alarm; days not published yet are not failures.
  if (failures.length) throw new Error(`scheduled ingest: ${failures.join('; ')}`);
  return { summary, produced };
}
