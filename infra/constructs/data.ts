import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { DELIVERIES_TABLE, LIBRARY_TABLE, LIMITS_TABLE, SUBSCRIBERS_TABLE } from '../../functions/storage/tables.ts';
import type { PaperboyConfig } from '../config.ts';
import { ack } from './ack.ts';
import type { PaperboyStack } from '../paperboy-stack.ts';

/** Buckets, tables, secrets and the event bus: what holds Paperboy's data. Kept on destroy where losing it would lose readers. */
export function dataResources(stack: PaperboyStack, config: PaperboyConfig) {
  const logs = new s3.Bucket(stack, 'AccessLogs', {
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
  const data: s3.IBucket = config.existing.dataBucketName ? s3.Bucket.fromBucketName(stack, 'Data', config.existing.dataBucketName) : new s3.Bucket(stack, 'Data', {
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

  const site = new s3.Bucket(stack, 'Site', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'site/',
    // Everything in it is rebuilt from the data bucket, so `cdk destroy` may empty and remove it.
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });

  const subscribers: dynamodb.ITable = config.existing.subscribersTableName ? dynamodb.Table.fromTableName(stack, 'Subscribers', config.existing.subscribersTableName) : new dynamodb.Table(stack, 'Subscribers', {
    partitionKey: { name: SUBSCRIBERS_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    // Addresses typed into the form and never confirmed are deleted a week after (subscriber.ts).
    timeToLiveAttribute: SUBSCRIBERS_TABLE.expiresAttribute,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // The subscribe form's hourly counters, spent proofs and the SES event tallies: all short-lived.
  const limits = new dynamodb.Table(stack, 'Limits', {
    partitionKey: { name: LIMITS_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: LIMITS_TABLE.expiresAttribute,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  ack(limits, 'DDB3', 'Hourly counters that expire within a day: nothing to recover to a point in time.');
  const deliveries: dynamodb.ITable = config.existing.deliveriesTableName ? dynamodb.Table.fromTableName(stack, 'Deliveries', config.existing.deliveriesTableName) : new dynamodb.Table(stack, 'Deliveries', {
    partitionKey: { name: DELIVERIES_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: DELIVERIES_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    // Ledger rows only matter while a day can still be re-sent; they expire after 90 days.
    timeToLiveAttribute: DELIVERIES_TABLE.expiresAttribute,
    removalPolicy: RemovalPolicy.RETAIN,
  });

  // Readers' libraries, their ranking models and their save links' keys: what readers built by clicking, kept like the subscribers.
  const library: dynamodb.ITable = config.existing.libraryTableName ? dynamodb.Table.fromTableName(stack, 'Library', config.existing.libraryTableName) : new dynamodb.Table(stack, 'Library', {
    partitionKey: { name: LIBRARY_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: RemovalPolicy.RETAIN,
  });

  // Kept on destroy, like the tables: a new key would break every link in mail already delivered.
  const tokenSecret: ISecret = config.existing.tokenSecretArn
    ? Secret.fromSecretCompleteArn(stack, 'TokenSecret', config.existing.tokenSecretArn)
    : new Secret(stack, 'TokenSecret', {
        description: 'HMAC key for Paperboy confirmation, preferences and unsubscribe links',
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
  if (tokenSecret instanceof Secret) ack(tokenSecret, 'SMG4', 'Rotating the link-signing key would break every unsubscribe link in mail already delivered.');
  // CloudFront sends this with every request to the API function, which refuses requests without it:
  // the Function URL cannot be called past CloudFront. Rotated by hand (README, "Security").
  const originSecret = new Secret(stack, 'OriginSecret', {
    description: 'Header value CloudFront adds to requests for the Paperboy API; the function refuses requests without it',
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  ack(originSecret, 'SMG4', 'Rotation needs a CloudFront redeploy with the new value (README: put a new value, bump paperboy:originSecretRotation, cdk deploy); the function accepts the previous value meanwhile.');

  const bus = new events.EventBus(stack, 'Bus', { description: 'Paperboy stage events (DigestReady)' });
  return { logs, data, site, subscribers, limits, deliveries, library, tokenSecret, originSecret, bus };
}

export type DataResources = ReturnType<typeof dataResources>;
