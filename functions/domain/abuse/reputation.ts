import { hourOf } from './counters.ts';

/**
 * Bounce and complaint rates over a rolling window, from SES's own events (configuration set →
 * SNS): every Send event counts its recipients, hard bounces and complaints theirs. SES reviews an
 * account at a 5 % bounce rate and a 0.1 % complaint rate and may pause it at 10 % / 0.5 %
 * (SES developer guide, "Sending review process FAQs"); Paperboy's alarms fire at a fraction of that.
 */
export type FeedbackKind = 'send' | 'bounce' | 'complaint';

export const REPUTATION_WINDOW_HOURS = 24;
/** Below this many sends in the window a rate says little (one bounce in 20 mails is 5 %); none is published. */
export const MIN_SENDS_FOR_RATE = 50;
/** Alarm levels, in percent (the metrics' unit): a third of SES's review level for bounces, half for complaints. */
export const REPUTATION_ALARM_PERCENT = { bounceRate: 1.7, complaintRate: 0.05 } as const;

interface SesEvent {
  eventType?: string;
  notificationType?: string;
  mail?: { destination?: string[] };
  bounce?: { bounceType?: string; bouncedRecipients?: unknown[] };
  complaint?: { complainedRecipients?: unknown[] };
}

/**
 * What one SES event counts for: recipients sent to, hard-bounced or complaining. Transient bounces
 * do not count (SES's bounce rate counts hard bounces). Anything unreadable counts for nothing.
 */
export function feedbackOf(message: string): { kind: FeedbackKind; count: number } | null {
  let e: SesEvent;
  try {
    e = JSON.parse(message) as SesEvent;
  } catch {
    return null;
  }
  if (!e || typeof e !== 'object') return null;
  const type = e.eventType ?? e.notificationType;
  if (type === 'Send') return { kind: 'send', count: Array.isArray(e.mail?.destination) ? e.mail.destination.length : 0 };
  if (type === 'Bounce' && e.bounce?.bounceType === 'Permanent') return { kind: 'bounce', count: Array.isArray(e.bounce.bouncedRecipients) ? e.bounce.bouncedRecipients.length : 0 };
  if (type === 'Complaint') return { kind: 'complaint', count: Array.isArray(e.complaint?.complainedRecipients) ? e.complaint.complainedRecipients.length : 0 };
  return null;
}

export interface WindowTotals {
  readonly sends: number;
  readonly bounces: number;
  readonly complaints: number;
}

/** The rates over a window, or null when too few mails went out for a rate to mean anything. */
export function rates(totals: WindowTotals): { bounceRate: number; complaintRate: number } | null {
  if (totals.sends < MIN_SENDS_FOR_RATE) return null;
  return { bounceRate: totals.bounces / totals.sends, complaintRate: totals.complaints / totals.sends };
}

/** The key of an hour's tally of one kind. */
export const tallyKey = (kind: FeedbackKind, hour: number) => `ses-${kind}#${hour}`;
/** The hours of the window ending with `now`'s hour, newest first. */
export const windowHours = (now: Date) => Array.from({ length: REPUTATION_WINDOW_HOURS }, (_, i) => hourOf(now) - i);
