import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoClient, sesClient, s3ClientFromEnv } from '../commons/aws-clients.ts';
import { lambdaEnv, requireEnv } from '../commons/lambda-env.ts';
import { emitMetric, logger } from '../commons/observability.ts';
import { SEND_METRICS } from '../commons/metric-names.ts';
import { tokenSecret } from '../commons/secret.ts';
import { senderConfigFromEnv } from '../commons/sender-config.ts';
import { SesMailer } from '../messaging/ses-mailer.ts';
import { editionLoader } from '../app/newsletter/edition-loader.ts';
import { sendRecords } from '../app/newsletter/send-records.ts';
import { publishStatus, recordSend } from '../app/publish/site-status.ts';
import type { Edition } from '../domain/newsletter/edition.ts';
import type { SendBatch } from '../domain/ports/batch-queue.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';
import { DynamoDeliveryLedger } from '../storage/delivery-ledger.ts';
import { DynamoSubscriberStore } from '../storage/subscriber-store.ts';
import { DynamoLibraryStore } from '../storage/library-store.ts';

const dynamo = dynamoClient();
const subscribers = new DynamoSubscriberStore(dynamo, requireEnv('SUBSCRIBERS_TABLE'));
const ledger = new DynamoDeliveryLedger(dynamo, requireEnv('DELIVERIES_TABLE'));
const library = new DynamoLibraryStore(dynamo, requireEnv('LIBRARY_TABLE'));
const data = new S3BlobStore(s3ClientFromEnv(), requireEnv('DATA_BUCKET'));
/** The sender that completes a run rebuilds the site's status page (status.html, status.json: all it may write there). */
const site = new S3BlobStore(s3ClientFromEnv(), requireEnv('SITE_BUCKET'));
const graceHours = Number(lambdaEnv.DIGEST_GRACE_HOURS ?? '3');
// The planner compiled the day's edition once; each warm container loads it once.
const loadEditionOnce = editionLoader(data);
const editionFor = (batch: SendBatch): Promise<Edition> => loadEditionOnce(batch);

/** SQS → send each batch; a batch that must be retried is reported as failed so only it comes back. */
// Settings, secret and SES client once per container, not once per invocation.
const setup = tokenSecret().then((secret) => {
  const config = senderConfigFromEnv(secret);
  return { config, mailer: new SesMailer(sesClient(), config.from, config.configurationSet) };
});

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  if (context) logger.addContext(context);
  const { config, mailer } = await setup;
  return sendRecords({ subscribers, ledger, library, tracker: ledger, mailer, edition: editionFor, config, shouldStop: () => context.getRemainingTimeInMillis() < 20_000, onBatch: (_batch, { sent, failed }) => {
    emitMetric(SEND_METRICS.sent, sent);
    if (failed) emitMetric(SEND_METRICS.failed, failed);
  }, onRunComplete: async (run, totals) => {
    await recordSend(data, run, totals, new Date());
    await publishStatus(data, site, graceHours);
  }, log: ({ msg, ...rest }) => logger.info(String(msg), rest) }, event.Records);
}
