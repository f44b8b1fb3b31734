import type { ParseResult } from './parse-digest.ts';

/**
 * A digest is quarantined instead of published when more than this share of its paper records had
 * to be skipped: past that point the day is more likely mangled than a paper or two being odd.
 */
export const MAX_SKIPPED_SHARE = 0.05;
/** One bad record is always tolerated, so a small day is not held back by a single typo. */
export const ALWAYS_TOLERATED = 1;

export type Verdict = { readonly publish: true } | { readonly publish: false; readonly reason: string };

export function judgeParse(result: ParseResult): Verdict {
  const { skipped } = result;
  const limit = Math.max(ALWAYS_TOLERATED, Math.floor(result.records * MAX_SKIPPED_SHARE));
  if (skipped > limit) {
    return {
      publish: false,
      reason: `${skipped} of ${result.records} paper records are malformed (limit ${limit}, ${MAX_SKIPPED_SHARE * 100}%)`,
    };
  }
  return { publish: true };
}
