import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BatchQueue, SendBatch } from '../domain/ports/batch-queue.ts';

/** SQS takes at most ten messages per SendMessageBatch call. */
const SQS_BATCH_LIMIT = 10;

/** The send queue: one SQS message per send batch, so each batch is delivered, retried and dead-lettered alone. */
export class SqsBatchQueue implements BatchQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(batches: readonly SendBatch[]): Promise<void> {
    for (let i = 0; i < batches.length; i += SQS_BATCH_LIMIT) {
      const chunk = batches.slice(i, i + SQS_BATCH_LIMIT);
      const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: chunk.map((b, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(b) })) }));
      // A partly refused call would lose readers silently: the plan fails and is retried instead (the ledger keeps it exactly-once).
      if (out.Failed?.length) throw new Error(`SQS refused ${out.Failed.length} batch(es): ${out.Failed[0]?.Message}`);
    }
  }
}
