import type { BatchQueue, SendBatch } from '../../domain/ports/batch-queue.ts';
import type { SubscriberStore } from '../../domain/ports/subscriber-store.ts';
import type { UnreadableRecord } from '../../domain/subscribers/read-record.ts';
import { categoriesKey } from '../../domain/newsletter/reader-view.ts';
import { isoWeekday } from '../../domain/sending/week.ts';
import { dailyRun, weeklyRun } from '../../domain/sending/run-key.ts';

export const DEFAULT_BATCH_SIZE = 50;

export interface PlanDeps {
  readonly subscribers: Pick<SubscriberStore, 'listConfirmed'>;
  readonly queue: BatchQueue;
  /** Told of each confirmed record the planner had to leave out (by fingerprint, never the address). */
  readonly onUnreadable?: (records: readonly UnreadableRecord[]) => void;
}

/**
 * Readers who get the same mail next to each other (language, then categories): a sender works a
 * mail's shape out once and keeps a bounded number of them, so batches of like readers reuse it.
 */
function inMailOrder<T extends { readonly email: string; readonly lang: string; readonly categories: 'all' | readonly string[] }>(readers: readonly T[]): T[] {
  const key = (r: T) => `${r.lang}|${categoriesKey(r.categories)}`;
  const keys = new Map(readers.map((r) => [r, key(r)]));
  return [...readers].sort((a, b) => (keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/**
 * DigestReady → batches of confirmed subscribers on the queue. Planning twice (a duplicate event, a
 * re-published day) only queues work the ledger will turn into "already sent".
 */
export async function planSend(deps: PlanDeps, day: { date: string; parsedKey: string }, batchSize = DEFAULT_BATCH_SIZE): Promise<{ recipients: number; batches: number; unreadable: number }> {
  const { readers, unreadable } = await deps.subscribers.listConfirmed();
  // A record this code cannot read is left out alone: every other reader is still mailed.
  deps.onUnreadable?.(unreadable);
  // Weekly readers get the week's mail on their day instead (planWeek).
  const daily = inMailOrder(readers.filter((s) => !s.weekly));
  const batches: SendBatch[] = [];
  for (let i = 0; i < daily.length; i += batchSize) batches.push({ run: dailyRun(day.date), parsedKey: day.parsedKey, emails: daily.slice(i, i + batchSize).map((s) => s.email) });
  await deps.queue.enqueue(batches);
  return { recipients: daily.length, batches: batches.length, unreadable: unreadable.length };
}

/**
 * The weekly mail of `date`: readers whose weekly day it is, in batches of the week's run. The
 * week's edition is prepared only when someone is to get it (most days no reader's day may come
 * round, and preparing reads seven days of digests), and before any batch can ask for it.
 */
export async function planWeek<W extends { readonly key: string }>(
  deps: PlanDeps,
  date: string,
  prepare: () => Promise<W | null>,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<{ recipients: number; batches: number; edition: W } | { recipients: 0; batches: 0; edition: null; why: string }> {
  const day = isoWeekday(date);
  const listed = await deps.subscribers.listConfirmed();
  deps.onUnreadable?.(listed.unreadable);
  // Readers whose weekly day it is, and daily readers still owed the days before their switch from weekly.
  const readers = inMailOrder(listed.readers.filter((s) => s.weekly === day || (!s.weekly && s.catchUp)));
  if (readers.length === 0) return { recipients: 0, batches: 0, edition: null, why: `no reader takes the weekly mail on weekday ${day}` };
  const edition = await prepare();
  if (!edition) return { recipients: 0, batches: 0, edition: null, why: 'no day was mailed in the week before' };
  const batches: SendBatch[] = [];
  for (let i = 0; i < readers.length; i += batchSize) batches.push({ run: weeklyRun(date), editionKey: edition.key, emails: readers.slice(i, i + batchSize).map((s) => s.email) });
  await deps.queue.enqueue(batches);
  return { recipients: readers.length, batches: batches.length, edition };
}

/** A day older than this is not mailed: backfilling last year must not send last year's newsletters. */
export const DEFAULT_SEND_MAX_AGE_DAYS = 3;

export type SendDecision = { readonly send: true } | { readonly send: false; readonly reason: string };

/** Whether a day that became ready should be mailed now. */
export function shouldMailDay(day: { date: string; papers: number }, now: Date, maxAgeDays = DEFAULT_SEND_MAX_AGE_DAYS): SendDecision {
  if (day.papers === 0) return { send: false, reason: `no papers on ${day.date}` };
  const ageDays = Math.floor((now.getTime() - Date.parse(`${day.date}T00:00:00Z`)) / 86_400_000);
  // A source ahead of UTC (Asia/Shanghai) dates its day one day ahead; anything further is a wrong date.
  if (ageDays < -1) return { send: false, reason: `${day.date} is in the future (${-ageDays} days ahead); a future-dated digest is never mailed` };
  if (ageDays > maxAgeDays) return { send: false, reason: `${day.date} is ${ageDays} days old (a backfill or late re-publication); only days up to ${maxAgeDays} days old are mailed` };
  return { send: true };
}
