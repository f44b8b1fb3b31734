import { prepareEntry, type FeedSpec } from './render-feeds.ts';

export interface FittedFeed {
  readonly body: string;
  /** Entries carrying whole abstracts (the newest ones). */
  readonly fullEntries: number;
  /** Entries left in the feed, full or lean. */
  readonly entries: number;
}

const bytes = (s: string) => Buffer.byteLength(s);

/**
 * Renders a feed within `maxBytes`, richest first: every entry whole if that fits; else the oldest
 * entries lean (a summary instead of the abstracts), as few as the estimate allows; else, all lean,
 * the oldest days leave. Deterministic: the same entries always give the same bytes.
 */
export function fitFeed(spec: FeedSpec, render: (spec: FeedSpec) => string, maxBytes: number): FittedFeed {
  const whole = render(spec);
  if (bytes(whole) <= maxBytes) return { body: whole, fullEntries: spec.entries.length, entries: spec.entries.length };

  // What making each entry lean saves, measured on its content (the part that differs).
  const saving = spec.entries.map((e) => bytes(prepareEntry(e, spec.lang, 'full').contentHtml) - bytes(prepareEntry(e, spec.lang, 'lean').contentHtml));
  let excess = bytes(whole) - maxBytes;
  let full = spec.entries.length;
  while (full > 0 && excess > 0) excess -= saving[--full] ?? 0;
  for (;;) {
    const body = render({ ...spec, fullEntries: full });
    if (bytes(body) <= maxBytes) return { body, fullEntries: full, entries: spec.entries.length };
    if (full === 0) break;
    // The estimate ignores escaping and markup: step further back by a tenth of the feed.
    full = Math.max(0, full - Math.ceil(spec.entries.length / 10));
  }

  // Even lean, the window is too big: keep whole days, newest first.
  const days = [...new Set(spec.entries.map((e) => e.date))];
  while (days.length > 1) {
    days.pop();
    const keep = new Set(days);
    const entries = spec.entries.filter((e) => keep.has(e.date));
    const body = render({ ...spec, entries, fullEntries: 0 });
    if (bytes(body) <= maxBytes) return { body, fullEntries: 0, entries: entries.length };
  }
  const newestDay = spec.entries.filter((e) => e.date === days[0]);
  return { body: render({ ...spec, entries: newestDay, fullEntries: 0 }), fullEntries: 0, entries: newestDay.length };
}
