import type { SenderConfig } from '../domain/sending/send-batch.ts';
import type { ApiConfig } from '../domain/subscribers/api.ts';
import { requireEnv } from './clients.ts';

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
    subscribeLimitPerIpPerMinute: Number(env.SUBSCRIBE_LIMIT_PER_IP_PER_MINUTE ?? '10'),
  };
}
