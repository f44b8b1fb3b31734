/** Events between stages. Delivery is at least once: every consumer must be idempotent. */

/** EventBridge source and detail-type, shared by the emitter and the stack's rule. */
export const EVENT_SOURCE = 'paperboy.ingest';
export const DIGEST_READY = 'DigestReady';

export interface DigestReadyEvent {
  readonly type: 'DigestReady';
  readonly date: string;
  readonly hash: string;
  readonly parsedKey: string;
  readonly papers: number;
  readonly categories: readonly string[];
}

export interface EventSink {
  emit(event: DigestReadyEvent): Promise<void>;
}

/** Collects events in memory; the local run and tests pass it where AWS has EventBridge. */
export class CollectingEventSink implements EventSink {
  readonly events: DigestReadyEvent[] = [];
  async emit(event: DigestReadyEvent): Promise<void> {
    this.events.push(event);
  }
}
