import type { FeedEntry } from '../feeds/feed-window.ts';
import type { PersonalFeedHead } from '../feeds/render-feeds.ts';
import type { Lang } from '../language.ts';
import { papersOf, type Category, type Digest, type Paper } from '../model.ts';
import { looksForMatches, type Filters } from './filter-terms.ts';
import { mailSelection } from './mail-selection.ts';
import { PaperIndex } from './match-papers.ts';

/** A personal feed covers the mail days of the last 30 days, as "no paper twice" does. */
export const PERSONAL_FEED_DAYS = 30;

interface DayFacts {
  readonly index: PaperIndex;
  readonly papers: readonly Paper[];
  readonly categoryOf: readonly string[];
  readonly categories: ReadonlyMap<string, Category>;
}

const facts = new WeakMap<Digest, DayFacts>();
function factsOf(day: Digest): DayFacts {
  let f = facts.get(day);
  if (!f) {
    const papers = papersOf(day);
    facts.set(day, (f = { index: new PaperIndex(papers), papers, categoryOf: papers.map((p) => p.category), categories: new Map(day.sections.map((s) => [s.category.slug, s.category])) }));
  }
  return f;
}

/**
 * What a reader's mail would have selected on each of these days, newest day first (matches, then
 * the rest of their categories, in reading order), each arXiv id once: its newest listing, with the
 * day it was first listed in the window.
 */
export function personalEntries(days: readonly Digest[], prefs: { readonly categories: 'all' | readonly string[]; readonly filters?: Filters }, forYou?: (day: Digest) => readonly string[]): FeedEntry[] {
  const byId = new Map<string, FeedEntry>();
  for (const day of [...days].sort((a, b) => b.date.localeCompare(a.date))) {
    const f = factsOf(day);
    const sel = mailSelection(f.index, f.categoryOf, prefs);
    // As the mail: the reader's "For you" first (from any category, never an excluded paper), then matches, then the rest.
    const ranked = forYou ? forYou(day) : [];
    const at = ranked.length ? new Map(f.papers.map((p, i) => [p.arxivId, i])) : null;
    const first = ranked.map((id) => at?.get(id)).filter((n): n is number => n !== undefined && !sel.excluded.has(n));
    const firstSet = new Set(first);
    for (const n of [...first, ...sel.matches.filter((m) => !firstSet.has(m)), ...sel.rest.filter((m) => !firstSet.has(m))]) {
      const paper = f.papers[n];
      const category = paper ? f.categories.get(paper.category) : undefined;
      if (!paper || !category) continue;
      const newer = byId.get(paper.arxivId);
      byId.set(paper.arxivId, newer ? { ...newer, firstSeen: day.date } : { paper, category, date: day.date, firstSeen: day.date });
    }
  }
  return [...byId.values()];
}

/** What the newest mailed day's mail would have held with these settings: the preferences page's preview. */
export function previewCounts(day: Digest, prefs: { readonly categories: 'all' | readonly string[]; readonly filters?: Filters }): { date: string; papers: number; matches: number | null } {
  const f = factsOf(day);
  const s = mailSelection(f.index, f.categoryOf, prefs);
  return { date: day.date, papers: s.matches.length + s.rest.length, matches: looksForMatches(prefs.filters) ? s.matches.length : null };
}

/** The feed's own words: what it is, never who holds it or what they chose. */
export function personalFeedHead(lang: Lang, urls: PersonalFeedHead['urls']): PersonalFeedHead {
  const en = { title: 'Paperboy · your papers', description: `The arXiv cs.CV papers your Paperboy settings select, over the last ${PERSONAL_FEED_DAYS} days.` };
  const zh = { title: 'Paperboy · 您的论文', description: `按您的 Paperboy 设置筛选的 arXiv cs.CV 论文（最近 ${PERSONAL_FEED_DAYS} 天）。` };
  if (lang === 'en') return { ...en, urls };
  if (lang === 'zh') return { ...zh, urls };
  return { title: `${en.title} · ${zh.title.replace('Paperboy · ', '')}`, description: `${en.description} · ${zh.description}`, urls };
}
