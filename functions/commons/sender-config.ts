import type { SenderConfig } from '../domain/sending/sender-config.ts';
import { DEFAULT_PROOF } from '../domain/abuse/human-proof.ts';
import { DEFAULT_SUBSCRIBE_LIMITS } from '../domain/abuse/subscribe-limits.ts';
import type { ApiConfig } from '../domain/subscribers/api-config.ts';
import { requireEnv, wholeNumberEnv, type LambdaEnv } from './lambda-env.ts';

/** Mail settings, set by the CDK stack from the operator's configuration. */
export function senderConfigFromEnv(secret: string, env: LambdaEnv = process.env): SenderConfig {
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

export function apiConfigFromEnv(secret: string, env: LambdaEnv = process.env): ApiConfig {
  return {
    apiUrl: requireEnv('API_URL', env),
    tokenSecret: secret,
    from: requireEnv('SENDER_FROM', env),
    postalAddress: requireEnv('POSTAL_ADDRESS', env),
    ...(env.REPLY_TO ? { replyTo: env.REPLY_TO } : {}),
    limits: {
      perAddressPerHour: wholeNumberEnv('SUBSCRIBE_PER_ADDRESS_PER_HOUR', DEFAULT_SUBSCRIBE_LIMITS.perAddressPerHour, env),
      perNetworkPerHour: wholeNumberEnv('SUBSCRIBE_PER_NETWORK_PER_HOUR', DEFAULT_SUBSCRIBE_LIMITS.perNetworkPerHour, env),
      mailsPerHour: wholeNumberEnv('CONFIRMATION_MAILS_PER_HOUR', DEFAULT_SUBSCRIBE_LIMITS.mailsPerHour, env),
    },
    proof: {
      cost: wholeNumberEnv('ALTCHA_COST', DEFAULT_PROOF.cost, env),
      counterMin: wholeNumberEnv('ALTCHA_COUNTER_MIN', DEFAULT_PROOF.counterMin, env),
      counterMax: wholeNumberEnv('ALTCHA_COUNTER_MAX', DEFAULT_PROOF.counterMax, env),
      minFillSeconds: wholeNumberEnv('FORM_MIN_FILL_SECONDS', DEFAULT_PROOF.minFillSeconds, env),
    },
  };
}
