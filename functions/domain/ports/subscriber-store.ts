import type { UnreadableRecord } from '../subscribers/read-record.ts';
import type { Subscriber, Transition } from '../subscribers/subscriber.ts';

/** Where subscribers are kept (DynamoDB in AWS: storage/subscriber-store.ts). */
export interface SubscriberStore {
  /** The record, `null` when there is none; throws `UnreadableRecordError` for a record this code cannot use. */
  get(email: string): Promise<Subscriber | null>;
  /**
   * Applies a transition atomically: reads, computes, writes on condition that nobody wrote in
   * between, and retries on a lost race, so concurrent requests for one address never lose an update.
   */
  apply(email: string, transition: (prev: Subscriber | null) => Transition): Promise<Transition>;
  /** Every confirmed subscriber (parallel scan), and the confirmed records that could not be read, each left out alone. */
  listConfirmed(): Promise<ConfirmedList>;
}

export interface ConfirmedList {
  readonly readers: Subscriber[];
  readonly unreadable: UnreadableRecord[];
}
