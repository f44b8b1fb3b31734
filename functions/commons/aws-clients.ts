import type { LambdaEnv } from './lambda-env.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * The AWS clients of a Lambda container, one module: built once per container by the handler
 * modules. esbuild bundles only the clients a handler uses (the SDK's packages are side-effect
 * free): the publish bundle has no DynamoDB or SES code, byte for byte as before this module.
 */

// Endpoints follow the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables, which the bundle tests point
// at local emulators; in AWS they are unset.
export const dynamoClient = () => new DynamoDBClient({});
export const sesClient = () => new SESClient({});
export const sqsClient = () => new SQSClient({});
export const eventBridgeClient = () => new EventBridgeClient({});
export const ssmClient = () => new SSMClient({});
export const secretsClient = () => new SecretsManagerClient({});

/**
 * One S3 client per Lambda container. `S3_ENDPOINT` points it at a local emulator; the checksum
 * settings keep the SDK from sending aws-chunked trailers that emulators do not speak.
 */
export function s3ClientFromEnv(env: LambdaEnv = process.env): S3Client {
  const config: S3ClientConfig = {};
  if (env.S3_ENDPOINT) {
    Object.assign(config, {
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: true,
      region: env.AWS_REGION ?? 'us-east-1',
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'S3RVER', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'S3RVER' },
    });
  }
  return new S3Client(config);
}
