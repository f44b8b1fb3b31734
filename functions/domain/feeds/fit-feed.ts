import type { FeedEntry } from './feed-window.ts';
import { prepareEntry, type FeedSpec } from './render-feeds.ts';

export interface FittedFeed {
  readonly body: string;
  /** Entries carrying whole abstracts (the newest ones). */
  readonly fullEntries: number;
  /** Entries left in the feed, full or lean. */
  readonly entries: number;
}

const bytes = (s: string) => Buffer.byteLength(s);
/** A first guess at the markup, ids, links and dates of one item; the first render corrects it. */
const ITEM_OVERHEAD = 400;
/** Aim a little under the limit, so an estimate rarely needs another render. */
const AIM = 0.97;

interface Plan {
  /** Newest entries kept (whole days). */
  readonly entries: number;
  /** Of those, the newest carrying whole abstracts. */
  readonly full: number;
}

function weight(entry: FeedEntry, spec: FeedSpec): { full: number; lean: number } {
  const e = prepareEntry(entry, spec.lang);
  const common = ITEM_OVERHEAD + bytes(e.title) + bytes(e.authors) + bytes(e.label);
  return { full: common + bytes(e.summary) + bytes(e.contentHtml), lean: common + bytes(e.leanSummary) };
}

/** Index of the first entry of the day entry `i` belongs to (entries are newest day first). */
function dayStart(entries: readonly FeedEntry[], i: number): number {
  let start = Math.max(0, i);
  while (start > 0 && entries[start - 1]?.date === entries[i]?.date) start--;
  return start;
}

/** The richest plan whose estimate, at `scale` rendered bytes per estimated byte, fits `aim`. */
function plan(spec: FeedSpec, weights: readonly { full: number; lean: number }[], scale: number, aim: number): Plan {
  const n = spec.entries.length;
  let total = weights.reduce((s, w) => s + w.full, 0) * scale;
  let full = n;
  while (full > 0 && total > aim) {
    full--;
    total -= ((weights[full]?.full ?? 0) - (weights[full]?.lean ?? 0)) * scale;
  }
  if (total <= aim) return { entries: n, full };
  // Even lean, too big: the oldest days leave, whole, until it fits (the newest day always stays).
  let kept = n;
  while (kept > 0 && total > aim) {
    const date = spec.entries[kept - 1]?.date;
    let start = kept;
    while (start > 0 && spec.entries[start - 1]?.date === date) start--;
    if (start === 0) break;
    for (let i = start; i < kept; i++) total -= (weights[i]?.lean ?? 0) * scale;
    kept = start;
  }
  return { entries: kept, full: 0 };
}

/**
 * Renders a feed within `maxBytes`, richest first: every entry whole if that fits; else the newest
 * entries whole and the older ones lean (title, authors, a short summary), as many whole as fit;
 * else, all lean, the oldest days leave. Sizes are estimated from the entries and corrected by what
 * the first render weighed, so a big feed is rendered two or three times, a small one once (`feed`'s
 * XML writer is slow on big trees). Deterministic: the same entries always give the same bytes.
 */
export function fitFeed(spec: FeedSpec, render: (spec: FeedSpec) => string, maxBytes: number): FittedFeed {
  const weights = spec.entries.map((e) => weight(e, spec));
  const estimate = (p: Plan) => weights.slice(0, p.entries).reduce((s, w, i) => s + (i < p.full ? w.full : w.lean), 0);
  const renderPlan = (p: Plan) => render(p.entries === spec.entries.length && p.full === p.entries ? spec : { ...spec, entries: spec.entries.slice(0, p.entries), fullEntries: p.full });
  const fitted = (p: Plan, body: string): FittedFeed => ({ body, fullEntries: p.full, entries: p.entries });
  const same = (a: Plan, b: Plan) => a.entries === b.entries && a.full === b.full;

  let p = plan(spec, weights, 1, maxBytes * AIM);
  let body = renderPlan(p);
  if (p.full === spec.entries.length && bytes(body) <= maxBytes) return fitted(p, body);
  // Correct the estimate by what each render weighed, and plan again (twice at most).
  for (let i = 0; i < 2; i++) {
    const q = plan(spec, weights, bytes(body) / Math.max(1, estimate(p)), maxBytes * AIM);
    if (same(p, q)) break;
    const next = renderPlan(q);
    // A richer plan that does not fit is not taken; the one in hand does.
    if (bytes(next) > maxBytes && bytes(body) <= maxBytes) break;
    p = q;
    body = next;
  }
  // Whatever the estimate missed: a tenth less at a time until the bytes fit.
  const step = Math.max(1, Math.ceil(spec.entries.length / 10));
  while (bytes(body) > maxBytes && p.entries > 0) {
    p = p.full > 0 ? { entries: p.entries, full: Math.max(0, p.full - step) } : { entries: dayStart(spec.entries, p.entries - 1), full: 0 };
    body = renderPlan(p);
  }
  return fitted(p, body);
}
