/** What one sender function sends per second, rendering included; sizes the senders to the SES rate. */
const SENDS_PER_SECOND_PER_SENDER = 8;

/** Senders that together stay near the account's SES rate; back-off covers the rest. */
export function senderConcurrencyFor(sesMaxSendRate: number): number {
  return Math.max(2, Math.ceil(sesMaxSendRate / SENDS_PER_SECOND_PER_SENDER));
}
