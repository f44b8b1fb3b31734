import type { Context } from 'aws-lambda';
import { SqsBatchQueue } from '../messaging/sqs-batch-queue.ts';
import { dynamoClient, s3ClientFromEnv, sqsClient } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/env.ts';
import { prepareEdition, prepareWeek } from '../app/newsletter/edition-store.ts';
import { weeklyRun } from '../domain/sending/week.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';
import type { DigestReadyEvent } from '../domain/events.ts';
import { DEFAULT_SEND_MAX_AGE_DAYS, planSend, planWeek, shouldMailDay } from '../app/newsletter/plan.ts';
import { type BatchQueue } from '../domain/ports/batch-queue.ts';
import { DynamoDeliveryLedger } from '../storage/delivery-ledger.ts';
import { DynamoSubscriberStore } from '../storage/subscriber-store.ts';
import { emitMetric, logger } from '../commons/observability.ts';
import { PLAN_METRICS } from '../commons/metric-names.ts';
import type { UnreadableRecord } from '../domain/subscribers/read-record.ts';

const dynamo = dynamoClient();
const subscribers = new DynamoSubscriberStore(dynamo, requireEnv('SUBSCRIBERS_TABLE'));
const runs = new DynamoDeliveryLedger(dynamo, requireEnv('DELIVERIES_TABLE'));
const sqs = sqsClient();
const queueUrl = requireEnv('SEND_QUEUE_URL');
const data = new S3BlobStore(s3ClientFromEnv(), requireEnv('DATA_BUCKET'));

/**
 * MJML and its templates are most of this function's bundle and its start-up time (~1 s): loaded
 * when an edition is compiled, not at every cold start. The weekly schedule runs daily and most
 * days compiles nothing.
 */
const compileEdition: typeof import('../app/newsletter/compile-edition.ts').compileEdition = async (...args) => (await import('../app/newsletter/compile-edition.ts')).compileEdition(...args);

const queue: BatchQueue = new SqsBatchQueue(sqs, queueUrl);

/** Unreadable records are logged by fingerprint and counted (the alarm `SubscriberRecordsUnreadable` watches the count), every run, even when it is 0. */
const onUnreadable = (records: readonly UnreadableRecord[]) => {
  for (const r of records) logger.error('subscriber record left out of the plan', { record: r.fingerprint, reason: r.reason });
  emitMetric(PLAN_METRICS.unreadable, records.length);
};

/**
 * EventBridge DigestReady → batches of the daily readers on the send queue; the daily schedule →
 * the weekly mail of readers whose day it is.
 */
export async function handler(event: { detail: DigestReadyEvent } | { 'detail-type': 'Scheduled Event'; time: string }, context?: Context): Promise<{ recipients: number; batches: number }> {
  if (context) logger.addContext(context);
  if ('detail-type' in event && event['detail-type'] === 'Scheduled Event') {
    const date = event.time.slice(0, 10);
    const plan = await planWeek({ subscribers, queue, onUnreadable }, date, () => prepareWeek(data, date, { siteUrl: requireEnv('SITE_URL'), postalAddress: requireEnv('POSTAL_ADDRESS') }, compileEdition));
    if (!plan.edition) {
      logger.info(`weekly mail of ${date}: ${plan.why}`);
      return { recipients: 0, batches: 0 };
    }
    const totals = await runs.start(weeklyRun(date), plan.recipients);
    logger.info(`planned the weekly mail of ${date}: ${plan.edition.papers} papers of ${plan.edition.days} days, ${plan.recipients} recipients in ${plan.batches} batches`);
    if (totals) logger.info(`weekly run of ${date} complete`, { summary: totals });
    return { recipients: plan.recipients, batches: plan.batches };
  }
  if (!('detail' in event)) throw new Error('plan-send: neither a DigestReady event nor the schedule');
  const decision = shouldMailDay(event.detail, new Date(), Number(process.env.SEND_MAX_AGE_DAYS ?? DEFAULT_SEND_MAX_AGE_DAYS));
  if (!decision.send) {
    logger.info(`not mailed: ${decision.reason}`);
    return { recipients: 0, batches: 0 };
  }
  // The edition is compiled here, once, before any batch can ask for it.
  const edition = await prepareEdition(data, event.detail.parsedKey, { siteUrl: requireEnv('SITE_URL'), postalAddress: requireEnv('POSTAL_ADDRESS') }, compileEdition);
  logger.info(`edition of ${event.detail.date}: ${edition}`);
  const plan = await planSend({ subscribers, queue, onUnreadable }, event.detail);
  const totals = await runs.start(event.detail.date, plan.recipients);
  logger.info(`planned ${event.detail.date}: ${plan.recipients} recipients in ${plan.batches} batches`);
  if (totals) logger.info(`send run for ${event.detail.date} complete`, { summary: totals });
  return { recipients: plan.recipients, batches: plan.batches };
}
