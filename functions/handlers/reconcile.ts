import type { Context, SNSEvent } from 'aws-lambda';
import { dynamoClient } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/lambda-env.ts';
import { emitMetric, logger } from '../commons/observability.ts';
import { SEND_METRICS } from '../commons/metric-names.ts';
import { reconcileSends, type ReconcileOutcome } from '../app/newsletter/reconcile-sends.ts';
import { DynamoDeliveryLedger } from '../storage/delivery-ledger.ts';
import { DynamoCounters } from '../storage/dynamo-counters.ts';
import { recordMailFeedback } from '../app/newsletter/mail-reputation.ts';

const dynamo = dynamoClient();
const ledger = new DynamoDeliveryLedger(dynamo, requireEnv('DELIVERIES_TABLE'));
const counters = new DynamoCounters(dynamo, requireEnv('LIMITS_TABLE'));

/** SES Send events (configuration set → SNS) → the delivery ledger. */
export async function handler(event: SNSEvent, context?: Context): Promise<ReconcileOutcome> {
  if (context) logger.addContext(context);
  const messages = event.Records.map((r) => r.Sns.Message);
  const outcome = await reconcileSends(ledger, messages);
  // Every send (newsletters and confirmations alike) is the denominator of the reputation rates.
  await recordMailFeedback(counters, messages, new Date());
  logger.info('reconciled SES send events', { outcome });
  if (outcome.late) emitMetric(SEND_METRICS.lateEvents, outcome.late);
  return outcome;
}
