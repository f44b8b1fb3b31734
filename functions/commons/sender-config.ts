import type { SenderConfig } from '../domain/sending/sender-config.ts';
import { DEFAULT_PROOF } from '../domain/abuse/human-proof.ts';
import { DEFAULT_SUBSCRIBE_LIMITS } from '../domain/abuse/subscribe-limits.ts';
import type { ApiConfig } from '../domain/subscribers/api-config.ts';
import { requireEnv } from './env.ts';

/** Mail settings, set by the CDK stack from the operator's configuration. */
export function senderConfigFromEnv(secret: string, env: NodeJS.ProcessEnv = process.env): SenderConfig {
  const domain = requireEnv('SENDER_DOMAIN', env);
  const configurationSet = env.SES_CONFIGURATION_SET;
  return {
    apiUrl: requireEnv('API_URL', env),
    tokenSecret: secret,
    from: requireEnv('SENDER_FROM', env),
    domain,
    ...(env.INBOUND_UNSUBSCRIBE_ADDRESS ? { unsubscribeAddress: env.INBOUND_UNSUBSCRIBE_ADDRESS } : {}),
    listId: `Paperboy daily <daily.${domain}>`,
    ...(configurationSet ? { configurationSet } : {}),
    ...(env.REPLY_TO ? { replyTo: env.REPLY_TO } : {}),
  };
}

export function apiConfigFromEnv(secret: string, env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    apiUrl: requireEnv('API_URL', env),
    tokenSecret: secret,
    from: requireEnv('SENDER_FROM', env),
    postalAddress: requireEnv('POSTAL_ADDRESS', env),
    ...(env.REPLY_TO ? { replyTo: env.REPLY_TO } : {}),
    limits: {
      perAddressPerHour: count(env, 'SUBSCRIBE_PER_ADDRESS_PER_HOUR', DEFAULT_SUBSCRIBE_LIMITS.perAddressPerHour),
      perNetworkPerHour: count(env, 'SUBSCRIBE_PER_NETWORK_PER_HOUR', DEFAULT_SUBSCRIBE_LIMITS.perNetworkPerHour),
      mailsPerHour: count(env, 'CONFIRMATION_MAILS_PER_HOUR', DEFAULT_SUBSCRIBE_LIMITS.mailsPerHour),
    },
    proof: {
      cost: count(env, 'ALTCHA_COST', DEFAULT_PROOF.cost),
      counterMin: count(env, 'ALTCHA_COUNTER_MIN', DEFAULT_PROOF.counterMin),
      counterMax: count(env, 'ALTCHA_COUNTER_MAX', DEFAULT_PROOF.counterMax),
      minFillSeconds: count(env, 'FORM_MIN_FILL_SECONDS', DEFAULT_PROOF.minFillSeconds),
    },
  };
}

/** A whole number from the environment, or the default when unset; anything else stops the container with the variable's name. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`environment variable ${name} is ${JSON.stringify(raw)}, not a whole number`);
  return n;
}
