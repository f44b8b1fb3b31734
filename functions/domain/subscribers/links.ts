import type { Preferences } from './subscriber.ts';
import { CONFIRM_TTL_SECONDS, PREFERENCES_TTL_SECONDS, readerKeyFor, signToken } from './tokens.ts';

export interface LinkConfig {
  /** Base URL of the subscription API (Function URL in AWS, the local server in npm start). */
  readonly apiUrl: string;
  readonly tokenSecret: string;
}

const base = (c: LinkConfig) => c.apiUrl.replace(/\/+$/, '');

/**
 * An unsubscribe token does one thing, for the address it was mailed to, whatever happened since
 * (a re-subscription, a new generation): the mailbox owner asked to leave (RFC 8058). It never
 * expires and opens no other page.
 */
export function unsubscribeToken(c: LinkConfig, email: string, generation: number): string {
  return signToken(c.tokenSecret, { p: 'unsubscribe', e: email, g: generation });
}

/** A confirmation link carries the choices it was sent with: confirming it subscribes to those, whatever was typed into the form since. */
export function confirmUrl(c: LinkConfig, email: string, generation: number, now: Date, chosen: Pick<Preferences, 'categories' | 'lang'>): string {
  const token = signToken(c.tokenSecret, { p: 'confirm', e: email, g: generation, x: Math.floor(now.getTime() / 1000) + CONFIRM_TTL_SECONDS, c: chosen.categories, l: chosen.lang });
  return `${base(c)}/confirm?token=${encodeURIComponent(token)}`;
}

export function unsubscribeUrl(c: LinkConfig, email: string, generation: number): string {
  return `${base(c)}/unsubscribe?token=${encodeURIComponent(unsubscribeToken(c, email, generation))}`;
}

export function preferencesUrl(c: LinkConfig, email: string, generation: number, now: Date): string {
  const token = signToken(c.tokenSecret, { p: 'manage', e: email, g: generation, x: Math.floor(now.getTime() / 1000) + PREFERENCES_TTL_SECONDS });
  return `${base(c)}/preferences?token=${encodeURIComponent(token)}`;
}

/** The one-click language link of a mail (the page it opens asks before it changes anything); `&lang=` is appended per language. */
export function languageUrl(c: LinkConfig, email: string, generation: number, now: Date): string {
  const token = signToken(c.tokenSecret, { p: 'manage', e: email, g: generation, x: Math.floor(now.getTime() / 1000) + PREFERENCES_TTL_SECONDS });
  return `${base(c)}/language?token=${encodeURIComponent(token)}`;
}

/**
 * A reader's private feed of what their mail selects: no expiry (feed readers poll for years), and
 * it stops working when their token generation changes (they unsubscribe, or an operator revokes)
 * or when they reset it from the preferences page (the feed generation).
 */
export function feedUrl(c: LinkConfig, email: string, generation: number, feedGeneration: number, format: 'rss' | 'atom'): string {
  return `${base(c)}/feed/${feedToken(c, email, generation, feedGeneration)}/${format}.xml`;
}

export function feedToken(c: LinkConfig, email: string, generation: number, feedGeneration: number): string {
  return signToken(c.tokenSecret, { p: 'feed', e: email, g: generation, f: feedGeneration });
}

/** The mailto form of List-Unsubscribe: a mail to the unsubscribe address whose subject carries the token. */
export function unsubscribeMailto(c: LinkConfig, address: string, email: string, generation: number): string {
  return `mailto:${address}?subject=${encodeURIComponent(`unsubscribe ${unsubscribeToken(c, email, generation)}`)}`;
}

/** The token from the subject of a mail sent through that link ("unsubscribe <token>", maybe with "Re:" or "Fwd:"). */
export function tokenFromUnsubscribeSubject(subject: string): string | null {
  return /(?:^|\s)unsubscribe\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/i.exec(subject)?.[1] ?? null;
}

/** The base of a mail's save and "not for me" links: the paths of `library/actions.ts` follow it. */
export function actionBaseUrl(c: LinkConfig, email: string): string {
  return `${base(c)}/p/${readerKeyFor(c.tokenSecret, email)}/`;
}

/** A reader's library page (saved papers, exports), opened with a preferences link's token. */
export function libraryUrl(c: LinkConfig, email: string, generation: number, now: Date): string {
  const token = signToken(c.tokenSecret, { p: 'manage', e: email, g: generation, x: Math.floor(now.getTime() / 1000) + PREFERENCES_TTL_SECONDS });
  return `${base(c)}/library?token=${encodeURIComponent(token)}`;
}
