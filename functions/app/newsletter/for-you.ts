import { rankUnsaved, type StoredRanking } from '../../domain/library/stored-ranking.ts';
import type { Edition } from '../../domain/newsletter/edition.ts';
import type { ForYou } from '../../domain/newsletter/personalise.ts';
import { indexDay, reasonTitles, type IndexedDay } from '../../domain/ranking/reader-model.ts';
import type { SavedPaperChange } from '../../domain/newsletter/for-you-copy.ts';

/** A few more than the section shows: the personaliser passes over papers the reader had or excluded. */
const SPARE = 20;

const indexed = new WeakMap<Edition, IndexedDay>();
/** The edition's papers indexed for ranking, once per edition for every reader a sender mails. */
function dayOf(edition: Edition): IndexedDay {
  let day = indexed.get(edition);
  if (!day) indexed.set(edition, (day = indexDay(edition.papers.map((p) => ({ id: p.arxivId, title: p.titleEn, abstract: p.abstractEn, authors: p.authors })))));
  return day;
}

/** A reader's "For you" in this edition: the papers their model ranks first, each with the saved paper it is most like. */
export function forYouOf(edition: Edition, ranking: StoredRanking | undefined): ForYou | undefined {
  if (!ranking?.model || ranking.size <= 0 || edition.papers.length === 0) return undefined;
  const model = ranking.model;
  const day = dayOf(edition);
  const ranked = rankUnsaved(ranking, day, ranking.size + SPARE);
  return {
    ranked,
    size: ranking.size,
    // Worked out when the personaliser asks (a reader it skips costs none), for the papers the mail shows.
    reasons: (ids) => reasonTitles(model, day, ids),
  };
}

/** The reader's saved papers this edition lists again with a change: a newer version, a code link or a journal reference they were saved without. */
export function libraryChangesOf(edition: Edition, ranking: StoredRanking | undefined): Map<string, SavedPaperChange> {
  const changes = new Map<string, SavedPaperChange>();
  if (!ranking?.library?.length) return changes;
  const saved = new Map(ranking.library.map((m) => [m.id, m]));
  for (const p of edition.papers) {
    const mark = saved.get(p.arxivId);
    if (!mark || changes.has(p.arxivId)) continue;
    const version = p.version !== null && mark.v !== null && p.version > mark.v ? p.version : null;
    const code = !mark.c && !!p.codeUrl;
    const journal = !mark.j && p.journalRef ? p.journalRef : null;
    if (version !== null || code || journal !== null) changes.set(p.arxivId, { version, code, journal });
  }
  return changes;
}
