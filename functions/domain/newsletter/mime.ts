import { hash } from 'node:crypto';
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
  return `<${date}.${hash('sha256', email.toLowerCase(), 'hex').slice(0, 24)}@${domain}>`;
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

/**
 * Memory one sender reuses for the messages it builds one after another. A fresh ~170 KB buffer per
 * message costs more than writing it: the 100k newsletter bench spent most of its MIME time on
 * new allocations (pages the kernel zeroes), and copying into warm memory is several times faster.
 * A message built into an arena is valid until the next one is built into it: whoever keeps one
 * (a test recording what was sent) copies it.
 */
export class MimeArena {
  private memory = Buffer.allocUnsafe(512 * 1024);
  /** A view of `length` bytes of the arena, growing it when a message is bigger than any before. */
  take(length: number): Buffer {
    if (length > this.memory.length) this.memory = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(length)));
    return this.memory.subarray(0, length);
  }
}

/**
 * The message's bytes one after another, into the arena when given, else into a new buffer. A
 * string is a header value known to be ASCII (checked before it gets here), written as it is.
 */
function join(runs: readonly (readonly (Buffer | string)[])[], arena?: MimeArena): Buffer {
  let length = 0;
  for (const run of runs) for (const p of run) length += p.length;
  const out = arena ? arena.take(length) : Buffer.allocUnsafe(length);
  let at = 0;
  for (const run of runs) for (const p of run) at += typeof p === 'string' ? out.write(p, at, 'latin1') : p.copy(out, at);
  return out;
}

/** nodemailer's layout of the whole message, with slots where the bodies go. */
function nodemailerLayout(message: PersonalMessage, env: Envelope): string {
  const root = new MailComposer(mailOptions(message, env, { text: TEXT_SLOT, html: HTML_SLOT })).compile() as unknown as MimeNodeInternals;
  const out: string[] = [];
  serialise(root, out);
  return out.join('');
}

/**
 * nodemailer lays out every header of every message (about 110 µs each: most of the MIME step of the
 * 100k newsletter bench). Between readers of one variant only To, Message-ID and List-Unsubscribe
 * differ, and nodemailer folds a header only at whitespace, by length (mime-funcs foldLines). So a
 * layout made once with stand-ins of the same lengths and no whitespace, the real values written
 * over the stand-ins, is byte for byte what nodemailer writes (a test compares thousands). Values
 * nodemailer would encode or quote (anything but plain ASCII) get nodemailer's own layout.
 */
type Slot = 'to' | 'messageId' | 'url' | 'mailto';
interface Layout {
  /** The headers and boundaries as bytes, with the reader's values and the two bodies between them. */
  readonly parts: readonly (Buffer | Slot | 'text' | 'html')[];
}
const layouts = new Map<string, Layout | null>();
const LAYOUTS_KEPT = 4096;
// A dot-atom nodemailer writes as it is (two dots in a row, say, it quotes).
const PLAIN_ADDRESS = /^[a-z0-9+_-]+(?:\.[a-z0-9+_-]+)*@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
const PLAIN_URI = /^[\x21-\x3b\x3d\x3f-\x7e]+$/; // printable ASCII without < and >
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const STAND_IN_DOMAIN = '@pb.invalid';

/** A layout's text cut at its stand-ins and body slots, the text between them encoded once. */
function layoutParts(text: string, slots: readonly { at: number; length: number; value: Slot | 'text' | 'html' }[]): Layout['parts'] {
  const parts: (Buffer | Slot | 'text' | 'html')[] = [];
  let from = 0;
  for (const slot of [...slots].sort((a, b) => a.at - b.at)) {
    parts.push(Buffer.from(text.slice(from, slot.at), 'utf8'), slot.value);
    from = slot.at + slot.length;
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return parts;
}

/** nodemailer's own layout of this message as parts (values nodemailer encoded itself are in its text). */
function ownLayout(message: PersonalMessage, env: Envelope): Layout['parts'] {
  const text = nodemailerLayout(message, env);
  const textAt = text.indexOf(TEXT_SLOT);
  const htmlAt = text.indexOf(HTML_SLOT);
  if (textAt < 0 || htmlAt < textAt) throw new Error('MIME layout lost its body slots');
  return layoutParts(text, [
    { at: textAt, length: TEXT_SLOT.length, value: 'text' },
    { at: htmlAt, length: HTML_SLOT.length, value: 'html' },
  ]);
}

function personalLayout(message: PersonalMessage, env: Envelope, values: Readonly<Record<Slot, string>>): Layout['parts'] {
  const plain = PLAIN_ADDRESS.test(values.to) && values.to.length > STAND_IN_DOMAIN.length && PLAIN_URI.test(values.url) && PRINTABLE_ASCII.test(values.messageId) && (values.mailto === '' || PLAIN_URI.test(values.mailto));
  if (!plain) return ownLayout(message, env);
  const key = [message.subject, message.textBody.encoding, message.htmlBody.encoding, values.to.length, values.url.length, values.mailto.length, env.from, env.replyTo, env.date, env.domain, env.listId, env.configurationSet, env.baseBoundary].join('\u0000');
  let layout = layouts.get(key);
  if (layout === undefined) {
    const standIns = {
      to: `${'z'.repeat(values.to.length - STAND_IN_DOMAIN.length)}${STAND_IN_DOMAIN}`,
      url: 'Q'.repeat(values.url.length),
      mailto: values.mailto ? 'W'.repeat(values.mailto.length) : '',
    };
    const text = nodemailerLayout(message, { ...env, to: standIns.to, unsubscribeUrl: standIns.url, ...(env.unsubscribeMailto ? { unsubscribeMailto: standIns.mailto } : {}) });
    const messageId = messageIdFor(standIns.to, env.date, env.domain);
    const slots: { at: number; length: number; value: Slot | 'text' | 'html' }[] = [];
    let ok = true;
    for (const [value, standIn] of [['to', standIns.to], ['messageId', messageId], ['url', standIns.url], ['mailto', standIns.mailto], ['text', TEXT_SLOT], ['html', HTML_SLOT]] as const) {
      if (!standIn) continue;
      const at = text.indexOf(standIn);
      // Each stand-in exactly once, else this layout is not trusted (and the message gets nodemailer's own).
      if (at < 0 || text.indexOf(standIn, at + 1) >= 0) ok = false;
      slots.push({ at, length: standIn.length, value });
    }
    layout = ok ? { parts: layoutParts(text, slots) } : null;
    if (layouts.size >= LAYOUTS_KEPT) layouts.clear();
    layouts.set(key, layout);
  }
  return layout ? layout.parts : ownLayout(message, env);
}

export function buildMime(message: PersonalMessage, env: Envelope, arena?: MimeArena): Buffer {
  const values = { to: env.to, messageId: messageIdFor(env.to, env.date, env.domain), url: env.unsubscribeUrl, mailto: env.unsubscribeMailto ?? '' };
  const runs: (readonly (Buffer | string)[])[] = [];
  for (const part of personalLayout(message, env, values)) {
    if (part === 'text') runs.push(...message.textBody.runs);
    else if (part === 'html') runs.push(...message.htmlBody.runs);
    else runs.push([typeof part === 'string' ? values[part] : part]);
  }
  return join(runs, arena);
}
/** nodemailer's own streamed build of the same message: the reference `buildMime` is checked against. */
export function buildMimeStreamed(message: PersonalMessage, env: Envelope): Promise<Buffer> {
  const bodies = { text: Buffer.concat(message.textBody.runs.flat()).toString('latin1'), html: Buffer.concat(message.htmlBody.runs.flat()).toString('latin1') };
  return new MailComposer(mailOptions(message, env, bodies)).compile().build();
}
