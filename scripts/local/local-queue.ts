import type { SQSBatchResponse } from 'aws-lambda';
import { readSendBatch, type BatchQueue, type SendBatch } from '../../functions/domain/ports/batch-queue.ts';

interface Envelope {
  readonly id: string;
  readonly body: string;
  receiveCount: number;
}

/** What the SQS event source hands a function: a message's id and body. */
export interface QueueRecord {
  readonly messageId: string;
  readonly body: string;
}

/**
 * The send queue for local runs and tests, with the parts of SQS and its Lambda event source the
 * senders rely on: JSON bodies, at-least-once delivery in receives of up to `batchSize` messages,
 * partial batch failure (only the ids the consumer names in `batchItemFailures` come back; a
 * consumer that throws fails the whole receive), and after `maxReceiveCount` receives a message goes
 * to the dead-letter list, as with a redrive policy. (No SQS emulator here speaks the SDK's current
 * JSON protocol; the moto tests cover real SQS.)
 */
export class LocalQueue implements BatchQueue {
  private readonly pending: Envelope[] = [];
  readonly deadLetters: SendBatch[] = [];
  private nextId = 1;
  constructor(
    readonly maxReceiveCount = 5,
    readonly batchSize = 10,
  ) {}

  async enqueue(batches: readonly SendBatch[]): Promise<void> {
    for (const b of batches) this.pending.push({ id: `local-${this.nextId++}`, body: JSON.stringify(b), receiveCount: 0 });
  }

  get depth(): number {
    return this.pending.length;
  }

  /** Delivers until the queue is empty; `concurrency` consumers run side by side like Lambda instances. */
  async drain(consumer: (records: readonly QueueRecord[]) => Promise<SQSBatchResponse>, concurrency = 2): Promise<{ delivered: number; failures: number }> {
    let delivered = 0;
    let failures = 0;
    const worker = async () => {
      for (let receive = this.pending.splice(0, this.batchSize); receive.length > 0; receive = this.pending.splice(0, this.batchSize)) {
        for (const msg of receive) msg.receiveCount++;
        delivered += receive.length;
        let failed: ReadonlySet<string>;
        try {
          failed = new Set((await consumer(receive.map((m) => ({ messageId: m.id, body: m.body })))).batchItemFailures.map((f) => f.itemIdentifier));
        } catch {
          failed = new Set(receive.map((m) => m.id));
        }
        for (const msg of receive) {
          if (!failed.has(msg.id)) continue;
          failures++;
          if (msg.receiveCount >= this.maxReceiveCount) this.deadLetters.push(readSendBatch(msg.body));
          else this.pending.push(msg);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { delivered, failures };
  }
}
