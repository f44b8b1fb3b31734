import type { ReaderModel } from '../ranking/reader-model.ts';

/** What a sender needs of a reader's library: their model (≤ 10 KB), the size of "For you", how many papers trained it. */
export interface StoredRanking {
  readonly model: ReaderModel;
  readonly size: number;
  readonly saved: number;
}

interface RankingJson {
  readonly v: 1;
  readonly bias: number;
  readonly scale: number;
  readonly packed: string;
  readonly saved: ReaderModel['saved'];
  readonly size: number;
  readonly n: number;
}

export function rankingToJson(r: StoredRanking): string {
  const json: RankingJson = { v: 1, bias: r.model.bias, scale: r.model.scale, packed: Buffer.from(r.model.packed).toString('base64'), saved: r.model.saved, size: r.size, n: r.saved };
  return JSON.stringify(json);
}

/** A stored ranking, or null for one this code cannot read (the reader then gets no "For you" until their next click retrains it). */
export function rankingFromJson(text: string): StoredRanking | null {
  try {
    const j = JSON.parse(text) as RankingJson;
    if (j.v !== 1 || typeof j.bias !== 'number' || typeof j.scale !== 'number' || typeof j.packed !== 'string' || !Array.isArray(j.saved)) return null;
    const packed = new Uint8Array(Buffer.from(j.packed, 'base64'));
    return { model: { version: 1, bias: j.bias, scale: j.scale, packed, saved: j.saved }, size: Number(j.size) || 0, saved: Number(j.n) || 0 };
  } catch {
    return null;
  }
}
