import type { SubscriberStore } from '../../storage/subscriber-store.ts';

export interface SendBatch {
  readonly date: string;
  /** Parsed digest the edition is built from. */
  readonly parsedKey: string;
  readonly emails: readonly string[];
}

export interface BatchQueue {
  enqueue(batches: readonly SendBatch[]): Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 50;

/**
 * DigestReady → batches of confirmed subscribers on the queue. Planning twice (a duplicate event, a
 * re-published day) only queues work the ledger will turn into "already sent".
 */
export async function planSend(deps: { subscribers: SubscriberStore; queue: BatchQueue }, day: { date: string; parsedKey: string }, batchSize = DEFAULT_BATCH_SIZE): Promise<{ recipients: number; batches: number }> {
  const confirmed = await deps.subscribers.listConfirmed();
  const batches: SendBatch[] = [];
  for (let i = 0; i < confirmed.length; i += batchSize) batches.push({ date: day.date, parsedKey: day.parsedKey, emails: confirmed.slice(i, i + batchSize).map((s) => s.email) });
  await deps.queue.enqueue(batches);
  return { recipients: confirmed.length, batches: batches.length };
}
