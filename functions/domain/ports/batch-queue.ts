/** The send queue: batches of readers for one run (SQS in AWS: messaging/sqs-batch-queue.ts). */
import type { RunKey } from '../sending/run-key.ts';

interface RunBatch {
  /** The run's ledger key: a day's run (`2024-03-04`) or a weekly run (`2024-03-04-week`). */
  readonly run: RunKey;
  readonly emails: readonly string[];
}

/** A daily run's readers: the edition is the one compiled from the day's parsed digest. */
export interface DailyBatch extends RunBatch {
  readonly parsedKey: string;
  readonly editionKey?: undefined;
}

/** A weekly run's readers: the edition is the week's, stored under its own key. */
export interface WeeklyBatch extends RunBatch {
  readonly editionKey: string;
}

export type SendBatch = DailyBatch | WeeklyBatch;

export interface BatchQueue {
  enqueue(batches: readonly SendBatch[]): Promise<void>;
}

/**
 * A queued message as a batch. Messages queued by the release before this one (still in flight
 * during a deploy) name the run `date` and give weekly batches an empty `parsedKey`: both are read.
 */
export function readSendBatch(body: string): SendBatch {
  const raw = JSON.parse(body) as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object') throw new Error('not a send batch: not a JSON object');
  const run = typeof raw.run === 'string' ? raw.run : raw.date;
  if (typeof run !== 'string' || run === '') throw new Error('not a send batch: no run');
  const emails = raw.emails;
  if (!Array.isArray(emails) || !emails.every((e) => typeof e === 'string')) throw new Error('not a send batch: emails is not a list of addresses');
  if (typeof raw.editionKey === 'string' && raw.editionKey !== '') return { run, editionKey: raw.editionKey, emails };
  if (typeof raw.parsedKey === 'string' && raw.parsedKey !== '') return { run, parsedKey: raw.parsedKey, emails };
  throw new Error('not a send batch: neither a parsed digest nor an edition key');
}
