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
  const reasons = new Map<string, string | null>();
  return {
    ranked,
    size: ranking.size,
    // Reasons for the shown papers only, once each, when the personaliser asks (it passes over the spare ones).
    reason: (id) => {
      let title = reasons.get(id);
      if (title === undefined) reasons.set(id, (title = reasonsFor(ranking.model, day, [id]).get(id)?.title ?? null));
      return title;
    },
  };
}
