import { entryOf, MIN_SAVED_FOR_RANKING, rankInputOf, refusePaper, savePaper, type Library } from '../../domain/library/library.ts';
import type { PaperAction } from '../../domain/library/actions.ts';
import type { LibraryStore } from '../../domain/ports/library-store.ts';
import type { Digest, Paper } from '../../domain/model.ts';
import { papersOf } from '../../domain/model.ts';
import type { RankInput } from '../../domain/ranking/features.ts';
import { trainReaderModel } from '../../domain/ranking/reader-model.ts';

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
  if (lib.saved.length < MIN_SAVED_FOR_RANKING || lib.forYouSize === 0) {
    await store.putRanking(lib.email, null);
    return;
  }
  const saved = lib.saved.slice(0, TRAINING_SAVED).map(rankInputOf).reverse();
  const clickedDays = new Set([...lib.saved, ...lib.notForMe].map((e) => e.day));
  const passedOver = days.filter((d) => clickedDays.has(d.date)).flatMap((d) => papersOf(d).map(asRankInput));
  const model = trainReaderModel({ saved, notForMe: lib.notForMe.map(rankInputOf), passedOver });
  await store.putRanking(lib.email, model ? { model, size: lib.forYouSize, saved: lib.saved.length } : null);
}

/** A reader's save or "not for me" on a listed paper, then the model retrained. */
export async function recordAction(store: LibraryStore, email: string, action: PaperAction, listed: ListedPaper, days: readonly Digest[], at: Date) {
  const entry = entryOf(listed.paper, listed.day, at);
  const change = await store.apply(email, (prev) => (action === 'save' ? savePaper(prev, email, entry, at) : refusePaper(prev, email, entry, at)));
  if (change.outcome === 'saved' || change.outcome === 'refused') await retrain(store, change.next, days);
  return change;
}
