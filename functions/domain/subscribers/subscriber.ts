import { currentSlug } from '../legacy-slugs.ts';
import { NO_FILTERS, type Filters } from '../filters/filter-terms.ts';
import type { Lang } from '../language.ts';

export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'bounced' | 'complained';

export interface Preferences {
  readonly categories: 'all' | readonly string[];
  readonly lang: Lang;
  /** Keywords, exclusions and authors (the preferences page); absent in records written before filters existed. */
  readonly filters?: Filters;
  /** Papers mailed before (new versions, re-listings): under "Updated" at the end (the default), or left out. */
  readonly repeats?: 'updated' | 'omit';
  /** One mail a week on this ISO weekday (1 Monday … 7 Sunday) instead of one a day; null or absent: daily. */
  readonly weekly?: Weekday | null;
}

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * The shape of a stored record. 1: categories and language only (no `schema` attribute); 2: filters,
 * the choice for papers mailed before, and a weekly day (absent: daily).
 * Every write stores the current one; older records are read with the defaults of what they lack.
 */
export const SUBSCRIBER_SCHEMA = 2;

export interface Subscriber extends Preferences {
  readonly email: string;
  readonly status: SubscriberStatus;
  /** What the person asked for at subscription; becomes their preferences when they confirm. */
  readonly requested?: Preferences;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly confirmedAt?: string;
  /** Sealed into every link; bumping it (confirming, leaving, an operator's revocation) ends the preferences and feed links issued before. */
  readonly tokenGeneration: number;
  /**
   * Set when a weekly reader switches to daily: the days since their last weekly mail are mailed to
   * them once, by the next weekly run (each day's papers reach a reader exactly once); cleared then.
   */
  readonly catchUp?: boolean;
  /** Sealed into the personal feed URL; the preferences page's "new feed address" bumps it (absent: 0). */
  readonly feedGeneration?: number;
  /** When confirmation mails went out in the last day: the per-address limit against mail bombing. */
  readonly confirmationsSent: readonly string[];
  /**
   * Seconds since the epoch after which DynamoDB deletes the record (TTL): set while an address that
   * never confirmed waits for confirmation, so the addresses strangers typed into the form do not
   * stay. Records of anyone who ever confirmed keep their history (generation, suppression).
   */
  readonly expiresAt?: number;
  /** Optimistic-concurrency version: every write is conditional on it. */
  readonly version: number;
  /** The last operations applied, newest last (an audit trail, and how tests see lost updates). */
  readonly log: readonly { readonly at: string; readonly op: string }[];
  readonly schema?: number;
}

/** A record as stored, in the current shape: what a record of an older schema lacks gets its default. */
export function upgradeSubscriber(item: Subscriber): Subscriber {
  const categories = currentCategories(item.categories);
  if (item.schema === SUBSCRIBER_SCHEMA && item.filters && categories === item.categories) return item;
  if ((item.schema ?? 1) > SUBSCRIBER_SCHEMA) throw new Error(`subscriber record of ${item.email}: schema ${String(item.schema)} is newer than this code (${SUBSCRIBER_SCHEMA})`);
  return { ...item, categories, filters: item.filters ?? NO_FILTERS, repeats: item.repeats ?? 'updated', schema: SUBSCRIBER_SCHEMA };
}

/**
 * A reader's categories in the taxonomy: a slug Paperboy gave a name before the taxonomy (a feed of
 * its own) is the category that name is filed under now, once; the same list back when nothing changed.
 */
export function currentCategories(categories: Subscriber['categories']): Subscriber['categories'] {
  if (categories === 'all' || categories.every((c) => currentSlug(c) === c)) return categories;
  return [...new Set(categories.map(currentSlug))];
}

/** The filters a subscriber has, none for a record that never set any. */
export const filtersOf = (s: Pick<Subscriber, 'filters'>): Filters => s.filters ?? NO_FILTERS;

export const SUPPRESSED: readonly SubscriberStatus[] = ['bounced', 'complained'];
export const MAX_CONFIRMATIONS_PER_DAY = 3;
/** An address nobody confirmed is forgotten this long after its last subscribe request (longer than a confirm link lives). */
export const UNCONFIRMED_TTL_DAYS = 7;
const LOG_LENGTH = 50;

/** What a transition asks the caller to do besides storing the record. */
export type SideEffect = 'send-confirmation' | 'send-manage-link' | 'none';

export interface Transition {
  readonly next: Subscriber | null;
  readonly effect: SideEffect;
}

function logged(s: Omit<Subscriber, 'log' | 'version' | 'updatedAt'> & Partial<Subscriber>, prev: Subscriber | null, op: string, now: string): Subscriber {
  return { ...s, schema: SUBSCRIBER_SCHEMA, updatedAt: now, version: (prev?.version ?? 0) + 1, log: [...(prev?.log ?? []), { at: now, op }].slice(-LOG_LENGTH) } as Subscriber;
}

function recentConfirmations(prev: Subscriber | null, now: Date): string[] {
  const dayAgo = now.getTime() - 24 * 3600 * 1000;
  return (prev?.confirmationsSent ?? []).filter((t) => Date.parse(t) > dayAgo);
}

/**
 * A subscribe request. It never changes a confirmed subscriber's preferences (anyone can type an
 * address): a confirmed or suppressed address gets no state change, and the response the caller
 * gives is the same in every case.
 */
export function subscribe(prev: Subscriber | null, email: string, wanted: Preferences, now: Date): Transition {
  const at = now.toISOString();
  if (prev && SUPPRESSED.includes(prev.status)) return { next: null, effect: 'none' };
  const recent = recentConfirmations(prev, now);
  const canMail = recent.length < MAX_CONFIRMATIONS_PER_DAY;
  if (prev?.status === 'confirmed') {
    if (!canMail) return { next: null, effect: 'none' };
    return { next: logged({ ...prev, confirmationsSent: [...recent, at] }, prev, 'subscribe-again', at), effect: 'send-manage-link' };
  }
  const base = prev ?? { email, status: 'pending' as const, categories: wanted.categories, lang: wanted.lang, createdAt: at, tokenGeneration: 0, confirmationsSent: [] };
  const neverConfirmed = !prev || (prev.status === 'pending' && !prev.confirmedAt && prev.tokenGeneration === 0);
  return {
    next: logged(
      {
        ...base,
        status: 'pending',
        expiresAt: neverConfirmed ? Math.floor(now.getTime() / 1000) + UNCONFIRMED_TTL_DAYS * 86_400 : undefined,
        requested: wanted,
        confirmationsSent: canMail ? [...recent, at] : recent,
      },
      prev,
      'subscribe',
      at,
    ),
    effect: canMail ? 'send-confirmation' : 'none',
  };
}

/**
 * Confirming a pending address with the choices its confirmation link was sent with (`chosen`, from
 * the link): a stranger who types the address again with other choices changes nothing the real
 * person confirms. Only links sealed before links carried their choices fall back to `requested`.
 */
export function confirm(prev: Subscriber | null, generation: number, now: Date, chosen?: Pick<Preferences, 'categories' | 'lang'>): Transition {
  if (!prev || prev.tokenGeneration !== generation) return { next: null, effect: 'none' };
  if (prev.status === 'confirmed') return { next: null, effect: 'none' };
  if (prev.status !== 'pending') return { next: null, effect: 'none' };
  const at = now.toISOString();
  const prefs = chosen ?? prev.requested ?? prev;
  // A new generation: the confirmation link is spent, and nothing issued before this confirmation works.
  return { next: logged({ ...prev, status: 'confirmed', categories: prefs.categories, lang: prefs.lang, confirmedAt: at, requested: undefined, expiresAt: undefined, tokenGeneration: prev.tokenGeneration + 1 }, prev, 'confirm', at), effect: 'none' };
}

export function updatePreferences(prev: Subscriber | null, generation: number, prefs: Preferences, now: Date): Transition {
  if (!prev || prev.tokenGeneration !== generation || prev.status !== 'confirmed') return { next: null, effect: 'none' };
  const at = now.toISOString();
  const weekly = prefs.weekly === undefined ? prev.weekly : prefs.weekly;
  // Weekly → daily: the days since the last weekly mail are still owed (a daily plan may already have run today).
  const catchUp = weekly ? undefined : prev.weekly ? true : prev.catchUp;
  return { next: logged({ ...prev, categories: prefs.categories, lang: prefs.lang, filters: prefs.filters ?? filtersOf(prev), repeats: prefs.repeats ?? prev.repeats ?? 'updated', weekly, catchUp }, prev, 'preferences', at), effect: 'none' };
}

/** The days owed after a switch to daily were mailed (or there were none). */
export function caughtUp(prev: Subscriber | null, now: Date): Transition {
  if (!prev?.catchUp) return { next: null, effect: 'none' };
  return { next: logged({ ...prev, catchUp: undefined }, prev, 'caught-up', now.toISOString()), effect: 'none' };
}

/** A new personal feed URL: the old one stops working (it may have been shared or leaked). */
export function resetFeed(prev: Subscriber | null, generation: number, now: Date): Transition {
  if (!prev || prev.tokenGeneration !== generation || prev.status !== 'confirmed') return { next: null, effect: 'none' };
  const at = now.toISOString();
  return { next: logged({ ...prev, feedGeneration: (prev.feedGeneration ?? 0) + 1 }, prev, 'reset-feed', at), effect: 'none' };
}

/**
 * Leaving. `generation` null: the link of any mail ever sent to the address (unsubscribe links do
 * not depend on the generation); a number: only while the generation matches (an operator's tools).
 */
export function unsubscribe(prev: Subscriber | null, generation: number | null, now: Date): Transition {
  if (!prev || (generation !== null && prev.tokenGeneration !== generation)) return { next: null, effect: 'none' };
  // Already gone or suppressed: nothing changes, and the caller says so.
  if (prev.status === 'unsubscribed' || SUPPRESSED.includes(prev.status)) return { next: null, effect: 'none' };
  const at = now.toISOString();
  // A new generation: the unsubscribe and preferences links of every earlier mail stop working, also after a re-subscription.
  return { next: logged({ ...prev, status: 'unsubscribed', requested: undefined, tokenGeneration: prev.tokenGeneration + 1 }, prev, 'unsubscribe', at), effect: 'none' };
}

export function suppress(prev: Subscriber | null, reason: 'bounced' | 'complained', now: Date): Transition {
  if (!prev || prev.status === reason) return { next: null, effect: 'none' };
  const at = now.toISOString();
  return { next: logged({ ...prev, status: reason }, prev, reason, at), effect: 'none' };
}
