/**
 * Content-Transfer-Encoding for mail bodies assembled from pre-encoded pieces.
 *
 * Quoted-printable writes every byte of a Chinese character as `=XX` (three bytes for one), base64
 * four for three: a Chinese-heavy part is a third the size in base64, an English one smaller in QP.
 * Each part takes whichever is smaller for its edition variant.
 *
 * Base64 works on 3-byte groups, so pieces cannot simply be concatenated as QP pieces can. Each
 * piece is encoded three times ahead, once for each way it can start (0, 1 or 2 of its bytes
 * completing the previous piece's last group); a message then only encodes the few bytes at piece
 * boundaries and its personal values. Lines end wherever a piece ends: shorter lines are valid
 * (RFC 2045 caps them at 76 characters, not below), and decoders skip line breaks.
 */
export type TransferEncoding = 'quoted-printable' | 'base64';

const LINE = 76;
const CRLF = Buffer.from('\r\n');

/** Base64 text as lines of 76 characters and CRLF, written straight into one buffer. */
function wrapLines(b64: string): Buffer {
  if (b64 === '') return Buffer.alloc(0);
  const lines = Math.ceil(b64.length / LINE);
  const out = Buffer.allocUnsafe(b64.length + lines * CRLF.length);
  let at = 0;
  for (let i = 0; i < b64.length; i += LINE) {
    at += out.write(b64.slice(i, i + LINE), at, 'latin1');
    out[at++] = 13;
    out[at++] = 10;
  }
  return out;
}

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');

/**
 * The 3-byte group that straddles two pieces, as one base64 line: four characters and CRLF. Written
 * by hand because a message has one per piece boundary (hundreds) and Buffer's own encoder
 * allocates a string and a buffer for each.
 */
const groupLines = new Map<number, Buffer>();
/** Kept per three bytes (never changed once written): a day's boundaries repeat the same few triples. */
const GROUP_LINES_KEPT = 1 << 16;
function groupLine(a: number, b: number, c: number): Buffer {
  const key = (a << 16) | (b << 8) | c;
  const known = groupLines.get(key);
  if (known) return known;
  const out = Buffer.allocUnsafe(6);
  out[0] = ALPHABET[a >> 2]!;
  out[1] = ALPHABET[((a & 3) << 4) | (b >> 4)]!;
  out[2] = ALPHABET[((b & 15) << 2) | (c >> 6)]!;
  out[3] = ALPHABET[c & 63]!;
  out[4] = 13;
  out[5] = 10;
  if (groupLines.size >= GROUP_LINES_KEPT) groupLines.clear();
  groupLines.set(key, out);
  return out;
}

/**
 * One fixed piece of a body, ready to be spliced into base64 at any alignment. Each alignment is
 * encoded when first asked for: most pieces are only ever sent at one or two of them.
 */
export class Base64Piece {
  readonly raw: Buffer;
  /** For a start that first gives `k` bytes to the previous group: the encoded whole groups after them. */
  private readonly body: (Buffer | undefined)[] = [undefined, undefined, undefined];
  private readonly tail: (Buffer | undefined)[] = [undefined, undefined, undefined];

  constructor(raw: Buffer) {
    this.raw = raw;
  }

  /** Encodes the whole groups after the first `k` bytes, and keeps the 0–2 bytes left over. */
  private encode(k: 0 | 1 | 2): void {
    const start = Math.min(k, this.raw.length);
    const whole = start + Math.floor((this.raw.length - start) / 3) * 3;
    this.body[k] = wrapLines(this.raw.toString('base64', start, whole));
    this.tail[k] = this.raw.subarray(whole);
  }

  /** Appends this piece after `carry` (0–2 bytes); returns the new carry. */
  appendTo(out: Buffer[], carry: Buffer): Buffer {
    const need = carry.length === 0 ? 0 : 3 - carry.length;
    if (this.raw.length < need) return Buffer.concat([carry, this.raw]);
    if (need === 1) out.push(groupLine(carry[0]!, carry[1]!, this.raw[0]!));
    else if (need === 2) out.push(groupLine(carry[0]!, this.raw[0]!, this.raw[1]!));
    const k = need as 0 | 1 | 2;
    if (!this.body[k]) this.encode(k);
    if (this.body[k]!.length) out.push(this.body[k]!);
    return this.tail[k]!;
  }
}

/** Appends bytes known only now (a personal value) after `carry`; returns the new carry. */
export function appendDynamic(out: Buffer[], carry: Buffer, bytes: Buffer): Buffer {
  const all = carry.length ? Buffer.concat([carry, bytes]) : bytes;
  const whole = Math.floor(all.length / 3) * 3;
  if (whole) out.push(wrapLines(all.subarray(0, whole).toString('base64')));
  return all.subarray(whole);
}

/** Ends a base64 body with the bytes not yet encoded: the last partial group (padded), or more. */
export function finishBase64(out: Buffer[], carry: Buffer): void {
  if (carry.length) out.push(carry.length <= SMALL ? base64Lines(carry) : wrapLines(carry.toString('base64')));
}

/** Up to this many bytes, `base64Lines` beats Buffer's encoder and the line wrapping after it. */
const SMALL = 8 * 1024;
const PAD = 61; // '='

/**
 * Base64 in lines of 76 characters and CRLF, written straight into one buffer: a message's own end
 * (a kilobyte or two) costs a string, a slice per line and a buffer the other way.
 */
function base64Lines(raw: Buffer): Buffer {
  const chars = Math.ceil(raw.length / 3) * 4;
  const out = Buffer.allocUnsafe(chars + Math.ceil(chars / LINE) * CRLF.length);
  const whole = raw.length - (raw.length % 3);
  let at = 0;
  let line = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (raw[i]! << 16) | (raw[i + 1]! << 8) | raw[i + 2]!;
    out[at] = ALPHABET[n >> 18]!;
    out[at + 1] = ALPHABET[(n >> 12) & 63]!;
    out[at + 2] = ALPHABET[(n >> 6) & 63]!;
    out[at + 3] = ALPHABET[n & 63]!;
    at += 4;
    line += 4;
    if (line === LINE) {
      out[at++] = 13;
      out[at++] = 10;
      line = 0;
    }
  }
  if (whole < raw.length) {
    const a = raw[whole]!;
    const b = whole + 1 < raw.length ? raw[whole + 1]! : 0;
    out[at++] = ALPHABET[a >> 2]!;
    out[at++] = ALPHABET[((a & 3) << 4) | (b >> 4)]!;
    out[at++] = whole + 1 < raw.length ? ALPHABET[(b & 15) << 2]! : PAD;
    out[at++] = PAD;
    line += 4;
  }
  if (line > 0) {
    out[at++] = 13;
    out[at++] = 10;
  }
  return out;
}

/** The smaller encoding for a body of these raw bytes whose QP form takes `qpBytes`. */
export function smallerEncoding(rawBytes: number, qpBytes: number): TransferEncoding {
  const base64Bytes = Math.ceil(rawBytes / 3) * 4 * (1 + CRLF.length / LINE);
  return base64Bytes < qpBytes ? 'base64' : 'quoted-printable';
}
