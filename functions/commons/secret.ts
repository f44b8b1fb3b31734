import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let cached: Promise<string> | null = null;

/** The token secret, read once per container: from Secrets Manager in AWS, from TOKEN_SECRET locally. */
export function tokenSecret(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.TOKEN_SECRET) return Promise.resolve(env.TOKEN_SECRET);
  cached ??= new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: env.TOKEN_SECRET_ARN })).then((out) => {
    if (!out.SecretString) throw new Error('token secret is empty');
    return out.SecretString;
  });
  return cached;
}
