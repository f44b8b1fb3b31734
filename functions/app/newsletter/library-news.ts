import { noteUpdates, savedMarks, type LibraryUpdate } from '../../domain/library/library.ts';
import type { StoredRanking } from '../../domain/library/stored-ranking.ts';
import type { Edition } from '../../domain/newsletter/edition.ts';
import type { SavedPaperChange } from '../../domain/newsletter/for-you-copy.ts';
import type { LibraryStore } from '../../domain/ports/library-store.ts';

/**
 * After a mail told its reader what changed about saved papers ("Your library"): the library takes
 * the changes (the library page shows them) and the reader's stored marks move on, so the next mail
 * tells a change once, not at every listing.
 */
export async function recordLibraryNews(store: LibraryStore, email: string, changes: ReadonlyMap<string, SavedPaperChange>, edition: Edition, ranking: StoredRanking | undefined, at: Date): Promise<void> {
  if (changes.size === 0) return;
  const listed = new Map(edition.papers.map((p) => [p.arxivId, p]));
  const updates = new Map<string, LibraryUpdate>(
    [...changes].map(([id, c]) => [id, { day: edition.date, version: c.version, codeUrl: c.code ? listed.get(id)?.codeUrl ?? null : null, journalRef: c.journal }]),
  );
  const { next, outcome } = await store.apply(email, (prev) => noteUpdates(prev, updates, at));
  if (outcome === 'not-there' || !ranking) return;
  await store.putRanking(email, { ...ranking, library: savedMarks(next) });
}
