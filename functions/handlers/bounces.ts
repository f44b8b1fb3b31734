import type { Context, ScheduledEvent, SNSEvent } from 'aws-lambda';
import { dynamoClient } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/lambda-env.ts';
import { suppressionsFrom } from '../domain/subscribers/bounces.ts';
import { suppress } from '../domain/subscribers/subscriber.ts';
import { DynamoSubscriberStore } from '../storage/subscriber-store.ts';
import { emitPercent, logger } from '../commons/observability.ts';
import { REPUTATION_METRICS } from '../commons/metric-names.ts';
import { readReputation, recordMailFeedback, type ReputationReading } from '../app/newsletter/mail-reputation.ts';
import { DynamoCounters } from '../storage/dynamo-counters.ts';

const dynamo = dynamoClient();
const store = new DynamoSubscriberStore(dynamo, requireEnv('SUBSCRIBERS_TABLE'));
const counters = new DynamoCounters(dynamo, requireEnv('LIMITS_TABLE'));

/** The rolling rates the reputation alarms watch, well before SES's review levels. */
function publish(reading: ReputationReading): void {
  if (reading.rates) {
    emitPercent(REPUTATION_METRICS.bounceRate, reading.rates.bounceRate);
    emitPercent(REPUTATION_METRICS.complaintRate, reading.rates.complaintRate);
  }
  logger.info('mail reputation over 24 hours', { ...reading.totals });
}

/**
 * SES bounce and complaint notifications (through SNS) → the subscriber is marked and gets no more
 * mail; the hourly schedule → the rolling rates as they stand.
 */
export async function handler(event: SNSEvent | Pick<ScheduledEvent, 'detail-type' | 'time'>, context?: Context): Promise<{ suppressed: number }> {
  if (context) logger.addContext(context);
  if (!('Records' in event)) {
    publish(await readReputation(counters, new Date(event.time)));
    return { suppressed: 0 };
  }
  let suppressed = 0;
  for (const record of event.Records) {
    for (const s of suppressionsFrom(record.Sns.Message)) {
      const t = await store.apply(s.email, (prev) => suppress(prev, s.reason, new Date()));
      if (t.next) suppressed++;
      logger.info(`${s.reason}: ${t.next ? 'suppressed' : 'no change'}`, { email: s.email });
    }
  }
  const reading = await recordMailFeedback(counters, event.Records.map((r) => r.Sns.Message), new Date());
  if (reading) publish(reading);
  return { suppressed };
}
