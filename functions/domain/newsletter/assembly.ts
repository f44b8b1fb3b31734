import { MarkablePaper } from '../filters/highlight-html.ts';
import { ACTION_TOKEN, numberText, token, UPDATED_REGION, type AbstractCut, type TokenName } from './markers.ts';
import { shows, type View } from './reader-view.ts';
import { joinedSegment, makeSegment, qpValue, wireText, type Segment } from './segments.ts';
import { appendDynamic, finishBase64, type TransferEncoding } from './transfer-encoding.ts';

/** A piece of text with its encodings: a compiled segment, or one assembled from several. */
export type Piece = Exclude<Segment, { kind: 'token' }>;

/** Which cut of each paper's abstract a recipient gets (absent: none). */
export type Cuts = ReadonlyMap<number, AbstractCut>;

/** A listed value's items: pieces, and the names of the reader's own tokens inside them (a paper's action links). */
export type ListItem = Piece | TokenName;

/** The tokens whose value is a list of papers: the matches and "for you". */
export type ListToken = 'matches' | 'foryou' | 'library';
export const LIST_TOKENS: ReadonlySet<TokenName> = new Set<TokenName>(['matches', 'foryou', 'library']);

/**
 * A message's values for its tokens: short strings encoded per message, and the matched and
 * recommended papers as pieces kept per paper (each with its encodings), so a reader's matches cost
 * no encoding of their own.
 */
export type Values = Readonly<Record<Exclude<TokenName, ListToken>, string>> & { readonly [K in ListToken]: readonly ListItem[] };

type TokenSegment = Extract<Segment, { kind: 'token' }>;
/** A paper's own token (its action links) is sent with the paper: not when its category is left out or the paper moved or hidden. */
const tokenShown = (s: { readonly slug?: string; readonly paper?: number }, view: View): boolean => s.paper === undefined || (view.actions && shows(view, s.slug ?? '') && !view.hidden?.has(s.paper));

/**
 * A body ready for the wire: its transfer encoding and the encoded pieces, in order, in runs (the
 * run a shape shares with other readers is not copied for each of them).
 */
export interface EncodedBody {
  readonly encoding: TransferEncoding;
  readonly runs: readonly (readonly Buffer[])[];
}

function kept(s: Piece, view: View, cuts: Cuts): boolean {
  if (s.kind === 'fixed') return true;
  if (!shows(view, s.slug)) return false;
  if (s.kind === 'category' && s.line !== undefined) return view.updated?.has(s.line) ?? false;
  if (s.kind === 'category' && s.action && !view.actions) return false;
  if (s.kind === 'category' && s.more && view.more?.get(s.slug) === 0) return false;
  if (s.kind === 'category') return s.paper === undefined || view.hidden === null || !view.hidden.has(s.paper);
  return cuts.get(s.paper) === s.cut;
}

/** The small pieces of counts and numbers, shared by every reader whose mail has the same (a few hundred a day). */
const dynamicPieces = new Map<string, Piece>();
const dynamicPiece = (text: string): Piece => {
  let piece = dynamicPieces.get(text);
  // A joined piece, as the blocks' pieces are: the assembler's loops then meet one kind of object (measured: mixed kinds cost 5-10% of the bench's CPU).
  if (!piece) dynamicPieces.set(text, (piece = joinedSegment([makeSegment({ kind: 'fixed' }, text)])));
  return piece;
};

/** A segment as this reader's mail has it: a count or number in the mail's own value, anything else as compiled. */
export function resolved(s: Piece, view: View): Piece {
  if (s.kind !== 'category' || !s.dyn) return s;
  const dyn = s.dyn;
  let text: string | undefined;
  if ('count' in dyn) text = (dyn.more ? view.more : view.counts)?.get(dyn.count)?.toString();
  else {
    const n = view.numbers?.get(dyn.number);
    if (n !== undefined) text = numberText(n, dyn.width);
  }
  return dynamicPiece(text ?? s.text);
}

/** A segment's bytes as this reader's mail sends it (0 when it is left out): what a count or number changes in the size. */
export const sentBytes = (s: Piece, view: View, cuts: Cuts): number => (kept(s, view, cuts) ? resolved(s, view).bytes : 0);

/** The part as a string (tests, the local preview): what the encoded pieces decode to. */
export function assemble(segments: readonly Segment[], view: View, cuts: Cuts, values: Values): string {
  let out = '';
  const text = (item: ListItem) => (typeof item === 'string' ? (values as Record<string, unknown>)[item] as string : item.text);
  for (const s of segments) {
    if (s.kind === 'token') {
      if (LIST_TOKENS.has(s.name)) out += values[s.name as ListToken].map(text).join('');
      else if (tokenShown(s, view)) out += values[s.name];
    } else if (kept(s, view, cuts)) out += resolved(s, view).text;
  }
  return out;
}

/**
 * A variant's segments regrouped for assembly: neighbouring always-sent segments as one piece, and
 * each category as one block whose kept text depends only on which cut each of its papers gets.
 * A block's assembled pieces are kept per cut pattern, so a message is a few dozen pieces whatever
 * the number of papers: most readers of a day share the patterns of most categories.
 */
type InCategory = Extract<Segment, { kind: 'category' | 'abstract' }>;
type Item = { readonly kind: 'piece'; readonly piece: Piece } | { readonly kind: 'token'; readonly name: TokenName; readonly slug?: string; readonly paper?: number } | { readonly kind: 'block'; readonly slug: string; readonly segments: readonly InCategory[]; readonly papers: readonly number[]; readonly more: boolean; readonly dynamic: readonly Piece[]; readonly byPattern: Map<string, readonly Piece[]> };

/**
 * Cut patterns kept per category block; past it a block is assembled segment by segment. Each kept
 * pattern holds its text encoded at three base64 alignments: 64 took the 100k bench to 607 MB,
 * 16 keeps it at 467 MB with the same speed (npm run bench -- newsletter).
 */
const PATTERNS_PER_BLOCK = 16;
const plans = new WeakMap<readonly Segment[], readonly Item[]>();

function planOf(segments: readonly Segment[]): readonly Item[] {
  const known = plans.get(segments);
  if (known) return known;
  const items: Item[] = [];
  let fixed = '';
  type Open = { slug: string; segments: InCategory[]; papers: number[]; more: boolean; dynamic: Piece[] };
  let block = null as Open | null;
  const flushFixed = () => {
    if (fixed !== '') items.push({ kind: 'piece', piece: makeSegment({ kind: 'fixed' }, fixed) });
    fixed = '';
  };
  const flushBlock = () => {
    if (block) items.push({ kind: 'block', ...block, byPattern: new Map() });
    block = null;
  };
  for (const seg of segments) {
    if (seg.kind === 'token') {
      flushBlock();
      flushFixed();
      items.push(seg as TokenSegment);
    } else if (seg.kind === 'fixed') {
      flushBlock();
      fixed += seg.text;
    } else {
      let open: Open | null = block;
      if (open?.slug !== seg.slug) {
        flushBlock();
        flushFixed();
        open = { slug: seg.slug, segments: [], papers: [], more: false, dynamic: [] };
        block = open;
      }
      open.segments.push(seg);
      if (seg.kind === 'category' && seg.more) open.more = true;
      if (seg.kind === 'category' && seg.dyn) open.dynamic.push(seg);
      if (seg.paper !== undefined && open.papers[open.papers.length - 1] !== seg.paper) open.papers.push(seg.paper);
    }
  }
  flushBlock();
  flushFixed();
  plans.set(segments, items);
  return items;
}

/** Where in a part's plan the first of these tokens sits (the plan's length when none does). */
export function firstTokenOf(segments: readonly Segment[], names: ReadonlySet<TokenName>): number {
  const plan = planOf(segments);
  const at = plan.findIndex((item) => item.kind === 'token' && names.has(item.name));
  return at < 0 ? plan.length : at;
}

/**
 * The block as a few pieces for this cut pattern, kept for the next reader with the same pattern:
 * its segments joined but for the counts and numbers whose value is not the whole day's, which stay
 * segments of their own (resolved as they are sent), so readers whose numbers differ (a reader of
 * other categories before this one) share the same pieces and their encodings: joining them in
 * meant encoding a shape's whole text part anew, and doubled the bench's CPU. Or, once the block keeps as many patterns as it may,
 * null: the caller then appends the block's segments one by one (each keeps its own encodings),
 * which costs less than encoding a piece once.
 */
function blockPiece(item: Extract<Item, { kind: 'block' }>, view: View, cuts: Cuts): readonly Piece[] | null {
  // The "Updated" list differs with every reader's history: never kept as one piece.
  if (item.slug === UPDATED_REGION) return null;
  let pattern = view.actions ? 'k' : '';
  for (const paper of item.papers) pattern += view.hidden?.has(paper) ? 'x' : (cuts.get(paper) ?? '-');
  if (item.more && view.more?.get(item.slug) === 0) pattern += 'm';
  // A count or number with the whole day's value is joined with its neighbours (most mails of a day
  // have most of them so); one with another value is a piece of its own. A view that hides no paper
  // numbers and counts each category as the day does (see listedNumbers): every one has the day's
  // value, and no value is worked out (a shape's text part has one a paper).
  if (!view.hidden?.size) pattern += '='.repeat(item.dynamic.length);
  else for (const s of item.dynamic) pattern += resolved(s, view).text === s.text ? '=' : '*';
  const known = item.byPattern.get(pattern);
  if (known) return known;
  if (item.byPattern.size >= PATTERNS_PER_BLOCK) return null;
  const pieces: Piece[] = [];
  let run: Piece[] = [];
  const flush = () => {
    if (run.length) pieces.push(joinedSegment(run));
    run = [];
  };
  for (const s of item.segments) {
    if (!kept(s, view, cuts)) continue;
    if (s.kind === 'category' && s.dyn && resolved(s, view).text !== s.text) {
      flush();
      pieces.push(s);
    } else run.push(s);
  }
  flush();
  item.byPattern.set(pattern, pieces);
  return pieces;
}

/**
 * A block whose pattern is not kept, as pieces: its own segments between papers, and each shown
 * paper's run of segments in this block (a paper's action links cut it into runs) as one piece per
 * cut, kept per block, so a reader with an uncommon pattern (filters leave papers out) costs a few
 * dozen pieces, not every segment.
 */
const runPieces = new WeakMap<object, Map<string, Piece>>();
function blockPieces(item: Extract<Item, { kind: 'block' }>, view: View, cuts: Cuts): Piece[] {
  const out: Piece[] = [];
  let runs = runPieces.get(item);
  if (!runs) runPieces.set(item, (runs = new Map()));
  let run: InCategory[] = [];
  let runPaper: number | undefined;
  // A paper's number cuts its segments into runs: the runs' pieces are the same whatever the number.
  let runPart = 0;
  let withNumber = false;
  const flush = () => {
    if (runPaper === undefined || run.length === 0) return;
    // A run holding its paper's number (the whole day's value) is not the run without it.
    const key = `${runPaper}:${runPart}:${cuts.get(runPaper) ?? '-'}:${view.actions ? 'k' : ''}${withNumber ? 'n' : ''}`;
    let piece = runs.get(key);
    if (!piece) runs.set(key, (piece = joinedSegment(run)));
    out.push(piece);
    run = [];
    withNumber = false;
  };
  for (const s of item.segments) {
    if (s.paper === undefined) {
      flush();
      runPaper = undefined;
      // Text between papers (a count among it), and the lines of the "Updated" list.
      if (kept(s, view, cuts)) out.push(s);
      continue;
    }
    if (s.paper !== runPaper) {
      flush();
      runPaper = s.paper;
      runPart = 0;
    }
    if (!kept(s, view, cuts)) continue;
    if (s.kind === 'category' && s.dyn && resolved(s, view).text !== s.text) {
      flush();
      runPart++;
      out.push(s);
    } else {
      if (s.kind === 'category' && s.dyn) withNumber = true;
      run.push(s);
    }
  }
  flush();
  return out;
}

/**
 * A part being encoded: the pieces so far and, in base64, the 0–2 bytes not yet encoded. A shape
 * encodes the part up to the reader's own values once; each reader's message goes on from there.
 */
export class PartEncoder {
  private readonly out: Buffer[] = [];
  private carry: Buffer = Buffer.alloc(0);

  constructor(readonly encoding: TransferEncoding) {}

  private piece(p: Piece): void {
    if (p.bytes === 0) return;
    if (this.encoding === 'quoted-printable') this.out.push(p.qp);
    else this.carry = p.b64.appendTo(this.out, this.carry);
  }

  /** Encodes the plan's items from `from` up to `to` (exclusive). */
  items(segments: readonly Segment[], from: number, to: number, view: View, cuts: Cuts, values: Values): this {
    forEachPiece(segments, from, to, view, cuts, values, (p) => this.piece(p), (text) => {
      if (this.encoding === 'quoted-printable') this.out.push(qpValue(text));
      else this.carry = appendDynamic(this.out, this.carry, wireText(text));
    });
    return this;
  }

  /**
   * The part as one reader gets it: this shared beginning, then `end`, its fixed pieces with the
   * reader's values between them, each piece in its kept encoding (in base64, at the alignment the
   * one before left). A mail holds a value per paper (the action base), so nothing is gathered and
   * encoded again: each value is encoded once per reader and reused.
   */
  finishFor(end: readonly (Piece | string)[], mine: Readonly<Record<string, string>>, lists: Readonly<Partial<Record<ListToken, readonly ListItem[]>>> = {}): EncodedBody {
    const out: Buffer[] = [];
    // A reader's action base is written once a paper: encoded once (per alignment in base64), the same buffers each time.
    if (this.encoding === 'quoted-printable') {
      const encoded = new Map<string, Buffer>();
      const value = (e: string) => {
        if (!mine[e]) return;
        let qp = encoded.get(e);
        if (!qp) encoded.set(e, (qp = qpValue(mine[e])));
        out.push(qp);
      };
      for (const e of end) {
        if (typeof e !== 'string') out.push(e.qp);
        else {
          // A list of the reader's own ("For you" on a shared shape): its pieces, and the reader's values inside it.
          const list = lists[e as ListToken];
          if (list) for (const item of list) typeof item === 'string' ? value(item) : out.push(item.qp);
          else value(e);
        }
      }
      return { encoding: this.encoding, runs: [this.out, out] };
    }
    // Base64, piece after piece at whatever alignment the one before left: each piece's encoding at
    // that alignment is kept, so a reader costs the few bytes at each boundary and their own values.
    const acts = new Map<number, { readonly encoded: readonly Buffer[]; readonly carry: Buffer }>();
    let carry = this.carry;
    const value = (e: string) => {
      if (!mine[e]) return;
      if (e !== ACTION_TOKEN) {
        carry = appendDynamic(out, carry, Buffer.from(mine[e], 'utf8'));
        return;
      }
      // The bytes before the base are always the same few (`="`, spaces): three encodings at most per reader.
      const key = carry.length === 0 ? 0 : carry.length === 1 ? 0x1000000 | carry[0]! : 0x2000000 | (carry[0]! << 8) | carry[1]!;
      let act = acts.get(key);
      if (!act) {
        const encoded: Buffer[] = [];
        act = { encoded, carry: Buffer.from(appendDynamic(encoded, carry, Buffer.from(mine[e], 'utf8'))) };
        acts.set(key, act);
      }
      for (const b of act.encoded) out.push(b);
      carry = act.carry;
    };
    for (const e of end) {
      if (typeof e !== 'string') carry = e.b64.appendTo(out, carry);
      else {
        const list = lists[e as ListToken];
        if (list) for (const item of list) typeof item === 'string' ? value(item) : item.bytes > 0 && (carry = item.b64.appendTo(out, carry));
        else value(e);
      }
    }
    finishBase64(out, carry);
    return { encoding: this.encoding, runs: [this.out, out] };
  }

}

/**
 * The end of a part from plan item `from`, as one reader shape has it: its fixed pieces (blocks
 * and shared values resolved), and the names of the reader's own tokens where their values go.
 */
export function endOf(segments: readonly Segment[], from: number, view: View, cuts: Cuts, values: Values, own: ReadonlySet<TokenName>, ownLists: ReadonlySet<TokenName> = NO_LISTS): (Piece | TokenName)[] {
  const end: (Piece | TokenName)[] = [];
  const plan = planOf(segments);
  const spans = spansOf(plan);
  const piece = (p: Piece) => p.bytes > 0 && end.push(p);
  const value = (text: string) => end.push(makeSegment({ kind: 'fixed' }, text));
  // A view that hides papers numbers them its own way: its categories are worked out item by item.
  const keepSpans = !view.hidden?.size;
  // The items between the reader's own tokens go to forEachPiece a run at a time (a part's plan has hundreds of them).
  let run = from;
  for (let i = from; i < plan.length; i++) {
    const span = keepSpans ? spans.get(i) : undefined;
    if (span) {
      forEachPiece(segments, run, i, view, cuts, values, piece, value);
      for (const entry of spanEntries(span, segments, view, cuts, values, own, ownLists)) end.push(entry);
      i = span.to - 1;
      run = span.to;
      continue;
    }
    const item = plan[i]!;
    if (item.kind !== 'token') continue;
    // A list each reader brings (finishFor's `lists`): its name, where its pieces go.
    const theirList = ownLists.has(item.name);
    // A list with the reader's own tokens inside: its pieces, and those tokens' names.
    const listWithTheirs = !theirList && LIST_TOKENS.has(item.name) && own.has(item.name);
    if (!theirList && !listWithTheirs && !own.has(item.name)) continue;
    forEachPiece(segments, run, i, view, cuts, values, piece, value);
    run = i + 1;
    endEntry(item, end, values, own, ownLists, view);
  }
  forEachPiece(segments, run, plan.length, view, cuts, values, piece, value);
  return end;
}

/** What `endOf` writes for a token of the reader's own: its name (or a list's pieces and names). */
function endEntry(item: Extract<Item, { kind: 'token' }>, end: (Piece | TokenName)[], values: Values, own: ReadonlySet<TokenName>, ownLists: ReadonlySet<TokenName>, view: View): void {
  if (ownLists.has(item.name)) end.push(item.name);
  else if (LIST_TOKENS.has(item.name) && own.has(item.name)) {
    for (const entry of values[item.name as ListToken]) if (typeof entry === 'string' || entry.bytes > 0) end.push(entry);
  } else if (tokenShown(item, view)) end.push(item.name);
}

/**
 * One category's run of a part's plan: its papers' blocks and the action tokens between them (each
 * paper's links cut its category into a few blocks). A shape's end is worked out once a category,
 * not once a block: the same category, cuts and links give the same pieces and token names, which
 * the run keeps for the next shape (a 250-paper day's part has ~1,000 blocks; looking each one's
 * pattern up was most of a shape's cost).
 */
interface Span {
  readonly slug: string;
  readonly from: number;
  readonly to: number;
  readonly papers: readonly number[];
  /** The names of the (paper) tokens in it. */
  readonly tokens: readonly TokenName[];
  readonly kept: Map<string, readonly (Piece | TokenName)[]>;
}

const spanPlans = new WeakMap<readonly Item[], ReadonlyMap<number, Span>>();
/** The plan's category runs by their first item (runs of one block gain nothing, and "Updated" differs per reader). */
function spansOf(plan: readonly Item[]): ReadonlyMap<number, Span> {
  let spans = spanPlans.get(plan);
  if (spans) return spans;
  const found = new Map<number, Span>();
  const slugOf = (item: Item): string | undefined => (item.kind === 'block' ? item.slug : item.kind === 'token' && item.paper !== undefined ? item.slug : undefined);
  for (let i = 0; i < plan.length; ) {
    const slug = slugOf(plan[i]!);
    let to = i + 1;
    while (slug !== undefined && to < plan.length && slugOf(plan[to]!) === slug) to++;
    if (slug !== undefined && slug !== UPDATED_REGION && to - i > 1) {
      const papers: number[] = [];
      const tokens = new Set<TokenName>();
      for (let k = i; k < to; k++) {
        const item = plan[k]!;
        if (item.kind === 'token') tokens.add(item.name);
        for (const p of item.kind === 'block' ? item.papers : item.kind === 'token' && item.paper !== undefined ? [item.paper] : []) if (papers[papers.length - 1] !== p) papers.push(p);
      }
      found.set(i, { slug, from: i, to, papers, tokens: [...tokens], kept: new Map() });
    }
    i = to;
  }
  spanPlans.set(plan, (spans = found));
  return spans;
}

/** Patterns a category run keeps (each ~50-100 references; measured: 20,000 readers of a 250-paper day made ~70 a run, by where their abstracts stop). */
const PATTERNS_PER_SPAN = 128;

function spanEntries(span: Span, segments: readonly Segment[], view: View, cuts: Cuts, values: Values, own: ReadonlySet<TokenName>, ownLists: ReadonlySet<TokenName>): readonly (Piece | TokenName)[] {
  // Not shown: none of its segments is kept, and its tokens (each a paper's) are not shown.
  if (!shows(view, span.slug)) return NO_ENTRIES;
  // All that decides what the run sends when no paper is hidden and its tokens (each paper's action
  // base) are the reader's own (see kept, tokenShown, blockPiece): not which of the mail's other
  // tokens are, so a shared "For you" shape and a plain one of the same choices share their runs.
  // A token of the shape's own would bring the shape's value in: such a run is worked out, not kept.
  const keep = span.tokens.every((name) => own.has(name) && !ownLists.has(name));
  let pattern = `${view.actions ? 'k' : ''}${view.more?.get(span.slug) === 0 ? 'm' : ''}|`;
  for (const paper of span.papers) pattern += cuts.get(paper) ?? '-';
  const known = keep ? span.kept.get(pattern) : undefined;
  if (known) return known;
  const entries: (Piece | TokenName)[] = [];
  const plan = planOf(segments);
  const piece = (p: Piece) => p.bytes > 0 && entries.push(p);
  for (let i = span.from; i < span.to; i++) {
    const item = plan[i]!;
    if (item.kind === 'token' && (ownLists.has(item.name) || own.has(item.name))) endEntry(item, entries, values, own, ownLists, view);
    else forEachPiece(segments, i, i + 1, view, cuts, values, piece, (text) => entries.push(makeSegment({ kind: 'fixed' }, text)));
  }
  if (keep && span.kept.size < PATTERNS_PER_SPAN) span.kept.set(pattern, entries);
  return entries;
}

const NO_ENTRIES: readonly (Piece | TokenName)[] = [];

const NO_LISTS: ReadonlySet<TokenName> = new Set();

/** The pieces of the plan's items from `from` to `to`, and the token values between them, in order. */
function forEachPiece(segments: readonly Segment[], from: number, to: number, view: View, cuts: Cuts, values: Values, piece: (p: Piece) => unknown, value: (text: string) => unknown): void {
  const plan = planOf(segments);
  const last = Math.min(to, plan.length);
  for (let i = from; i < last; i++) {
    const item = plan[i]!;
    if (item.kind === 'token') {
      if (LIST_TOKENS.has(item.name)) for (const entry of values[item.name as ListToken]) typeof entry === 'string' ? values[entry as Exclude<TokenName, ListToken>] !== '' && value(values[entry as Exclude<TokenName, ListToken>]) : piece(entry);
      else {
        const own = values[item.name as Exclude<TokenName, ListToken>];
        if (own !== '' && tokenShown(item, view)) value(own);
      }
    } else if (item.kind === 'piece') piece(item.piece);
    else if (shows(view, item.slug)) {
      const kept = blockPiece(item, view, cuts) ?? blockPieces(item, view, cuts);
      for (const p of kept) piece(resolved(p, view));
    }
  }
}

/** Each paper's own segments in a variant, for the matches section: the day's first variant has every paper. */
const paperSegments = new WeakMap<readonly Segment[], Map<number, (InCategory | TokenSegment)[]>>();

function segmentsOfPaper(segments: readonly Segment[], paper: number): readonly (InCategory | TokenSegment)[] {
  let byPaper = paperSegments.get(segments);
  if (!byPaper) {
    byPaper = new Map();
    for (const s of segments) {
      if ((s.kind !== 'category' && s.kind !== 'abstract' && s.kind !== 'token') || s.paper === undefined) continue;
      const list = byPaper.get(s.paper) ?? [];
      list.push(s);
      byPaper.set(s.paper, list);
    }
    paperSegments.set(segments, byPaper);
  }
  return byPaper.get(paper) ?? [];
}

/** Where a paper's action links go in its text while it is marked: the token itself, which content can never form. */
const ACTION_MARK = token(ACTION_TOKEN);

/** One paper as the matches section shows it, in its cut of the abstract, its action tokens as their marker, numbered `number` (the text part's). */
function paperText(segments: readonly Segment[], paper: number, cut: AbstractCut | null, number: number): string {
  let text = '';
  for (const s of segmentsOfPaper(segments, paper)) {
    if (s.kind === 'token') text += ACTION_MARK;
    else if (s.kind === 'category' && s.dyn && 'number' in s.dyn) text += numberText(number, s.dyn.width);
    else if (s.kind === 'category' || s.cut === cut) text += s.text;
  }
  return text;
}

/**
 * A paper as a piece, per variant, cut and the terms marked in it. A paper holds one or two of a
 * reader's terms, so a day's readers share these pieces, and their encodings, widely.
 */
const paperPieces = new WeakMap<readonly Segment[], Map<string, { markable: MarkablePaper | null; pieces: Map<string, readonly ListItem[]> }>>();

/** Bytes of a list's pieces (its tokens' values are the reader's own, counted apart). */
export const listBytes = (items: readonly ListItem[]): number => items.reduce((n, p) => n + (typeof p === 'string' ? 0 : p.bytes), 0);

/** A paper in a list (the matches, "For you", "Your library"), numbered `number` in the text part (the HTML has no numbers). */
export function matchedPiece(segments: readonly Segment[], paper: number, cut: AbstractCut | null, terms: readonly string[] | null, number = paper + 1): readonly ListItem[] {
  let papers = paperPieces.get(segments);
  if (!papers) paperPieces.set(segments, (papers = new Map()));
  const key = `${paper}:${cut ?? '-'}:${number}`;
  let entry = papers.get(key);
  if (!entry) papers.set(key, (entry = { markable: null, pieces: new Map() }));
  const termKey = terms ? terms.join('\u0000') : '';
  let piece = entry.pieces.get(termKey);
  if (!piece) {
    const text = paperText(segments, paper, cut, number);
    // Marked whole (the marker sits inside an href, which marking never touches), then cut at its action tokens.
    const marked = terms?.length ? (entry.markable ??= new MarkablePaper(text)).mark(terms) : text;
    const items: ListItem[] = [];
    marked.split(ACTION_MARK).forEach((chunk, i) => {
      if (i > 0) items.push(ACTION_TOKEN);
      if (chunk !== '') items.push(makeSegment({ kind: 'fixed' }, chunk));
    });
    entry.pieces.set(termKey, (piece = items));
  }
  return piece;
}
