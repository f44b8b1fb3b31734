import { entryOf, LIBRARY_LIMIT, MIN_SAVED_FOR_RANKING, rankInputOf, refusePaper, savedMarks, savePaper, savePapers, type Library, type LibraryEntry } from '../../domain/library/library.ts';
import type { ArxivMetadataSource } from '../../domain/ports/arxiv-source.ts';
import type { FoundIds } from '../../domain/library/import-ids.ts';
import type { PaperAction } from '../../domain/library/actions.ts';
import type { LibraryStore } from '../../domain/ports/library-store.ts';
import type { Digest, Paper } from '../../domain/model.ts';
import { papersOf } from '../../domain/model.ts';
import type { RankInput } from '../../domain/ranking/features.ts';
import { indexDay, trainReaderModel, type IndexedDay } from '../../domain/ranking/reader-model.ts';
import { rankUnsaved, type StoredRanking } from '../../domain/library/stored-ranking.ts';

/** Imported ids looked up on arXiv in one request, at most; the reader imports the same file again for the rest (the ones saved are skipped). */
export const MAX_LOOKUPS = 200;

/** Papers a model is trained on, at most (newest saved first): a click's training stays within tens of milliseconds. */
const TRAINING_SAVED = 200;

export interface ListedPaper {
  readonly paper: Paper;
  readonly day: string;
}

/** Where a mailed paper was listed: the newest of the recent days that has it. */
export function findListed(days: readonly Digest[], arxivId: string): ListedPaper | null {
  for (let i = days.length - 1; i >= 0; i--) {
    const day = days[i]!;
    const paper = papersOf(day).find((p) => p.arxivId === arxivId);
    if (paper) return { paper, day: day.date };
  }
  return null;
}

const asRankInput = (p: Paper): RankInput => ({ id: p.arxivId, title: p.titleEn, abstract: p.abstractEn, authors: p.authors });

/**
 * The reader's model from their library: saved papers (newest last, as the trainer wants them), their
 * refusals, and as passed-over papers the rest of the recent days they saved or refused from (what
 * they were shown and did not pick). Stored, or removed when "For you" is off or needs more papers.
 */
export async function retrain(store: LibraryStore, lib: Library, days: readonly Digest[]): Promise<void> {
  if (lib.saved.length === 0) {
    await store.putRanking(lib.email, null);
    return;
  }
  // What "Your library" compares each day's listings with: every saved paper's version and code link.
  const library = savedMarks(lib);
  if (lib.saved.length < MIN_SAVED_FOR_RANKING || lib.forYouSize === 0) {
    await store.putRanking(lib.email, { model: null, size: lib.forYouSize, saved: lib.saved.length, library });
    return;
  }
  const saved = lib.saved.slice(0, TRAINING_SAVED).map(rankInputOf).reverse();
  const clickedDays = new Set([...lib.saved, ...lib.notForMe].map((e) => e.day));
  const passedOver = days.filter((d) => clickedDays.has(d.date)).flatMap((d) => papersOf(d).map(asRankInput));
  const model = trainReaderModel({ saved, notForMe: lib.notForMe.map(rankInputOf), passedOver });
  await store.putRanking(lib.email, { model, size: lib.forYouSize, saved: lib.saved.length, library });
}

/** A reader's save or "not for me" on a listed paper, then the model retrained. */
export async function recordAction(store: LibraryStore, email: string, action: PaperAction, listed: ListedPaper, days: readonly Digest[], at: Date) {
  const entry = entryOf(listed.paper, listed.day, at);
  const change = await store.apply(email, (prev) => (action === 'save' ? savePaper(prev, email, entry, at) : refusePaper(prev, email, entry, at)));
  if (change.outcome === 'saved' || change.outcome === 'refused') await retrain(store, change.next, days);
  return change;
}

export interface ImportSummary {
  readonly references: number;
  readonly found: number;
  readonly withoutId: number;
  readonly duplicates: number;
  /** Saved now: listed in the recent mail, or looked up on arXiv. */
  readonly added: number;
  readonly already: number;
  /** Found, but neither in the recent mail nor answered by arXiv (a wrong id, or arXiv unreachable). */
  readonly unknown: readonly string[];
  readonly full: number;
}

/**
 * A reader's import: the ids found in what they pasted or uploaded are saved with what Paperboy
 * knows of them (the recent mail), or else what arXiv's API says (in batches, through the polite
 * client); then the model is trained once.
 */
export async function importIds(store: LibraryStore, email: string, found: FoundIds, days: readonly Digest[], arxiv: ArxivMetadataSource | null, at: Date): Promise<ImportSummary> {
  const ids = found.ids.slice(0, LIBRARY_LIMIT);
  const entries = new Map<string, LibraryEntry>();
  for (const id of ids) {
    const listed = findListed(days, id);
    if (listed) entries.set(id, entryOf(listed.paper, listed.day, at));
  }
  // Two of arXiv's 100-id batches at most (3 s apart): an import answers within the API's 28 s.
  const rest = ids.filter((id) => !entries.has(id)).slice(0, MAX_LOOKUPS);
  if (rest.length && arxiv) {
    const answer = await arxiv.lookup(rest);
    for (const id of rest) {
      const r = answer.found.get(id);
      if (r) entries.set(id, { id, version: r.version, title: r.title, titleZh: null, authors: r.authors.slice(0, 50), abstract: r.abstract.slice(0, 2000), codeUrl: null, ...(r.journalRef ? { journalRef: r.journalRef.slice(0, 300) } : {}), day: (r.published ?? at.toISOString()).slice(0, 10), savedAt: at.toISOString() });
    }
  }
  const ordered = ids.map((id) => entries.get(id)).filter((e): e is LibraryEntry => e !== undefined);
  let counts = { added: 0, already: 0, full: 0 };
  const change = await store.apply(email, (prev) => {
    const r = savePapers(prev, email, ordered, at);
    counts = r;
    return { next: r.next, outcome: 'saved' };
  });
  if (counts.added > 0) await retrain(store, change.next, days);
  return { references: found.references, found: found.ids.length, withoutId: found.withoutId, duplicates: found.duplicates, added: counts.added, already: counts.already, unknown: ids.filter((id) => !entries.has(id)), full: counts.full + Math.max(0, found.ids.length - ids.length) };
}

const indexedDays = new WeakMap<Digest, IndexedDay>();
/** A day's papers as the reader's model ranks them, the first `size` (the personal feed's "For you"); each day indexed once per container. */
export function forYouOfDay(day: Digest, ranking: StoredRanking): string[] {
  if (ranking.size <= 0 || !ranking.model) return [];
  let indexed = indexedDays.get(day);
  if (!indexed) indexedDays.set(day, (indexed = indexDay(papersOf(day).map(asRankInput))));
  return rankUnsaved(ranking, indexed, ranking.size);
}
