import type { StoredRanking } from '../../domain/library/stored-ranking.ts';
import type { Edition } from '../../domain/newsletter/edition.ts';
import type { ForYou } from '../../domain/newsletter/personalise.ts';
import { indexDay, reasonsFor, scoreDay, type IndexedDay } from '../../domain/ranking/reader-model.ts';

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
  if (!ranking || ranking.size <= 0 || edition.papers.length === 0) return undefined;
  const day = dayOf(edition);
  const ranked = scoreDay(ranking.model, day, ranking.size + SPARE).map((s) => s.id);
  let reasons: Map<string, { id: string; title: string }> | null = null;
  return {
    ranked,
    size: ranking.size,
    // Reasons for the shown papers only, worked out when the personaliser asks for the first.
    reason: (id) => (reasons ??= reasonsFor(ranking.model, day, ranked)).get(id)?.title ?? null,
  };
}
