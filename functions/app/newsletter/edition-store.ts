import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { editionToJson, type Edition, type EditionConfig } from '../../domain/newsletter/edition.ts';
import { dataKeys } from '../../domain/storage-layout.ts';
import { readableDigest } from '../../domain/latex-text.ts';
import type { Digest } from '../../domain/model.ts';
import { loadDigest } from '../archive/load-digest.ts';
import { readJson } from '../stored-json.ts';
import { mergeWeek, weekBefore, weekSpan, type WeekSpan } from '../../domain/sending/week.ts';
import { editionKey } from './edition-loader.ts';

/**
 * Compiles the day's edition once, when the day is planned for sending, and stores it; a second
 * call (a retried event) finds it and compiles nothing. `compile` is passed in so that only the
 * planner's bundle carries MJML.
 */
export async function prepareEdition(
  data: BlobStore,
  parsedKey: string,
  config: EditionConfig,
  compile: (digest: Awaited<ReturnType<typeof loadDigest>>, config: EditionConfig) => Promise<Edition>,
): Promise<'compiled' | 'exists'> {
  const key = editionKey(parsedKey);
  if (await data.exists(key)) return 'exists';
  const digest = await loadDigest(data, parsedKey);
  const edition = await compile(digest, config);
  const stored = await data.putIfAbsent(key, editionToJson(edition), { contentType: 'application/json' });
  // The day as readers' personal feeds show it; a re-published day replaces it.
  await data.put(dataKeys.mailedDay(digest.date), JSON.stringify(readableDigest(digest)), { contentType: 'application/json' });
  return stored === 'created' ? 'compiled' : 'exists';
}

/**
 * Compiles the weekly edition of `date` once, from the days mailed in the seven days before it
 * (kept for personal feeds), each arXiv id once. `null` when no day was mailed that week.
 */
export async function prepareWeek(
  data: BlobStore,
  date: string,
  config: EditionConfig,
  compile: (digest: Digest, config: EditionConfig, week: WeekSpan) => Promise<Edition>,
): Promise<{ key: string; days: number; papers: number } | null> {
  const range = weekBefore(date);
  const days: Digest[] = [];
  for (const d of range.dates) {
    const stored = await readJson<Digest>(data, dataKeys.mailedDay(d));
    if (stored) days.push(stored.value);
  }
  if (days.length === 0) return null;
  const key = dataKeys.weeklyEdition(date);
  const week = mergeWeek(days, date);
  if (!(await data.exists(key))) await data.putIfAbsent(key, editionToJson(await compile(week, config, weekSpan(date, new Set(days.map((d) => d.date))))), { contentType: 'application/json' });
  return { key, days: days.length, papers: week.sections.reduce((n, s) => n + s.papers.length, 0) };
}

