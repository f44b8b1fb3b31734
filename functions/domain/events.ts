/** Events between stages. Delivery is at least once: every consumer must be idempotent. */

/** EventBridge source and detail-type, shared by the emitter and the stack's rule. */
export const EVENT_SOURCE = 'paperboy.ingest';
export const DIGEST_READY = 'DigestReady';
/** A published day gained abstracts or translations: feeds and pages again, never a second mail. */
export const DIGEST_UPDATED = 'DigestUpdated';

export interface DigestReadyEvent {
  readonly type: 'DigestReady';
  readonly date: string;
  readonly hash: string;
  readonly parsedKey: string;
  readonly papers: number;
  readonly categories: readonly string[];
}

export interface DigestUpdatedEvent {
  readonly type: 'DigestUpdated';
  readonly date: string;
  readonly reason: string;
}

export type PaperboyEvent = DigestReadyEvent | DigestUpdatedEvent;

import type { EventSink } from './ports/event-sink.ts';

/** Collects events in memory; the local run and tests pass it where AWS has EventBridge. */
export class CollectingEventSink implements EventSink {
  readonly events: PaperboyEvent[] = [];
  async emit(event: PaperboyEvent): Promise<void> {
    this.events.push(event);
  }

  ready(): DigestReadyEvent[] {
    return this.events.filter((e): e is DigestReadyEvent => e.type === 'DigestReady');
  }
}
