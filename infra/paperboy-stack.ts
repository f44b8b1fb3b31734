import { dataKeys } from '../functions/domain/storage-layout.ts';
import { ArnFormat, CfnOutput, CfnResource, Duration, Fn, RemovalPolicy, Stack, TimeZone, Token, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnFunction, CfnPermission, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { SqsEventSource, SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Lambda as SesLambdaAction } from 'aws-cdk-lib/aws-ses-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DIGEST_READY, DIGEST_UPDATED, EVENT_SOURCE } from '../functions/domain/events.ts';
import { DELIVERIES_TABLE, LIMITS_TABLE, SUBSCRIBERS_TABLE } from '../functions/storage/tables.ts';
import { ORIGIN_HEADER } from '../functions/domain/abuse/origin-secret.ts';
import { REPUTATION_ALARM_PERCENT } from '../functions/domain/abuse/reputation.ts';
import { GUARD_METRICS, PLAN_METRICS, REPUTATION_METRICS } from '../functions/commons/metric-names.ts';
import type { PaperboyConfig } from './config.ts';
import { PaperboyFunction } from './paperboy-function.ts';
import { senderConcurrencyFor } from './sender-concurrency.ts';
import { METRICS_NAMESPACE, SERVICE } from '../functions/commons/metric-names.ts';

export interface PaperboyStackProps extends StackProps {
  readonly config: PaperboyConfig;
}

/** cdk-nag finding ids are `Pack::Rule[finding]`; every acknowledgement carries a reason. */
function ack(scope: Construct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
}

/** Messages one sender Lambda sends a second (render + one SES call, sequentially). */
const SENDER_TIMEOUT = Duration.minutes(5);

/**
 * The whole pipeline: ingest (schedule + upload) → DigestReady → publish (feeds, pages) and send
 * planner → SQS → senders → SES, with the subscription API behind the same CloudFront distribution.
 */
export class PaperboyStack extends Stack {
  readonly functions: Record<string, PaperboyFunction> = {};

  constructor(scope: Construct, id: string, props: PaperboyStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Storage ---------------------------------------------------------------------------------
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    ack(logs, 'S1', 'This is the access-log bucket; logging it into itself would loop.');

    // A redeploy after `cdk destroy` attaches the data bucket, tables and key the first deploy kept.
    const data: s3.IBucket = config.existing.dataBucketName ? s3.Bucket.fromBucketName(this, 'Data', config.existing.dataBucketName) : new s3.Bucket(this, 'Data', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'data/',
      // Raw digests are content-addressed and never overwritten; old versions only come from deletes.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const site = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      // Everything in it is rebuilt from the data bucket, so `cdk destroy` may empty and remove it.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const subscribers: dynamodb.ITable = config.existing.subscribersTableName ? dynamodb.Table.fromTableName(this, 'Subscribers', config.existing.subscribersTableName) : new dynamodb.Table(this, 'Subscribers', {
      partitionKey: { name: SUBSCRIBERS_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Addresses typed into the form and never confirmed are deleted a week after (subscriber.ts).
      timeToLiveAttribute: SUBSCRIBERS_TABLE.expiresAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The subscribe form's hourly counters, spent proofs and the SES event tallies: all short-lived.
    const limits = new dynamodb.Table(this, 'Limits', {
      partitionKey: { name: LIMITS_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: LIMITS_TABLE.expiresAttribute,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    ack(limits, 'DDB3', 'Hourly counters that expire within a day: nothing to recover to a point in time.');
    const deliveries: dynamodb.ITable = config.existing.deliveriesTableName ? dynamodb.Table.fromTableName(this, 'Deliveries', config.existing.deliveriesTableName) : new dynamodb.Table(this, 'Deliveries', {
      partitionKey: { name: DELIVERIES_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: DELIVERIES_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Ledger rows only matter while a day can still be re-sent; they expire after 90 days.
      timeToLiveAttribute: DELIVERIES_TABLE.expiresAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Kept on destroy, like the tables: a new key would break every link in mail already delivered.
    const tokenSecret: ISecret = config.existing.tokenSecretArn
      ? Secret.fromSecretCompleteArn(this, 'TokenSecret', config.existing.tokenSecretArn)
      : new Secret(this, 'TokenSecret', {
          description: 'HMAC key for Paperboy confirmation, preferences and unsubscribe links',
          generateSecretString: { passwordLength: 64, excludePunctuation: true },
          removalPolicy: RemovalPolicy.RETAIN,
        });
    if (tokenSecret instanceof Secret) ack(tokenSecret, 'SMG4', 'Rotating the link-signing key would break every unsubscribe link in mail already delivered.');
    // CloudFront sends this with every request to the API function, which refuses requests without it:
    // the Function URL cannot be called past CloudFront. Rotated by hand (README, "Security").
    const originSecret = new Secret(this, 'OriginSecret', {
      description: 'Header value CloudFront adds to requests for the Paperboy API; the function refuses requests without it',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    ack(originSecret, 'SMG4', 'Rotation needs a CloudFront redeploy with the new value (README: put a new value, bump paperboy:originSecretRotation, cdk deploy); the function accepts the previous value meanwhile.');

    const bus = new events.EventBus(this, 'Bus', { description: 'Paperboy stage events (DigestReady)' });

    // Alarms go to an SNS topic, with an e-mail subscription when the operator gave an address.
    const alarmTopic = new Topic(this, 'Alarms', { enforceSSL: true });
    if (config.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default: CloudWatch needs an explicit Allow.
    alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: { ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) }, StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const alarmAction = new SnsAction(alarmTopic);
    ack(alarmTopic, 'SNS2', 'Alarm notifications carry no data beyond alarm names; CloudWatch cannot publish to a topic under the AWS-managed SNS key.');

    // Mail ------------------------------------------------------------------------------------
    const configurationSet = new ses.ConfigurationSet(this, 'MailConfig', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const feedback = new Topic(this, 'MailFeedback', { enforceSSL: true });
    ack(feedback, 'SNS2', 'SES event destinations cannot publish to a topic under the AWS-managed SNS key; messages hold only addresses already in the subscriber table.');
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(feedback),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    // SES's own record of each newsletter it accepted, tagged with day and attempt: a sender that dies
    // after SES took a mail leaves a claim the reconciler turns into "sent", so it is never resent.
    const sends = new Topic(this, 'MailSends', { enforceSSL: true });
    ack(sends, 'SNS2', 'SES event destinations cannot publish to a topic under the AWS-managed SNS key; messages hold only addresses already in the subscriber table.');
    configurationSet.addEventDestination('Sends', {
      destination: ses.EventDestination.snsTopic(sends),
      events: [ses.EmailSendingEvent.SEND],
    });
    const identity = config.existing.sesIdentity ? null : new ses.EmailIdentity(this, 'SenderDomain', { identity: ses.Identity.domain(config.senderDomain), configurationSet });
    // In the SES sandbox, SES also checks the permission on the (verified) recipient's identity, so a
    // policy on the sender's identity alone fails the operator's first test mail with AccessDenied.
    // Any identity of this account and region, but only ever From the configured address.
    const sendRaw = new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:SendRawEmail'],
      resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }), this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName })],
      conditions: { StringEquals: { 'ses:FromAddress': config.senderAddress } },
    });

    // Functions -------------------------------------------------------------------------------
    const fn = (id: string, name: string, description: string, extra: { memoryMB?: number; timeout?: Duration; pagefind?: boolean; altcha?: boolean } = {}) => {
      const dlq = new Queue(this, `${id}DeadLetters`, { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
      ack(dlq, 'SQS3', 'This is a dead-letter queue.');
      const f = new PaperboyFunction(this, id, { name, description, ...extra }, { deadLetterQueue: dlq });
      ack(f, 'L1', 'Node.js 22 is the runtime this project targets and tests; the move to a newer one is a deliberate change.');
      this.functions[name] = f;
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
    const api = fn('Api', 'api', 'Subscription API and pages', { timeout: Duration.seconds(15) });
    // The planner compiles the day's edition (MJML, 9 variants) once and stores it; senders only load it.
    const planSend = fn('PlanSend', 'plan-send', 'Compiles the day’s newsletter once and queues batches of confirmed subscribers on DigestReady', { memoryMB: 1024, timeout: Duration.minutes(5) });
    const sendBatch = fn('SendBatch', 'send-batch', 'Renders and sends one batch of newsletters through SES', { memoryMB: 1024, timeout: SENDER_TIMEOUT });
    const bounces = fn('Bounces', 'bounces', 'Marks bounced and complaining subscribers');
    const reconcile = fn('Reconcile', 'reconcile', 'Marks ledger rows sent from SES Send events');

    // Each setting is placed with the grant it needs, so a function gets exactly what it uses.
    const env = (f: PaperboyFunction, vars: Record<string, string>) => {
      for (const [k, v] of Object.entries(vars)) f.addEnvironment(k, v);
    };
    const enrichment = { ARXIV_ABSTRACTS: config.arxivAbstracts ? 'on' : 'off', TRANSLATE_PROVIDER: config.translate };
    env(ingestScheduled, { DATA_BUCKET: data.bucketName, EVENT_BUS_NAME: bus.eventBusName, SOURCE: config.source, SOURCE_URL_TEMPLATE: config.sourceUrlTemplate, ARXIV_CATEGORIES: config.arxivCategories.join(','), ARXIV_CROSS_LISTS: String(config.arxivCrossLists), SOURCE_TIME_ZONE: config.scheduleTimeZone, LOOKBACK_DAYS: '2', ...enrichment });
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
    data.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(ingestUpload), { prefix: 'incoming/' });

    env(publish, { DATA_BUCKET: data.bucketName, SITE_BUCKET: site.bucketName, FEED_WINDOW_DAYS: String(config.feedWindowDays), FEED_MAX_BYTES: String(config.feedMaxBytes), ...(config.websubHub ? { WEBSUB_HUB: config.websubHub } : {}) });
    data.grantRead(publish);
    site.grantReadWrite(publish);

    env(api, {
      SUBSCRIBERS_TABLE: subscribers.tableName,
      LIMITS_TABLE: limits.tableName,
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
    tokenSecret.grantRead(api);
    originSecret.grantRead(api);
    api.addToRolePolicy(sendRaw);
    const apiUrl = api.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    const sendDlq = new Queue(this, 'SendDeadLetters', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    ack(sendDlq, 'SQS3', 'This is the dead-letter queue.');
    const sendQueue = new Queue(this, 'SendQueue', {
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
      DATA_BUCKET: data.bucketName,
      TOKEN_SECRET_ARN: tokenSecret.secretArn,
      SENDER_FROM: `Paperboy <${config.senderAddress}>`,
      SENDER_DOMAIN: config.senderDomain,
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
      POSTAL_ADDRESS: config.postalAddress,
      ...(config.replyTo ? { REPLY_TO: config.replyTo } : {}),
    });
    subscribers.grantReadData(sendBatch);
    deliveries.grantReadWriteData(sendBatch);
    data.grantRead(sendBatch);
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
      env(inbound, { SUBSCRIBERS_TABLE: subscribers.tableName, TOKEN_SECRET_ARN: tokenSecret.secretArn });
      subscribers.grantReadWriteData(inbound);
      tokenSecret.grantRead(inbound);
      env(sendBatch, { INBOUND_UNSUBSCRIBE_ADDRESS: unsubscribeAddress });
      ruleSet = new ses.ReceiptRuleSet(this, 'InboundMail', {
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

    // Edges -----------------------------------------------------------------------------------
    // Only what the API reads, plus the viewer's real address for its limits (the function itself sees an edge's).
    const apiRequests = new cloudfront.OriginRequestPolicy(this, 'ApiRequests', {
      comment: 'Paperboy API: the form body type and the viewer address',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList('CloudFront-Viewer-Address', 'Content-Type', 'Accept-Language', 'User-Agent'),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
    });
    // The secret as a CloudFormation dynamic reference: resolved at deploy time, never in the template.
    const apiOrigin = new FunctionUrlOrigin(apiUrl, { customHeaders: { [ORIGIN_HEADER]: originSecret.secretValue.unsafeUnwrap(), 'x-paperboy-origin-rotation': String(config.originSecretRotation) } });
    // The API answers personal feeds as private data (Cache-Control: private), which CloudFront never
    // stores with a minimum TTL of 0: an unsubscribe or a reset ends a feed within the reader's own
    // few minutes, and no edge keeps a reader's selection. Zero defaults say the same for anything
    // that comes without a Cache-Control.
    const personalFeeds = new cloudfront.CachePolicy(this, 'PersonalFeeds', {
      comment: 'Paperboy personal feeds: private data, never kept at the edge',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.minutes(5),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // One set of security headers for the site and the API: HSTS, no framing anywhere (the API's
    // forms must not be clickjacked), no MIME sniffing, no referrer (a preferences URL must never
    // leave in a Referer). The API's own Content-Security-Policy is kept (it differs per page); the
    // site's pages get frame-ancestors from here.
    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Paperboy: HSTS, no framing, nosniff, no referrer',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: "frame-ancestors 'none'", override: false },
      },
    });
    const certificate = config.certificateArn ? Certificate.fromCertificateArn(this, 'SiteCertificate', config.certificateArn) : undefined;
    const distribution = new cloudfront.Distribution(this, 'SiteCdn', {
      comment: 'Paperboy feeds, pages and subscription API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      additionalBehaviors: {
        // Personal feeds, before /api/* (CloudFront takes the first pattern that matches): GET and
        // HEAD only, keyed by the URL alone (the token is in the path), never stored (private data).
        '/api/feed/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: personalFeeds,
          responseHeadersPolicy: securityHeaders,
          compress: true,
        },
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: apiRequests,
          responseHeadersPolicy: securityHeaders,
        },
      },
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
      ...(certificate && config.siteDomain ? { certificate, domainNames: [config.siteDomain], minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
    });
    ack(distribution, 'CFR1', 'Public feeds for readers anywhere: no geo restriction.');
    ack(distribution, 'CFR2', 'Static public files and a small API with its own per-address limits; WAF is an optional cost the operator can add.');
    if (!certificate) ack(distribution, 'CFR4', 'Without a custom domain CloudFront serves its default certificate, whose TLS floor cannot be set.');

    const publicUrl = config.siteDomain ? `https://${config.siteDomain}` : `https://${distribution.distributionDomainName}`;
    env(publish, { SITE_URL: publicUrl });
    env(sendBatch, { SITE_URL: publicUrl, API_URL: `${publicUrl}/api` });
    env(planSend, { SITE_URL: publicUrl });
    // The API function is an origin of the distribution, so it cannot name the distribution's domain
    // without a cycle: the URL goes into a parameter whose name (not value) the function knows.
    if (config.siteDomain) env(api, { API_URL: `${publicUrl}/api` });
    else {
      const parameterName = `/paperboy/${this.stackName}/public-url`;
      new StringParameter(this, 'PublicUrl', { parameterName, stringValue: publicUrl, description: 'Public base URL of the Paperboy site' });
      env(api, { PUBLIC_URL_PARAMETER: parameterName });
      api.addToRolePolicy(new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.slice(1) })] }));
    }

    // Wiring ----------------------------------------------------------------------------------
    const [hour, minute] = config.scheduleTime.split(':');
    new Schedule(this, 'DailyIngest', {
      description: 'Fetch the daily digest; later runs the same day catch a late publication',
      schedule: ScheduleExpression.cron({ minute: String(Number(minute)), hour: `${Number(hour)}-23/3`, timeZone: TimeZone.of(config.scheduleTimeZone) }),
      target: new LambdaInvoke(ingestScheduled, { retryAttempts: 2 }),
    });
    const onReady = new events.Rule(this, 'OnDigestReady', { eventBus: bus, eventPattern: { source: [EVENT_SOURCE], detailType: [DIGEST_READY] } });
    const eventDlq = new Queue(this, 'EventDeadLetters', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    ack(eventDlq, 'SQS3', 'This is the dead-letter queue.');
    onReady.addTarget(new LambdaFunction(publish, { retryAttempts: 4, deadLetterQueue: eventDlq }));
    onReady.addTarget(new LambdaFunction(planSend, { retryAttempts: 4, deadLetterQueue: eventDlq }));
    // Once a day the planner also mails the weekly readers whose day it is (the seven days before).
    new events.Rule(this, 'WeeklyMail', {
      description: 'Paperboy: the weekly mail of the readers whose day it is',
      schedule: events.Schedule.cron({ minute: '0', hour: '12' }),
      targets: [new LambdaFunction(planSend, { retryAttempts: 4, deadLetterQueue: eventDlq })],
    });
    // The reputation rates are read back every hour too, so their alarms stay on while a rate is high.
    new events.Rule(this, 'ReputationHourly', {
      description: 'Paperboy: the rolling 24-hour bounce and complaint rates, every hour',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(bounces, { retryAttempts: 2 })],
    });
    // Late abstracts or translations: feeds and pages again, never the mail.
    const onUpdated = new events.Rule(this, 'OnDigestUpdated', { eventBus: bus, eventPattern: { source: [EVENT_SOURCE], detailType: [DIGEST_UPDATED] } });
    onUpdated.addTarget(new LambdaFunction(publish, { retryAttempts: 4, deadLetterQueue: eventDlq }));

    // Alarms ----------------------------------------------------------------------------------
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string, opts: Partial<cloudwatch.CreateAlarmOptions> = {}) =>
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
        ...opts,
      }).addAlarmAction(alarmAction);
    for (const [id, q] of [['SendDlqNotEmpty', sendDlq], ['EventDlqNotEmpty', eventDlq]] as const) {
      alarm(id, q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), `${q.node.id} has messages: work that failed every retry`);
    }
    for (const [name, f] of Object.entries(this.functions)) {
      if (f.deadLetterQueue) alarm(`${f.node.id}DlqNotEmpty`, f.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), `${name}: async invocations failed every retry`);
      alarm(`${f.node.id}Errors`, f.metricErrors({ period: Duration.minutes(5) }), `${name} threw`);
    }
    // arXiv announces nothing at weekends and on its holidays (the publisher skipped them too): only
    // four days in a row without a digest are worth a mail. Missing data (the function never ran) is
    // what the Errors alarms are for, so it does not count here.
    alarm('NoDigestIngested', new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName: 'DigestsIngested', statistic: 'Sum', period: Duration.days(1) }), 'No digest was ingested on 4 days in a row', {
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 4,
      datapointsToAlarm: 4,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Subscription bombing: the hour's confirmation budget ran out and mails were held back (README, "Security").
    alarm('ConfirmationsHeldBack', new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName: GUARD_METRICS['mail-held-back'], statistic: 'Sum', period: Duration.hours(1) }), 'The subscribe form reached its hourly confirmation budget (paperboy:confirmationMailsPerHour) and held mails back: likely bots submitting strangers’ addresses');
    // Reputation: rolling 24-hour rates from SES's events, and SES's own account-level figures, each well below SES's review levels (5 % bounces, 0.1 % complaints).
    const percent = (metricName: string) => new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName, statistic: 'Maximum', period: Duration.hours(1) });
    alarm('BounceRateHigh', percent(REPUTATION_METRICS.bounceRate), `Hard bounces over the last 24 hours exceed ${REPUTATION_ALARM_PERCENT.bounceRate} % of mails sent (SES reviews accounts at 5 %)`, { threshold: REPUTATION_ALARM_PERCENT.bounceRate });
    alarm('ComplaintRateHigh', percent(REPUTATION_METRICS.complaintRate), `Complaints over the last 24 hours exceed ${REPUTATION_ALARM_PERCENT.complaintRate} % of mails sent (SES reviews accounts at 0.1 %)`, { threshold: REPUTATION_ALARM_PERCENT.complaintRate });
    const sesReputation = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    alarm('SesAccountBounceRate', sesReputation('Reputation.BounceRate'), 'SES’s own bounce rate for the account is past half its review level', { threshold: 0.025 });
    alarm('SesAccountComplaintRate', sesReputation('Reputation.ComplaintRate'), 'SES’s own complaint rate for the account is past half its review level', { threshold: 0.0005 });
    // A confirmed subscriber record the planner could not read was left out of the day's mail (README, "Unreadable subscriber records").
    alarm('SubscriberRecordsUnreadable', new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName: PLAN_METRICS.unreadable, statistic: 'Maximum', period: Duration.hours(1) }), 'The planner left confirmed subscriber records out of a plan because this code cannot read them: the log line of PlanSend names each by fingerprint and says which field is wrong');
    alarm('SendFailures', new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, dimensionsMap: { service: SERVICE }, metricName: 'SendFailures', statistic: 'Sum', period: Duration.hours(1) }), 'SES refused mail or a send was left unconfirmed');

    // Least privilege, with the few wildcards CDK grants need, explained.
    const logicalId = (c: Construct) => this.getLogicalId(c.node.defaultChild as CfnElement);
    ack(this, 'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'AWSLambdaBasicExecutionRole only lets a function write its own logs.');
    ack(this, 'IAM5[Resource::*]', 'X-Ray tracing and the CDK bucket-notification helper need Resource "*"; neither reaches data.');
    for (const action of ['s3:List*', 's3:GetObject*', 's3:GetBucket*', 's3:DeleteObject*', 's3:Abort*']) {
      ack(this, `IAM5[Action::${action}]`, 'CDK bucket grants use these action families, scoped to this stack’s own buckets.');
    }
    const dataObjects = data instanceof s3.Bucket ? `<${logicalId(data)}.Arn>/*` : `arn:<AWS::Partition>:s3:::${config.existing.dataBucketName}/*`;
    ack(this, `IAM5[Resource::${dataObjects}]`, 'Object-level access to the data bucket: ingest writes raw and parsed digests, publish and the sender read them.');
    ack(this, `IAM5[Resource::${dataObjects.replace(/\/\*$/, '')}/${dataKeys.mailedDaysPrefix}*]`, 'The API reads one folder of the data bucket for personal feeds: the mailed days, named by date.');
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    ack(this, `IAM5[Resource::arn:<AWS::Partition>:ses:${region}:${account}:identity/*]`, 'In the SES sandbox SES checks the recipient identity too; the ses:FromAddress condition keeps the sender to the configured address.');
    ack(this, `IAM5[Resource::<${logicalId(site)}.Arn>/*]`, 'The publisher writes every object of the site bucket.');
    ack(this, `IAM5[Resource::<${logicalId(ingestScheduled)}.Arn>:*]`, 'The scheduler may invoke any version of the ingest function it targets.');
    ack(this, 'L1', 'CDK-managed helper functions use the runtime CDK picks.');

    this.giveHelperFunctionsLogRetention();

    new CfnOutput(this, 'SiteUrl', { value: publicUrl, description: 'Feeds, pages and the subscribe form (/api/subscribe)' });
    new CfnOutput(this, 'DataBucketName', { value: data.bucketName, description: 'Upload digests to incoming/ here' });
    new CfnOutput(this, 'SiteBucketName', { value: site.bucketName });
    new CfnOutput(this, 'PublishFunctionName', { value: publish.functionName, description: 'Invoke with {"rebuild": true} to rebuild every page' });
    new CfnOutput(this, 'BackfillCommand', { value: `npm run backfill -- --endpoint https://s3.${this.region}.amazonaws.com --bucket ${data.bucketName} --dir <folder>` });
    identity?.dkimRecords.forEach((r, i) => new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${r.name} CNAME ${r.value}`, description: 'Add to DNS so SES can sign mail' }));
    new CfnOutput(this, 'SendQueueDlq', { value: sendDlq.queueUrl });
    new CfnOutput(this, 'OriginSecretArn', { value: originSecret.secretArn, description: 'Rotate: put a new value, then cdk deploy -c paperboy:originSecretRotation=<n+1> (README, Security)' });
    if (ruleSet) new CfnOutput(this, 'InboundRuleSet', { value: ruleSet.receiptRuleSetName, description: 'Activate with aws ses set-active-receipt-rule-set --rule-set-name <this>; deactivate (same command, no name) before cdk destroy' });
    new CfnOutput(this, 'RetainedNames', {
      value: JSON.stringify({ 'paperboy:dataBucketName': data.bucketName, 'paperboy:subscribersTableName': subscribers.tableName, 'paperboy:deliveriesTableName': deliveries.tableName, 'paperboy:tokenSecretArn': tokenSecret.secretArn }),
      description: 'Kept by cdk destroy; pass these as context to redeploy onto the same data, subscribers and link key',
    });
  }

  /**
   * CDK's own helper functions (bucket notifications, auto-delete) have no log group of their own,
   * so Lambda would create one that never expires. Each gets one with the stack's retention, and the
   * custom resources that invoke them wait for it, so it exists before their first log line.
   */
  private giveHelperFunctionsLogRetention(): void {
    const all = this.node.findAll();
    const covered = new Set<string>();
    for (const c of all) {
      if (c instanceof CfnFunction && c.loggingConfig) covered.add(this.resolve((c as CfnResource).logicalId) as string);
      if (c instanceof CfnLogGroup) {
        const ref = /"Ref":"([^"]+)"/.exec(JSON.stringify(this.resolve(c.logGroupName) ?? ''));
        if (ref?.[1]) covered.add(ref[1]);
      }
    }
    const helpers = all.filter((c): c is CfnResource => c instanceof CfnResource && c.cfnResourceType === 'AWS::Lambda::Function' && !covered.has(this.resolve(c.logicalId) as string));
    const customResources = all.filter((c): c is CfnResource => c instanceof CfnResource && c.cfnResourceType.startsWith('Custom::'));
    for (const helper of helpers) {
      const group = new LogGroup(this, `${helper.node.path.replace(/[^A-Za-z0-9]/g, '')}Logs`, {
        logGroupName: Fn.join('', ['/aws/lambda/', helper.ref]),
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      for (const cr of customResources) cr.node.addDependency(group);
    }
  }
}
