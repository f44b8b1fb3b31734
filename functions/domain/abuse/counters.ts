/**
 * Shared counters for the subscribe form's defences, kept where every API container sees them
 * (DynamoDB in AWS and locally): a container's memory is one of many and forgets on a cold start.
 */
export interface Counters {
  /**
   * Adds one to `key` if it is still below `max`, atomically across containers; true when it did.
   * The key disappears some time after `expiresAt` (seconds since the epoch).
   */
  takeBelow(key: string, max: number, expiresAt: number): Promise<boolean>;
  /** Records `key` if it was never recorded; false when it was (a spent challenge or form token). */
  claimOnce(key: string, expiresAt: number): Promise<boolean>;
  /** Adds `n` to `key` without a limit (tallies). */
  add(key: string, n: number, expiresAt: number): Promise<void>;
  /** The current values of `keys`, 0 for a key never counted. */
  read(keys: readonly string[]): Promise<number[]>;
}

/** In memory, for unit tests of the rules only: claims about concurrency are tested on DynamoDB (moto). */
export class MemoryCounters implements Counters {
  readonly values = new Map<string, number>();
  async takeBelow(key: string, max: number): Promise<boolean> {
    const n = this.values.get(key) ?? 0;
    if (n >= max) return false;
    this.values.set(key, n + 1);
    return true;
  }
  async claimOnce(key: string): Promise<boolean> {
    if (this.values.has(key)) return false;
    this.values.set(key, 1);
    return true;
  }
  async add(key: string, n: number): Promise<void> {
    this.values.set(key, (this.values.get(key) ?? 0) + n);
  }
  async read(keys: readonly string[]): Promise<number[]> {
    return keys.map((k) => this.values.get(k) ?? 0);
  }
}

/** Counters are kept per hour: the hour of `now`, counted from the epoch. */
export const hourOf = (now: Date): number => Math.floor(now.getTime() / 3_600_000);
/** The start of hour `hour`, in seconds since the epoch (what a counter's expiry is written in). */
export const secondsAtHour = (hour: number): number => hour * 3600;
