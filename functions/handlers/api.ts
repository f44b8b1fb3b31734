import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { dynamoClient, sesClient, s3ClientFromEnv, ssmClient } from '../commons/aws-clients.ts';
import { lambdaEnv, requireEnv } from '../commons/lambda-env.ts';
import { feedDaysLoader } from '../app/subscription/feed-days.ts';
import { S3BlobStore } from '../storage/s3-blob-store.ts';
import { originSecrets, tokenSecret } from '../commons/secret.ts';
import { apiConfigFromEnv } from '../commons/sender-config.ts';
import { SesMailer } from '../messaging/ses-mailer.ts';
import { createApi } from '../app/subscription/api.ts';
import { DynamoSubscriberStore } from '../storage/subscriber-store.ts';
import { DynamoCounters } from '../storage/dynamo-counters.ts';
import { DynamoLibraryStore } from '../storage/library-store.ts';
import { arxivFromEnv } from '../commons/enrichment-config.ts';
import { emitMetric, logger } from '../commons/observability.ts';
import { GUARD_METRICS } from '../commons/metric-names.ts';

const dynamo = dynamoClient();
const store = new DynamoSubscriberStore(dynamo, requireEnv('SUBSCRIBERS_TABLE'));
const counters = new DynamoCounters(dynamo, requireEnv('LIMITS_TABLE'));
const library = new DynamoLibraryStore(dynamo, requireEnv('LIBRARY_TABLE'));
const data = new S3BlobStore(s3ClientFromEnv(), requireEnv('DATA_BUCKET'));
const feedDays = feedDaysLoader(data);

/**
 * Links in pages and mails must use the public URL. Without a custom domain that is CloudFront's,
 * which this function (an origin of the distribution) cannot be given at deploy time without a
 * dependency cycle, so the stack writes it to an SSM parameter read here once. Request headers are
 * never trusted for it: anyone can call the function URL with any Host.
 */
async function publicApiUrl(): Promise<string> {
  if (lambdaEnv.API_URL) return lambdaEnv.API_URL;
  const out = await ssmClient().send(new GetParameterCommand({ Name: requireEnv('PUBLIC_URL_PARAMETER') }));
  if (!out.Parameter?.Value) throw new Error('public URL parameter is empty');
  return `${out.Parameter.Value.replace(/\/+$/, '')}/api`;
}

const api = Promise.all([tokenSecret(), publicApiUrl()]).then(([secret, apiUrl]) => {
  const config = apiConfigFromEnv(secret, { ...process.env, API_URL: apiUrl });
  return createApi({
    store,
    counters,
    mailer: new SesMailer(sesClient(), config.from, lambdaEnv.SES_CONFIGURATION_SET),
    config,
    originSecrets: () => originSecrets(),
    onGuard: (event) => emitMetric(GUARD_METRICS[event], 1),
    feedDays,
    library,
    // Imported papers the recent mail does not hold are looked up on arXiv, politely (one request every 3 s).
    arxiv: arxivFromEnv(),
  });
});

/** Lambda Function URL → the subscription API. Paths arrive as `/api/...` behind CloudFront. */
export async function handler(event: LambdaFunctionURLEvent, context?: Context): Promise<LambdaFunctionURLResult> {
  if (context) logger.addContext(context);
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
