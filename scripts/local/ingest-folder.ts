import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestInput, IngestOutcome } from '../../functions/app/ingest/ingest.ts';
import { dateFromName, ingestDays, type DayResult } from '../../functions/app/ingest/ingest-runs.ts';
import type { DigestFormat } from '../../functions/domain/model.ts';
import { sniffDigestFormat } from '../../functions/domain/parse-digest.ts';
import { progress } from './progress.ts';

export interface DigestFile {
  readonly path: string;
  readonly date: string | undefined;
  readonly format: DigestFormat | null;
}

/**
 * Every `*.md` digest of the folders, by date and, within a date, in the order `prefer` gives:
 * `detailed` first for a backfill (the table copy of a day then adds no second version), or only
 * the `table` copy where a day has one (what a deployment reads today).
 */
export function digestFiles(dirs: readonly string[], prefer: 'detailed-first' | 'table-only-where-present' = 'detailed-first'): DigestFile[] {
  const files = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => {
        const path = join(dir, f);
        return { path, date: dateFromName(f), format: sniffDigestFormat(readFileSync(path, 'utf8')) };
      }),
  );
  const rank = (f: DigestFile) => (f.format === 'detailed' ? 0 : 1);
  files.sort((a, b) => (a.date ?? a.path).localeCompare(b.date ?? b.path) || rank(a) - rank(b) || a.path.localeCompare(b.path));
  if (prefer === 'detailed-first') return files;
  const tableDates = new Set(files.filter((f) => f.format === 'table' && f.date).map((f) => f.date));
  return files.filter((f) => f.format === 'table' || !tableDates.has(f.date));
}

/** Ingests digest files in order, with a progress bar; used by backfill and npm start. */
export async function ingestFiles(files: readonly DigestFile[], ingest: (input: IngestInput) => Promise<IngestOutcome>, title = 'ingest'): Promise<DayResult[]> {
  const bar = progress(title, files.length);
  const results = await ingestDays(
    files.map((f) => f.path),
    async (source) => {
      const outcome = await ingest({ bytes: readFileSync(source), source, dateHint: dateFromName(source) });
      return { date: outcome.date, source, status: outcome.status, outcome };
    },
    (r) => bar.tick(`${r.date} ${r.status}`),
  );
  bar.stop();
  return results;
}

export async function ingestFolder(dir: string | readonly string[], ingest: (input: IngestInput) => Promise<IngestOutcome>, title = 'ingest'): Promise<DayResult[]> {
  return ingestFiles(digestFiles(typeof dir === 'string' ? [dir] : dir), ingest, title);
}
