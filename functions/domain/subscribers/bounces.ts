/** What an SES bounce or complaint notification (through SNS) means for our list. */
export interface Suppression {
  readonly email: string;
  readonly reason: 'bounced' | 'complained';
}

interface SesNotification {
  notificationType?: string;
  eventType?: string;
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[] };
}

/**
 * Permanent bounces and every complaint stop mail to the address; transient bounces (mailbox full,
 * greylisting) do not, SES retries those itself.
 */
export function suppressionsFrom(message: string): Suppression[] {
  let n: SesNotification;
  try {
    n = JSON.parse(message) as SesNotification;
  } catch {
    return [];
  }
  const type = n.notificationType ?? n.eventType;
  const lower = (a?: string) => (a ?? '').trim().toLowerCase();
  if (type === 'Bounce' && n.bounce?.bounceType === 'Permanent') {
    return (n.bounce.bouncedRecipients ?? []).map((r) => ({ email: lower(r.emailAddress), reason: 'bounced' as const })).filter((s) => s.email);
  }
  if (type === 'Complaint') {
    return (n.complaint?.complainedRecipients ?? []).map((r) => ({ email: lower(r.emailAddress), reason: 'complained' as const })).filter((s) => s.email);
  }
  return [];
}
