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

function wrapLines(b64: string): Buffer {
  if (b64 === '') return Buffer.alloc(0);
  let out = '';
  for (let i = 0; i < b64.length; i += LINE) out += `${b64.slice(i, i + LINE)}\r\n`;
  return Buffer.from(out, 'latin1');
}

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');

/**
 * The 3-byte group that straddles two pieces, as one base64 line: four characters and CRLF. Written
 * by hand because a message has one per piece boundary (hundreds) and Buffer's own encoder
 * allocates a string and a buffer for each.
 */
function groupLine(a: number, b: number, c: number): Buffer {
  const out = Buffer.allocUnsafe(6);
  out[0] = ALPHABET[a >> 2]!;
  out[1] = ALPHABET[((a & 3) << 4) | (b >> 4)]!;
  out[2] = ALPHABET[((b & 15) << 2) | (c >> 6)]!;
  out[3] = ALPHABET[c & 63]!;
  out[4] = 13;
  out[5] = 10;
  return out;
}

/** One fixed piece of a body, ready to be spliced into base64 at any alignment. */
export class Base64Piece {
  readonly raw: Buffer;
  /** For a start that first gives `k` bytes to the previous group: the encoded whole groups after them. */
  private readonly body: [Buffer, Buffer, Buffer];
  /** …and the 0–2 bytes left over at the end, for the next piece's first group. */
  private readonly tail: [Buffer, Buffer, Buffer];

  constructor(raw: Buffer) {
    this.raw = raw;
    const at = (k: number): [Buffer, Buffer] => {
      const start = Math.min(k, raw.length);
      const whole = start + Math.floor((raw.length - start) / 3) * 3;
      return [wrapLines(raw.subarray(start, whole).toString('base64')), raw.subarray(whole)];
    };
    const [b0, t0] = at(0);
    const [b1, t1] = at(1);
    const [b2, t2] = at(2);
    this.body = [b0, b1, b2];
    this.tail = [t0, t1, t2];
  }

  /** Appends this piece after `carry` (0–2 bytes); returns the new carry. */
  appendTo(out: Buffer[], carry: Buffer): Buffer {
    const need = carry.length === 0 ? 0 : 3 - carry.length;
    if (this.raw.length < need) return Buffer.concat([carry, this.raw]);
    if (need === 1) out.push(groupLine(carry[0]!, carry[1]!, this.raw[0]!));
    else if (need === 2) out.push(groupLine(carry[0]!, this.raw[0]!, this.raw[1]!));
    out.push(this.body[need as 0 | 1 | 2]);
    return this.tail[need as 0 | 1 | 2];
  }
}

/** Appends bytes known only now (a personal value) after `carry`; returns the new carry. */
export function appendDynamic(out: Buffer[], carry: Buffer, bytes: Buffer): Buffer {
  const all = carry.length ? Buffer.concat([carry, bytes]) : bytes;
  const whole = Math.floor(all.length / 3) * 3;
  if (whole) out.push(wrapLines(all.subarray(0, whole).toString('base64')));
  return all.subarray(whole);
}

/** Ends a base64 body: the last partial group, padded. */
export function finishBase64(out: Buffer[], carry: Buffer): void {
  if (carry.length) out.push(wrapLines(carry.toString('base64')));
}

/** The smaller encoding for a body of these raw bytes whose QP form takes `qpBytes`. */
export function smallerEncoding(rawBytes: number, qpBytes: number): TransferEncoding {
  const base64Bytes = Math.ceil(rawBytes / 3) * 4 * (1 + CRLF.length / LINE);
  return base64Bytes < qpBytes ? 'base64' : 'quoted-printable';
}
