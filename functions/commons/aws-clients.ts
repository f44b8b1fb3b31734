import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';

/** Endpoints can point at local emulators (tests of the built bundles do); in AWS they are unset. */
export const dynamoClient = (env: NodeJS.ProcessEnv = process.env) => new DynamoDBClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
export const sesClient = (env: NodeJS.ProcessEnv = process.env) => new SESClient(env.SES_ENDPOINT ? { endpoint: env.SES_ENDPOINT } : {});
