import { hourOf, secondsAtHour } from '../../domain/abuse/counters.ts';
import { type Counters } from '../../domain/ports/counters.ts';
import { feedbackOf, rates, REPUTATION_WINDOW_HOURS, tallyKey, windowHours, type FeedbackKind, type WindowTotals } from '../../domain/abuse/reputation.ts';

export interface ReputationReading {
  readonly totals: WindowTotals;
  /** Null while the window holds too few sends for a rate to mean anything. */
  readonly rates: { readonly bounceRate: number; readonly complaintRate: number } | null;
}

/**
 * Tallies SES events by hour (shared counters, so every container adds to one count) and, when a
 * bounce or complaint came in, reads the rolling window back: that is when the rates rise, so the
 * alarms hear of it at once. Send events are only counted (one write each, no read).
 */
export async function recordMailFeedback(counters: Counters, messages: readonly string[], now: Date): Promise<ReputationReading | null> {
  const counts = new Map<FeedbackKind, number>();
  for (const message of messages) {
    const f = feedbackOf(message);
    if (f && f.count > 0) counts.set(f.kind, (counts.get(f.kind) ?? 0) + f.count);
  }
  const hour = hourOf(now);
  const expiresAt = secondsAtHour(hour + REPUTATION_WINDOW_HOURS + 2);
  for (const [kind, n] of counts) await counters.add(tallyKey(kind, hour), n, expiresAt);
  if (!counts.has('bounce') && !counts.has('complaint')) return null;
  return readReputation(counters, now);
}

/**
 * The rolling window's totals and rates as they stand. Read every hour as well as on each bounce:
 * a rate stays high for a day after its bounces, and an alarm that heard only of bounces would
 * go back to OK an hour after the last one, while the rate it watches is still over its threshold.
 */
export async function readReputation(counters: Counters, now: Date): Promise<ReputationReading> {
  const hours = windowHours(now);
  const values = await counters.read((['send', 'bounce', 'complaint'] as const).flatMap((k) => hours.map((h) => tallyKey(k, h))));
  const sum = (i: number) => values.slice(i * hours.length, (i + 1) * hours.length).reduce((a, b) => a + b, 0);
  const totals = { sends: sum(0), bounces: sum(1), complaints: sum(2) };
  return { totals, rates: rates(totals) };
}
