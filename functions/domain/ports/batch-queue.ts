/** The send queue: batches of readers for one run (SQS in AWS: messaging/sqs-batch-queue.ts). */

export interface SendBatch {
  /** The run's ledger key: the day (`2024-03-04`) or a weekly run (`2024-03-04-week`). */
  readonly date: string;
  /** Parsed digest the edition is built from. */
  readonly parsedKey: string;
  /** Where the compiled edition is, when it is not the day's (a weekly edition). */
  readonly editionKey?: string;
  readonly emails: readonly string[];
}

export interface BatchQueue {
  enqueue(batches: readonly SendBatch[]): Promise<void>;
}
