import { createHash } from 'node:crypto';
import { LANGS } from '../language.ts';
import { SUBSCRIBER_SCHEMA, upgradeSubscriber, type Subscriber } from './subscriber.ts';

/**
 * A stored subscriber record checked field by field before anything uses it. DynamoDB holds what
 * any writer put there (an operator's console edit, a newer deployment, a restore): one record that
 * is not what this code understands must fail alone, never the day's plan or a whole send batch.
 */
export type RecordRead = { readonly ok: true; readonly subscriber: Subscriber } | { readonly ok: false; readonly reason: string };

const STATUSES = new Set(['pending', 'confirmed', 'unsubscribed', 'bounced', 'complained']);
const isStrings = (v: unknown, max: number): boolean => Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length <= 200);

/** What is wrong with a record, naming fields (never their values: they may be the reader's). */
function problems(item: Record<string, unknown>): string[] {
  const wrong: string[] = [];
  if (typeof item.email !== 'string' || !item.email.includes('@')) wrong.push('email is not an address');
  if (item.schema !== undefined && (typeof item.schema !== 'number' || !Number.isInteger(item.schema) || item.schema < 1)) wrong.push('schema is not a positive integer');
  else if (typeof item.schema === 'number' && item.schema > SUBSCRIBER_SCHEMA) wrong.push(`schema ${item.schema} is newer than this code (${SUBSCRIBER_SCHEMA})`);
  if (typeof item.status !== 'string' || !STATUSES.has(item.status)) wrong.push('status is not a known status');
  if (item.categories !== 'all' && !isStrings(item.categories, 64)) wrong.push("categories is neither 'all' nor a list of slugs");
  if (typeof item.lang !== 'string' || !(LANGS as readonly string[]).includes(item.lang)) wrong.push('lang is not bi, en or zh');
  if (typeof item.tokenGeneration !== 'number' || !Number.isInteger(item.tokenGeneration) || item.tokenGeneration < 0) wrong.push('tokenGeneration is not a non-negative integer');
  if (item.weekly !== undefined && item.weekly !== null && !(typeof item.weekly === 'number' && Number.isInteger(item.weekly) && item.weekly >= 1 && item.weekly <= 7)) wrong.push('weekly is not a weekday 1-7');
  if (item.repeats !== undefined && item.repeats !== 'updated' && item.repeats !== 'omit') wrong.push("repeats is neither 'updated' nor 'omit'");
  if (item.filters !== undefined) {
    const f = item.filters as Record<string, unknown> | null;
    if (typeof f !== 'object' || f === null || !isStrings(f.include, 64) || !isStrings(f.exclude, 64) || !isStrings(f.authors, 64) || (f.rest !== 'categories' && f.rest !== 'none')) wrong.push('filters is not include/exclude/authors lists with rest categories|none');
  }
  if (item.catchUp !== undefined && typeof item.catchUp !== 'boolean') wrong.push('catchUp is not true or false');
  if (item.feedGeneration !== undefined && (typeof item.feedGeneration !== 'number' || !Number.isInteger(item.feedGeneration) || item.feedGeneration < 0)) wrong.push('feedGeneration is not a non-negative integer');
  return wrong;
}

/** The record in the current shape, or why it cannot be used. */
export function readSubscriberRecord(item: unknown): RecordRead {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { ok: false, reason: 'record is not an object' };
  const wrong = problems(item as Record<string, unknown>);
  if (wrong.length) return { ok: false, reason: wrong.join('; ') };
  return { ok: true, subscriber: upgradeSubscriber(item as Subscriber) };
}

/**
 * How logs and ledger reasons name a record without its address: the first 16 hex digits of the
 * SHA-256 of the stored key. An operator finds the record by hashing the addresses they suspect
 * (README, "Unreadable subscriber records"); the logs alone reveal nobody.
 */
export function recordFingerprint(key: unknown): string {
  return `sub:${createHash('sha256').update(typeof key === 'string' ? key : JSON.stringify(key ?? null)).digest('hex').slice(0, 16)}`;
}

/** A record the planner or sender had to leave out, as logs and metrics report it. */
export interface UnreadableRecord {
  readonly fingerprint: string;
  readonly reason: string;
}

/** Thrown by a store's `get` for a record that cannot be used: the caller fails that reader alone. */
export class UnreadableRecordError extends Error {
  constructor(readonly record: UnreadableRecord) {
    super(`subscriber record ${record.fingerprint} is unreadable: ${record.reason}`);
    this.name = 'UnreadableRecordError';
  }
}
