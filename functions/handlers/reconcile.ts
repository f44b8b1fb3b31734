import type { Context, SNSEvent } from 'aws-lambda';
import { dynamoClient } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/clients.ts';
import { emitMetric, logger } from '../commons/observability.ts';
import { reconcileSends, type ReconcileOutcome } from '../app/reconcile-sends.ts';
import { DynamoDeliveryLedger } from '../storage/delivery-ledger.ts';

const ledger = new DynamoDeliveryLedger(dynamoClient(), requireEnv('DELIVERIES_TABLE'));

/** SES Send events (configuration set → SNS) → the delivery ledger. */
export async function handler(event: SNSEvent, context?: Context): Promise<ReconcileOutcome> {
  if (context) logger.addContext(context);
  const outcome = await reconcileSends(ledger, event.Records.map((r) => r.Sns.Message));
  logger.info('reconciled SES send events', { outcome });
  if (outcome.late) emitMetric('LateSendEvents', outcome.late);
  return outcome;
}
