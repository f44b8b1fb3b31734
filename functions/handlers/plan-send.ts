import type { Context } from 'aws-lambda';
import { SqsBatchQueue } from '../messaging/sqs-batch-queue.ts';
import { dynamoClient, s3ClientFromEnv, sqsClient } from '../commons/aws-clients.ts';
import { lambdaEnv, requireEnv } from '../commons/lambda-env.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';
import type { DigestReadyEvent } from '../domain/events.ts';
import { DEFAULT_SEND_MAX_AGE_DAYS } from '../app/newsletter/plan.ts';
import { planDailyRun, planWeeklyRun, type RunPlan, type RunPlanDeps } from '../app/newsletter/plan-runs.ts';
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

const planDeps = (): RunPlanDeps => ({ subscribers, queue, onUnreadable, data, tracker: runs, editionConfig: { siteUrl: requireEnv('SITE_URL'), postalAddress: requireEnv('POSTAL_ADDRESS') }, compile: compileEdition });

/**
 * EventBridge DigestReady → batches of the daily readers on the send queue; the daily schedule →
 * the weekly mail of readers whose day it is.
 */
export async function handler(event: { detail: DigestReadyEvent } | { 'detail-type': 'Scheduled Event'; time: string }, context?: Context): Promise<{ recipients: number; batches: number }> {
  if (context) logger.addContext(context);
  let label: string;
  let plan: RunPlan;
  if ('detail-type' in event && event['detail-type'] === 'Scheduled Event') {
    const date = event.time.slice(0, 10);
    label = `the weekly mail of ${date}`;
    plan = await planWeeklyRun(planDeps(), date);
  } else if ('detail' in event) {
    label = event.detail.date;
    plan = await planDailyRun(planDeps(), event.detail, { now: new Date(), maxAgeDays: Number(lambdaEnv.SEND_MAX_AGE_DAYS ?? DEFAULT_SEND_MAX_AGE_DAYS) });
  } else throw new Error('plan-send: neither a DigestReady event nor the schedule');
  if (!plan.planned) {
    logger.info(`${label} not mailed: ${plan.reason}`);
    return { recipients: 0, batches: 0 };
  }
  logger.info(`planned ${label} (${plan.edition}): ${plan.recipients} recipients in ${plan.batches} batches`);
  if (plan.totals) logger.info(`send run ${plan.run} complete`, { summary: plan.totals });
  return { recipients: plan.recipients, batches: plan.batches };
}
