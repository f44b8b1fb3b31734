import type { Counters } from '../ports/counters.ts';

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
