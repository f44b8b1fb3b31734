/**
 * The environment contract: every variable a Paperboy Lambda reads, in one list. The CDK stack sets
 * them through `LambdaEnv` (infra/constructs/functions.ts, edge.ts, paperboy-function.ts), the
 * handlers and settings read them through `LambdaEnv` and `requireEnv`, the bench and tests build
 * them with the same type: a name misspelt or dropped on either side fails `tsc`, not a cold start.
 */
export const LAMBDA_ENV_NAMES = [
  // Where things are (set by the stack from the resources it creates).
  'DATA_BUCKET',
  'SITE_BUCKET',
  'SUBSCRIBERS_TABLE',
  'DELIVERIES_TABLE',
  'LIMITS_TABLE',
  'LIBRARY_TABLE',
  'SEND_QUEUE_URL',
  'EVENT_BUS_NAME',
  'SITE_URL',
  'API_URL',
  'PUBLIC_URL_PARAMETER',
  // Secrets: by ARN in AWS, by value on a laptop (npm start, tests).
  'TOKEN_SECRET_ARN',
  'TOKEN_SECRET',
  'ORIGIN_SECRET_ARN',
  'ORIGIN_SECRET',
  // Mail.
  'SENDER_FROM',
  'SENDER_DOMAIN',
  'REPLY_TO',
  'POSTAL_ADDRESS',
  'SES_CONFIGURATION_SET',
  'INBOUND_UNSUBSCRIBE_ADDRESS',
  'SEND_MAX_AGE_DAYS',
  // Subscribe form limits and its proof of work.
  'SUBSCRIBE_PER_ADDRESS_PER_HOUR',
  'SUBSCRIBE_PER_NETWORK_PER_HOUR',
  'CONFIRMATION_MAILS_PER_HOUR',
  'ALTCHA_COST',
  'ALTCHA_COUNTER_MIN',
  'ALTCHA_COUNTER_MAX',
  'FORM_MIN_FILL_SECONDS',
  // Ingest and the producer.
  'SOURCE',
  'SOURCE_URL_TEMPLATE',
  'SOURCE_TIME_ZONE',
  'LOOKBACK_DAYS',
  /** Hours after an arXiv announcement within which its digest is expected (the DigestMissing alarm). */
  'DIGEST_GRACE_HOURS',
  /** In `both` mode: announcement days without the third-party digest before UpstreamQuiet fires. */
  'UPSTREAM_QUIET_DAYS',
  'INGEST_MAX_BYTES',
  'INGEST_MAX_PAPERS',
  'ARXIV_CATEGORIES',
  'ARXIV_CROSS_LISTS',
  'ARXIV_LISTING_URL',
  'ARXIV_API_URL',
  'ARXIV_ABSTRACTS',
  'TRANSLATE_PROVIDER',
  // Publish.
  'FEED_WINDOW_DAYS',
  'FEED_MAX_BYTES',
  'WEBSUB_HUB',
  'ALTCHA_ASSETS_DIR',
  'PAGEFIND_EXTENDED_BINARY_PATH',
  // The runtime and the laptop's emulators.
  'NODE_OPTIONS',
  'AWS_NODEJS_CONNECTION_REUSE_ENABLED',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'S3_ENDPOINT',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SES',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_EVENTBRIDGE',
] as const;

export type EnvName = (typeof LAMBDA_ENV_NAMES)[number];

/** Values by contract name; any further variable (the runtime's own) is allowed and ignored. */
export type LambdaEnv = { readonly [K in EnvName]?: string | undefined };

/** This container's environment, read through the contract. */
export const lambdaEnv: LambdaEnv = process.env;

/** A setting the function cannot run without: a missing one fails the cold start by name. */
export function requireEnv(name: EnvName, env: LambdaEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** A whole number from the environment, or the default when unset; anything else stops the container with the variable's name. */
export function wholeNumberEnv(name: EnvName, fallback: number, env: LambdaEnv = process.env, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`environment variable ${name} is ${JSON.stringify(raw)}, not a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  return n;
}
