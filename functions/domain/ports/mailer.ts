/** Hands one finished MIME message to the mail service. SES in AWS and locally (through its emulator). */
export interface Mailer {
  /**
   * `tags` travel with the message into the mail service's own events (SES: configuration-set event
   * publishing). `raw` is only valid during the call: the sender builds its next message into the
   * same memory (MimeArena), so a mailer that keeps a message copies it.
   */
  sendRaw(raw: Buffer, to: string, tags?: readonly MessageTag[]): Promise<string>;
}

export interface MessageTag {
  readonly name: string;
  /** SES allows ASCII letters, digits, `_` and `-` only. */
  readonly value: string;
}

/** SES refuses with these when the account's sending rate is exceeded; they are worth waiting for. */
export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'Throttling' ||
    e?.name === 'ThrottlingException' ||
    e?.Code === 'Throttling' ||
    e?.$metadata?.httpStatusCode === 429 ||
    /maximum sending rate exceeded|rate exceeded/i.test(e?.message ?? '')
  );
}
