import type { LambdaEnv } from './lambda-env.ts';
import { secretsClient } from './aws-clients.ts';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

let cached: Promise<string> | null = null;

/** The token secret, read once per container: from Secrets Manager in AWS, from TOKEN_SECRET locally. */
export function tokenSecret(env: LambdaEnv = process.env): Promise<string> {
  if (env.TOKEN_SECRET) return Promise.resolve(env.TOKEN_SECRET);
  cached ??= secretsClient().send(new GetSecretValueCommand({ SecretId: env.TOKEN_SECRET_ARN })).then((out) => {
    if (!out.SecretString) throw new Error('token secret is empty');
    return out.SecretString;
  });
  return cached;
}

/** How long a container trusts the origin secrets it read: after a rotation, old containers learn the new one within this. */
const ORIGIN_SECRET_CACHE_MS = 5 * 60_000;
let originCache: { at: number; values: Promise<readonly string[]> } | null = null;

/**
 * The origin secrets CloudFront may send: AWSCURRENT, and AWSPREVIOUS while a rotation waits for the
 * distribution to be redeployed with the new value (README: rotating the origin secret). Locally
 * (the bundle tests) ORIGIN_SECRET.
 */
export function originSecrets(env: LambdaEnv = process.env, now = Date.now()): Promise<readonly string[]> {
  if (env.ORIGIN_SECRET) return Promise.resolve([env.ORIGIN_SECRET]);
  if (originCache && now - originCache.at < ORIGIN_SECRET_CACHE_MS) return originCache.values;
  const client = secretsClient();
  const stage = (VersionStage: string) =>
    client.send(new GetSecretValueCommand({ SecretId: env.ORIGIN_SECRET_ARN, VersionStage })).then(
      (out) => out.SecretString ?? '',
      (err: Error) => {
        // A secret never rotated has no AWSPREVIOUS.
        if (VersionStage === 'AWSPREVIOUS' && err.name === 'ResourceNotFoundException') return '';
        throw err;
      },
    );
  const values = Promise.all([stage('AWSCURRENT'), stage('AWSPREVIOUS')]).then((v) => v.filter((s) => s !== ''));
  originCache = { at: now, values };
  // A failed read is not cached: the next request tries again.
  values.catch(() => {
    if (originCache?.values === values) originCache = null;
  });
  return values;
}
