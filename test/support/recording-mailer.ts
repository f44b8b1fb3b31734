import type { Mailer } from '../../functions/domain/ports/mailer.ts';

/** Every raw message the sender hands to SES, kept in order (the SES emulator keeps no headers of raw mail). */
export type Handed = { to: string; raw: Buffer }[];

/** A `wrapMailer` for the local stack that records each message and passes it on, tags included. */
export function recordingMailer(handed: Handed): (inner: Mailer) => Mailer {
  return (inner) => ({
    sendRaw: (raw, to, tags) => {
      // The sender reuses the message's memory for the next one (MimeArena): keep a copy.
      handed.push({ to, raw: Buffer.from(raw) });
      return inner.sendRaw(raw, to, tags);
    },
  });
}
