import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestInput, IngestOutcome } from '../../functions/domain/ingest.ts';
import { dateFromName, ingestDays, type DayResult } from '../../functions/domain/ingest-runs.ts';
import { progress } from './progress.ts';

/** Ingests every `*.md` file of a folder in name order, with a progress bar; used by backfill and npm start. */
export async function ingestFolder(dir: string, ingest: (input: IngestInput) => Promise<IngestOutcome>, title = 'ingest'): Promise<DayResult[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  const bar = progress(title, files.length);
  const results = await ingestDays(
    files,
    async (file) => {
      const source = join(dir, file);
      const outcome = await ingest({ bytes: readFileSync(source), source, dateHint: dateFromName(file) });
      return { date: outcome.date, source, status: outcome.status, outcome };
    },
    (r) => bar.tick(`${r.date} ${r.status}`),
  );
  bar.stop();
  return results;
}
