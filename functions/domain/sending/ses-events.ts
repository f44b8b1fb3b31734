/** Message tags SES carries into its events, which is how the reconciler finds the ledger row. */
export const TAG_DAY = 'paperboy-day';
export const TAG_ATTEMPT = 'paperboy-attempt';

/**
 * SES event publishing records (configuration set → SNS), as documented: `eventType`, and `mail`
 * with `messageId`, `destination` and the message tags as `{ name: [value] }`. Only what the
 * reconciler needs is read; any other message (a bounce, a test notification, junk) gives null.
 */
export interface SendConfirmation {
  readonly eventType: 'Send' | 'Delivery';
  readonly date: string;
  readonly attempt: string;
  readonly recipients: readonly string[];
  readonly messageId: string;
}

interface SesEventRecord {
  eventType?: string;
  notificationType?: string;
  mail?: { messageId?: string; destination?: string[]; tags?: Record<string, string[] | undefined> };
}

export function sendConfirmationFrom(message: string): SendConfirmation | null {
  let record: SesEventRecord;
  try {
    record = JSON.parse(message) as SesEventRecord;
  } catch {
    return null;
  }
  const type = record.eventType ?? record.notificationType;
  if (type !== 'Send' && type !== 'Delivery') return null;
  const date = record.mail?.tags?.[TAG_DAY]?.[0];
  const attempt = record.mail?.tags?.[TAG_ATTEMPT]?.[0];
  const recipients = (record.mail?.destination ?? []).map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  // Mail Paperboy did not tag (confirmations, other senders on the account) is not in the ledger.
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !attempt || recipients.length === 0 || !record.mail?.messageId) return null;
  return { eventType: type, date, attempt, recipients, messageId: record.mail.messageId };
}
