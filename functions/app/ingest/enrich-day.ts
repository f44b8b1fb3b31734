import type { ArxivMetadataSource } from '../../domain/ports/arxiv-source.ts';
import { currentVersion } from '../../domain/day-index.ts';
import {
  cleanTranslation,
  emptyEnrichment,
  extrasFromArxiv,
  keyOf,
  keysWithoutAbstract,
  mergeEnrichment,
  translationJobs,
  type PaperExtras,
} from '../../domain/enrichment.ts';
import { dataKeys } from '../../domain/storage-layout.ts';
import type { Translator } from '../../domain/ports/translator.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { RETRY_POLICIES, updateJson } from '../stored-json.ts';
import { readDayIndex, readParsedDocument } from './ingest.ts';
import { readEnrichment } from '../archive/load-digest.ts';
import type { EventSink } from '../../domain/ports/event-sink.ts';

export interface EnrichDeps {
  readonly store: BlobStore;
  readonly arxiv: ArxivMetadataSource;
  readonly translator?: Translator | null;
}

export interface EnrichOutcome {
  readonly date: string;
  readonly papers: number;
  /** Papers of the day that have an English abstract now, from the digest or from arXiv. */
  readonly withAbstract: number;
  /** Abstracts arXiv gave in this run. */
  readonly fetched: number;
  /** Asked and not answered: asked again on a later run. */
  readonly missing: number;
  readonly translated: number;
  readonly failures: readonly string[];
  /** True when the day changed for readers, so feeds and pages should be published again. */
  readonly changed: boolean;
}


/**
 * Completes the current version of a day: asks arXiv for the abstracts it lacks and, when a
 * translator is configured, translates what has no Chinese. Idempotent and incremental: a paper
 * already completed is never asked for again, a failed or partial answer leaves the rest for the
 * next run, and nothing the publisher wrote is replaced.
 */
export async function enrichDay(deps: EnrichDeps, date: string): Promise<EnrichOutcome | null> {
  const version = currentVersion((await readDayIndex(deps.store, date)).value);
  if (!version) return null;
  const digest = (await readParsedDocument(deps.store, version.resultKey)).digest;
  const papers = digest.sections.reduce((n, s) => n + s.papers.length, 0);
  const before = (await readEnrichment(deps.store, date)).value;

  const wanted = keysWithoutAbstract(digest, before);
  const additions: Record<string, PaperExtras> = {};
  let failures: readonly string[] = [];
  let missing = 0;
  if (wanted.length > 0) {
    const answer = await deps.arxiv.lookup(wanted);
    for (const [key, record] of answer.found) additions[key] = extrasFromArxiv(record);
    failures = answer.failures;
    missing = answer.missing.length;
  }
  const fetched = Object.values(additions).filter((a) => a.abstractEn).length;

  let translated = 0;
  if (deps.translator) {
    const jobs = translationJobs(digest, mergeEnrichment(before, additions));
    if (jobs.length > 0) {
      try {
        const out = await deps.translator.translate(jobs.map((j) => j.text));
        jobs.forEach((job, i) => {
          const text = cleanTranslation(out[i] ?? '');
          if (!text) return;
          additions[job.key] = { ...additions[job.key], [job.field]: text, translatedBy: deps.translator?.name ?? 'translator' };
          translated++;
        });
      } catch (err) {
        failures = [...failures, `translation (${deps.translator.name}): ${(err as Error).message}`];
      }
    }
  }

  if (Object.keys(additions).length > 0) await saveAdditions(deps.store, date, additions);
  const after = mergeEnrichment(before, additions);
  const withAbstract = digest.sections.flatMap((s) => s.papers).filter((p) => p.abstractEn !== null || after.papers[keyOf(p)]?.abstractEn).length;
  return { date, papers, withAbstract, fetched, missing, translated, failures, changed: fetched > 0 || translated > 0 };
}

/**
 * The abstracts step as ingest runs it after a day is written (the upload and scheduled handlers,
 * `npm start`, backfill): none without an arXiv source; each outcome is handed to `onOutcome`.
 */
export function abstractsStep(deps: { readonly store: BlobStore; readonly arxiv: ArxivMetadataSource | null; readonly translator?: Translator | null }, onOutcome: (outcome: EnrichOutcome) => void = () => {}): ((date: string) => Promise<void>) | undefined {
  const { arxiv } = deps;
  if (!arxiv) return undefined;
  return async (date) => {
    const outcome = await enrichDay({ store: deps.store, arxiv, translator: deps.translator ?? null }, date);
    if (outcome) onOutcome(outcome);
  };
}

async function saveAdditions(store: BlobStore, date: string, additions: Readonly<Record<string, PaperExtras>>): Promise<void> {
  await updateJson(store, dataKeys.enrichment(date), { empty: emptyEnrichment(date), change: (value) => mergeEnrichment(value, additions), policy: RETRY_POLICIES.enrichment });
}

/**
 * The scheduled catch-up: completes each recent day and, where readers' view changed, asks for the
 * feeds and pages to be published again (DigestUpdated goes to the publisher only: a day's mail is
 * never sent twice because its abstracts arrived late).
 */
export async function completeDays(deps: EnrichDeps & { readonly events: EventSink }, dates: readonly string[]): Promise<EnrichOutcome[]> {
  const outcomes: EnrichOutcome[] = [];
  for (const date of dates) {
    const outcome = await enrichDay(deps, date);
    if (!outcome) continue;
    outcomes.push(outcome);
    if (outcome.changed) await deps.events.emit({ type: 'DigestUpdated', date, reason: `${outcome.fetched} abstract(s) from arXiv, ${outcome.translated} translation(s)` });
  }
  return outcomes;
}

export function formatEnrichment(o: EnrichOutcome): string {
  const tail = o.failures.length ? `; failed: ${o.failures.join(' | ')}` : '';
  return `${o.date}: ${o.withAbstract}/${o.papers} with abstracts (${o.fetched} fetched, ${o.missing} not answered, ${o.translated} translated)${tail}`;
}
