import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { dataKeys } from '../../domain/storage-layout.ts';
import type { Digest } from '../../domain/model.ts';
import { PERSONAL_FEED_DAYS } from '../../domain/filters/personal-feed.ts';
import { decodeJson } from '../stored-json.ts';

/**
 * The mailed days of the last 30, oldest first, for personal feeds and the preferences preview: the listing is read at most once per `ttlMs`;
 * a day is read once per container, but the newest three again each time (a day is re-published,
 * or completed with abstracts, in its first days only; its new ETag says whether it changed).
 */
export function feedDaysLoader(data: BlobStore, ttlMs = 10 * 60_000, now = () => Date.now()): () => Promise<readonly Digest[]> {
  const loaded = new Map<string, { etag: string; day: Digest }>();
  let cached: { at: number; days: Promise<readonly Digest[]> } | null = null;
  const load = async (): Promise<readonly Digest[]> => {
    const keys = (await data.list(dataKeys.mailedDaysPrefix)).sort().slice(-PERSONAL_FEED_DAYS);
    const days: Digest[] = [];
    for (const [i, key] of keys.entries()) {
      const known = loaded.get(key);
      if (known && i < keys.length - 3) {
        days.push(known.day);
        continue;
      }
      const obj = await data.get(key);
      if (!obj) continue;
      if (known && known.etag === obj.etag) days.push(known.day);
      else {
        const day = decodeJson<Digest>(obj.body);
        loaded.set(key, { etag: obj.etag, day });
        days.push(day);
      }
    }
    for (const key of loaded.keys()) if (!keys.includes(key)) loaded.delete(key);
    return days;
  };
  return () => {
    if (cached && now() - cached.at < ttlMs) return cached.days;
    const days = load();
    days.catch(() => (cached = null));
    cached = { at: now(), days };
    return days;
  };
}
