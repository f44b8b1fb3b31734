import { createHash } from 'node:crypto';
import { clientNetwork, wideNetwork } from './client-network.ts';
import { hourOf, secondsAtHour } from './counters.ts';
import { type Counters } from '../ports/counters.ts';

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
  /** Confirmation or manage-link mails one mailbox gets a day, however its address is spelt. 0: no limit; absent: MAILS_PER_MAILBOX_PER_DAY. */
  readonly perMailboxPerDay?: number;
}

export const DEFAULT_SUBSCRIBE_LIMITS: SubscribeLimits = { perAddressPerHour: 10, perNetworkPerHour: 30, mailsPerHour: 30 };

/**
 * The share of the hour's mail budget one network may take: a /24 or a /64 a tenth, the wider
 * network around it (a /16, a /48: one provider's block, one site) a quarter. An attacker who owns
 * one network can then hold back at most these shares, and everyone else still subscribes.
 */
export const NETWORK_SHARE = 0.1;
export const WIDE_NETWORK_SHARE = 0.25;
/** Confirmation or manage-link mails one mailbox gets in a day, however its address is spelt (plus tags, Gmail dots). */
export const MAILS_PER_MAILBOX_PER_DAY = 3;

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

const shareOf = (budget: number, share: number) => Math.max(1, Math.floor(budget * share));
/** Counter keys never hold an address: a keyed hash names the mailbox. */
const mailboxKey = (mailbox: string) => createHash('sha256').update(`paperboy-mailbox:${mailbox}`).digest('base64url').slice(0, 22);

export type MailVerdict = 'ok' | 'mailbox' | 'network' | 'budget';

/**
 * Everything a request that would mail someone must pass, cheapest to widest: the mailbox's daily
 * allowance, its network's share of the hour, then the hour's budget (`takeMailBudget`).
 */
export async function takeMailAllowance(counters: Counters, limits: SubscribeLimits, request: { readonly path: 'altcha' | 'form'; readonly client: string; readonly mailbox: string }, now: Date): Promise<MailVerdict> {
  const hour = hourOf(now);
  const day = Math.floor(hour / 24);
  const perMailbox = limits.perMailboxPerDay ?? MAILS_PER_MAILBOX_PER_DAY;
  if (perMailbox > 0 && !(await counters.takeBelow(`mailbox#${mailboxKey(request.mailbox)}#${day}`, perMailbox, secondsAtHour((day + 2) * 24)))) return 'mailbox';
  if (limits.mailsPerHour > 0) {
    const network = clientNetwork(request.client);
    const wide = wideNetwork(request.client);
    if (network && !(await counters.takeBelow(`mail-share#${network}#${hour}`, shareOf(limits.mailsPerHour, NETWORK_SHARE), expiryOf(hour)))) return 'network';
    if (wide && !(await counters.takeBelow(`mail-share#${wide}#${hour}`, shareOf(limits.mailsPerHour, WIDE_NETWORK_SHARE), expiryOf(hour)))) return 'network';
  }
  return (await takeMailBudget(counters, limits, request.path, now)) ? 'ok' : 'budget';
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
