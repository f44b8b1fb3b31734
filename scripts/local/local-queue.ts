import type { BatchQueue, SendBatch } from '../../functions/domain/ports/batch-queue.ts';

interface Envelope {
  readonly id: number;
  readonly body: string;
  receiveCount: number;
}

/**
 * The send queue for local runs and tests: JSON bodies, at-least-once delivery, a message that fails
 * goes back on the queue, and after `maxReceiveCount` failures to the dead-letter list, as SQS with a
 * redrive policy does. (No SQS emulator here speaks the SDK's current JSON protocol.)
 */
export class LocalQueue implements BatchQueue {
  private readonly pending: Envelope[] = [];
  readonly deadLetters: SendBatch[] = [];
  private nextId = 1;
  constructor(readonly maxReceiveCount = 5) {}

  async enqueue(batches: readonly SendBatch[]): Promise<void> {
    for (const b of batches) this.pending.push({ id: this.nextId++, body: JSON.stringify(b), receiveCount: 0 });
  }

  get depth(): number {
    return this.pending.length;
  }

  /** Delivers until the queue is empty; `concurrency` consumers run side by side like Lambda instances. */
  async drain(consumer: (batch: SendBatch) => Promise<void>, concurrency = 2): Promise<{ delivered: number; failures: number }> {
    let delivered = 0;
    let failures = 0;
    const worker = async () => {
      for (let msg = this.pending.shift(); msg; msg = this.pending.shift()) {
        msg.receiveCount++;
        delivered++;
        try {
          await consumer(JSON.parse(msg.body) as SendBatch);
        } catch {
          failures++;
          if (msg.receiveCount >= this.maxReceiveCount) this.deadLetters.push(JSON.parse(msg.body) as SendBatch);
          else this.pending.push(msg);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { delivered, failures };
  }
}
