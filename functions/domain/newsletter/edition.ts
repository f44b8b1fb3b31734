import type { ListedPaper } from '../filters/mail-selection.ts';
import { LANGS, type Lang } from '../language.ts';
import type { Category } from '../model.ts';
import { makeSegment, wireText, type Dynamic, type Segment } from './segments.ts';
import { smallerEncoding, type TransferEncoding } from './transfer-encoding.ts';

/** Richest first. The personaliser sends the first level whose HTML fits the size budget. */
/** How many papers per category a compiled variant shows; abstracts are chosen per paper by the personaliser. */
export interface ContentLevel {
  /** Papers shown per category before "N more on the web"; null: all of them. */
  readonly maxPapers: number | null;
}

export const CONTENT_LEVELS: readonly ContentLevel[] = [{ maxPapers: null }, { maxPapers: 15 }, { maxPapers: 8 }];

export interface EditionConfig {
  readonly siteUrl: string;
  readonly postalAddress: string;
}

export interface CompiledVariant {
  readonly level: number;
  readonly html: readonly Segment[];
  readonly text: readonly Segment[];
  /** Per part, the smaller transfer encoding for this variant's content (base64 for Chinese-heavy text). */
  readonly encoding: { readonly html: TransferEncoding; readonly text: TransferEncoding };
  /** Bytes of the HTML always sent, and per category (abstracts aside). */
  readonly fixedBytes: number;
  readonly categoryBytes: ReadonlyMap<string, number>;
  /** Bytes of each paper this variant shows (abstracts aside): what leaves a category when filters move or hide it. */
  readonly paperBytes: ReadonlyMap<number, number>;
  /** Bytes of each paper's line in the "Updated" list. */
  readonly lineBytes: ReadonlyMap<number, number>;
  /** Each paper's abstract cuts, in reading order: its category and the HTML bytes of each cut. */
  readonly abstracts: readonly { readonly paper: number; readonly slug: string; readonly w: number; readonly s: number }[];
  /** How often each category's papers (and each paper) write the reader's action base: its bytes are the reader's own. */
  readonly actions: { readonly byCategory: ReadonlyMap<string, number>; readonly byPaper: ReadonlyMap<number, number>; readonly bytesByCategory: ReadonlyMap<string, number>; readonly bytesByPaper: ReadonlyMap<number, number> };
}

export interface Edition {
  readonly date: string;
  /** What the subject names instead of the date: a weekly edition's days ("2024-03-04 – 2024-03-10"). */
  readonly label?: string;
  readonly archiveUrl: string;
  readonly categories: readonly { category: Category; papers: number; firstTitle: { en: string; zh: string | null } }[];
  /** Every paper of the day in marker order (paper n is `papers[n]`): what readers' filters are matched against. */
  readonly papers: readonly EditionPaper[];
  readonly variants: Readonly<Record<Lang, readonly CompiledVariant[]>>;
}

/** A paper as the personaliser knows it: what filters read, and the id a reader's earlier mails are checked against. */
export type EditionPaper = ListedPaper & { readonly arxivId: string; readonly version: number | null; readonly codeUrl?: string | null; readonly journalRef?: string };

export const HTML_TOKENS = { preheader: 1, count: 1, preferences: 1, unsubscribe: 1, recipient: 1, matchcount: 1, matches: 1, language: 2, feed: 1, foryou: 1, library: 1 } as const;
export const TEXT_TOKENS = { count: 1, preferences: 1, unsubscribe: 1, recipient: 1, matchcount: 1, matches: 1, language: 2, feed: 1, foryou: 1, library: 1 } as const;

function encodingFor(segments: readonly Segment[]): TransferEncoding {
  let raw = 0;
  let qp = 0;
  for (const s of segments) {
    if (s.kind === 'token') continue;
    raw += wireText(s.text).length;
    qp += s.qp.length;
  }
  return smallerEncoding(raw, qp);
}

function sizes(segments: readonly Segment[]): Pick<CompiledVariant, 'fixedBytes' | 'categoryBytes' | 'paperBytes' | 'lineBytes' | 'abstracts' | 'actions'> {
  let fixedBytes = 0;
  const actionsByCategory = new Map<string, number>();
  const actionsByPaper = new Map<number, number>();
  const actionBytesByCategory = new Map<string, number>();
  const actionBytesByPaper = new Map<number, number>();
  const categoryBytes = new Map<string, number>();
  const paperBytes = new Map<number, number>();
  const lineBytes = new Map<number, number>();
  const abstracts = new Map<number, { paper: number; slug: string; w: number; s: number }>();
  for (const s of segments) {
    if (s.kind === 'token') {
      if (s.paper !== undefined && s.slug !== undefined) {
        actionsByPaper.set(s.paper, (actionsByPaper.get(s.paper) ?? 0) + 1);
        actionsByCategory.set(s.slug, (actionsByCategory.get(s.slug) ?? 0) + 1);
      }
    } else if (s.kind === 'fixed') fixedBytes += s.bytes;
    else if (s.kind === 'category' && s.action && s.paper !== undefined) {
      actionBytesByCategory.set(s.slug, (actionBytesByCategory.get(s.slug) ?? 0) + s.bytes);
      actionBytesByPaper.set(s.paper, (actionBytesByPaper.get(s.paper) ?? 0) + s.bytes);
    } else if (s.kind === 'category' && s.line !== undefined) lineBytes.set(s.line, (lineBytes.get(s.line) ?? 0) + s.bytes);
    else if (s.kind === 'category') {
      categoryBytes.set(s.slug, (categoryBytes.get(s.slug) ?? 0) + s.bytes);
      if (s.paper !== undefined) paperBytes.set(s.paper, (paperBytes.get(s.paper) ?? 0) + s.bytes);
    }
    else if (s.kind === 'abstract') {
      const a = abstracts.get(s.paper) ?? { paper: s.paper, slug: s.slug, w: 0, s: 0 };
      a[s.cut] += s.bytes;
      abstracts.set(s.paper, a);
    }
  }
  return { fixedBytes, categoryBytes, paperBytes, lineBytes, abstracts: [...abstracts.values()], actions: { byCategory: actionsByCategory, byPaper: actionsByPaper, bytesByCategory: actionBytesByCategory, bytesByPaper: actionBytesByPaper } };
}

/** A compiled variant from its segments: the encodings and sizes the personaliser needs. */
export function compiledVariant(level: number, html: readonly Segment[], text: readonly Segment[], encoding?: CompiledVariant['encoding']): CompiledVariant {
  return { level, html, text, encoding: encoding ?? { html: encodingFor(html), text: encodingFor(text) }, ...sizes(html) };
}

/**
 * An edition as stored (JSON): segments as text, everything derived (encodings, sizes) left out and
 * rebuilt on load, so a sender needs no MJML, only this module.
 */
type StoredSegment = { k: 'f'; x: string } | { k: 'c'; s: string; p?: number; l?: number; a?: 1; d?: Dynamic; m?: 1; x: string } | { k: 'a'; s: string; p: number; c: 'w' | 's'; x: string } | { k: 't'; n: string; s?: string; p?: number };
interface StoredEdition {
  readonly v: 2;
  readonly date: string;
  readonly label?: string;
  readonly archiveUrl: string;
  readonly categories: Edition['categories'];
  readonly papers: Edition['papers'];
  // The encodings are kept too: deciding them means encoding every piece both ways.
  readonly variants: Record<Lang, { level: number; encoding: CompiledVariant['encoding']; html: StoredSegment[]; text: StoredSegment[] }[]>;
}

function storeSegment(s: Segment): StoredSegment {
  if (s.kind === 'token') return { k: 't', n: s.name, ...(s.paper === undefined ? {} : { s: s.slug, p: s.paper }) };
  if (s.kind === 'fixed') return { k: 'f', x: s.text };
  if (s.kind === 'category') return { k: 'c', s: s.slug, ...(s.paper === undefined ? {} : { p: s.paper }), ...(s.line === undefined ? {} : { l: s.line }), ...(s.action ? { a: 1 as const } : {}), ...(s.dyn ? { d: s.dyn } : {}), ...(s.more ? { m: 1 as const } : {}), x: s.text };
  return { k: 'a', s: s.slug, p: s.paper, c: s.cut, x: s.text };
}

function loadSegment(s: StoredSegment): Segment {
  if (s.k === 't') return { kind: 'token', name: s.n as Extract<Segment, { kind: 'token' }>['name'], ...(s.p === undefined ? {} : { slug: s.s ?? '', paper: s.p }) };
  if (s.k === 'f') return makeSegment({ kind: 'fixed' }, s.x);
  if (s.k === 'c') return makeSegment({ kind: 'category', slug: s.s, ...(s.p === undefined ? {} : { paper: s.p }), ...(s.l === undefined ? {} : { line: s.l }), ...(s.a ? { action: true as const } : {}), ...(s.d ? { dyn: s.d } : {}), ...(s.m ? { more: true as const } : {}) }, s.x);
  return makeSegment({ kind: 'abstract', slug: s.s, paper: s.p, cut: s.c }, s.x);
}

export function editionToJson(edition: Edition): string {
  const variants = Object.fromEntries(LANGS.map((lang) => [lang, edition.variants[lang].map((v) => ({ level: v.level, encoding: v.encoding, html: v.html.map(storeSegment), text: v.text.map(storeSegment) }))]));
  const stored: StoredEdition = { v: 2, date: edition.date, ...(edition.label ? { label: edition.label } : {}), archiveUrl: edition.archiveUrl, categories: edition.categories, papers: edition.papers, variants: variants as StoredEdition['variants'] };
  return JSON.stringify(stored);
}

export function editionFromJson(json: string): Edition {
  const stored = JSON.parse(json) as StoredEdition;
  if (stored.v !== 2) throw new Error(`stored edition of ${stored.date}: unknown format ${String(stored.v)}`);
  const variants = Object.fromEntries(LANGS.map((lang) => [lang, stored.variants[lang].map((v) => compiledVariant(v.level, v.html.map(loadSegment), v.text.map(loadSegment), v.encoding))]));
  return { date: stored.date, ...(stored.label ? { label: stored.label } : {}), archiveUrl: stored.archiveUrl, categories: stored.categories, papers: stored.papers, variants: variants as unknown as Edition['variants'] };
}
