import { hasFilters, looksForMatches, type Filters } from '../filters/filter-terms.ts';
import { MarkablePaper } from '../filters/highlight-html.ts';
import { mailSelection } from '../filters/mail-selection.ts';
import { PaperIndex, termsIn } from '../filters/match-papers.ts';
import { escapeHtml } from '../html.ts';
import { categoryLabel, type Lang } from '../language.ts';
import { CONTENT_LEVELS, HTML_TOKENS, type CompiledVariant, type Edition } from './edition.ts';
import { CONTENTS_REGION, MATCHES_REGION, UPDATED_REGION, type AbstractCut, type TokenName } from './markers.ts';
import { makeSegment, qpSegment, wireText, type Segment } from './segments.ts';
import { appendDynamic, finishBase64, type TransferEncoding } from './transfer-encoding.ts';

/** Gmail clips messages whose HTML passes ~102 KB; keep a margin for what the MIME layer adds. */
export const HTML_BUDGET_BYTES = 100_000;

export interface Recipient {
  readonly email: string;
  readonly lang: Lang;
  /** Category slugs, or every category. */
  readonly categories: 'all' | readonly string[];
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
  /** The language link's base: the mail appends `&lang=…` for each other language. */
  readonly languageUrl: string;
  /** The reader's private RSS feed of what their mail selects. */
  readonly feedUrl: string;
  /** Keywords, exclusions, authors: matches first, excluded papers nowhere. */
  readonly filters?: Filters;
  /** arXiv ids this reader was mailed in the last 30 days: not shown as new again. */
  readonly seen?: ReadonlySet<string>;
  /** Those papers in a compact "Updated" list at the end (the default), or left out. */
  readonly repeats?: 'updated' | 'omit';
}

export interface PersonalMessage {
  readonly subject: string;
  readonly preheader: string;
  readonly papers: number;
  /** Index into CONTENT_LEVELS of the variant that fitted. */
  readonly level: number;
  readonly htmlBytes: number;
  /** Papers in the mail itself (the rest, if any, behind "N more on the web"). */
  readonly shownPapers: number;
  /** Papers shown with a whole abstract, and with its first sentence. */
  readonly abstracts: { readonly whole: number; readonly sentence: number };
  /** Papers in the "Matches" section (0 without filters). */
  readonly matches: number;
  /** Papers in the "Updated" list: mailed to this reader before. */
  readonly updated: number;
  /** arXiv ids of the papers this mail shows as new: what the next mails will not show as new again. */
  readonly newIds: readonly string[];
  html(): string;
  text(): string;
  /** The bodies as the pre-encoded pieces they are made of, each in its part's smaller encoding. */
  readonly htmlBody: EncodedBody;
  readonly textBody: EncodedBody;
}

export type Personalised = { readonly send: true; readonly message: PersonalMessage } | { readonly send: false; readonly reason: 'no-papers-in-chosen-categories' | 'nothing-matches-the-filters' | 'nothing-new' };

const papersEn = (n: number) => (n === 1 ? '1 new paper' : `${n} new papers`);

export function subjectFor(lang: Lang, date: string, papers: number): string {
  if (lang === 'en') return `Paperboy ${date}: ${papersEn(papers).replace('new', 'new cs.CV')}`;
  if (lang === 'zh') return `Paperboy ${date}：${papers} 篇新论文`;
  return `Paperboy ${date}: ${papersEn(papers)} · ${papers} 篇新论文`;
}

/** Inbox previews show 40 to 140 characters; past that a preheader only costs bytes. */
export const PREHEADER_CHARS = 110;

/**
 * The line an inbox shows under the subject. For one or two categories the papers themselves (the
 * first titles) say most; for more, what the day holds per category. Capped at PREHEADER_CHARS.
 */
export function preheaderFor(lang: Lang, chosen: Edition['categories']): string {
  const full =
    chosen.length <= 2
      ? chosen.map((c) => (lang === 'zh' && c.firstTitle.zh ? c.firstTitle.zh : c.firstTitle.en)).join(' · ')
      : chosen.map((c) => `${categoryLabel(c.category, lang)} ${c.papers}`).join(' · ');
  const chars = [...full];
  return chars.length <= PREHEADER_CHARS ? full : `${chars.slice(0, PREHEADER_CHARS - 1).join('').trimEnd()}…`;
}

/** Which cut of each paper's abstract a recipient gets (absent: none). */
type Cuts = ReadonlyMap<number, AbstractCut>;

/** What one reader's mail keeps of a compiled variant. */
interface View {
  /** Categories shown; null: every one. */
  readonly categories: ReadonlySet<string> | null;
  /** The "Matches" region (readers with keywords or authors). */
  readonly matches: boolean;
  /** The contents heading (left out when no category is shown). */
  readonly contents: boolean;
  /** Papers left out of their categories: moved to the matches, or excluded. */
  readonly hidden: ReadonlySet<number> | null;
  /** Papers in the "Updated" list; null: no list. */
  readonly updated: ReadonlySet<number> | null;
}

const shows = (view: View, slug: string) =>
  slug === MATCHES_REGION ? view.matches : slug === CONTENTS_REGION ? view.contents : slug === UPDATED_REGION ? (view.updated?.size ?? 0) > 0 : view.categories === null || view.categories.has(slug);

function kept(s: Exclude<Segment, { kind: 'token' }>, view: View, cuts: Cuts): boolean {
  if (s.kind === 'fixed') return true;
  if (!shows(view, s.slug)) return false;
  if (s.kind === 'category' && s.line !== undefined) return view.updated?.has(s.line) ?? false;
  if (s.kind === 'category') return s.paper === undefined || view.hidden === null || !view.hidden.has(s.paper);
  return cuts.get(s.paper) === s.cut;
}

/**
 * A reader's personal values: short strings encoded per message, and the matched papers as pieces
 * kept per paper (each with its encodings), so a reader's matches cost no encoding of their own.
 */
type Values = Readonly<Record<Exclude<TokenName, 'matches'>, string>> & { readonly matches: readonly Piece[] };

function assemble(segments: readonly Segment[], view: View, cuts: Cuts, values: Values): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'token') out += s.name === 'matches' ? values.matches.map((p) => p.text).join('') : values[s.name];
    else if (kept(s, view, cuts)) out += s.text;
  }
  return out;
}

type Piece = Exclude<Segment, { kind: 'token' }>;

/**
 * A variant's segments regrouped for assembly: neighbouring always-sent segments as one piece, and
 * each category as one block whose kept text depends only on which cut each of its papers gets.
 * A block's assembled pieces are kept per cut pattern, so a message is a few dozen pieces whatever
 * the number of papers: most readers of a day share the patterns of most categories.
 */
type InCategory = Extract<Segment, { kind: 'category' | 'abstract' }>;
type Item = { readonly kind: 'piece'; readonly piece: Piece } | { readonly kind: 'token'; readonly name: TokenName } | { readonly kind: 'block'; readonly slug: string; readonly segments: readonly InCategory[]; readonly papers: readonly number[]; readonly byPattern: Map<string, Piece> };

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
  type Open = { slug: string; segments: InCategory[]; papers: number[] };
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
      items.push({ kind: 'token', name: seg.name });
    } else if (seg.kind === 'fixed') {
      flushBlock();
      fixed += seg.text;
    } else {
      let open: Open | null = block;
      if (open?.slug !== seg.slug) {
        flushBlock();
        flushFixed();
        open = { slug: seg.slug, segments: [], papers: [] };
        block = open;
      }
      open.segments.push(seg);
      if (seg.paper !== undefined && open.papers[open.papers.length - 1] !== seg.paper) open.papers.push(seg.paper);
    }
  }
  flushBlock();
  flushFixed();
  plans.set(segments, items);
  return items;
}

/**
 * The block as one piece for this cut pattern, kept for the next reader with the same pattern; or,
 * once the block keeps as many patterns as it may, null: the caller then appends the block's
 * segments one by one (each keeps its own encodings), which costs less than encoding a piece once.
 */
function blockPiece(item: Extract<Item, { kind: 'block' }>, view: View, cuts: Cuts): Piece | null {
  // The "Updated" list differs with every reader's history: never kept as one piece.
  if (item.slug === UPDATED_REGION) return null;
  let pattern = '';
  for (const paper of item.papers) pattern += view.hidden?.has(paper) ? 'x' : (cuts.get(paper) ?? '-');
  const known = item.byPattern.get(pattern);
  if (known) return known;
  if (item.byPattern.size >= PATTERNS_PER_BLOCK) return null;
  let text = '';
  for (const s of item.segments) if (kept(s, view, cuts)) text += s.text;
  const piece = makeSegment({ kind: 'fixed' }, text);
  item.byPattern.set(pattern, piece);
  return piece;
}

/**
 * A block whose pattern is not kept, as pieces: its own segments between papers, and each shown
 * paper as one piece per cut (kept per variant), so a reader with an uncommon pattern (filters
 * leave papers out) costs a few dozen pieces, not every segment.
 */
function blockPieces(segments: readonly Segment[], item: Extract<Item, { kind: 'block' }>, view: View, cuts: Cuts): Piece[] {
  const out: Piece[] = [];
  let last: number | undefined;
  for (const s of item.segments) {
    if (s.paper === undefined) {
      // Text between papers, and the lines of the "Updated" list.
      if (kept(s, view, cuts)) out.push(s);
      continue;
    }
    if (s.paper === last) continue;
    last = s.paper;
    if (!view.hidden?.has(s.paper)) out.push(matchedPiece(segments, s.paper, cuts.get(s.paper) ?? null, null));
  }
  return out;
}

/** The same cut, as encoded pieces: nothing is encoded again but the personal values and base64's piece boundaries. */
function assembleEncoded(segments: readonly Segment[], view: View, cuts: Cuts, values: Values, encoding: TransferEncoding): EncodedBody {
  const out: Buffer[] = [];
  const qp = encoding === 'quoted-printable';
  let carry: Buffer = Buffer.alloc(0);
  for (const item of planOf(segments)) {
    if (item.kind === 'token') {
      const name = item.name;
      if (name === 'matches') {
        for (const p of values.matches) {
          if (qp) out.push(p.qp);
          else carry = p.b64.appendTo(out, carry);
        }
      } else if (qp) out.push(qpSegment(values[name]));
      else carry = appendDynamic(out, carry, wireText(values[name]));
      continue;
    }
    if (item.kind === 'block' && !shows(view, item.slug)) continue;
    const piece = item.kind === 'piece' ? item.piece : blockPiece(item, view, cuts);
    const pieces = piece ? [piece] : item.kind === 'block' ? blockPieces(segments, item, view, cuts) : [];
    for (const p of pieces) {
      if (p.bytes === 0) continue;
      if (qp) {
        out.push(p.qp);
        continue;
      }
      carry = p.b64.appendTo(out, carry);
    }
  }
  if (!qp) finishBase64(out, carry);
  return { encoding, pieces: out };
}

/** A body ready for the wire: its transfer encoding and the encoded pieces, in order. */
export interface EncodedBody {
  readonly encoding: TransferEncoding;
  readonly pieces: readonly Buffer[];
}

/**
 * Abstracts for as many papers as the budget allows, richest first: whole ones for all if they fit;
 * else a first sentence for every paper it can (in reading order), then whole ones again in
 * reading order for as many as the rest allows.
 */
export function chooseCuts(abstracts: CompiledVariant['abstracts'], shown: (a: CompiledVariant['abstracts'][number]) => boolean, room: number): Map<number, AbstractCut> {
  const mine = abstracts.filter(shown);
  const cuts = new Map<number, AbstractCut>();
  const whole = mine.reduce((n, a) => n + a.w, 0);
  if (whole <= room) {
    for (const a of mine) cuts.set(a.paper, 'w');
    return cuts;
  }
  let left = room;
  for (const a of mine) {
    if (a.s > left) break;
    cuts.set(a.paper, 's');
    left -= a.s;
  }
  for (const a of mine) {
    if (cuts.get(a.paper) !== 's' || a.w - a.s > left) continue;
    cuts.set(a.paper, 'w');
    left -= a.w - a.s;
  }
  return cuts;
}

/** Each paper's own segments in a variant, for the matches section: the day's first variant has every paper. */
const paperSegments = new WeakMap<readonly Segment[], Map<number, Extract<Segment, { kind: 'category' | 'abstract' }>[]>>();

function segmentsOfPaper(segments: readonly Segment[], paper: number): readonly Extract<Segment, { kind: 'category' | 'abstract' }>[] {
  let byPaper = paperSegments.get(segments);
  if (!byPaper) {
    byPaper = new Map();
    for (const s of segments) {
      if ((s.kind !== 'category' && s.kind !== 'abstract') || s.paper === undefined) continue;
      const list = byPaper.get(s.paper) ?? [];
      list.push(s);
      byPaper.set(s.paper, list);
    }
    paperSegments.set(segments, byPaper);
  }
  return byPaper.get(paper) ?? [];
}

/** One paper as the matches section shows it, in its cut of the abstract. */
function paperText(segments: readonly Segment[], paper: number, cut: AbstractCut | null): string {
  let text = '';
  for (const s of segmentsOfPaper(segments, paper)) if (s.kind === 'category' || s.cut === cut) text += s.text;
  return text;
}

/**
 * A matched paper as a piece, per variant, cut and the terms marked in it. A paper holds one or two
 * of a reader's terms, so a day's readers share these pieces, and their encodings, widely.
 */
const matchedPieces = new WeakMap<readonly Segment[], Map<string, { markable: MarkablePaper | null; pieces: Map<string, Piece> }>>();

function matchedPiece(segments: readonly Segment[], paper: number, cut: AbstractCut | null, terms: readonly string[] | null): Piece {
  let papers = matchedPieces.get(segments);
  if (!papers) matchedPieces.set(segments, (papers = new Map()));
  const key = `${paper}:${cut ?? '-'}`;
  let entry = papers.get(key);
  if (!entry) papers.set(key, (entry = { markable: null, pieces: new Map() }));
  const termKey = terms ? terms.join('\u0000') : '';
  let piece = entry.pieces.get(termKey);
  if (!piece) {
    const text = paperText(segments, paper, cut);
    const marked = terms?.length ? (entry.markable ??= new MarkablePaper(text)).mark(terms) : text;
    entry.pieces.set(termKey, (piece = makeSegment({ kind: 'fixed' }, marked)));
  }
  return piece;
}

const indexes = new WeakMap<Edition, PaperIndex>();
function indexOf(edition: Edition): PaperIndex {
  let index = indexes.get(edition);
  if (!index) indexes.set(edition, (index = new PaperIndex(edition.papers)));
  return index;
}

interface Selected {
  readonly view: View;
  /** Papers in the mail as new, matches included. */
  readonly papers: number;
  readonly matches: readonly number[];
  /** Categories with a paper to show, in the day's order. */
  readonly shownCategories: Edition['categories'];
  /** Papers the reader had before (in the "Updated" list or left out). */
  readonly repeats: number;
}

const categoryLists = new WeakMap<Edition, readonly string[]>();
function categoryOf(edition: Edition): readonly string[] {
  let list = categoryLists.get(edition);
  if (!list) categoryLists.set(edition, (list = edition.papers.map((p) => p.category)));
  return list;
}

const positions = new WeakMap<Edition, readonly number[]>();
/** Each paper's 1-based place in its category (a content level shows the first N). */
function positionsOf(edition: Edition): readonly number[] {
  let list = positions.get(edition);
  if (!list) {
    const count = new Map<string, number>();
    positions.set(edition, (list = edition.papers.map((p) => count.set(p.category, (count.get(p.category) ?? 0) + 1).get(p.category) ?? 0)));
  }
  return list;
}

/**
 * Which regions and papers a reader gets: their categories, or with filters the matches first and
 * the rest after; a paper they were mailed before is not shown as new but listed under "Updated".
 */
function select(edition: Edition, r: Recipient): Selected {
  const chosen = r.categories === 'all' ? null : new Set(r.categories);
  const filtered = hasFilters(r.filters);
  const isSeen = (n: number) => r.seen?.has(edition.papers[n]?.arxivId ?? '') ?? false;
  if ((!filtered && (r.seen?.size ?? 0) === 0) || edition.papers.length === 0) {
    const shownCategories = edition.categories.filter((c) => chosen === null || chosen.has(c.category.slug));
    return { view: { categories: chosen, matches: false, contents: true, hidden: null, updated: null }, papers: shownCategories.reduce((n, c) => n + c.papers, 0), matches: [], shownCategories, repeats: 0 };
  }
  const sel = mailSelection(indexOf(edition), categoryOf(edition), { categories: r.categories, ...(r.filters ? { filters: r.filters } : {}) });
  const matches = sel.matches.filter((n) => !isSeen(n));
  const rest = sel.rest.filter((n) => !isSeen(n));
  const repeats = [...sel.matches, ...sel.rest].filter(isSeen).sort((a, b) => a - b);
  const withRest = new Set(rest.map((n) => edition.papers[n]?.category ?? ''));
  const shownCategories = edition.categories.filter((c) => withRest.has(c.category.slug));
  const hidden = new Set<number>([...sel.excluded, ...sel.matches, ...repeats]);
  return {
    view: {
      categories: new Set(shownCategories.map((c) => c.category.slug)),
      matches: looksForMatches(r.filters) && matches.length > 0,
      contents: shownCategories.length > 0,
      hidden,
      updated: r.repeats === 'omit' || repeats.length === 0 ? null : new Set(repeats),
    },
    papers: matches.length + rest.length,
    matches,
    shownCategories,
    repeats: repeats.length,
  };
}

/** Inbox preview for a mail that starts with matches: the matched titles say most. */
function matchesPreheader(edition: Edition, lang: Lang, matches: readonly number[]): string {
  const titles = matches.slice(0, 3).map((n) => {
    const p = edition.papers[n];
    return lang === 'zh' && p?.titleZh ? p.titleZh : (p?.titleEn ?? '');
  });
  const full = titles.join(' · ');
  const chars = [...full];
  return chars.length <= PREHEADER_CHARS ? full : `${chars.slice(0, PREHEADER_CHARS - 1).join('').trimEnd()}…`;
}

/**
 * One subscriber's message: the categories they chose, in their language, at the richest content
 * level that stays under the size budget; with filters, their matches first (terms marked, whole
 * abstracts while they fit) and excluded papers nowhere. No MJML here; only string assembly.
 */
export function personalise(edition: Edition, r: Recipient): Personalised {
  const { view, papers, matches, shownCategories, repeats } = select(edition, r);
  if (papers === 0) return { send: false, reason: repeats > 0 ? 'nothing-new' : hasFilters(r.filters) ? 'nothing-matches-the-filters' : 'no-papers-in-chosen-categories' };
  const variants = edition.variants[r.lang];
  const full = variants[0]!;

  const preheader = view.matches ? matchesPreheader(edition, r.lang, matches) : preheaderFor(r.lang, shownCategories);
  const htmlStrings = {
    preheader: escapeHtml(preheader),
    count: String(papers),
    unsubscribe: escapeHtml(r.unsubscribeUrl),
    preferences: escapeHtml(r.preferencesUrl),
    recipient: escapeHtml(r.email),
    language: escapeHtml(r.languageUrl),
    feed: escapeHtml(r.feedUrl),
    // The tokens inside the matches region: empty when the region is left out.
    matchcount: view.matches ? String(matches.length) : '',
  };
  // Each value counts as often as the template writes its token (the language link twice).
  const fixedPersonal = Object.entries(htmlStrings).reduce((n, [name, v]) => n + Buffer.byteLength(v) * (HTML_TOKENS[name as keyof typeof HTML_TOKENS] ?? 1), 0);

  // Matches: whole abstracts while they fit in half the budget, else first sentences, else none.
  let matchCut: AbstractCut | null = null;
  let matchHtml: Piece[] = [];
  let matchBytes = 0;
  if (view.matches) {
    const index = indexOf(edition);
    const terms = matches.map((n) => (r.filters ? termsIn(index, r.filters, n) : []));
    for (const cut of ['w', 's', null] as const) {
      matchHtml = matches.map((n, i) => matchedPiece(full.html, n, cut, terms[i] ?? []));
      matchBytes = matchHtml.reduce((b, p) => b + p.bytes, 0);
      matchCut = cut;
      if (matchBytes <= HTML_BUDGET_BYTES / 2) break;
    }
  }
  const htmlValues: Values = { ...htmlStrings, matches: matchHtml };
  const personalBytes = fixedPersonal + matchBytes;
  const textValues: Values = {
    ...htmlStrings,
    preheader,
    unsubscribe: r.unsubscribeUrl,
    preferences: r.preferencesUrl,
    recipient: r.email,
    language: r.languageUrl,
    feed: r.feedUrl,
    matches: view.matches ? matches.map((n) => matchedPiece(full.text, n, matchCut, null)) : [],
  };

  // The first variant (every paper, then at most 15 or 8 a category) whose papers fit without abstracts.
  let pick = variants[variants.length - 1]!;
  let baseBytes = 0;
  for (const v of variants) {
    let bytes = v.fixedBytes + personalBytes;
    for (const [slug, n] of v.categoryBytes) if (shows(view, slug)) bytes += n;
    if (view.hidden) for (const p of view.hidden) if (shows(view, edition.papers[p]?.category ?? '')) bytes -= v.paperBytes.get(p) ?? 0;
    if (view.updated) for (const p of view.updated) bytes += v.lineBytes.get(p) ?? 0;
    pick = v;
    baseBytes = bytes;
    if (bytes <= HTML_BUDGET_BYTES) break;
  }
  const cuts = chooseCuts(pick.abstracts, (a) => shows(view, a.slug) && !view.hidden?.has(a.paper), HTML_BUDGET_BYTES - baseBytes);
  let htmlBytes = baseBytes;
  for (const a of pick.abstracts) {
    const cut = cuts.get(a.paper);
    if (cut) htmlBytes += a[cut];
  }
  const maxPapers = CONTENT_LEVELS[pick.level]?.maxPapers ?? Infinity;
  // The papers shown as new: the matches, and in each shown category those within the level's cap.
  const shown: number[] = [...matches];
  const at = positionsOf(edition);
  const cats = categoryOf(edition);
  for (let n = 0; n < cats.length; n++) if ((at[n] ?? 0) <= maxPapers && shows(view, cats[n] ?? '') && !view.hidden?.has(n)) shown.push(n);
  const shownPapers = edition.papers.length ? shown.length : shownCategories.reduce((n, c) => n + Math.min(c.papers, maxPapers), 0);
  const count = (cut: AbstractCut) => [...cuts.values()].filter((c) => c === cut).length + (matchCut === cut ? matches.length : 0);
  return {
    send: true,
    message: {
      subject: subjectFor(r.lang, edition.label ?? edition.date, papers),
      preheader,
      papers,
      level: pick.level,
      htmlBytes,
      shownPapers,
      updated: view.updated?.size ?? 0,
      newIds: shown.map((n) => edition.papers[n]?.arxivId ?? '').filter(Boolean),
      abstracts: { whole: count('w'), sentence: count('s') },
      matches: matches.length,
      html: () => assemble(pick.html, view, cuts, htmlValues),
      text: () => assemble(pick.text, view, cuts, textValues),
      htmlBody: assembleEncoded(pick.html, view, cuts, htmlValues, pick.encoding.html),
      textBody: assembleEncoded(pick.text, view, cuts, textValues, pick.encoding.text),
    },
  };
}
