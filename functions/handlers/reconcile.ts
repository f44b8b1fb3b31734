import type { SNSEvent } from 'aws-lambda';
import { dynamoClient } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/clients.ts';
import { emitMetric } from '../commons/metrics.ts';
import { reconcileSends, type ReconcileOutcome } from '../app/reconcile-sends.ts';
import { DynamoDeliveryLedger } from '../storage/delivery-ledger.ts';

const ledger = new DynamoDeliveryLedger(dynamoClient(), requireEnv('DELIVERIES_TABLE'));

/** SES Send events (configuration set → SNS) → the delivery ledger. */
export async function handler(event: SNSEvent): Promise<ReconcileOutcome> {
  const outcome = await reconcileSends(ledger, event.Records.map((r) => r.Sns.Message));
  console.log(JSON.stringify({ msg: 'reconciled SES send events', outcome }));
  if (outcome.late) emitMetric('LateSendEvents', outcome.late);
  return outcome;
}
