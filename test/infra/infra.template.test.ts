import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../infra/config.ts';
import { PaperboyStack } from '../../infra/paperboy-stack.ts';

const CONTEXT = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

function synth(extra: Record<string, unknown> = {}, nag = false): { app: App; stack: PaperboyStack } {
  // Only the template is inspected here; the bundles are built and run in infra.bundles.test.ts.
  const app = new App({ context: { ...CONTEXT, ...extra, 'aws:cdk:bundling-stacks': [] } });
  const config = readConfig((k) => app.node.tryGetContext(k));
  const stack = new PaperboyStack(app, 'Paperboy', { config, env: { account: '123456789012', region: 'eu-west-1' } });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

let t: Template;
beforeAll(() => {
  t = Template.fromStack(synth().stack);
});

const fnEnv = (name: string) => {
  const fns = t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(name) } });
  const [only] = Object.values(fns) as { Properties: { Environment: { Variables: Record<string, unknown> } } }[];
  if (!only) throw new Error(`no function described ${name}`);
  return only.Properties.Environment.Variables;
};

describe('the synthesized template', () => {
  it('has private, encrypted, TLS-only buckets; the data bucket versioned with a lifecycle for old versions', () => {
    const buckets = t.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(3);
    for (const b of Object.values(buckets) as { Properties: Record<string, unknown> }[]) {
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(b.Properties.BucketEncryption).toBeDefined();
    }
    t.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })]) },
    });
    t.resourcePropertiesCountIs('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } }, 3);
  });

  it('serves the site bucket through CloudFront with origin access control, /api/* from the function URL uncached, and personal feeds never kept at the edge', () => {
    t.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: [
          Match.objectLike({ PathPattern: '/api/feed/*', AllowedMethods: ['GET', 'HEAD'] }),
          Match.objectLike({ PathPattern: '/api/*', AllowedMethods: Match.arrayWith(['POST']) }),
        ],
      }),
    });
    // The feed's cache key is its URL alone (the token is in the path); the API answers it as private
    // data, and with a minimum TTL of 0 CloudFront stores nothing marked private: a reset or an
    // unsubscribe ends the feed at once, not an hour later.
    t.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MinTTL: 0,
        DefaultTTL: 0,
        MaxTTL: 300,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({ HeadersConfig: { HeaderBehavior: 'none' }, QueryStringsConfig: { QueryStringBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' } }),
      }),
    });
    t.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
  });

  it('answers the site, the API and personal feeds with HSTS, no framing, nosniff and no referrer', () => {
    const policies = t.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const [id, policy] = Object.entries(policies)[0] ?? [];
    expect(Object.keys(policies)).toHaveLength(1);
    expect((policy as { Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: unknown } } }).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 730 * 86_400, IncludeSubdomains: true, Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      ContentSecurityPolicy: { ContentSecurityPolicy: "frame-ancestors 'none'", Override: false },
    });
    const config = (Object.values(t.findResources('AWS::CloudFront::Distribution'))[0] as { Properties: { DistributionConfig: { DefaultCacheBehavior: { ResponseHeadersPolicyId: unknown }; CacheBehaviors: { PathPattern: string; ResponseHeadersPolicyId: unknown }[] } } }).Properties.DistributionConfig;
    const ref = { Ref: id };
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(ref);
    for (const b of config.CacheBehaviors) expect(b.ResponseHeadersPolicyId, b.PathPattern).toEqual(ref);
  });

  it('runs every function on Node.js 22, ARM64, with a dead-letter queue', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs22.x' } })) as { Properties: Record<string, unknown> }[];
    expect(fns).toHaveLength(8); // 9 with paperboy:inboundUnsubscribe
    for (const f of fns) {
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.DeadLetterConfig).toBeDefined();
    }
  });

  it('sets each environment variable where its grant is', () => {
    expect(Object.keys(fnEnv('Fetches the day')).sort()).toEqual(['ARXIV_ABSTRACTS', 'ARXIV_CATEGORIES', 'ARXIV_CROSS_LISTS', 'AWS_NODEJS_CONNECTION_REUSE_ENABLED', 'DATA_BUCKET', 'DIGEST_GRACE_HOURS', 'EVENT_BUS_NAME', 'LOOKBACK_DAYS', 'NODE_OPTIONS', 'SOURCE', 'SOURCE_TIME_ZONE', 'SOURCE_URL_TEMPLATE', 'TRANSLATE_PROVIDER']);
    expect(fnEnv('Fetches the day')).toMatchObject({ ARXIV_ABSTRACTS: 'on', TRANSLATE_PROVIDER: 'off' });
    // Translation is off by default: no function may call Amazon Translate.
    expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain('translate:TranslateText');
    // The sample configuration produces its own digest; the URL template is read only for `url` and `both`.
    expect(fnEnv('Fetches the day')).toMatchObject({ SOURCE: CONTEXT['paperboy:source'], SOURCE_URL_TEMPLATE: '' });
    // No reserved concurrency anywhere: a new account's quota (10) cannot spare any, and CloudFormation
    // refuses the stack. Overlapping publishes are kept safe by the manifest's conditional write instead.
    expect(JSON.stringify(t.toJSON())).not.toContain('ReservedConcurrentExecutions');
    expect(fnEnv('Rebuilds feeds')).toMatchObject({ FEED_WINDOW_DAYS: '14', FEED_MAX_BYTES: '1500000', SITE_URL: expect.anything() });
    expect(Object.keys(fnEnv('Renders and sends'))).toEqual(expect.arrayContaining(['SUBSCRIBERS_TABLE', 'DELIVERIES_TABLE', 'DATA_BUCKET', 'TOKEN_SECRET_ARN', 'SENDER_FROM', 'SES_CONFIGURATION_SET', 'SITE_URL', 'API_URL']));
    expect(Object.keys(fnEnv('Subscription API'))).toEqual(expect.arrayContaining(['SUBSCRIBERS_TABLE', 'TOKEN_SECRET_ARN', 'PUBLIC_URL_PARAMETER']));
    // The sender may send mail and read the secret; the feed publisher may do neither.
    const policies = t.findResources('AWS::IAM::Policy');
    const statementsOf = (roleFragment: string) =>
      JSON.stringify(Object.values(policies).filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleFragment)));
    expect(statementsOf('SendBatchServiceRole')).toContain('ses:SendRawEmail');
    expect(statementsOf('SendBatchServiceRole')).toContain('secretsmanager:GetSecretValue');
    expect(statementsOf('PublishServiceRole')).not.toContain('ses:SendRawEmail');
    expect(statementsOf('PublishServiceRole')).not.toContain('secretsmanager');
    expect(statementsOf('PublishServiceRole')).toContain('s3:PutObject');
  });

  it('translation under a context flag: Amazon Translate granted to the ingest functions only, cdk-nag clean', () => {
    const { app, stack } = synth({ 'paperboy:translate': 'amazon-translate' }, true);
    const template = Template.fromStack(stack);
    const env = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('Fetches the day') } }))[0] as { Properties: { Environment: { Variables: Record<string, string> } } };
    expect(env.Properties.Environment.Variables.TRANSLATE_PROVIDER).toBe('amazon-translate');
    const granted = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p).includes('translate:TranslateText'))
      .map((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles));
    expect(granted).toHaveLength(2);
    expect(granted.join()).toMatch(/IngestScheduled.*IngestUpload|IngestUpload.*IngestScheduled/);
    const errors = app.synth().stacks[0]?.messages.filter((m) => m.level === 'error') ?? [];
    expect(errors.map((e) => e.entry.data)).toEqual([]);
    expect(() => synth({ 'paperboy:translate': 'deepl' })).toThrow(/paperboy:translate: "deepl" is not "off" or "amazon-translate"/);
  });

  it('sends DigestUpdated (late abstracts) to the publisher and not to the send planner', () => {
    const rules = Object.values(t.findResources('AWS::Events::Rule')) as { Properties: { EventPattern?: { 'detail-type'?: string[] }; Targets?: unknown[] } }[];
    const updated = rules.find((r) => r.Properties.EventPattern?.['detail-type']?.includes('DigestUpdated'));
    expect(updated?.Properties.Targets).toHaveLength(1);
    expect(JSON.stringify(updated?.Properties.Targets)).toContain('Publish');
  });

  it('wires the schedule, the upload trigger and DigestReady to the publisher and the send planner', () => {
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(30 8-23/3 * * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai' });
    // The producer also runs 20 minutes after each arXiv announcement, in New York time (issue 32.1).
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(20 20 ? * SUN-THU *)', ScheduleExpressionTimezone: 'America/New_York' });
    expect(Object.keys(Template.fromStack(synth({ 'paperboy:source': 'url' }).stack).findResources('AWS::Scheduler::Schedule'))).toHaveLength(1);
    t.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { LambdaFunctionConfigurations: [Match.objectLike({ Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } } })] },
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['paperboy.ingest'], 'detail-type': ['DigestReady'] },
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Publish'), 'Arn'] } }), Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlanSend'), 'Arn'] } })]),
    });
  });

  it('feeds the sender from SQS with partial batch failures, a DLQ after 5 tries, and concurrency from the SES rate', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 2 } });
    t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() }, VisibilityTimeout: 1800 });
    const fast = Template.fromStack(synth({ 'paperboy:sesMaxSendRate': 200 }).stack);
    fast.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 25 } });
  });

  it('routes SES bounces and complaints to the bounce handler, and keeps the token secret in Secrets Manager', () => {
    t.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', { EventDestination: Match.objectLike({ MatchingEventTypes: ['bounce', 'complaint'], SnsDestination: Match.anyValue() }) });
    t.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'news.example.org' });
    t.resourceCountIs('AWS::SNS::Subscription', 2); // bounces and complaints → Bounces; sends → Reconcile
    // …and the rolling rates are read every hour, not only when a bounce comes in.
    const bouncesFn = Object.keys(t.findResources('AWS::Lambda::Function')).find((id) => id.startsWith('Bounces'));
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)', Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [bouncesFn, 'Arn'] } })] });
    // The link key, and the origin secret CloudFront sends to the API.
    t.resourceCountIs('AWS::SecretsManager::Secret', 2);
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'date', KeyType: 'HASH' }, { AttributeName: 'email', KeyType: 'RANGE' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('lets the API be reached only through CloudFront, with the viewer address forwarded and limits shared in DynamoDB', () => {
    const dist = JSON.stringify(t.findResources('AWS::CloudFront::Distribution'));
    // The origin secret reaches CloudFront as a dynamic reference, resolved at deploy: never in the template.
    expect(dist).toMatch(/"HeaderName":"x-paperboy-origin","HeaderValue":\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"OriginSecret[A-Z0-9]+"\},":SecretString:::\}\}"\]\]\}/);
    expect(dist).toContain('"HeaderName":"x-paperboy-origin-rotation","HeaderValue":"0"');
    t.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({ HeadersConfig: { HeaderBehavior: 'whitelist', Headers: Match.arrayWith(['CloudFront-Viewer-Address', 'Content-Type']) } }),
    });
    // Host must not be forwarded: a Function URL answers only to its own.
    expect(JSON.stringify(t.findResources('AWS::CloudFront::OriginRequestPolicy'))).not.toMatch(/"Host"/i);
    const api = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: 'Subscription API and pages' } }))[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(Object.keys(api.Properties.Environment.Variables)).toEqual(expect.arrayContaining(['ORIGIN_SECRET_ARN', 'LIMITS_TABLE', 'CONFIRMATION_MAILS_PER_HOUR', 'SUBSCRIBE_PER_ADDRESS_PER_HOUR', 'SUBSCRIBE_PER_NETWORK_PER_HOUR', 'ALTCHA_COST']));
    expect(api.Properties.Environment.Variables.CONFIRMATION_MAILS_PER_HOUR).toBe('30');
    t.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }], TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    // Unconfirmed addresses expire from the subscribers table.
    t.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    const tight = Template.fromStack(synth({ 'paperboy:confirmationMailsPerHour': 5, 'paperboy:originSecretRotation': 3 }).stack);
    expect(JSON.stringify(tight.findResources('AWS::CloudFront::Distribution'))).toContain('"HeaderName":"x-paperboy-origin-rotation","HeaderValue":"3"');
    expect(JSON.stringify(tight.findResources('AWS::Lambda::Function'))).toContain('"CONFIRMATION_MAILS_PER_HOUR":"5"');
    expect(() => synth({ 'paperboy:confirmationMailsPerHour': 2.5 })).toThrow(/paperboy:confirmationMailsPerHour: 2.5 is not a whole number/);
  });

  it('alarms when the confirmation budget holds mail back and when bounce or complaint rates climb', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> }[];
    const by = (metric: string) => alarms.find((a) => a.Properties.MetricName === metric)?.Properties;
    expect(by('ConfirmationsHeldBack')).toMatchObject({ Namespace: 'Paperboy', Statistic: 'Sum', Period: 3600, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(by('BounceRate24h')).toMatchObject({ Namespace: 'Paperboy', Threshold: 1.7, ComparisonOperator: 'GreaterThanThreshold' });
    expect(by('ComplaintRate24h')).toMatchObject({ Namespace: 'Paperboy', Threshold: 0.05 });
    // SES's own account figures, as fractions: half its review levels.
    expect(by('Reputation.BounceRate')).toMatchObject({ Namespace: 'AWS/SES', Threshold: 0.025 });
    expect(by('Reputation.ComplaintRate')).toMatchObject({ Namespace: 'AWS/SES', Threshold: 0.0005 });
    for (const metric of ['ConfirmationsHeldBack', 'BounceRate24h', 'ComplaintRate24h', 'Reputation.BounceRate', 'Reputation.ComplaintRate']) expect(by(metric)?.AlarmActions).toHaveLength(1);
  });

  it('alarms when the planner leaves an unreadable subscriber record out of a plan', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> }[];
    const unreadable = alarms.find((a) => a.Properties.MetricName === 'SubscriberRecordsUnreadable')?.Properties;
    expect(unreadable).toMatchObject({ Namespace: 'Paperboy', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Period: 3600 });
    expect(unreadable?.AlarmActions).toHaveLength(1);
  });

  it('alarms on dead letters, function errors, a day without a digest and send failures', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> }[];
    const by = (metric: string) => alarms.filter((a) => a.Properties.MetricName === metric);
    expect(by('ApproximateNumberOfMessagesVisible')).toHaveLength(10);
    expect(by('Errors')).toHaveLength(8);
    // Weekends and arXiv's holidays have no digest: four empty days in a row, not one, are worth a mail.
    // A missing digest alarms within a run of the 3-hourly ingest and clears by itself (issue 32.2); the 4-day NoDigestIngested is gone.
    expect(by('DigestMissing')[0]?.Properties).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, Period: 10800, Statistic: 'Maximum', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    expect(by('DigestsIngested')).toEqual([]);
    expect(by('SendFailures')).toHaveLength(1);
    // Powertools Metrics always adds the service dimension: the alarms select it, or they would watch an empty metric.
    for (const name of ['SendFailures', 'DigestMissing']) expect(by(name)[0]?.Properties).toMatchObject({ Namespace: 'Paperboy', Dimensions: [{ Name: 'service', Value: 'paperboy' }] });
    // The producer's feeds (arxiv mode, the default here): ListingStale; UpstreamQuiet only where a third party is configured beside it.
    expect(by('ListingStale')[0]?.Properties).toMatchObject({ Namespace: 'Paperboy', Threshold: 0, Period: 10800, Statistic: 'Maximum', TreatMissingData: 'notBreaching', Dimensions: [{ Name: 'service', Value: 'paperboy' }] });
    expect(by('UpstreamQuiet')).toEqual([]);
    const both = Object.values(Template.fromStack(synth({ 'paperboy:source': 'both', 'paperboy:upstreamQuietDays': 4, 'paperboy:digestGraceHours': 5 }).stack).findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> }[];
    const quiet = both.find((a) => a.Properties.MetricName === 'UpstreamQuiet')?.Properties;
    expect(quiet).toMatchObject({ Namespace: 'Paperboy', Threshold: 0, Period: 10800, Statistic: 'Maximum' });
    expect(String(quiet?.AlarmDescription)).toContain('none of the last 4 arXiv announcement days');
    expect(String(both.find((a) => a.Properties.MetricName === 'DigestMissing')?.Properties.AlarmDescription)).toContain('5 h after');
    // The third party alone keeps its own hours: no arXiv feed is read, so no ListingStale.
    const urlOnly = Object.values(Template.fromStack(synth({ 'paperboy:source': 'url' }).stack).findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> }[];
    expect(urlOnly.filter((a) => ['ListingStale', 'UpstreamQuiet'].includes(String(a.Properties.MetricName)))).toEqual([]);
    for (const a of alarms) expect(a.Properties.AlarmActions).toBeDefined();
    const withEmail = Template.fromStack(synth({ 'paperboy:alarmEmail': 'ops@example.org' }).stack);
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('finds nothing that is not acknowledged in code with a reason', () => {
    const { app } = synth({}, true);
    const assembly = app.synth();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { conclusion: string; violations: { ruleName: string; violatingConstructs: unknown[] }[]; suppressedViolations?: { ruleName: string; reason?: string }[] }[];
    };
    const nag = report.pluginReports.find((r) => r.violations !== undefined);
    expect(nag?.conclusion).toBe('success');
    const open = (nag?.violations ?? []).filter((v) => v.violatingConstructs.length > 0).map((v) => v.ruleName);
    expect(open).toEqual([]);
  });
});

describe('configuration', () => {
  it('says everything that is missing or wrong, and what to set', () => {
    let error: unknown;
    try {
      readConfig((k) => ({ 'paperboy:sourceUrlTemplate': 'ftp://x/{yyyy}', 'paperboy:senderAddress': 'digest@other.org', 'paperboy:senderDomain': 'news.example.org', 'paperboy:scheduleTimeZone': 'Mars/Olympus', 'paperboy:feedWindowDays': 'lots' })[k]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('paperboy:sourceUrlTemplate must start with http:// or https://');
    expect(problems).toContain('paperboy:senderAddress must be an address at paperboy:senderDomain');
    expect(problems).toContain('paperboy:postalAddress: not set');
    expect(problems).toContain('paperboy:scheduleTimeZone: "Mars/Olympus" is not an IANA time zone');
    expect(problems).toContain('paperboy:feedWindowDays: "lots" is not a number');
    expect((error as Error).message).toContain('-c key=value');
  });

  it('runs on its own producer with no URL template, for the arXiv categories named', () => {
    const base = { 'paperboy:senderAddress': 'd@news.example.org', 'paperboy:senderDomain': 'news.example.org', 'paperboy:postalAddress': 'x' };
    const config = readConfig((k) => ({ ...base, 'paperboy:source': 'arxiv', 'paperboy:arxivCategories': 'cs.CV, eess.IV', 'paperboy:arxivCrossLists': true } as Record<string, unknown>)[k]);
    expect(config).toMatchObject({ source: 'arxiv', sourceUrlTemplate: '', arxivCategories: ['cs.CV', 'eess.IV'], arxivCrossLists: true });
    expect(readConfig((k) => ({ ...base, 'paperboy:sourceUrlTemplate': 'https://x/{yyyy}/{mm}/{dd}.md' } as Record<string, unknown>)[k])).toMatchObject({ source: 'url', arxivCategories: ['cs.CV'], arxivCrossLists: false });
    let error: unknown;
    try {
      readConfig((k) => ({ ...base, 'paperboy:source': 'rss', 'paperboy:arxivCategories': 'computer vision' } as Record<string, unknown>)[k]);
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('paperboy:source: "rss" is not "url", "arxiv" or "both"');
    expect(problems).toContain('paperboy:arxivCategories: "computer vision" is not an arXiv category');
    const { stack } = synth({ 'paperboy:source': 'arxiv' });
    const env = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find((r) => JSON.stringify(r).includes('produces it from arXiv')) as { Properties: { Environment: { Variables: Record<string, string> } } };
    expect(env.Properties.Environment.Variables).toMatchObject({ SOURCE: 'arxiv', ARXIV_CATEGORIES: 'cs.CV', ARXIV_CROSS_LISTS: 'false' });
  });
});

describe('operating on a real account', () => {
  const policiesOf = (tpl: Template, role: string) => Object.values(tpl.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(role)).map((p) => JSON.stringify(p)).join();

  it('sends in the SES sandbox too: SendRawEmail on any identity of the account, only From the configured address', () => {
    const sendStatements = Object.values(t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] } } }).Properties.PolicyDocument.Statement)
      .filter((st) => [st.Action].flat().includes('ses:SendRawEmail'));
    expect(sendStatements.length).toBe(2); // the API (confirmations) and the sender (newsletters)
    for (const st of sendStatements) {
      expect(JSON.stringify(st.Resource)).toContain(':identity/*');
      expect(st.Condition).toEqual({ StringEquals: { 'ses:FromAddress': CONTEXT['paperboy:senderAddress'] } });
    }
  });

  it('lets CloudWatch publish to the alarm topic, from this account only', () => {
    const policies = JSON.stringify(t.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toContain('cloudwatch.amazonaws.com');
    expect(policies).toContain('aws:SourceAccount');
    expect(policies).toContain('CloudWatchAlarmsPublish');
  });

  it('receives no mail unless asked: no rule set, no inbound function, no mailto advertised', () => {
    t.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    expect(fnEnv('Renders and sends').INBOUND_UNSUBSCRIBE_ADDRESS).toBeUndefined();
    const on = Template.fromStack(synth({ 'paperboy:inboundUnsubscribe': true }).stack);
    on.hasResourceProperties('AWS::SES::ReceiptRule', { Rule: Match.objectLike({ Recipients: ['unsubscribe@news.example.org'], ScanEnabled: true, Actions: [Match.objectLike({ LambdaAction: Match.anyValue() })] }) });
    // Every rule waits for the Lambda permissions SES checks when it creates the rule.
    const permissions = Object.keys(on.findResources('AWS::Lambda::Permission'));
    for (const rule of Object.values(on.findResources('AWS::SES::ReceiptRule')) as { DependsOn?: string[] }[]) {
      expect((rule.DependsOn ?? []).filter((d) => permissions.includes(d)).length).toBeGreaterThan(0);
    }
    const sender = Object.values(on.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('Renders and sends') } }))[0] as { Properties: { Environment: { Variables: Record<string, string> } } };
    expect(sender.Properties.Environment.Variables.INBOUND_UNSUBSCRIBE_ADDRESS).toBe('unsubscribe@news.example.org');
  });

  it('keeps the link key with the data on destroy, and a redeploy attaches what was kept', () => {
    const secrets = t.findResources('AWS::SecretsManager::Secret') as Record<string, { DeletionPolicy?: string }>;
    const policy = (resources: Record<string, { DeletionPolicy?: string }>, prefix: string) => Object.entries(resources).filter(([id]) => id.startsWith(prefix)).map(([, r]) => r.DeletionPolicy);
    expect(policy(secrets, 'TokenSecret')).toEqual(['Retain']);
    // The origin secret and the hourly counters are rebuilt by a redeploy: nothing in them outlives a stack.
    expect(policy(secrets, 'OriginSecret')).toEqual(['Delete']);
    const tables = t.findResources('AWS::DynamoDB::Table') as Record<string, { DeletionPolicy?: string }>;
    expect([...policy(tables, 'Subscribers'), ...policy(tables, 'Deliveries'), ...policy(tables, 'Library')]).toEqual(['Retain', 'Retain', 'Retain']);
    expect(policy(tables, 'Limits')).toEqual(['Delete']);
    const outputs = JSON.stringify(t.toJSON().Outputs);
    expect(outputs).toContain('RetainedNames');

    const kept = {
      'paperboy:dataBucketName': 'paperboy-data-kept',
      'paperboy:subscribersTableName': 'Paperboy-Subscribers-KEPT',
      'paperboy:deliveriesTableName': 'Paperboy-Deliveries-KEPT',
      'paperboy:libraryTableName': 'Paperboy-Library-KEPT',
      'paperboy:tokenSecretArn': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:PaperboyTokenSecret-AbC123',
      'paperboy:sesIdentityExists': true,
    };
    const again = Template.fromStack(synth(kept).stack);
    again.resourceCountIs('AWS::DynamoDB::Table', 1); // the limits table only
    again.resourceCountIs('AWS::SecretsManager::Secret', 1); // the origin secret only
    again.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(Object.keys(again.findResources('AWS::S3::Bucket')).some((id) => id.startsWith('Data'))).toBe(false);
    const policies = policiesOf(again, 'SendBatch');
    expect(policies).toContain('Paperboy-Subscribers-KEPT');
    expect(policies).toContain('Paperboy-Library-KEPT');
    expect(policies).toContain('PaperboyTokenSecret-AbC123');
    expect(JSON.stringify(again.toJSON())).toContain('paperboy-data-kept');
  });

  it('gives every function, CDK helpers included, a log group that expires', () => {
    for (const tpl of [t, Template.fromStack(synth({ 'paperboy:inboundUnsubscribe': true }).stack)]) {
      const groups = tpl.findResources('AWS::Logs::LogGroup') as Record<string, { Properties: { RetentionInDays?: number; LogGroupName?: unknown } }>;
      const functions = tpl.findResources('AWS::Lambda::Function') as Record<string, { Properties: { LoggingConfig?: { LogGroup?: { Ref?: string } } } }>;
      for (const [id, f] of Object.entries(functions)) {
        const own = f.Properties.LoggingConfig?.LogGroup?.Ref;
        const named = Object.entries(groups).find(([, g]) => JSON.stringify(g.Properties.LogGroupName ?? '').includes(`"Ref":"${id}"`))?.[0];
        const group = groups[own ?? named ?? ''];
        expect(group, `${id} has no log group of its own`).toBeDefined();
        expect(group?.Properties.RetentionInDays ?? 0, id).toBeGreaterThan(0);
      }
    }
  });

  it('refuses a custom-domain certificate outside us-east-1 at synth', () => {
    expect(() => synth({ 'paperboy:siteDomain': 'digest.example.org', 'paperboy:certificateArn': 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' })).toThrow(/not an ACM certificate in us-east-1/);
  });
});
