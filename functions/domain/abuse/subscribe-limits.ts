import { clientNetwork } from './client-network.ts';
import { hourOf, secondsAtHour, type Counters } from './counters.ts';

/** How much the public subscribe form may do, per hour (operator settings: infra/config.ts). */
export interface SubscribeLimits {
  /** Subscribe requests with a valid proof one client address may make. 0: no limit. */
  readonly perAddressPerHour: number;
  /** The same for a client's network (/24 or /64). 0: no limit. */
  readonly perNetworkPerHour: number;
  /**
   * Confirmation and manage-link mails sent across all addresses: the bound on how much mail
   * strangers can make Paperboy send to people who never asked. 0: no limit.
   */
  readonly mailsPerHour: number;
}

export const DEFAULT_SUBSCRIBE_LIMITS: SubscribeLimits = { perAddressPerHour: 10, perNetworkPerHour: 30, mailsPerHour: 30 };

/** Counters live for their hour and one more (DynamoDB deletes expired items lazily; the key names the hour anyway). */
const expiryOf = (hour: number) => secondsAtHour(hour + 2);

export type LimitVerdict = 'ok' | 'address' | 'network';

/** Counts one request against its client address and network; says which limit it broke, if any. */
export async function takeClientAllowance(counters: Counters, limits: SubscribeLimits, address: string, now: Date): Promise<LimitVerdict> {
  const hour = hourOf(now);
  if (limits.perAddressPerHour > 0 && !(await counters.takeBelow(`subscribe-address#${address}#${hour}`, limits.perAddressPerHour, expiryOf(hour)))) return 'address';
  const network = clientNetwork(address);
  if (network && limits.perNetworkPerHour > 0 && !(await counters.takeBelow(`subscribe-network#${network}#${hour}`, limits.perNetworkPerHour, expiryOf(hour)))) return 'network';
  return 'ok';
}

/**
 * Takes one mail from this hour's budget. Requests that came without JavaScript (a signed form
 * token rather than a solved ALTCHA challenge, and so cheaper for a bot to fake) may use at most
 * half of it, so a flood through that path cannot starve readers who solve the challenge.
 */
export async function takeMailBudget(counters: Counters, limits: SubscribeLimits, path: 'altcha' | 'form', now: Date): Promise<boolean> {
  if (limits.mailsPerHour <= 0) return true;
  const hour = hourOf(now);
  if (path === 'form' && !(await counters.takeBelow(`mail-budget-form#${hour}`, Math.ceil(limits.mailsPerHour / 2), expiryOf(hour)))) return false;
  return counters.takeBelow(`mail-budget#${hour}`, limits.mailsPerHour, expiryOf(hour));
}
