import { defuseTokens } from '../newsletter/markers.ts';
import { escapeHtml } from '../html.ts';
import { BoundedMap } from '../bounded-map.ts';
import { foldWithMap } from './fold.ts';
import { TERM_CACHE_LIMIT, termPattern } from './match-papers.ts';

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#37': '%' };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#37);/g, (_, e: string) => ENTITY[e] ?? '');
const escape = (s: string) => defuseTokens(escapeHtml(s), true);

type Range = readonly [number, number];

// Bounded: its keys are terms readers type, and it lives as long as a warm container.
const patterns = new BoundedMap<string, RegExp>(TERM_CACHE_LIMIT);
function patternOf(term: string): RegExp {
  let re = patterns.get(term);
  if (!re) patterns.set(term, (re = new RegExp(termPattern(term), 'gu')));
  return re;
}

/** Where `term` occurs in `text`, as ranges of the original (unfolded) text. */
function rangesIn(text: string, term: string): Range[] {
  const folded = foldWithMap(text);
  const out: Range[] = [];
  for (const m of folded.text.matchAll(patternOf(term))) {
    if (m[0] === '') continue;
    out.push([folded.from(m.index), folded.from(m.index + m[0].length)]);
  }
  return out;
}

/** Text with the ranges wrapped in <mark>, everything escaped; overlapping ranges become one mark. */
function marked(text: string, ranges: Range[]): string {
  if (ranges.length === 0) return escape(text);
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let last = 0;
  let open: [number, number] | null = null;
  const flush = () => {
    if (!open) return;
    out += `${escape(text.slice(last, open[0]))}<mark>${escape(text.slice(open[0], open[1]))}</mark>`;
    last = open[1];
  };
  for (const [s, e] of ranges) {
    if (open && s <= open[1]) open[1] = Math.max(open[1], e);
    else {
      flush();
      open = [s, e];
    }
  }
  flush();
  return out + escape(text.slice(last));
}

/**
 * One paper's compiled HTML (our own markup: tags, and text with the five entities `escapeHtml`
 * writes) ready to have a reader's terms marked. Only text is touched, never a tag or an attribute,
 * and not the labels of link buttons (a keyword "code" must not light up every Code button): link
 * text is marked only inside a title. Where each term occurs is found once per paper and kept, so
 * a day's readers who share terms share the work.
 */
export class MarkablePaper {
  /** Tags and unmarkable text as they are (strings); markable text unescaped (objects). */
  private readonly parts: readonly (string | { readonly text: string })[];
  private readonly byTerm = new BoundedMap<string, readonly (readonly Range[])[]>(TERM_CACHE_LIMIT);

  constructor(html: string) {
    const parts: (string | { text: string })[] = [];
    let inLink = false;
    let inTitle = false;
    for (const part of html.split(/(<[^>]*>)/)) {
      if (part.startsWith('<')) {
        const tag = /^<(\/?)([a-z0-9]+)/i.exec(part);
        const name = tag?.[2]?.toLowerCase();
        if (name === 'a') inLink = tag?.[1] !== '/';
        if (name === 'h3') inTitle = tag?.[1] !== '/';
        parts.push(part);
      } else if (part === '' || (inLink && !inTitle)) parts.push(part);
      else parts.push({ text: unescape(part) });
    }
    this.parts = parts;
  }

  private ranges(term: string): readonly (readonly Range[])[] {
    let known = this.byTerm.get(term);
    if (!known) this.byTerm.set(term, (known = this.parts.map((p) => (typeof p === 'string' ? [] : rangesIn(p.text, term)))));
    return known;
  }

  /** The HTML with every occurrence of the terms marked. */
  mark(terms: readonly string[]): string {
    const perTerm = terms.map((t) => this.ranges(t));
    let out = '';
    this.parts.forEach((p, i) => {
      if (typeof p === 'string') out += p;
      else out += marked(p.text, perTerm.flatMap((r) => r[i] ?? []));
    });
    return out;
  }
}
