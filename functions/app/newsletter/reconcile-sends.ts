import type { DeliveryLedger } from '../../domain/ports/delivery-ledger.ts';
import { sendConfirmationFrom } from '../../domain/sending/ses-events.ts';

export interface ReconcileOutcome {
  readonly confirmed: number;
  readonly already: number;
  /** The event came after another attempt took the claim over: that reader may have two mails. Logged and counted. */
  readonly late: number;
  readonly ignored: number;
}

/**
 * SES's own record of what it sent, applied to the delivery ledger: a row a sender claimed and
 * never completed (it died after SES took the mail) becomes `sent`, so no redelivery sends again.
 */
export async function reconcileSends(ledger: DeliveryLedger, messages: readonly string[], now: () => Date = () => new Date()): Promise<ReconcileOutcome> {
  const out = { confirmed: 0, already: 0, late: 0, ignored: 0 };
  for (const message of messages) {
    const c = sendConfirmationFrom(message);
    if (!c) {
      out.ignored++;
      continue;
    }
    for (const email of c.recipients) {
      const r = await ledger.confirmSent(c.date, email, c.attempt, c.messageId, now());
      if (r === 'confirmed') out.confirmed++;
      else if (r === 'already') out.already++;
      else if (r === 'other-attempt') out.late++;
      else out.ignored++;
    }
  }
  return out;
}
