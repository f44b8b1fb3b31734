import type { Context, SNSEvent } from 'aws-lambda';
import { dynamoClient } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/clients.ts';
import { suppressionsFrom } from '../domain/subscribers/bounces.ts';
import { suppress } from '../domain/subscribers/subscriber.ts';
import { DynamoSubscriberStore } from '../storage/subscriber-store.ts';
import { logger } from '../commons/observability.ts';

const store = new DynamoSubscriberStore(dynamoClient(), requireEnv('SUBSCRIBERS_TABLE'));

/** SES bounce and complaint notifications (through SNS) → the subscriber is marked and gets no more mail. */
export async function handler(event: SNSEvent, context?: Context): Promise<{ suppressed: number }> {
  if (context) logger.addContext(context);
  let suppressed = 0;
  for (const record of event.Records) {
    for (const s of suppressionsFrom(record.Sns.Message)) {
      const t = await store.apply(s.email, (prev) => suppress(prev, s.reason, new Date()));
      if (t.next) suppressed++;
      logger.info(`${s.reason}: ${t.next ? 'suppressed' : 'no change'}`, { email: s.email });
    }
  }
  return { suppressed };
}
