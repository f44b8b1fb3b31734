import { dataKeys } from '../functions/domain/storage-layout.ts';
import { CfnOutput, CfnResource, Fn, RemovalPolicy, Stack, Token, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { PaperboyConfig } from './config.ts';
import { PaperboyFunction } from './paperboy-function.ts';
import { ack } from './constructs/ack.ts';
import { alarmTopicFor } from './constructs/alarm-topic.ts';
import { alarmResources } from './constructs/alarms.ts';
import { dataResources } from './constructs/data.ts';
import { edgeResources } from './constructs/edge.ts';
import { functionResources } from './constructs/functions.ts';
import { mailResources } from './constructs/mail.ts';
import { scheduleResources } from './constructs/schedules.ts';

export interface PaperboyStackProps extends StackProps {
  readonly config: PaperboyConfig;
}

/**
 * The whole pipeline: ingest (schedule + upload) → DigestReady → publish (feeds, pages) and send
 * planner → SQS → senders → SES, with the subscription API behind the same CloudFront distribution.
 */
export class PaperboyStack extends Stack {
  readonly functions: Record<string, PaperboyFunction> = {};

  constructor(scope: Construct, id: string, props: PaperboyStackProps) {
    super(scope, id, props);
    const { config } = props;

    // Each part creates its resources with the stack as their scope, so logical IDs stay as they were
    // when this was one constructor (test/infra/infra.logical-ids.test.ts holds them).
    const parts = dataResources(this, config);
    const { data, site, subscribers, deliveries, library, tokenSecret, originSecret } = parts;
    const alarmAction = alarmTopicFor(this, config);
    const mail = mailResources(this, config);
    const { identity } = mail;
    const fns = functionResources(this, config, parts, mail);
    const { ingestScheduled, publish, sendDlq, ruleSet } = fns;
    const { publicUrl } = edgeResources(this, config, parts, fns);
    alarmResources(this, alarmAction, fns, scheduleResources(this, config, parts, fns), config);

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
      value: JSON.stringify({ 'paperboy:dataBucketName': data.bucketName, 'paperboy:subscribersTableName': subscribers.tableName, 'paperboy:deliveriesTableName': deliveries.tableName, 'paperboy:libraryTableName': library.tableName, 'paperboy:tokenSecretArn': tokenSecret.secretArn }),
      description: 'Kept by cdk destroy; pass these as context to redeploy onto the same data, subscribers, libraries and link key',
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
