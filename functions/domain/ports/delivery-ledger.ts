/** The delivery ledger: one row per reader per run, claimed before a mail goes to SES (DynamoDB in AWS: storage/delivery-ledger.ts). */
import type { RunKey } from '../sending/run-key.ts';

export type DeliveryStatus = 'sending' | 'sent' | 'failed' | 'skipped';

export interface Delivery {
  /** The run's key (the table's partition key keeps its first name, `date`). */
  readonly date: RunKey;
  readonly email: string;
  readonly status: DeliveryStatus;
  /** Which attempt holds the claim; only it may complete or release it. */
  readonly attempt: string;
  readonly messageId?: string;
  readonly reason?: string;
  /** arXiv ids the mail showed as new, space-separated: what later mails do not show as new again. */
  readonly ids?: string;
  readonly updatedAt: string;
}

/**
 * One row per subscriber per run. A sender claims the row before it hands the mail to SES, so a
 * redelivered batch, a re-run or a second sender finds the claim and does not send again.
 */
export interface DeliveryLedger {
  /** `null` when claimed; otherwise the row that is already there. */
  claim(run: RunKey, email: string, attempt: string, now: Date): Promise<Delivery | null>;
  complete(run: RunKey, email: string, attempt: string, outcome: { status: 'sent'; messageId: string; ids?: readonly string[] } | { status: 'failed' | 'skipped'; reason: string }, now: Date): Promise<void>;
  /** The arXiv ids mailed to this reader as new on the `days` days before the day of `run`: by daily and weekly runs, or by daily runs only. */
  mailedBefore(email: string, run: RunKey, days: number, runs?: 'all' | 'daily'): Promise<ReadonlySet<string>>;
  /** Gives a claim back (nothing was sent), so a later delivery of the batch can send. */
  release(run: RunKey, email: string, attempt: string): Promise<void>;
  listDay(run: RunKey): Promise<Delivery[]>;
  /**
   * Takes over a claim another attempt left unfinished (`sending` since before `olderThan`), as one
   * conditional write: of two senders trying, one wins. `true` when this attempt holds it now.
   */
  reclaim(run: RunKey, email: string, staleAttempt: string, attempt: string, olderThan: Date, now: Date): Promise<boolean>;
  /**
   * Records what the mail service itself says it sent (its Send event): the row of that attempt
   * becomes `sent`. `'confirmed'`, `'already'` (sent before), or `'other-attempt'` when a later
   * attempt holds the row (the event came after the claim was given up: the reader may get two).
   */
  confirmSent(run: RunKey, email: string, attempt: string, messageId: string, now: Date): Promise<'confirmed' | 'already' | 'other-attempt' | 'no-row'>;
}

export interface RunTotals {
  readonly planned: number;
  readonly sent: number;
  readonly skipped: number;
  readonly suppressed: number;
  readonly failed: number;
}

/** Counts a run as batches finish, so the batch that completes it can report the summary. */
export interface RunTracker {
  /** Records the planned count; returns the totals when every planned recipient was already accounted for. */
  start(run: RunKey, planned: number): Promise<RunTotals | null>;
  /** Adds a batch's new outcomes; returns the totals once every planned recipient is accounted for. */
  add(run: RunKey, counts: Omit<RunTotals, 'planned'>): Promise<RunTotals | null>;
}
