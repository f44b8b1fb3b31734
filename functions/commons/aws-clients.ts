import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';

// Endpoints follow the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables, which the bundle tests point
// at local emulators; in AWS they are unset.
export const dynamoClient = () => new DynamoDBClient({});
export const sesClient = () => new SESClient({});
