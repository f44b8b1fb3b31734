import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { dynamoClient, sesClient } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/clients.ts';
import { tokenSecret } from '../commons/secret.ts';
import { apiConfigFromEnv } from '../commons/sender-config.ts';
import { SesMailer } from '../commons/ses-mailer.ts';
import { createApi } from '../domain/subscribers/api.ts';
import { DynamoSubscriberStore } from '../storage/subscriber-store.ts';

const store = new DynamoSubscriberStore(dynamoClient(), requireEnv('SUBSCRIBERS_TABLE'));
const api = tokenSecret().then((secret) => {
  const config = apiConfigFromEnv(secret);
  return createApi({ store, mailer: new SesMailer(sesClient(), config.from, process.env.SES_CONFIGURATION_SET), config });
});

/** Lambda Function URL → the subscription API. Paths arrive as `/api/...` behind CloudFront. */
export async function handler(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  const res = await (await api)({
    method: event.requestContext.http.method,
    path: event.rawPath.replace(/^\/api(?=\/)/, ''),
    query: new URLSearchParams(event.rawQueryString),
    headers: event.headers,
    body,
    ip: event.requestContext.http.sourceIp,
  });
  return { statusCode: res.status, headers: res.headers, body: res.body };
}
