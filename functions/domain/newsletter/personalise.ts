import { hasFilters, type Filters } from '../filters/filter-terms.ts';
import { termsIn } from '../filters/match-papers.ts';
import { escapeHtml } from '../html.ts';
import { categoryLabel, type Lang } from '../language.ts';
import { assemble, endOf, firstTokenOf, listBytes, matchedPiece, PartEncoder, sentBytes, type Cuts, type EncodedBody, type ListItem, type ListToken, type Piece, type Values } from './assembly.ts';
import { forYouReason, libraryChangeLine, type SavedPaperChange } from './for-you-copy.ts';
import { makeSegment } from './segments.ts';
import { BoundedMap } from '../bounded-map.ts';
import { CONTENT_LEVELS, HTML_TOKENS, type CompiledVariant, type Edition } from './edition.ts';
import { ACTION_TOKEN, type AbstractCut, type TokenName } from './markers.ts';
import { categoriesKey, categoryOf, indexOf, positionsOf, repeatedIn, selectView, shows, type View, type ViewChoice } from './reader-view.ts';
import type { Segment } from './segments.ts';

export type { EncodedBody } from './assembly.ts';

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
  /** The base of the reader's save and "not for me" links (the paper's path follows it); absent: the mail has none that work. */
  readonly actionUrl?: string;
  /** The reader's "For you" section: the day's papers as their model ranks them (arXiv ids, best first), the section's size, and each one's reason. */
  readonly forYou?: ForYou;
  /** The reader's saved papers listed again with a change, by arXiv id: told in "Your library". */
  readonly libraryChanges?: ReadonlyMap<string, SavedPaperChange>;
}

export interface ForYou {
  readonly ranked: readonly string[];
  readonly size: number;
  /**
   * For the recommendations a mail shows (asked once, for all of them: working out a reason walks
   * the reader's saved papers once, whatever the number asked), the title of the saved paper each
   * is most like; a paper left out has none.
   */
  readonly reasons: (arxivIds: readonly string[]) => ReadonlyMap<string, string>;
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
  /** Papers in the "For you" section (0 without a profile). */
  readonly forYou: number;
  /** Whether every paper carries its save link (the mail had room for them after the papers). */
  readonly saveLinks: boolean;
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

function capped(full: string): string {
  const chars = [...full];
  return chars.length <= PREHEADER_CHARS ? full : `${chars.slice(0, PREHEADER_CHARS - 1).join('').trimEnd()}…`;
}

/**
 * The line an inbox shows under the subject. For one or two categories the papers themselves (the
 * first titles) say most; for more, what the day holds per category. Capped at PREHEADER_CHARS.
 */
export function preheaderFor(lang: Lang, chosen: Edition['categories']): string {
  const full =
    chosen.length <= 2
      ? chosen.map((c) => (lang === 'zh' && c.firstTitle.zh ? c.firstTitle.zh : c.firstTitle.en)).join(' · ')
      : chosen.map((c) => `${categoryLabel(c.category, lang)} ${c.papers}`).join(' · ');
  return capped(full);
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

/** Inbox preview for a mail that starts with matches: the matched titles say most. */
function matchesPreheader(edition: Edition, lang: Lang, matches: readonly number[]): string {
  const titles = matches.slice(0, 3).map((n) => {
    const p = edition.papers[n];
    return lang === 'zh' && p?.titleZh ? p.titleZh : (p?.titleEn ?? '');
  });
  const full = titles.join(' · ');
  return capped(full);
}

/** The tokens whose values are the reader's own; everything else in a mail is the same for every reader of its shape. */
type ReaderToken = 'unsubscribe' | 'preferences' | 'recipient' | 'language' | 'feed' | 'act';
/** The reader's own tokens, and the lists that hold their action links: a shape's shared encoding stops at the first of them. */
const READER_TOKENS: ReadonlySet<TokenName> = new Set<TokenName>(['unsubscribe', 'preferences', 'recipient', 'language', 'feed', 'act', 'matches', 'foryou', 'library']);

/**
 * HTML room a shape keeps for the reader's own values, in steps of this many bytes: readers whose
 * links and address fit the same step share a shape, and no mail passes the budget.
 */
const RESERVE_STEP = 1024;

/** One part of a shape: encoded up to the reader's first own value, ready to go on from. */
interface PartShape {
  readonly segments: readonly Segment[];
  readonly shared: PartEncoder;
  /** The rest: fixed pieces, and the reader's own tokens where their values go. */
  readonly end: readonly (Piece | ReaderToken)[];
}

/**
 * A mail as every reader with the same language, choices and repeated papers gets it, but for
 * their own links and address: what is shared is worked out and encoded once.
 */
interface Shape {
  readonly message: Omit<PersonalMessage, 'html' | 'text' | 'htmlBody' | 'textBody'>;
  readonly view: View;
  /** A shared "For you" shape whose room cost papers or save links (see `overlaid`). */
  readonly crowded: boolean;
  readonly cuts: Cuts;
  readonly htmlValues: Values;
  readonly textValues: Values;
  readonly html: PartShape;
  readonly text: PartShape;
}

type Outcome = { readonly send: true; readonly shape: Shape } | Extract<Personalised, { send: false }>;

const noReaderValues: Readonly<Record<ReaderToken, string>> = { unsubscribe: '', preferences: '', recipient: '', language: '', feed: '', act: '' };

const forYouCut = (cut: AbstractCut | null): AbstractCut | null => (cut === 'w' ? 's' : cut);

const countActions = (items: readonly ListItem[]) => items.reduce((n, p) => n + (typeof p === 'string' ? 1 : 0), 0);

/**
 * A recommendation's reason line, per part and language, ending in the paper's "not for me" link:
 * its words with the saved paper's title, the reader's action base, then the paper's id and the
 * link's end. Each piece kept across readers: the words for everyone whose saved paper they name
 * (a reader's ten reasons name a few), the end for everyone this paper is recommended to.
 */
/**
 * Per language and part (see reasonShelf), keyed by the title and id strings themselves, which keep
 * their hashes across lookups. Bounded per shelf: a warm sender meets tens of thousands of saved
 * titles, and a reader's ten reasons name a few, so a shelf of 10,000 serves each reader's list;
 * the ends are a day's papers (250 at most, and a few days in a warm container).
 */
const reasonWords = Array.from({ length: 6 }, () => new BoundedMap<string, ListItem>(10_000));
const reasonEnds = Array.from({ length: 6 }, () => new BoundedMap<string, ListItem>(2_000));
const reasonShelf = (lang: Lang, html: boolean) => (lang === 'en' ? 0 : lang === 'zh' ? 2 : 4) + (html ? 0 : 1);
function pushReason(out: ListItem[], lang: Lang, html: boolean, arxivId: string, title: string | null): void {
  const shelf = reasonShelf(lang, html);
  const titled = title ?? '';
  let words = reasonWords[shelf]!.get(titled);
  let end = reasonEnds[shelf]!.get(arxivId);
  if (!words || !end) {
    const line = forYouReason(lang, title, html);
    if (!words) reasonWords[shelf]!.set(titled, (words = makeSegment({ kind: 'fixed' }, line.before)));
    if (!end) reasonEnds[shelf]!.set(arxivId, (end = makeSegment({ kind: 'fixed' }, `${html ? escapeHtml(arxivId) : arxivId}${line.after}`)));
  }
  out.push(words, ACTION_TOKEN, end);
}

/**
 * "For you" as a list: each paper's pieces and its reason's, both kept across readers, one after
 * another (pushed: no arrays of their own per reader). The HTML has no numbers (the paper's own
 * place keys its pieces); the text numbers the list 1..n.
 */
function forYouItems(edition: Edition, lang: Lang, segments: readonly Segment[], html: boolean, cut: AbstractCut | null, recommended: readonly number[], why: ReadonlyMap<string, string>): ListItem[] {
  const out: ListItem[] = [];
  recommended.forEach((n, i) => {
    const id = edition.papers[n]?.arxivId ?? '';
    for (const item of matchedPiece(segments, n, cut, null, html ? undefined : i + 1)) out.push(item);
    pushReason(out, lang, html, id, why.get(id) ?? null);
  });
  return out;
}

/**
 * On a shape ranked readers share, what is theirs besides their links: the count and the preheader
 * (their recommendations add papers and name the first ones), and "For you" itself.
 */
const OVERLAY_TOKENS: ReadonlySet<TokenName> = new Set<TokenName>([...READER_TOKENS, 'preheader', 'count']);
const NO_REASONS: ReadonlyMap<string, string> = new Map();
const OVERLAY_LISTS: ReadonlySet<TokenName> = new Set<TokenName>(['foryou']);

function partShape(segments: readonly Segment[], encoding: PartEncoder['encoding'], view: View, cuts: Cuts, values: Values, overlay: boolean): PartShape {
  const own = overlay ? OVERLAY_TOKENS : READER_TOKENS;
  const from = firstTokenOf(segments, own);
  return { segments, shared: new PartEncoder(encoding).items(segments, 0, from, view, cuts, values), end: endOf(segments, from, view, cuts, values, own, overlay ? OVERLAY_LISTS : undefined) as (Piece | ReaderToken)[] };
}

/**
 * The shape for a reader's choices: their view of the day, the content level that fits the size
 * budget with `reserve` bytes kept for their own values, and the abstracts that fit after. With
 * `forYouRoom`, the shape ranked readers of these choices share: the "For you" region shown, with
 * that many bytes kept for each one's list, count and preheader (see `overlaid`).
 */
function shapeFor(edition: Edition, lang: Lang, choice: ViewChoice, reserve: number, actBytes: number, forYou?: ForYou, changes?: ReadonlyMap<string, SavedPaperChange>, forYouRoom = 0): Outcome {
  const { view: chosenView, papers, matches, forYou: recommended, library, shownCategories, repeats } = selectView(edition, choice);
  const overlay = forYouRoom > 0;
  let view = overlay ? { ...chosenView, forYou: true } : chosenView;
  if (papers === 0) return { send: false, reason: repeats > 0 ? 'nothing-new' : hasFilters(choice.filters) ? 'nothing-matches-the-filters' : 'no-papers-in-chosen-categories' };
  const variants = edition.variants[lang];
  const full = variants[0]!;

  const preheader = view.forYou ? matchesPreheader(edition, lang, recommended) : view.matches ? matchesPreheader(edition, lang, matches) : preheaderFor(lang, shownCategories);
  const sharedHtml = {
    // On a shared "For you" shape, each reader's own (kept in `forYouRoom`).
    preheader: overlay ? '' : escapeHtml(preheader),
    count: overlay ? '' : String(papers),
    // The tokens inside the matches region: empty when the region is left out.
    matchcount: view.matches ? String(matches.length) : '',
  };
  // Each value counts as often as the template writes its token.
  const sharedBytes = Object.entries(sharedHtml).reduce((n, [name, v]) => n + Buffer.byteLength(v) * (HTML_TOKENS[name as keyof typeof HTML_TOKENS] ?? 1), 0);

  // "For you" and the matches: whole abstracts while they fit in half the budget, else first sentences, else none.
  let matchCut: AbstractCut | null = null;
  let matchHtml: ListItem[] = [];
  let forYouHtml: ListItem[] = [];
  let libraryHtml: ListItem[] = [];
  let matchBytes = 0;
  const changeOf = (n: number): SavedPaperChange => changes?.get(edition.papers[n]?.arxivId ?? '') ?? { version: null, code: false, journal: null };
  const why = forYou && recommended.length ? forYou.reasons(recommended.map((n) => edition.papers[n]?.arxivId ?? '')) : NO_REASONS;
  const forYouList = (segments: readonly Segment[], html: boolean, cut: AbstractCut | null) => forYouItems(edition, lang, segments, html, cut, recommended, why);
  if (view.matches || view.forYou || view.library) {
    const index = indexOf(edition);
    const terms = matches.map((n) => (choice.filters ? termsIn(index, choice.filters, n) : []));
    for (const cut of ['w', 's', null] as const) {
      // Recommendations are scanned, not read: a first sentence each at most, so ten of them stay short.
      forYouHtml = forYouList(full.html, true, forYouCut(cut));
      matchHtml = matches.flatMap((n, i) => matchedPiece(full.html, n, cut, terms[i] ?? []));
      libraryHtml = library.flatMap((n) => [...matchedPiece(full.html, n, forYouCut(cut), null), makeSegment({ kind: 'fixed' }, libraryChangeLine(lang, changeOf(n), true))]);
      matchBytes = listBytes(forYouHtml) + listBytes(matchHtml) + listBytes(libraryHtml) + (countActions(forYouHtml) + countActions(matchHtml) + countActions(libraryHtml)) * actBytes;
      matchCut = cut;
      if (matchBytes <= HTML_BUDGET_BYTES / 2) break;
    }
  }
  const htmlValues: Values = { ...noReaderValues, ...sharedHtml, matches: matchHtml, foryou: forYouHtml, library: libraryHtml };
  const textValues: Values = {
    ...noReaderValues,
    ...sharedHtml,
    preheader,
    // Each list numbered 1..n, as each category is.
    library: view.library ? library.flatMap((n, i) => [...matchedPiece(full.text, n, forYouCut(matchCut), null, i + 1), makeSegment({ kind: 'fixed' }, libraryChangeLine(lang, changeOf(n), false))]) : [],
    foryou: view.forYou ? forYouList(full.text, false, forYouCut(matchCut)) : [],
    matches: view.matches ? matches.flatMap((n, i) => matchedPiece(full.text, n, matchCut, null, i + 1)) : [],
  };
  const personalBytes = sharedBytes + reserve + matchBytes + forYouRoom;

  // The first variant (every paper, then at most 15 or 8 a category) whose papers fit without abstracts.
  let pick = variants[variants.length - 1]!;
  let baseBytes = 0;
  // The variant that would fit without "For you"'s room: when it is richer, the room costs the reader papers.
  let roomless: CompiledVariant | null = null;
  for (const v of variants) {
    let bytes = v.fixedBytes + personalBytes;
    for (const [slug, n] of v.categoryBytes) if (shows(view, slug)) bytes += n;
    if (view.hidden) for (const p of view.hidden) if (shows(view, edition.papers[p]?.category ?? '')) bytes -= v.paperBytes.get(p) ?? 0;
    if (view.updated) for (const p of view.updated) bytes += v.lineBytes.get(p) ?? 0;
    if (!roomless && bytes - forYouRoom <= HTML_BUDGET_BYTES) roomless = v;
    pick = v;
    baseBytes = bytes;
    if (bytes <= HTML_BUDGET_BYTES) break;
  }
  // Every paper's save link next, when the mail has room for all of them (a reader key is needed for them to work).
  let actionBytes = 0;
  for (const [slug, n] of pick.actions.bytesByCategory) if (shows(view, slug)) actionBytes += n + actBytes * (pick.actions.byCategory.get(slug) ?? 0);
  if (view.hidden) for (const p of view.hidden) if (shows(view, edition.papers[p]?.category ?? '')) actionBytes -= (pick.actions.bytesByPaper.get(p) ?? 0) + actBytes * (pick.actions.byPaper.get(p) ?? 0);
  const actions = actBytes > 0 && baseBytes + actionBytes <= HTML_BUDGET_BYTES;
  // On a shared "For you" shape: whether its room costs papers or save links the reader's categories alone would have.
  const crowded = overlay && (roomless !== pick || (!actions && actBytes > 0 && baseBytes - forYouRoom + actionBytes <= HTML_BUDGET_BYTES));
  if (actions) baseBytes += actionBytes;
  view = { ...view, actions, ...listedNumbers(edition, pick, view) };
  const cuts = chooseCuts(pick.abstracts, (a) => shows(view, a.slug) && !view.hidden?.has(a.paper), HTML_BUDGET_BYTES - baseBytes);
  // The bytes of the reader's own values are added per message; the sizes counted each category's count as the whole day's.
  let htmlBytes = baseBytes - reserve - forYouRoom;
  for (const s of countsIn(pick.html)) if (shows(view, s.slug)) htmlBytes += sentBytes(s, view, cuts) - s.bytes;
  for (const a of pick.abstracts) {
    const cut = cuts.get(a.paper);
    if (cut) htmlBytes += a[cut];
  }
  const maxPapers = CONTENT_LEVELS[pick.level]?.maxPapers ?? Infinity;
  // The papers shown as new, each once: "For you", the matches, and in each shown category those within the level's cap.
  const shown = new Set<number>([...recommended, ...matches]);
  const at = positionsOf(edition);
  const cats = categoryOf(edition);
  for (let n = 0; n < cats.length; n++) if ((at[n] ?? 0) <= maxPapers && shows(view, cats[n] ?? '') && !view.hidden?.has(n)) shown.add(n);
  const shownPapers = edition.papers.length ? shown.size : shownCategories.reduce((n, c) => n + Math.min(c.papers, maxPapers), 0);
  const count = (cut: AbstractCut) => [...cuts.values()].filter((c) => c === cut).length + (matchCut === cut ? matches.length : 0) + (forYouCut(matchCut) === cut ? recommended.length : 0);
  return {
    send: true,
    shape: {
      message: {
        subject: subjectFor(lang, edition.label ?? edition.date, papers),
        preheader,
        papers,
        level: pick.level,
        htmlBytes,
        shownPapers,
        updated: view.updated?.size ?? 0,
        newIds: [...shown].map((n) => edition.papers[n]?.arxivId ?? '').filter(Boolean),
        abstracts: { whole: count('w'), sentence: count('s') },
        matches: matches.length,
        forYou: recommended.length,
        saveLinks: actions,
      },
      view,
      crowded,
      cuts,
      htmlValues,
      textValues,
      html: partShape(pick.html, pick.encoding.html, view, cuts, htmlValues, overlay),
      text: partShape(pick.text, pick.encoding.text, view, cuts, textValues, overlay),
    },
  };
}

type CountSegment = Extract<Segment, { kind: 'category' }>;
const countSegments = new WeakMap<readonly Segment[], readonly CountSegment[]>();
/**
 * A part's counts (two a category in the HTML: its contents entry and its heading) and its "more on
 * the web" lines' segments (their numbers among them): the sizes counted them as the whole day's.
 */
function countsIn(segments: readonly Segment[]): readonly CountSegment[] {
  let list = countSegments.get(segments);
  if (!list) countSegments.set(segments, (list = segments.filter((s): s is CountSegment => s.kind === 'category' && ((s.dyn !== undefined && 'count' in s.dyn) || s.more === true))));
  return list;
}

/**
 * What a mail's counts and numbers say: each shown category's count is the reader's papers of it
 * (none moved to the matches or left out): those it lists and those behind its "more on the web"
 * link; and the text part numbers each section's papers 1..n (the lists before the categories
 * number their own).
 */
function listedNumbers(edition: Edition, variant: CompiledVariant, view: View): Pick<View, 'counts' | 'more' | 'numbers'> {
  const cap = CONTENT_LEVELS[variant.level]?.maxPapers ?? Infinity;
  const at = positionsOf(edition);
  const cats = categoryOf(edition);
  const counts = new Map<string, number>();
  const more = new Map<string, number>();
  for (const c of edition.categories) {
    if (!shows(view, c.category.slug)) continue;
    counts.set(c.category.slug, 0);
    more.set(c.category.slug, 0);
  }
  for (let n = 0; n < cats.length; n++) {
    const slug = cats[n] ?? '';
    if (!counts.has(slug) || view.hidden?.has(n)) continue;
    counts.set(slug, (counts.get(slug) ?? 0) + 1);
    if ((at[n] ?? 0) > cap) more.set(slug, (more.get(slug) ?? 0) + 1);
  }
  const numbers = new Map<number, number>();
  const next = new Map<string, number>();
  for (const { paper, slug } of numberedIn(variant.text)) if (shows(view, slug) && !view.hidden?.has(paper)) numbers.set(paper, next.set(slug, (next.get(slug) ?? 0) + 1).get(slug)!);
  return { counts, more, numbers };
}

const numberedPapers = new WeakMap<readonly Segment[], readonly { readonly paper: number; readonly slug: string }[]>();
/** The papers a text part numbers, in its order (a shape numbers those its reader gets). */
function numberedIn(segments: readonly Segment[]): readonly { readonly paper: number; readonly slug: string }[] {
  let list = numberedPapers.get(segments);
  if (!list) numberedPapers.set(segments, (list = segments.flatMap((s) => (s.kind === 'category' && s.dyn && 'number' in s.dyn ? [{ paper: s.dyn.number, slug: s.slug }] : []))));
  return list;
}

/**
 * Shapes kept per edition. Readers without filters share them: a day's readers choose among a few
 * thousand combinations of language and categories, most of them among a handful. A reader with
 * filters has a shape of their own, worked out and not kept.
 */
const shapes = new WeakMap<Edition, Map<string, Outcome>>();
/** A few kilobytes each (references to the edition's pieces, a few sets and arrays of their own). */
const SHAPES_KEPT = 8192;

function cachedShape(edition: Edition, lang: Lang, choice: ViewChoice, reserve: number, actBytes: number, forYou?: ForYou, changes?: ReadonlyMap<string, SavedPaperChange>, forYouRoom = 0): Outcome {
  // A reader with filters or a "Your library" section has a shape of their own; so has one with "For you" unless it comes as `forYouRoom` (see `overlaid`).
  if (hasFilters(choice.filters) || choice.forYou?.length || choice.library?.length) return shapeFor(edition, lang, choice, reserve, actBytes, forYou, changes);
  const categories = categoriesKey(choice.categories);
  const repeated = choice.repeated.length ? `${choice.repeated.join(',')}:${choice.repeats ?? 'updated'}` : '';
  const key = `${lang}|${reserve}|${actBytes}|${categories}|${repeated}|${forYouRoom}`;
  let kept = shapes.get(edition);
  if (!kept) shapes.set(edition, (kept = new Map()));
  let outcome = kept.get(key);
  if (!outcome) {
    outcome = shapeFor(edition, lang, choice, reserve, actBytes, undefined, undefined, forYouRoom);
    // The oldest goes first: a sender's batches come in the planner's order, and a shape's readers
    // are mostly near each other.
    if (kept.size >= SHAPES_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, outcome);
  }
  return outcome;
}

/**
 * One subscriber's message: the categories they chose, in their language, at the richest content
 * level that stays under the size budget; with filters, their matches first (terms marked, whole
 * abstracts while they fit) and excluded papers nowhere. No MJML here: the shape of the mail is
 * shared with every reader who chose the same, and only the reader's links and address are
 * encoded for them.
 */
export function personalise(edition: Edition, r: Recipient): Personalised {
  const act = r.actionUrl ?? '';
  const mineText: Record<ReaderToken, string> = { unsubscribe: r.unsubscribeUrl, preferences: r.preferencesUrl, recipient: r.email, language: r.languageUrl, feed: r.feedUrl, act };
  const mineHtml: Record<ReaderToken, string> = { unsubscribe: escapeHtml(r.unsubscribeUrl), preferences: escapeHtml(r.preferencesUrl), recipient: escapeHtml(r.email), language: escapeHtml(r.languageUrl), feed: escapeHtml(r.feedUrl), act: escapeHtml(act) };
  const actBytes = Buffer.byteLength(mineHtml.act);
  const readerBytes =
    Buffer.byteLength(mineHtml.unsubscribe) * HTML_TOKENS.unsubscribe +
    Buffer.byteLength(mineHtml.preferences) * HTML_TOKENS.preferences +
    Buffer.byteLength(mineHtml.recipient) * HTML_TOKENS.recipient +
    Buffer.byteLength(mineHtml.language) * HTML_TOKENS.language +
    Buffer.byteLength(mineHtml.feed) * HTML_TOKENS.feed;
  const reserve = Math.ceil(readerBytes / RESERVE_STEP) * RESERVE_STEP;
  // A paper mailed before is never recommended as new, whatever its category (a shape's repeated papers are only those of the reader's categories).
  const forYou = r.forYou && r.forYou.size > 0 ? indicesOf(edition, r.seen?.size ? r.forYou.ranked.filter((id) => !r.seen!.has(id)) : r.forYou.ranked) : undefined;
  const library = r.libraryChanges?.size ? indicesOf(edition, [...r.libraryChanges.keys()]) : [];
  const plain: ViewChoice = { categories: r.categories, filters: r.filters, repeated: repeatedIn(edition, r), repeats: r.repeats };
  if (forYou?.length && !hasFilters(r.filters) && !library.length) {
    const mail = overlaid(edition, r, plain, forYou.slice(0, r.forYou!.size), { reserve, actBytes, readerBytes, mineHtml, mineText });
    if (mail) return mail;
  }
  const outcome = cachedShape(edition, r.lang, { ...plain, ...(forYou ? { forYou, forYouSize: r.forYou!.size } : {}), ...(library.length ? { library } : {}) }, reserve, actBytes, r.forYou, r.libraryChanges);
  if (!outcome.send) return outcome;
  const { shape } = outcome;
  const m = shape.message;
  return {
    send: true,
    message: messageOf(shape, { ...m, htmlBytes: m.htmlBytes + readerBytes }, { values: mineHtml }, { values: mineText }),
  };
}

/**
 * "For you" room on a shared shape, in steps of this many bytes: ten recommendations take 6-10 KB,
 * so a day's ranked readers of the same choices fall into a few shapes, and the abstracts lose at
 * most a step to the rounding.
 */
const FOR_YOU_STEP = 2048;

interface ReaderParts {
  readonly reserve: number;
  readonly actBytes: number;
  readonly readerBytes: number;
  readonly mineHtml: Readonly<Record<ReaderToken, string>>;
  readonly mineText: Readonly<Record<ReaderToken, string>>;
}

const shownIdsOf = new WeakMap<Shape, ReadonlySet<string>>();

/**
 * A ranked reader's mail without filters or "Your library": the shape every reader of their
 * choices shares, with the "For you" region shown and room kept for it, and the reader's own list
 * (its papers' pieces kept per paper, its reasons per saved paper), count and preheader put in
 * where the shape leaves them. Working a shape out for each ranked reader cost 2-3 ms each (a
 * 250-paper day); this costs their list. Null when the shared shape has nothing to send (their
 * categories are empty today), or when a recommendation listed twice would cost the mail papers or
 * save links (a busy day, every category): their own shape then moves the recommendations out of
 * their categories, so the mail still holds every paper once.
 */
function overlaid(edition: Edition, r: Recipient, choice: ViewChoice, ranked: readonly number[], parts: ReaderParts): Personalised | null {
  const { lang } = r;
  const full = edition.variants[lang][0]!;
  const idOf = (n: number) => edition.papers[n]?.arxivId ?? '';
  const recommended = [...new Set(ranked)];
  const why = r.forYou?.reasons(recommended.map(idOf)) ?? NO_REASONS;
  const list = (segments: readonly Segment[], html: boolean, cut: AbstractCut | null) => forYouItems(edition, lang, segments, html, cut, recommended, why);
  const htmlList = (cut: AbstractCut | null) => list(full.html, true, cut);
  const listed = (items: readonly ListItem[]) => listBytes(items) + countActions(items) * parts.actBytes;
  // As on a reader's own shape: a first sentence each while the list takes at most half the budget, else titles.
  let cut: AbstractCut | null = 's';
  let foryouHtml = htmlList(cut);
  if (listed(foryouHtml) > HTML_BUDGET_BYTES / 2) foryouHtml = htmlList((cut = null));
  const preheader = matchesPreheader(edition, lang, recommended);
  const preheaderHtml = escapeHtml(preheader);
  // The count is at most the day's papers: its digits are kept for before the shape says how many the reader's categories add.
  const ownBytes = listed(foryouHtml) + Buffer.byteLength(preheaderHtml) * HTML_TOKENS.preheader + String(edition.papers.length).length * HTML_TOKENS.count;
  const room = Math.ceil(ownBytes / FOR_YOU_STEP) * FOR_YOU_STEP;
  const outcome = cachedShape(edition, lang, choice, parts.reserve, parts.actBytes, undefined, undefined, room);
  if (!outcome.send || outcome.shape.crowded) return null;
  const { shape } = outcome;
  const m = shape.message;
  const cats = categoryOf(edition);
  // Recommendations from the reader's categories are listed there as well (and counted once); the others add to the mail.
  const papers = m.papers + recommended.filter((n) => !shows(shape.view, cats[n] ?? '')).length;
  let shownIds = shownIdsOf.get(shape);
  if (!shownIds) shownIdsOf.set(shape, (shownIds = new Set(m.newIds)));
  const added = recommended.map(idOf).filter((id) => id && !shownIds.has(id));
  const count = String(papers);
  const mineHtml = { ...parts.mineHtml, preheader: preheaderHtml, count };
  const mineText = { ...parts.mineText, preheader, count };
  const foryouText = list(full.text, false, cut);
  return {
    send: true,
    message: messageOf(
      shape,
      {
        ...m,
        subject: subjectFor(lang, edition.label ?? edition.date, papers),
        preheader,
        papers,
        htmlBytes: m.htmlBytes + parts.readerBytes + listBytes(foryouHtml) + countActions(foryouHtml) * parts.actBytes + Buffer.byteLength(preheaderHtml) + count.length,
        shownPapers: m.shownPapers + added.length,
        abstracts: { whole: m.abstracts.whole, sentence: m.abstracts.sentence + (cut === 's' ? recommended.length : 0) },
        forYou: recommended.length,
        newIds: added.length ? [...m.newIds, ...added] : m.newIds,
      },
      { values: mineHtml, lists: { foryou: foryouHtml } },
      { values: mineText, lists: { foryou: foryouText } },
    ),
  };
}

/** A part's values that are the reader's own: strings, and (on a shared "For you" shape) their list. */
interface ReaderPart {
  readonly values: Readonly<Record<string, string>>;
  readonly lists?: Readonly<Partial<Record<ListToken, readonly ListItem[]>>>;
}

/** The reader's message from a shape: its figures, both parts as strings on demand, and their wire bodies. */
function messageOf(shape: Shape, fields: Shape['message'], html: ReaderPart, text: ReaderPart): PersonalMessage {
  return {
    ...fields,
    html: () => assemble(shape.html.segments, shape.view, shape.cuts, { ...shape.htmlValues, ...html.values, ...html.lists }),
    text: () => assemble(shape.text.segments, shape.view, shape.cuts, { ...shape.textValues, ...text.values, ...text.lists }),
    htmlBody: shape.html.shared.finishFor(shape.html.end, html.values, html.lists),
    textBody: shape.text.shared.finishFor(shape.text.end, text.values, text.lists),
  };
}

const paperIndices = new WeakMap<Edition, ReadonlyMap<string, number>>();
/** arXiv ids as this edition's paper indices, in their order (ids the edition lacks are dropped). */
function indicesOf(edition: Edition, ids: readonly string[]): number[] {
  // Kept per edition: every ranked reader asks, and a day has up to 250 papers.
  let at = paperIndices.get(edition);
  if (!at) {
    const map = new Map<string, number>();
    edition.papers.forEach((p, n) => map.set(p.arxivId, n));
    paperIndices.set(edition, (at = map));
  }
  const out: number[] = [];
  for (const id of ids) {
    const n = at.get(id);
    if (n !== undefined) out.push(n);
  }
  return out;
}
