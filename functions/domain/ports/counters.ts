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
