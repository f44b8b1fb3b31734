import type { SenderConfig } from '../../domain/sending/sender-config.ts';
import { TAG_ATTEMPT, TAG_DAY } from '../../domain/sending/ses-events.ts';
import { randomUUID } from 'node:crypto';
import type { DeliveryLedger } from '../../domain/ports/delivery-ledger.ts';
import type { SubscriberStore } from '../../domain/ports/subscriber-store.ts';
import type { Edition } from '../../domain/newsletter/edition.ts';
import { buildMime, MimeArena } from '../../domain/newsletter/mime.ts';
import { personalise } from '../../domain/newsletter/personalise.ts';
import { feedUrl, languageUrl, preferencesUrl, unsubscribeMailto, unsubscribeUrl } from '../../domain/subscribers/links.ts';
import { UnreadableRecordError } from '../../domain/subscribers/read-record.ts';
import { caughtUp, filtersOf, type Subscriber } from '../../domain/subscribers/subscriber.ts';
import { isThrottling, type Mailer, type MessageTag } from '../../domain/ports/mailer.ts';
import type { SendBatch } from '../../domain/ports/batch-queue.ts';
import type { LibraryStore } from '../../domain/ports/library-store.ts';
import type { StoredRanking } from '../../domain/library/stored-ranking.ts';
import { readerKeyFor } from '../../domain/subscribers/tokens.ts';
import { actionBaseUrl } from '../../domain/subscribers/links.ts';
import { forYouOf, libraryChangesOf } from './for-you.ts';
import { recordLibraryNews } from './library-news.ts';
import type { SavedPaperChange } from '../../domain/newsletter/for-you-copy.ts';

export interface SenderDeps {
  readonly subscribers: SubscriberStore;
  readonly ledger: DeliveryLedger;
  readonly mailer: Mailer;
  readonly edition: (batch: SendBatch) => Promise<Edition>;
  readonly config: SenderConfig;
  /** Readers' models ("For you") and the keys of their save links; absent: mails without either. */
  readonly library?: LibraryStore;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Stop claiming new recipients when this says so (Lambda time running out); the batch is retried. */
  readonly shouldStop?: () => boolean;
  readonly retry?: { readonly attempts: number; readonly baseMs: number; readonly capMs: number };
  /**
   * A claim left `sending` this long, with no Send event from SES to confirm it, is taken to have
   * never reached SES and is sent again. SES publishes Send events within seconds; the default
   * leaves minutes, and stays under the queue's visibility timeout, so the first redelivery of a
   * dead sender's batch finds it stale.
   */
  readonly staleClaimMs?: number;
}

export const DEFAULT_STALE_CLAIM_MS = 10 * 60_000;
/** A paper mailed to a reader this many days before is not shown to them as new again. */
export const REPEAT_WINDOW_DAYS = 30;

export interface BatchResult {
  sent: number;
  alreadySent: number;
  skipped: number;
  suppressed: number;
  failed: number;
}

/** The batch must be delivered again: throttling outlasted the back-off, or time ran out. Claims were released. */
export class RetryBatchError extends Error {
  constructor(
    message: string,
    readonly partial: BatchResult,
  ) {
    super(message);
    this.name = 'RetryBatchError';
  }
}

const DEFAULT_RETRY = { attempts: 6, baseMs: 200, capMs: 5000 };

/**
 * Sends one batch. For each subscriber: re-read their record (they may have left since planning),
 * claim the day's ledger row, render, send with back-off on throttling, record the outcome.
 */
export async function sendBatch(deps: SenderDeps, batch: SendBatch): Promise<BatchResult> {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retry = deps.retry ?? DEFAULT_RETRY;
  const result: BatchResult = { sent: 0, alreadySent: 0, skipped: 0, suppressed: 0, failed: 0 };
  const edition = await deps.edition(batch);
  const attempt = randomUUID();
  const staleClaimMs = deps.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS;
  /** Claims another attempt still holds, young enough that its mail may be on its way: retried later. */
  let inFlight = 0;
  // Messages are built and sent one at a time: each is built into the memory of the one before.
  const arena = new MimeArena();
  // One read each for the batch: whose save-link key is registered, and who has a model.
  const keyOf = new Map(batch.emails.map((e) => [e, readerKeyFor(deps.config.tokenSecret, e)]));
  const knownKeys = deps.library ? await deps.library.knownKeys([...keyOf.values()]) : new Set<string>();
  const rankings = deps.library ? await deps.library.rankings(batch.emails) : new Map<string, StoredRanking>();

  for (const email of batch.emails) {
    if (deps.shouldStop?.()) throw new RetryBatchError('out of time; the rest of the batch is left for redelivery', result);
    // A record this code cannot read fails its reader alone (ledger row `failed`, with the reason), never the batch.
    let sub: Subscriber | null = null;
    let unreadable: string | null = null;
    try {
      sub = await deps.subscribers.get(email);
    } catch (err) {
      if (!(err instanceof UnreadableRecordError)) throw err;
      unreadable = err.message;
    }
    const existing = await deps.ledger.claim(batch.run, email, attempt, now());
    if (existing) {
      if (existing.status === 'sending') {
        // A sender died between its claim and its record. Had SES taken the mail, its Send event
        // would have marked the row sent by now; a stale claim is taken over and sent, a young
        // one is left to its sender (or to the event) and looked at again on redelivery.
        const olderThan = new Date(now().getTime() - staleClaimMs);
        if (!(await deps.ledger.reclaim(batch.run, email, existing.attempt, attempt, olderThan, now()))) {
          inFlight++;
          continue;
        }
      } else {
        if (existing.status === 'sent') result.alreadySent++;
        else if (existing.status === 'skipped') result.skipped++;
        else result.failed++;
        continue;
      }
    }
    if (unreadable) {
      await deps.ledger.complete(batch.run, email, attempt, { status: 'failed', reason: unreadable }, now());
      result.failed++;
      continue;
    }
    if (!sub || sub.status !== 'confirmed') {
      await deps.ledger.complete(batch.run, email, attempt, { status: 'skipped', reason: `suppressed: ${sub?.status ?? 'gone'}` }, now());
      result.suppressed++;
      continue;
    }
    const history = await historyFor(deps, batch, sub);
    const key = keyOf.get(email)!;
    // A mail's save links work once their key names the reader: registered before the first mail that carries it.
    if (deps.library && !knownKeys.has(key)) {
      await deps.library.registerKeys([{ key, email }]);
      knownKeys.add(key);
    }
    const built = renderFor(deps.config, edition, sub, history, now(), arena, deps.library ? rankings.get(email) ?? null : undefined);
    if (built.kind !== 'mail') {
      // Rendering is deterministic: a record that cannot be rendered fails the same way on every retry, so it is recorded, not retried.
      await deps.ledger.complete(batch.run, email, attempt, { status: built.kind, reason: built.reason }, now());
      if (built.kind === 'failed') result.failed++;
      else {
        result.skipped++;
        await settleCatchUp(deps, batch, sub, now());
      }
      continue;
    }
    const { mime, newIds, libraryChanges } = built;
    const tags = [
      { name: TAG_DAY, value: batch.run },
      { name: TAG_ATTEMPT, value: attempt },
    ];
    const outcome = await sendWithBackoff(deps.mailer, mime, email, tags, retry, sleep);
    if (outcome.kind === 'throttled') {
      await deps.ledger.release(batch.run, email, attempt);
      throw new RetryBatchError(`SES kept throttling after ${retry.attempts} attempts`, result);
    }
    // Outside any catch: if recording fails after SES accepted the mail, the claim stays and the
    // batch is retried, and the retry finds the claim instead of sending a second copy.
    if (outcome.kind === 'sent') {
      await deps.ledger.complete(batch.run, email, attempt, { status: 'sent', messageId: outcome.messageId, ids: newIds }, now());
      result.sent++;
      await settleCatchUp(deps, batch, sub, now());
      if (deps.library && libraryChanges.size) {
        // The mail is sent and recorded: a failure here costs only a repeat of the news in a later mail, never a second mail.
        await recordLibraryNews(deps.library, email, libraryChanges, edition, rankings.get(email), now()).catch((err: unknown) =>
          console.warn(JSON.stringify({ msg: `library news for one reader of ${batch.run} not recorded; a later mail may tell it again`, error: String(err) })),
        );
      }
    } else {
      await deps.ledger.complete(batch.run, email, attempt, { status: 'failed', reason: outcome.reason }, now());
      result.failed++;
    }
  }
  if (inFlight > 0) throw new RetryBatchError(`${inFlight} recipient(s) claimed by another attempt that has not finished; the batch comes back after the visibility timeout`, result);
  return result;
}

const isWeeklyRun = (batch: SendBatch) => batch.editionKey !== undefined;

/** After a weekly run's row is recorded: the days owed since a switch to daily were mailed (or there were none), so no more are. */
async function settleCatchUp(deps: SenderDeps, batch: SendBatch, sub: Subscriber, at: Date): Promise<void> {
  if (sub.catchUp && isWeeklyRun(batch)) await deps.subscribers.apply(sub.email, (prev) => caughtUp(prev, at));
}

/**
 * What a reader was mailed before, and how the mail treats it. A weekly mail leaves out entirely
 * what the reader already got in that week (they switched from daily, or are owed days after a
 * switch to daily): each day's papers reach a reader exactly once. Otherwise papers mailed in the
 * last 30 days follow the reader's choice (under "Updated", or left out).
 */
async function historyFor(deps: SenderDeps, batch: SendBatch, sub: Subscriber): Promise<{ seen: ReadonlySet<string>; repeats: 'updated' | 'omit' }> {
  const seen = await deps.ledger.mailedBefore(sub.email, batch.run, REPEAT_WINDOW_DAYS);
  const repeats = sub.repeats ?? 'updated';
  if (!isWeeklyRun(batch)) return { seen, repeats };
  // A weekly reader's own last weekly mail covered the week before this one; an owed reader's counts too.
  const thisWeek = await deps.ledger.mailedBefore(sub.email, batch.run, 7, sub.catchUp ? 'all' : 'daily');
  return thisWeek.size > 0 ? { seen: new Set([...seen, ...thisWeek]), repeats: 'omit' } : { seen, repeats };
}

type Rendered = { kind: 'mail'; mime: Buffer; newIds: readonly string[]; libraryChanges: ReadonlyMap<string, SavedPaperChange> } | { kind: 'skipped' | 'failed'; reason: string };

/** One reader's message, or why there is none: nothing to send (skipped), or a record that cannot be rendered (failed). */
/** `ranking` undefined: no library here (no save links); null: the reader has no model. */
function renderFor(config: SenderConfig, edition: Edition, sub: Subscriber, { seen, repeats }: { seen: ReadonlySet<string>; repeats: 'updated' | 'omit' }, at: Date, arena: MimeArena, ranking?: StoredRanking | null): Rendered {
  const email = sub.email;
  try {
    const recipient = {
      email,
      lang: sub.lang,
      categories: sub.categories,
      filters: filtersOf(sub),
      seen,
      repeats,
      unsubscribeUrl: unsubscribeUrl(config, email, sub.tokenGeneration),
      preferencesUrl: preferencesUrl(config, email, sub.tokenGeneration, at),
      languageUrl: languageUrl(config, email, sub.tokenGeneration, at),
      feedUrl: feedUrl(config, email, sub.tokenGeneration, sub.feedGeneration ?? 0, 'rss'),
      ...(ranking !== undefined ? { actionUrl: actionBaseUrl(config, email) } : {}),
      ...(ranking ? { forYou: forYouOf(edition, ranking), libraryChanges: libraryChangesOf(edition, ranking) } : {}),
    };
    const personal = personalise(edition, recipient);
    if (!personal.send) return { kind: 'skipped', reason: personal.reason };
    const mime = buildMime(
      personal.message,
      {
        from: config.from,
        to: email,
        // The edition's own day: a weekly run's key is not a date.
        date: edition.date,
        domain: config.domain,
        unsubscribeUrl: recipient.unsubscribeUrl,
        ...(config.unsubscribeAddress ? { unsubscribeMailto: unsubscribeMailto(config, config.unsubscribeAddress, email, sub.tokenGeneration) } : {}),
        listId: config.listId,
        ...(config.replyTo ? { replyTo: config.replyTo } : {}),
        ...(config.configurationSet ? { configurationSet: config.configurationSet } : {}),
      },
      arena,
    );
    return { kind: 'mail', mime, newIds: personal.message.newIds, libraryChanges: recipient.libraryChanges ?? new Map() };
  } catch (err) {
    return { kind: 'failed', reason: `could not render this reader's mail: ${(err as Error).message.slice(0, 300)}` };
  }
}

type SendOutcome = { kind: 'sent'; messageId: string } | { kind: 'throttled' } | { kind: 'rejected'; reason: string };

async function sendWithBackoff(mailer: Mailer, mime: Buffer, to: string, tags: readonly MessageTag[], retry: { attempts: number; baseMs: number; capMs: number }, sleep: (ms: number) => Promise<void>): Promise<SendOutcome> {
  for (let i = 1; ; i++) {
    try {
      return { kind: 'sent', messageId: await mailer.sendRaw(mime, to, tags) };
    } catch (err) {
      if (!isThrottling(err)) return { kind: 'rejected', reason: (err as Error).message.slice(0, 500) };
      if (i >= retry.attempts) return { kind: 'throttled' };
      // Full jitter: concurrent senders spread out instead of retrying in step.
      await sleep(Math.random() * Math.min(retry.capMs, retry.baseMs * 2 ** i));
    }
  }
}

export interface DaySummary {
  readonly sent: number;
  readonly skipped: number;
  readonly suppressed: number;
  readonly failed: number;
  /** Claimed but never completed: a sender died while handing the mail to SES. Not resent (it may have gone). */
  readonly unconfirmed: number;
}

export function summariseDay(rows: readonly { status: string; reason?: string }[]): DaySummary {
  return {
    sent: rows.filter((r) => r.status === 'sent').length,
    skipped: rows.filter((r) => r.status === 'skipped' && !r.reason?.startsWith('suppressed')).length,
    suppressed: rows.filter((r) => r.status === 'skipped' && r.reason?.startsWith('suppressed')).length,
    failed: rows.filter((r) => r.status === 'failed').length,
    unconfirmed: rows.filter((r) => r.status === 'sending').length,
  };
}
