import { dataKeys } from '../../functions/domain/storage-layout.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';
import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnPermission, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource, SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Lambda as SesLambdaAction } from 'aws-cdk-lib/aws-ses-actions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { LambdaEnv } from '../../functions/commons/lambda-env.ts';
import type { PaperboyConfig } from '../config.ts';
import { PaperboyFunction } from '../paperboy-function.ts';
import { senderConcurrencyFor } from '../sender-concurrency.ts';
import type { DataResources } from './data.ts';
import type { MailResources } from './mail.ts';

/** Messages one sender Lambda sends a second (render + one SES call, sequentially). */
const SENDER_TIMEOUT = Duration.minutes(5);
import { ack } from './ack.ts';
import type { PaperboyStack } from '../paperboy-stack.ts';

/** The Lambda functions, each with the settings and grants it needs, the send queue, and inbound mail for unsubscribes. */
export function functionResources(stack: PaperboyStack, config: PaperboyConfig, { data, site, subscribers, limits, deliveries, library, tokenSecret, originSecret, bus }: DataResources, { configurationSet, feedback, sends, sendRaw }: MailResources) {
  const fn = (id: string, name: string, description: string, extra: { memoryMB?: number; timeout?: Duration; pagefind?: boolean; altcha?: boolean } = {}) => {
    const dlq = new Queue(stack, `${id}DeadLetters`, { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    ack(dlq, 'SQS3', 'This is a dead-letter queue.');
    const f = new PaperboyFunction(stack, id, { name, description, ...extra }, { deadLetterQueue: dlq });
    ack(f, 'L1', 'Node.js 22 is the runtime this project targets and tests; the move to a newer one is a deliberate change.');
    stack.functions[name] = f;
    return f;
  };
  // Abstracts come from arXiv at one request per 3 s, with retries and back-off: minutes, not seconds.
  const ingestScheduled = fn('IngestScheduled', 'ingest-scheduled', 'Fetches the day’s digest from the source URL template or produces it from arXiv, and completes abstracts', { timeout: Duration.minutes(10) });
  const ingestUpload = fn('IngestUpload', 'ingest-upload', 'Ingests a digest uploaded to incoming/', { timeout: Duration.minutes(5) });
  // Publishes may overlap (no reserved concurrency): the site manifest's conditional write keeps them safe.
  // Pagefind's binary takes up to ~1 GB while it writes a half-month's index (search-records.ts),
  // beside Node's few hundred MB; a shard takes ~6 s here, more on Lambda's share of a core, and the
  // first publish after an upgrade builds up to 6 shards (npm run bench -- search).
  const publish = fn('Publish', 'publish', 'Rebuilds feeds, OPML, pages, BibTeX and the search index of changed half-months on DigestReady', { memoryMB: 2048, timeout: Duration.minutes(10), pagefind: true, altcha: true });
  // 28 s: an import looks up to 200 papers on arXiv (two requests 3 s apart); CloudFront waits 30 s for an origin.
  const api = fn('Api', 'api', 'Subscription API and pages', { timeout: Duration.seconds(28) });
  // The planner compiles the day's edition (MJML, 9 variants) once and stores it; senders only load it.
  const planSend = fn('PlanSend', 'plan-send', 'Compiles the day’s newsletter once and queues batches of confirmed subscribers on DigestReady', { memoryMB: 1024, timeout: Duration.minutes(5) });
  const sendBatch = fn('SendBatch', 'send-batch', 'Renders and sends one batch of newsletters through SES', { memoryMB: 1024, timeout: SENDER_TIMEOUT });
  const bounces = fn('Bounces', 'bounces', 'Marks bounced and complaining subscribers');
  const reconcile = fn('Reconcile', 'reconcile', 'Marks ledger rows sent from SES Send events');

  // Each setting is placed with the grant it needs, so a function gets exactly what it uses.
  // Names from the environment contract only (functions/commons/lambda-env.ts): a misspelt one fails tsc.
  const env = (f: PaperboyFunction, vars: LambdaEnv) => {
    for (const [k, v] of Object.entries(vars)) if (v !== undefined) f.addEnvironment(k, v);
  };
  const enrichment = { ARXIV_ABSTRACTS: config.arxivAbstracts ? 'on' : 'off', TRANSLATE_PROVIDER: config.translate };
  env(ingestScheduled, { DATA_BUCKET: data.bucketName, EVENT_BUS_NAME: bus.eventBusName, SOURCE: config.source, SOURCE_URL_TEMPLATE: config.sourceUrlTemplate, ARXIV_CATEGORIES: config.arxivCategories.join(','), ARXIV_CROSS_LISTS: String(config.arxivCrossLists), SOURCE_TIME_ZONE: config.scheduleTimeZone, LOOKBACK_DAYS: '2', DIGEST_GRACE_HOURS: String(config.digestGraceHours), ...(config.source === 'both' ? { UPSTREAM_QUIET_DAYS: String(config.upstreamQuietDays) } : {}), ...enrichment });
  data.grantReadWrite(ingestScheduled);
  bus.grantPutEventsTo(ingestScheduled);
  env(ingestUpload, { DATA_BUCKET: data.bucketName, EVENT_BUS_NAME: bus.eventBusName, SOURCE_TIME_ZONE: config.scheduleTimeZone, ...enrichment });
  data.grantReadWrite(ingestUpload);
  bus.grantPutEventsTo(ingestUpload);
  if (config.translate === 'amazon-translate') {
    // TranslateText has no resource-level permissions: it can only be granted on "*".
    const translate = new PolicyStatement({ effect: Effect.ALLOW, actions: ['translate:TranslateText'], resources: ['*'] });
    for (const f of [ingestScheduled, ingestUpload]) {
      f.addToRolePolicy(translate);
      ack(f, 'IAM5', 'translate:TranslateText supports no resource-level permissions.');
    }
  }
  data.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(ingestUpload), { prefix: dataKeys.incomingPrefix });

  env(publish, { DATA_BUCKET: data.bucketName, SITE_BUCKET: site.bucketName, DIGEST_GRACE_HOURS: String(config.digestGraceHours), FEED_WINDOW_DAYS: String(config.feedWindowDays), FEED_MAX_BYTES: String(config.feedMaxBytes), ...(config.websubHub ? { WEBSUB_HUB: config.websubHub } : {}) });
  data.grantRead(publish);
  site.grantReadWrite(publish);

  env(api, {
    SUBSCRIBERS_TABLE: subscribers.tableName,
    LIMITS_TABLE: limits.tableName,
    LIBRARY_TABLE: library.tableName,
    TOKEN_SECRET_ARN: tokenSecret.secretArn,
    ORIGIN_SECRET_ARN: originSecret.secretArn,
    SENDER_FROM: `Paperboy <${config.senderAddress}>`,
    POSTAL_ADDRESS: config.postalAddress,
    SES_CONFIGURATION_SET: configurationSet.configurationSetName,
    CONFIRMATION_MAILS_PER_HOUR: String(config.subscribeForm.mailsPerHour),
    SUBSCRIBE_PER_ADDRESS_PER_HOUR: String(config.subscribeForm.perAddressPerHour),
    SUBSCRIBE_PER_NETWORK_PER_HOUR: String(config.subscribeForm.perNetworkPerHour),
    ALTCHA_COST: String(config.subscribeForm.altchaCost),
    DATA_BUCKET: data.bucketName,
    ...(config.replyTo ? { REPLY_TO: config.replyTo } : {}),
  });
  // Personal feeds and the preferences preview read the mailed days (and list them), nothing else.
  data.grantRead(api, `${dataKeys.mailedDaysPrefix}*`);
  subscribers.grantReadWriteData(api);
  limits.grantReadWriteData(api);
  library.grantReadWriteData(api);
  tokenSecret.grantRead(api);
  originSecret.grantRead(api);
  api.addToRolePolicy(sendRaw);
  const apiUrl = api.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

  const sendDlq = new Queue(stack, 'SendDeadLetters', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  ack(sendDlq, 'SQS3', 'This is the dead-letter queue.');
  const sendQueue = new Queue(stack, 'SendQueue', {
    visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: sendDlq, maxReceiveCount: 5 },
  });
  env(planSend, { SUBSCRIBERS_TABLE: subscribers.tableName, DELIVERIES_TABLE: deliveries.tableName, SEND_QUEUE_URL: sendQueue.queueUrl, SEND_MAX_AGE_DAYS: '3', DATA_BUCKET: data.bucketName, POSTAL_ADDRESS: config.postalAddress });
  data.grantReadWrite(planSend);
  subscribers.grantReadData(planSend);
  deliveries.grantReadWriteData(planSend);
  sendQueue.grantSendMessages(planSend);

  env(sendBatch, {
    SUBSCRIBERS_TABLE: subscribers.tableName,
    DELIVERIES_TABLE: deliveries.tableName,
    LIBRARY_TABLE: library.tableName,
    DATA_BUCKET: data.bucketName,
    TOKEN_SECRET_ARN: tokenSecret.secretArn,
    SENDER_FROM: `Paperboy <${config.senderAddress}>`,
    SENDER_DOMAIN: config.senderDomain,
    SES_CONFIGURATION_SET: configurationSet.configurationSetName,
    POSTAL_ADDRESS: config.postalAddress,
    SITE_BUCKET: site.bucketName,
    DIGEST_GRACE_HOURS: String(config.digestGraceHours),
    ...(config.replyTo ? { REPLY_TO: config.replyTo } : {}),
  });
  subscribers.grantReadData(sendBatch);
  deliveries.grantReadWriteData(sendBatch);
  // Reads models, registers save-link keys.
  library.grantReadWriteData(sendBatch);
  data.grantRead(sendBatch);
  // The batch that completes a run records it and rebuilds the status page: those keys only…
  data.grantPut(sendBatch, dataKeys.lastSend);
  for (const path of [sitePaths.status, sitePaths.statusJson, sitePaths.manifest]) site.grantPut(sendBatch, path);
  // …and keeps the site's manifest true for them (read, then written If-Match).
  site.grantRead(sendBatch, sitePaths.manifest);
  tokenSecret.grantRead(sendBatch);
  sendBatch.addToRolePolicy(sendRaw);
  // Concurrency sized so the senders together stay near the account's SES rate; back-off covers the rest.
  const senderConcurrency = senderConcurrencyFor(config.sesMaxSendRate);
  sendBatch.addEventSource(new SqsEventSource(sendQueue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: senderConcurrency }));

  env(reconcile, { DELIVERIES_TABLE: deliveries.tableName, LIMITS_TABLE: limits.tableName });
  deliveries.grantReadWriteData(reconcile);
  limits.grantReadWriteData(reconcile);
  reconcile.addEventSource(new SnsEventSource(sends));

  env(bounces, { SUBSCRIBERS_TABLE: subscribers.tableName, LIMITS_TABLE: limits.tableName });
  subscribers.grantReadWriteData(bounces);
  limits.grantReadWriteData(bounces);
  bounces.addEventSource(new SnsEventSource(feedback));

  // The mailto form of List-Unsubscribe (paperboy:inboundUnsubscribe): SES receives
  // unsubscribe@<domain> and hands it to a function. Receiving needs the domain's MX record pointing
  // at SES and this rule set made the region's active one (see README); without it, mail advertises
  // the HTTPS one-click link only.
  let ruleSet: ses.ReceiptRuleSet | null = null;
  const unsubscribeAddress = `unsubscribe@${config.senderDomain}`;
  if (config.inboundUnsubscribe) {
    const inbound = fn('InboundUnsubscribe', 'inbound-unsubscribe', 'Unsubscribes on mail to the List-Unsubscribe mailto address');
    env(inbound, { SUBSCRIBERS_TABLE: subscribers.tableName, LIBRARY_TABLE: library.tableName, TOKEN_SECRET_ARN: tokenSecret.secretArn });
    subscribers.grantReadWriteData(inbound);
    library.grantReadWriteData(inbound);
    tokenSecret.grantRead(inbound);
    env(sendBatch, { INBOUND_UNSUBSCRIBE_ADDRESS: unsubscribeAddress });
    ruleSet = new ses.ReceiptRuleSet(stack, 'InboundMail', {
      dropSpam: true,
      rules: [{ recipients: [unsubscribeAddress], scanEnabled: true, actions: [new SesLambdaAction({ function: inbound })] }],
    });
    // SES checks, when a rule is created, that it may invoke the rule's function: create the
    // permissions (ours and the drop-spam helper's) first, or creation races ("InvalidLambdaFunction").
    const permissions = [...ruleSet.node.findAll(), ...inbound.node.findAll()].filter((c): c is CfnPermission => c instanceof CfnPermission);
    for (const rule of ruleSet.node.findAll().filter((c): c is ses.CfnReceiptRule => c instanceof ses.CfnReceiptRule)) {
      for (const permission of permissions) rule.node.addDependency(permission);
    }
  }
  return { env, ingestScheduled, ingestUpload, publish, api, planSend, sendBatch, bounces, reconcile, apiUrl, sendDlq, sendQueue, ruleSet };
}

export type FunctionResources = ReturnType<typeof functionResources>;
