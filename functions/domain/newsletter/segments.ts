import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { ACTION_TOKEN, FORYOU_REGION, LIBRARY_REGION, MARKER_PATTERN, MATCHES_REGION, numberText, type AbstractCut, type TokenName } from './markers.ts';
import { Base64Piece } from './transfer-encoding.ts';

/**
 * A piece of a compiled newsletter: always sent; sent only for a chosen category; one cut of one
 * paper's abstract (sent for a chosen category when the personaliser picks that cut); or a personal value.
 */
/** A piece's text with both of its encodings ready: QP (concatenates as is) and base64 (at any alignment). */
interface Encoded {
  readonly text: string;
  readonly bytes: number;
  readonly qp: Buffer;
  readonly b64: Base64Piece;
}
export type Segment =
  | ({ readonly kind: 'fixed' } & Encoded)
  | ({ readonly kind: 'category'; readonly slug: string; readonly paper?: number; readonly line?: number; readonly action?: true; readonly dyn?: Dynamic; readonly more?: true } & Encoded)
  | ({ readonly kind: 'abstract'; readonly slug: string; readonly paper: number; readonly cut: AbstractCut } & Encoded)
  | { readonly kind: 'token'; readonly name: TokenName; readonly slug?: string; readonly paper?: number };

/**
 * A number whose value is the reader's mail's (its text is the whole day's): a category's count, or
 * a paper's number in the text part (`width` columns).
 */
export type Dynamic = { readonly count: string; readonly more?: true } | { readonly number: number; readonly width: number };

/** Text bodies use CRLF line ends on the wire, whichever encoding carries them. */
export const wireText = (text: string) => Buffer.from(text.includes('\n') ? text.replace(/\r?\n/g, '\r\n') : text, 'utf8');

/**
 * Quoted-printable for one segment, ending on a soft line break so encoded segments can be
 * concatenated as they are: the recipient's message is assembled without encoding it again.
 * Wrapped at 75 so the last line, with that closing `=`, still keeps RFC 2045's 76.
 */
export function qpSegment(text: string): Buffer {
  if (text === '') return Buffer.alloc(0);
  return Buffer.from(`${qpWrap(qpEncode(wireText(text)), 75)}=\r\n`, 'latin1');
}

const QP_LINE = 76;
const PRINTABLE = /^[\x21-\x7e]*$/;

/**
 * `qpSegment` for a personal value (a link, an address): a message has a dozen, and nodemailer's
 * general encoder costs more than the rest of the message's assembly. Printable ASCII, the whole
 * of almost every value, is written here: `=` as `=3D`, a soft break before a line would pass 76
 * (never inside an `=3D`), and the closing soft break `qpSegment` ends with. Anything else goes to
 * `qpSegment`; both decode to the same text.
 */
export function qpValue(text: string): Buffer {
  if (text === '') return Buffer.alloc(0);
  if (!PRINTABLE.test(text)) return qpSegment(text);
  if (text.length < QP_LINE && !text.includes('=')) return Buffer.from(`${text}=\r\n`, 'latin1');
  const escaped = text.includes('=') ? text.replaceAll('=', '=3D') : text;
  let out = '';
  let from = 0;
  // A line holds 75 characters and the soft break's `=`.
  while (escaped.length - from > QP_LINE - 1) {
    let cut = from + QP_LINE - 1;
    if (escaped[cut - 1] === '=') cut -= 1;
    else if (escaped[cut - 2] === '=') cut -= 2;
    out += `${escaped.slice(from, cut)}=\r\n`;
    from = cut;
  }
  return Buffer.from(`${out}${escaped.slice(from)}=\r\n`, 'latin1');
}

type SegmentHead = { kind: 'fixed' } | { kind: 'category'; slug: string; paper?: number; line?: number; action?: true; dyn?: Dynamic; more?: true } | { kind: 'abstract'; slug: string; paper: number; cut: AbstractCut };

/**
 * A segment of `text`. Its encodings are computed on first use and kept: a sender loading an
 * edition encodes only the pieces of the variants and encodings its readers need.
 */
export function makeSegment(head: SegmentHead, text: string): Exclude<Segment, { kind: 'token' }> {
  let qp: Buffer | undefined;
  let b64: Base64Piece | undefined;
  return {
    ...head,
    text,
    bytes: Buffer.byteLength(text),
    get qp() {
      return (qp ??= qpSegment(text));
    },
    get b64() {
      return (b64 ??= new Base64Piece(wireText(text)));
    },
  };
}

/**
 * Neighbouring segments as one piece (a category's papers in one reader's cuts, runs of fixed
 * text). Its encodings are its parts' own, joined: QP pieces concatenate as they are, and base64
 * starts from the parts' bytes, so a new combination copies bytes instead of encoding text again.
 */
export function joinedSegment(parts: readonly Exclude<Segment, { kind: 'token' }>[]): Exclude<Segment, { kind: 'token' }> {
  let qp: Buffer | undefined;
  let b64: Base64Piece | undefined;
  let text = '';
  let bytes = 0;
  for (const p of parts) {
    text += p.text;
    bytes += p.bytes;
  }
  return {
    kind: 'fixed',
    text,
    bytes,
    get qp() {
      return (qp ??= Buffer.concat(parts.map((p) => p.qp)));
    },
    get b64() {
      return (b64 ??= new Base64Piece(Buffer.concat(parts.map((p) => p.b64.raw))));
    },
  };
}

export class TemplateMarkerError extends Error {}

/** Cuts compiled output at its markers and checks every token appears as often as the template put it. */
export function splitSegments(compiled: string, expectedTokens: Partial<Record<TokenName, number>>): Segment[] {
  const segments: Segment[] = [];
  const seen: Partial<Record<TokenName, number>> = {};
  let category: string | null = null;
  let abstract: { paper: number; cut: AbstractCut } | null = null;
  let paper: number | null = null;
  let line: number | null = null;
  let action = false;
  let more = false;
  let buffer = '';
  const flush = () => {
    if (buffer === '') return;
    if (category === null) segments.push(makeSegment({ kind: 'fixed' }, buffer));
    else if (line !== null) segments.push(makeSegment({ kind: 'category', slug: category, line }, buffer));
    else if (abstract === null) segments.push(makeSegment(paper === null ? { kind: 'category', slug: category, ...(more ? { more: true as const } : {}) } : { kind: 'category', slug: category, paper, ...(action ? { action: true as const } : {}) }, buffer));
    else segments.push(makeSegment({ kind: 'abstract', slug: category, paper: abstract.paper, cut: abstract.cut }, buffer));
    buffer = '';
  };
  for (const piece of compiled.split(MARKER_PATTERN)) {
    const start = /^<!--pb:cat:([A-Za-z0-9-]+)-->$/.exec(piece);
    const end = /^<!--\/pb:cat:([A-Za-z0-9-]+)-->$/.exec(piece);
    const abStart = /^<!--pb:ab:(\d+):([ws])-->$/.exec(piece);
    const abEnd = /^<!--\/pb:ab:(\d+):([ws])-->$/.exec(piece);
    const pStart = /^<!--pb:p:(\d+)-->$/.exec(piece);
    const pEnd = /^<!--\/pb:p:(\d+)-->$/.exec(piece);
    const tok = /^%%pb:([a-z]+)%%$/.exec(piece);
    const uStart = /^<!--pb:u:(\d+)-->$/.exec(piece);
    const uEnd = /^<!--\/pb:u:(\d+)-->$/.exec(piece);
    const count = /^<!--pb:n:([A-Za-z0-9-]+):(\d+)(:m)?-->$/.exec(piece);
    const num = /^<!--pb:#:(\d+):(\d+):(\d+)-->$/.exec(piece);
    if (count || num) {
      // A number of its own, in the whole day's value: a count in its category, a paper's number in its paper.
      if (count && (category !== count[1] || paper !== null || abstract !== null)) throw new TemplateMarkerError(`count of ${count[1]} outside its category`);
      if (num && (category === null || paper !== Number(num[1]) || abstract !== null || action)) throw new TemplateMarkerError(`number of paper ${num[1]} outside its paper`);
      flush();
      if (count) segments.push(makeSegment({ kind: 'category', slug: category!, dyn: { count: count[1]!, ...(count[3] ? { more: true as const } : {}) }, ...(more ? { more: true as const } : {}) }, count[2]!));
      else segments.push(makeSegment({ kind: 'category', slug: category!, paper: paper!, dyn: { number: paper!, width: Number(num![2]) } }, numberText(Number(num![3]), Number(num![2]))));
      continue;
    }
    if (piece === '<!--pb:m-->' || piece === '<!--/pb:m-->') {
      const opens = piece === '<!--pb:m-->';
      if (category === null || paper !== null || more === opens) throw new TemplateMarkerError(`"more on the web" ${opens ? 'opens' : 'closes'} outside a category or twice`);
      flush();
      more = opens;
    } else if (piece === '<!--pb:k-->' || piece === '<!--/pb:k-->') {
      const opens = piece === '<!--pb:k-->';
      if (paper === null || abstract !== null || action === opens) throw new TemplateMarkerError(`action links ${opens ? 'open' : 'close'} outside a paper or twice`);
      flush();
      action = opens;
    } else if (uStart) {
      if (category === null || paper !== null || line !== null) throw new TemplateMarkerError(`line ${uStart[1]} opens outside a category or inside a paper`);
      flush();
      line = Number(uStart[1]);
    } else if (uEnd) {
      if (line !== Number(uEnd[1])) throw new TemplateMarkerError(`line ${uEnd[1]} closes but is not open`);
      flush();
      line = null;
    } else if (pStart) {
      if (category === null || paper !== null) throw new TemplateMarkerError(`paper ${pStart[1]} opens outside a category or inside another`);
      flush();
      paper = Number(pStart[1]);
    } else if (pEnd) {
      if (paper !== Number(pEnd[1]) || abstract !== null) throw new TemplateMarkerError(`paper ${pEnd[1]} closes but is not open`);
      flush();
      paper = null;
    } else if (abStart) {
      if (category === null || abstract !== null || (paper !== null && paper !== Number(abStart[1]))) throw new TemplateMarkerError(`abstract ${abStart[1]} opens outside a category or inside another`);
      flush();
      abstract = { paper: Number(abStart[1]), cut: abStart[2] as AbstractCut };
    } else if (abEnd) {
      if (abstract?.paper !== Number(abEnd[1]) || abstract.cut !== abEnd[2]) throw new TemplateMarkerError(`abstract ${abEnd[1]} closes but is not open`);
      flush();
      abstract = null;
    } else if (start) {
      if (category !== null) throw new TemplateMarkerError(`category ${start[1]} opens inside ${category}`);
      flush();
      category = start[1] ?? '';
    } else if (end) {
      if (category !== end[1] || abstract !== null || paper !== null || line !== null || more) throw new TemplateMarkerError(`category ${end[1]} closes but ${category} is open`);
      flush();
      category = null;
    } else if (tok) {
      const name = tok[1] as TokenName;
      if (name === ACTION_TOKEN) {
        // A paper's own action links: inside the paper (and outside its abstracts), as often as the template writes them.
        if (category === null || paper === null || !action) throw new TemplateMarkerError(`token ${name} outside a paper's action links`);
        flush();
        segments.push({ kind: 'token', name, slug: category, paper });
        continue;
      }
      // Personal values sit outside categories, but for the matches and "for you" regions' own.
      if ((category !== null && category !== MATCHES_REGION && category !== FORYOU_REGION && category !== LIBRARY_REGION) || paper !== null || !(name in expectedTokens)) throw new TemplateMarkerError(`unexpected token ${name}`);
      flush();
      seen[name] = (seen[name] ?? 0) + 1;
      segments.push({ kind: 'token', name });
    } else buffer += piece;
  }
  if (category !== null) throw new TemplateMarkerError(`category ${category} never closes`);
  flush();
  for (const [name, count] of Object.entries(expectedTokens)) {
    if ((seen[name as TokenName] ?? 0) !== count) throw new TemplateMarkerError(`token ${name} appears ${seen[name as TokenName] ?? 0} times, expected ${count}`);
  }
  return segments;
}
