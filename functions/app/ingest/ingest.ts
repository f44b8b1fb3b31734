import { inTaxonomy } from '../../domain/categories.ts';
import { createHash } from 'node:crypto';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import { JSON_CONTENT_TYPE, RETRY_POLICIES, readJson, readJsonOr, updateJson, type Versioned } from '../stored-json.ts';
import { currentVersion, emptyDayIndex, isUnannounced, markAnnounced, supersedingVersion, withVersion, type DayIndex, type DayVersion } from '../../domain/day-index.ts';
import { DigestRejectedError, formatProblem, type RecordProblem } from '../../domain/errors.ts';
import type { EventSink } from '../../domain/ports/event-sink.ts';
import { DIGEST_SCHEMA_VERSION, papersOf, type Digest } from '../../domain/model.ts';
import { parseDigest, type ParseResult } from '../../domain/parse-digest.ts';
import { judgeParse, judgeReplacement, latestAcceptableDate, type Verdict } from '../../domain/quarantine-policy.ts';
import { UNDATED, dataKeys, dateFromDayIndexKey } from '../../domain/storage-layout.ts';
import { DEFAULT_INGEST_LIMITS, isPlausibleDay, keptProblems, tooLarge, tooManyPapers, type IngestLimits } from '../../domain/ingest-limits.ts';

export interface IngestDeps {
  readonly store: BlobStore;
  readonly events: EventSink;
  readonly now?: () => Date;
  /**
   * Runs after a new version is stored and before DigestReady, so the first feeds and mail already
   * carry what it adds (abstracts from arXiv). Best effort: its failure is reported, never fatal,
   * and a later scheduled run completes the day.
   */
  readonly complete?: (date: string) => Promise<unknown>;
  readonly onCompleteError?: (date: string, err: unknown) => void;
  /** The source's time zone: a digest dated after tomorrow there is quarantined. Default UTC. */
  readonly timeZone?: string;
  /** Size, paper and warning ceilings (default DEFAULT_INGEST_LIMITS). */
  readonly limits?: Partial<IngestLimits>;
}

export interface IngestInput {
  readonly bytes: Uint8Array;
  /** File name, URL or S3 key: named in every error and kept with the record. */
  readonly source: string;
  /** The day the caller expects (from a URL or file name); files a digest whose header is unreadable. */
  readonly dateHint?: string;
  /** The operator's say-so (backfill --force, the incoming/force/ prefix): a version much smaller than the current one, or dated ahead, is taken anyway. */
  readonly force?: boolean;
}

export type IngestOutcome =
  | { readonly status: 'ingested'; readonly date: string; readonly hash: string; readonly papers: number; readonly problems: readonly RecordProblem[]; readonly problemsTotal?: number }
  /** The same bytes were ingested before; `stillQuarantined` names the report when they were quarantined then. */
  | { readonly status: 'unchanged'; readonly date: string; readonly hash: string; readonly stillQuarantined?: string }
  /** A table-format copy of a day already held in the detailed format: not taken as a version. */
  | { readonly status: 'superseded'; readonly date: string; readonly hash: string; readonly by: string }
  | { readonly status: 'quarantined'; readonly date: string; readonly hash: string; readonly reason: string; readonly problems: readonly RecordProblem[]; readonly problemsTotal?: number };

/** The parsed JSON stored beside the raw bytes. */
export interface ParsedDocument {
  readonly schemaVersion: number;
  readonly contentHash: string;
  readonly source: string;
  readonly rawKey: string;
  readonly records: number;
  readonly skipped: number;
  /** The first warnings (IngestLimits.keptWarnings); `problemsTotal` counts them all. */
  readonly problems: readonly RecordProblem[];
  readonly problemsTotal?: number;
  readonly digest: Digest;
}

export interface QuarantineReport {
  readonly date: string;
  readonly contentHash: string;
  readonly source: string;
  readonly rawKey: string;
  readonly reason: string;
  readonly problems: readonly string[];
  readonly problemsTotal?: number;
}

const MARKDOWN_TYPE = 'text/markdown; charset=utf-8';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stores one digest: raw bytes, then the parsed JSON (or a quarantine report), then the day index,
 * then (for a published version) the abstracts step and the event. Every step is idempotent, and a
 * crash before the event leaves the version marked unannounced, so a retry finishes the job.
 */
export async function ingestDigest(deps: IngestDeps, input: IngestInput): Promise<IngestOutcome> {
  const now = deps.now ?? (() => new Date());
  const hash = sha256(input.bytes);

  const limits: IngestLimits = { ...DEFAULT_INGEST_LIMITS, ...deps.limits };
  // A file name's date names a day folder only if it is a real day: `9999-99-99.md` makes none.
  const hint = input.dateHint !== undefined && isPlausibleDay(input.dateHint) ? input.dateHint : undefined;
  const badHint = input.dateHint !== undefined && !hint ? new DigestRejectedError({ file: input.source, line: 1, field: 'date' }, `the file name's date ${input.dateHint.slice(0, 20)} is not a calendar date`) : null;
  const oversized = input.bytes.length > limits.maxBytes;

  let parsed: ReturnType<typeof parseDigest> | null = null;
  let rejection: DigestRejectedError | null = null;
  if (oversized) {
    // Not even parsed: reading 70 MB of a wrong file costs a Lambda's memory and minutes for nothing.
    rejection = new DigestRejectedError({ file: input.source, line: 1, field: 'file' }, tooLarge(input.bytes.length, limits));
  } else {
    try {
      parsed = parseDigest(input.bytes, input.source);
    } catch (err) {
      if (!(err instanceof DigestRejectedError)) throw err;
      rejection = err;
    }
  }
  if (parsed && !isPlausibleDay(parsed.digest.date)) {
    rejection = new DigestRejectedError({ file: input.source, line: 1, field: 'date' }, `the header's date ${parsed.digest.date} is outside the years a digest can have`);
    parsed = null;
  }
  rejection ??= badHint;
  const date = parsed?.digest.date ?? hint ?? UNDATED;
  if (parsed && hint && hint !== parsed.digest.date) {
    rejection = new DigestRejectedError(
      { file: input.source, line: 1, field: 'date' },
      `header says ${parsed.digest.date} but the digest was expected for ${hint} (the file name or the URL's date)`,
    );
  }

  const index = await readDayIndex(deps.store, date);
  if (parsed && isUnannounced(index.value, hash)) return announce(deps, date, hash, parsed, limits);
  const known = index.value.versions.find((v) => v.hash === hash);
  if (known) return { status: 'unchanged', date, hash, ...(known.status === 'quarantined' ? { stillQuarantined: known.resultKey } : {}) };
  const winner = parsed && !rejection ? supersedingVersion(index.value, parsed.digest.format ?? 'detailed') : null;
  if (winner) return { status: 'superseded', date, hash, by: winner.hash };

  const rawKey = dataKeys.raw(date, hash);
  await deps.store.putIfAbsent(rawKey, input.bytes, { contentType: MARKDOWN_TYPE });

  const paperCount = parsed ? papersOf(parsed.digest).length : 0;
  const verdict: Verdict =
    rejection || !parsed
      ? { publish: false, reason: rejection?.message ?? 'unreadable digest' }
      : paperCount > limits.maxPapers
        ? { publish: false, reason: tooManyPapers(paperCount, limits) }
        : judgeVersion(parsed, index.value, now(), deps.timeZone ?? 'UTC', input.force ?? false);
  // Warnings kept with the version are the first few, with a count of all (one line per stray line of a hostile file is not kept).
  const { problems, ...counted } = keptProblems(parsed?.problems ?? [], limits);
  const base = { hash, source: input.source, rawKey, ingestedAt: now().toISOString(), ...(parsed ? { format: parsed.digest.format ?? 'detailed' } : {}) };

  if (!verdict.publish || !parsed) {
    const reason = verdict.publish ? 'unreadable digest' : verdict.reason;
    const report: QuarantineReport = { date, contentHash: hash, source: input.source, rawKey, reason, problems: problems.map(formatProblem), ...counted };
    const reportKey = dataKeys.quarantineReport(date, hash);
    await deps.store.put(reportKey, JSON.stringify(report, null, 2), { contentType: JSON_CONTENT_TYPE });
    await recordVersion(deps.store, date, { ...base, status: 'quarantined', resultKey: reportKey, papers: 0 });
    return { status: 'quarantined', date, hash, reason, problems, ...counted };
  }

  const parsedKey = dataKeys.parsed(date, hash);
  const doc: ParsedDocument = {
    schemaVersion: DIGEST_SCHEMA_VERSION,
    contentHash: hash,
    source: input.source,
    rawKey,
    records: parsed.records,
    skipped: parsed.skipped,
    problems,
    ...counted,
    digest: parsed.digest,
  };
  await deps.store.putIfAbsent(parsedKey, JSON.stringify(doc), { contentType: JSON_CONTENT_TYPE });
  await recordVersion(deps.store, date, { ...base, status: 'published', resultKey: parsedKey, papers: papersOf(parsed.digest).length, announced: false });
  return announce(deps, date, hash, parsed, limits);
}

/** The file on its own, then against the calendar and the day's current version (which the operator may overrule). */
function judgeVersion(parsed: ParseResult, index: DayIndex, now: Date, timeZone: string, force: boolean): Verdict {
  const own = judgeParse(parsed);
  if (!own.publish || force) return own;
  const latest = latestAcceptableDate(now, timeZone);
  if (parsed.digest.date > latest) return { publish: false, reason: `it is dated ${parsed.digest.date}, after ${latest} (tomorrow in ${timeZone}): a future date would push every real day out of the feeds` };
  return judgeReplacement(currentVersion(index)?.papers ?? null, papersOf(parsed.digest).length);
}

/**
 * The day index already names the version when DigestReady goes out, so a consumer that reads the
 * index on the event sees it. The version stays marked unannounced until the event is sent: a crash
 * in between leaves the mark, and the next ingest of the same bytes sends the event again.
 */
async function announce(deps: IngestDeps, date: string, hash: string, parsed: ParseResult, limits: IngestLimits = DEFAULT_INGEST_LIMITS): Promise<IngestOutcome> {
  const papers = papersOf(parsed.digest).length;
  if (deps.complete && papers > 0) {
    await deps.complete(date).catch((err: unknown) => deps.onCompleteError?.(date, err));
  }
  await deps.events.emit({
    type: 'DigestReady',
    date,
    hash,
    parsedKey: dataKeys.parsed(date, hash),
    papers,
    categories: parsed.digest.sections.map((s) => s.category.slug),
  });
  await updateDayIndex(deps.store, date, (index) => markAnnounced(index, hash));
  return { status: 'ingested', date, hash, papers, ...keptProblems(parsed.problems, limits) };
}

export function readDayIndex(store: BlobStore, date: string): Promise<Versioned<DayIndex>> {
  return readJsonOr(store, dataKeys.dayIndex(date), emptyDayIndex(date));
}

/** The day indexes of the archive's newest `count` days, in date order (the status page, the third party's learned hours). */
export async function recentDayIndexes(store: BlobStore, count: number): Promise<DayIndex[]> {
  const dates = (await store.list(dataKeys.dayIndexPrefix)).map(dateFromDayIndexKey).filter((d): d is string => d !== null).sort().slice(-count);
  return Promise.all(dates.map(async (d) => (await readDayIndex(store, d)).value));
}

async function recordVersion(store: BlobStore, date: string, version: DayVersion): Promise<void> {
  await updateDayIndex(store, date, (index) => withVersion(index, version));
}

/** Read-modify-write of a day index by conditional write (writers of one day race: a backfill and the schedule). */
async function updateDayIndex(store: BlobStore, date: string, change: (index: DayIndex) => DayIndex): Promise<void> {
  await updateJson(store, dataKeys.dayIndex(date), { empty: emptyDayIndex(date), change, policy: RETRY_POLICIES.dayIndex, space: 2 });
}

export async function readParsedDocument(store: BlobStore, key: string): Promise<ParsedDocument> {
  const doc = (await readJson<ParsedDocument>(store, key))?.value;
  if (!doc) throw new Error(`parsed digest ${key} not found`);
  if (doc.schemaVersion !== DIGEST_SCHEMA_VERSION) {
    throw new Error(`${key}: schema version ${doc.schemaVersion}, this code reads ${DIGEST_SCHEMA_VERSION}`);
  }
  // A day parsed before the taxonomy is read in it: one name per category, no slug of an unknown name.
  return { ...doc, digest: inTaxonomy(doc.digest) };
}
