import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { PersonalMessage } from './personalise.ts';
import type { TransferEncoding } from './transfer-encoding.ts';

export interface Envelope {
  /** `Paperboy <digest@news.example.org>` */
  readonly from: string;
  readonly to: string;
  readonly date: string;
  /** Domain for the Message-ID, normally the sending domain. */
  readonly domain: string;
  readonly unsubscribeUrl: string;
  /** Absent when the stack receives no mail (paperboy:inboundUnsubscribe off): then only the HTTPS link is advertised. */
  readonly unsubscribeMailto?: string;
  readonly listId: string;
  /** Where replies go (the operator's mailbox); without it a reply goes to the From address, which receives nothing. */
  readonly replyTo?: string;
  /** SES configuration set, so bounces and complaints are routed back to us. */
  readonly configurationSet?: string;
  /** Fixes the multipart boundary (tests compare two builds byte for byte). */
  readonly baseBoundary?: string;
}

/**
 * nodemailer writes a Message-ID and a Date whatever we do; fixed ones keep two builds of a message
 * byte-identical (tests, the local run). SES replaces both with its own on send, so nothing in
 * production relies on them: retries are recognised by the delivery ledger and the SES message tags.
 */
export function messageIdFor(email: string, date: string, domain: string): string {
  return `<${date}.${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 24)}@${domain}>`;
}

const partHead = (contentType: string, encoding: TransferEncoding) => `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`;
// Where the bodies go while nodemailer lays out the message; they are spliced in as Buffers after.
const TEXT_SLOT = '\u0000pb-text\u0000';
const HTML_SLOT = '\u0000pb-html\u0000';

/** multipart/alternative, UTF-8, RFC 2047 subject, RFC 8058 one-click unsubscribe; bodies pre-encoded (QP or base64, lines ≤ 76). */
function mailOptions(message: PersonalMessage, env: Envelope, bodies: { text: string; html: string }): Mail.Options {
  const headers: Record<string, string> = {
    'List-Unsubscribe': env.unsubscribeMailto ? `<${env.unsubscribeUrl}>, <${env.unsubscribeMailto}>` : `<${env.unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': env.listId,
    'Auto-Submitted': 'auto-generated',
  };
  if (env.configurationSet) headers['X-SES-CONFIGURATION-SET'] = env.configurationSet;
  return {
    from: env.from,
    to: env.to,
    ...(env.replyTo ? { replyTo: env.replyTo } : {}),
    subject: message.subject,
    messageId: messageIdFor(env.to, env.date, env.domain),
    date: new Date(`${env.date}T06:00:00Z`),
    headers,
    text: { raw: partHead('text/plain', message.textBody.encoding) + bodies.text },
    html: { raw: partHead('text/html', message.htmlBody.encoding) + bodies.html },
    ...(env.baseBoundary ? { baseBoundary: env.baseBoundary } : {}),
  };
}

/** The parts of nodemailer's MimeNode that its own stream() reads to write a message. */
interface MimeNodeInternals {
  readonly multipart: string | false;
  readonly boundary?: string;
  readonly childNodes: readonly MimeNodeInternals[];
  readonly _raw: unknown;
  buildHeaders(): string;
}

/**
 * Writes nodemailer's node tree the way MimeNode.stream() does, without its stream machinery, and
 * with the pre-encoded bodies copied in once as Buffers. nodemailer still builds the tree, encodes
 * every header and picks the boundary; a test checks the bytes equal its own streamed `build()`.
 */
function serialise(node: MimeNodeInternals, out: string[]): void {
  if (typeof node._raw === 'string') {
    out.push(node._raw);
    return;
  }
  // buildHeaders() is also where nodemailer settles the boundary, so it comes first.
  const headers = node.buildHeaders();
  if (!node.multipart || !node.boundary) throw new Error('only multipart nodes with raw leaves are serialised here');
  out.push(`${headers}\r\n\r\n`);
  node.childNodes.forEach((child, i) => {
    out.push(`${i ? '\r\n' : ''}--${node.boundary}\r\n`);
    serialise(child, out);
  });
  out.push(`\r\n--${node.boundary}--\r\n`);
}

export function buildMime(message: PersonalMessage, env: Envelope): Buffer {
  const root = new MailComposer(mailOptions(message, env, { text: TEXT_SLOT, html: HTML_SLOT })).compile() as unknown as MimeNodeInternals;
  const out: string[] = [];
  serialise(root, out);
  const layout = out.join('');
  const textAt = layout.indexOf(TEXT_SLOT);
  const htmlAt = layout.indexOf(HTML_SLOT);
  if (textAt < 0 || htmlAt < textAt) throw new Error('MIME layout lost its body slots');
  return Buffer.concat([
    Buffer.from(layout.slice(0, textAt), 'utf8'),
    ...message.textBody.pieces,
    Buffer.from(layout.slice(textAt + TEXT_SLOT.length, htmlAt), 'utf8'),
    ...message.htmlBody.pieces,
    Buffer.from(layout.slice(htmlAt + HTML_SLOT.length), 'utf8'),
  ]);
}

/** nodemailer's own streamed build of the same message: the reference `buildMime` is checked against. */
export function buildMimeStreamed(message: PersonalMessage, env: Envelope): Promise<Buffer> {
  const bodies = { text: Buffer.concat(message.textBody.pieces).toString('latin1'), html: Buffer.concat(message.htmlBody.pieces).toString('latin1') };
  return new MailComposer(mailOptions(message, env, bodies)).compile().build();
}
