import type { Category, Digest, Paper } from '../model.ts';

/** One paper as a feed shows it: its latest version, and when it was first and last listed. */
export interface FeedEntry {
  readonly paper: Paper;
  readonly category: Category;
  /** Digest date of the version shown: the item's "updated" date. */
  readonly date: string;
  /** Digest date the arXiv id first appeared in the window: the item's "published" date. */
  readonly firstSeen: string;
}

export interface WindowOptions {
  /**
   * Days of digests every feed covers, counted back from the newest digest: a reader who opens their
   * feeds once a week finds every paper since the last time, however busy the week was.
   */
  readonly days: number;
  /**
   * Bytes a feed may grow to. Over it, the oldest items carry a summary instead of whole abstracts;
   * only if that is still too big do the oldest days leave the feed.
   */
  readonly maxFeedBytes: number;
}

/** Two weeks: a weekly reader who misses a week still sees everything; 1.5 MB leaves room under readers' 2 MB limits. */
export const DEFAULT_WINDOW: WindowOptions = { days: 14, maxFeedBytes: 1_500_000 };

/** The digests within `days` of the newest one, oldest first. */
export function digestsInWindow(digests: readonly Digest[], days: number): Digest[] {
  const sorted = [...digests].sort((a, b) => a.date.localeCompare(b.date));
  const newest = sorted[sorted.length - 1];
  if (!newest) return [];
  const cutoff = new Date(Date.parse(`${newest.date}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return sorted.filter((d) => d.date >= cutoff);
}

/**
 * One entry per arXiv id: a later listing (a new version, possibly in another category) replaces the
 * earlier one, so readers see an updated item rather than a duplicate. Newest digest first, then in
 * published order.
 */
export function collectEntries(digests: readonly Digest[]): FeedEntry[] {
  const sorted = [...digests].sort((a, b) => a.date.localeCompare(b.date));
  const byId = new Map<string, FeedEntry>();
  const firstSeen = new Map<string, string>();
  for (const digest of sorted) {
    for (const section of digest.sections) {
      for (const paper of section.papers) {
        if (!firstSeen.has(paper.arxivId)) firstSeen.set(paper.arxivId, digest.date);
        byId.delete(paper.arxivId);
        byId.set(paper.arxivId, { paper, category: section.category, date: digest.date, firstSeen: firstSeen.get(paper.arxivId) ?? digest.date });
      }
    }
  }
  const entries = [...byId.values()];
  // Map keeps insertion order, which is digest order; a stable sort by date descending keeps it within a day.
  return entries.sort((a, b) => b.date.localeCompare(a.date));
}
