import { scoreDay, type IndexedDay, type ReaderModel } from '../ranking/reader-model.ts';

/**
 * What a sender needs of a reader's library: their model (≤ 10 KB; null below three saved papers or
 * with "For you" off), the size of "For you", how many papers are saved, and each saved paper's id,
 * version and whether it had code (what "Your library" compares a new listing with).
 */
export interface StoredRanking {
  readonly model: ReaderModel | null;
  readonly size: number;
  readonly saved: number;
  readonly library?: readonly SavedMark[];
}

export interface SavedMark {
  readonly id: string;
  readonly v: number | null;
  readonly c: boolean;
  /** Saved with a journal reference (absent: without one, which is most papers, so the bytes are spent only there). */
  readonly j?: true;
}

interface RankingJson {
  readonly v: 1;
  readonly bias?: number;
  readonly scale?: number;
  readonly packed?: string;
  readonly saved?: ReaderModel['saved'];
  readonly size: number;
  readonly n: number;
  readonly lib?: readonly SavedMark[];
}

export function rankingToJson(r: StoredRanking): string {
  const model = r.model ? { bias: r.model.bias, scale: r.model.scale, packed: Buffer.from(r.model.packed).toString('base64'), saved: r.model.saved } : {};
  const json: RankingJson = { v: 1, ...model, size: r.size, n: r.saved, ...(r.library ? { lib: r.library } : {}) };
  return JSON.stringify(json);
}

/** A stored ranking, or null for one this code cannot read (the reader then gets no "For you" until their next click retrains it). */
export function rankingFromJson(text: string): StoredRanking | null {
  try {
    const j = JSON.parse(text) as RankingJson;
    if (j.v !== 1) return null;
    const library = Array.isArray(j.lib) ? { library: j.lib } : {};
    if (j.packed === undefined) return { model: null, size: Number(j.size) || 0, saved: Number(j.n) || 0, ...library };
    if (typeof j.bias !== 'number' || typeof j.scale !== 'number' || typeof j.packed !== 'string' || !Array.isArray(j.saved)) return null;
    const packed = new Uint8Array(Buffer.from(j.packed, 'base64'));
    return { model: { version: 1, bias: j.bias, scale: j.scale, packed, saved: j.saved }, size: Number(j.size) || 0, saved: Number(j.n) || 0, ...library };
  } catch {
    return null;
  }
}

/** The day's `n` papers the reader's model ranks first, leaving out those they saved (theirs already): the mail's and the feed's "For you". */
export function rankUnsaved(ranking: StoredRanking, day: IndexedDay, n: number): string[] {
  if (!ranking.model || n <= 0) return [];
  const saved = new Set(ranking.library?.map((m) => m.id));
  return scoreDay(ranking.model, day, n, saved).map((s) => s.id);
}
