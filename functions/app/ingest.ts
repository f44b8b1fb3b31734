import { createHash } from 'node:crypto';
import type { BlobStore } from '../storage/blob-store.ts';
import { PreconditionFailedError } from '../storage/blob-store.ts';
import { currentVersion, emptyDayIndex, isUnannounced, markAnnounced, supersedingVersion, withVersion, type DayIndex, type DayVersion } from '../domain/day-index.ts';
import { DigestRejectedError, formatProblem, type RecordProblem } from '../domain/errors.ts';
import type { EventSink } from '../domain/events.ts';
import { DIGEST_SCHEMA_VERSION, papersOf, type Digest } from '../domain/model.ts';
import { parseDigest, type ParseResult } from '../domain/parse-digest.ts';
import { judgeParse, judgeReplacement, latestAcceptableDate, type Verdict } from '../domain/quarantine-policy.ts';
import { UNDATED, dataKeys } from '../domain/storage-layout.ts';

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
  | { readonly status: 'ingested'; readonly date: string; readonly hash: string; readonly papers: number; readonly problems: readonly RecordProblem[] }
  | { readonly status: 'unchanged'; readonly date: string; readonly hash: string }
  /** A table-format copy of a day already held in the detailed format: not taken as a version. */
  | { readonly status: 'superseded'; readonly date: string; readonly hash: string; readonly by: string }
  | { readonly status: 'quarantined'; readonly date: string; readonly hash: string; readonly reason: string; readonly problems: readonly RecordProblem[] };

/** The parsed JSON stored beside the raw bytes. */
export interface ParsedDocument {
  readonly schemaVersion: number;
  readonly contentHash: string;
  readonly source: string;
  readonly rawKey: string;
  readonly records: number;
  readonly skipped: number;
  readonly problems: readonly RecordProblem[];
  readonly digest: Digest;
}

export interface QuarantineReport {
  readonly date: string;
  readonly contentHash: string;
  readonly source: string;
  readonly rawKey: string;
  readonly reason: string;
  readonly problems: readonly string[];
}

const JSON_TYPE = 'application/json; charset=utf-8';
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

  let parsed: ReturnType<typeof parseDigest> | null = null;
  let rejection: DigestRejectedError | null = null;
  try {
    parsed = parseDigest(input.bytes, input.source);
  } catch (err) {
    if (!(err instanceof DigestRejectedError)) throw err;
    rejection = err;
  }
  const date = parsed?.digest.date ?? input.dateHint ?? UNDATED;
  if (parsed && input.dateHint && input.dateHint !== parsed.digest.date) {
    rejection = new DigestRejectedError(
      { file: input.source, line: 1, field: 'date' },
      `header says ${parsed.digest.date} but the digest was expected for ${input.dateHint}`,
    );
  }

  const index = await readDayIndex(deps.store, date);
  if (parsed && isUnannounced(index.value, hash)) return announce(deps, date, hash, parsed);
  if (index.value.versions.some((v) => v.hash === hash)) return { status: 'unchanged', date, hash };
  const winner = parsed && !rejection ? supersedingVersion(index.value, parsed.digest.format ?? 'detailed') : null;
  if (winner) return { status: 'superseded', date, hash, by: winner.hash };

  const rawKey = dataKeys.raw(date, hash);
  await deps.store.putIfAbsent(rawKey, input.bytes, { contentType: MARKDOWN_TYPE });

  const verdict: Verdict = rejection || !parsed ? { publish: false, reason: rejection?.message ?? 'unreadable digest' } : judgeVersion(parsed, index.value, now(), deps.timeZone ?? 'UTC', input.force ?? false);
  const base = { hash, source: input.source, rawKey, ingestedAt: now().toISOString(), ...(parsed ? { format: parsed.digest.format ?? 'detailed' } : {}) };

  if (!verdict.publish || !parsed) {
    const problems = parsed?.problems ?? [];
    const reason = verdict.publish ? 'unreadable digest' : verdict.reason;
    const report: QuarantineReport = { date, contentHash: hash, source: input.source, rawKey, reason, problems: problems.map(formatProblem) };
    const reportKey = dataKeys.quarantineReport(date, hash);
    await deps.store.put(reportKey, JSON.stringify(report, null, 2), { contentType: JSON_TYPE });
    await recordVersion(deps.store, date, { ...base, status: 'quarantined', resultKey: reportKey, papers: 0 });
    return { status: 'quarantined', date, hash, reason, problems };
  }

  const parsedKey = dataKeys.parsed(date, hash);
  const doc: ParsedDocument = {
    schemaVersion: DIGEST_SCHEMA_VERSION,
    contentHash: hash,
    source: input.source,
    rawKey,
    records: parsed.records,
    skipped: parsed.skipped,
    problems: parsed.problems,
    digest: parsed.digest,
  };
  await deps.store.putIfAbsent(parsedKey, JSON.stringify(doc), { contentType: JSON_TYPE });
  await recordVersion(deps.store, date, { ...base, status: 'published', resultKey: parsedKey, papers: papersOf(parsed.digest).length, announced: false });
  return announce(deps, date, hash, parsed);
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
async function announce(deps: IngestDeps, date: string, hash: string, parsed: ParseResult): Promise<IngestOutcome> {
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
  return { status: 'ingested', date, hash, papers, problems: parsed.problems };
}

export async function readDayIndex(store: BlobStore, date: string): Promise<{ value: DayIndex; etag: string | null }> {
  const obj = await store.get(dataKeys.dayIndex(date));
  if (!obj) return { value: emptyDayIndex(date), etag: null };
  return { value: JSON.parse(new TextDecoder().decode(obj.body)) as DayIndex, etag: obj.etag };
}

async function recordVersion(store: BlobStore, date: string, version: DayVersion): Promise<void> {
  await updateDayIndex(store, date, (index) => withVersion(index, version));
}

/** Read-modify-write of a day index by conditional write; a lost race re-reads after a jittered pause. */
async function updateDayIndex(store: BlobStore, date: string, change: (index: DayIndex) => DayIndex): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { value, etag } = await readDayIndex(store, date);
    const next = change(value);
    if (next === value) return;
    try {
      await store.put(dataKeys.dayIndex(date), JSON.stringify(next, null, 2), { contentType: JSON_TYPE, ifMatch: etag });
      return;
    } catch (err) {
      // Every lost race means another writer won, so the day makes progress; twenty writers of one
      // day at once (a backfill racing the schedule) need more turns than a pair does.
      if (!(err instanceof PreconditionFailedError) || attempt >= 40) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** Math.min(attempt, 6)));
    }
  }
}

export async function readParsedDocument(store: BlobStore, key: string): Promise<ParsedDocument> {
  const obj = await store.get(key);
  if (!obj) throw new Error(`parsed digest ${key} not found`);
  const doc = JSON.parse(new TextDecoder().decode(obj.body)) as ParsedDocument;
  if (doc.schemaVersion !== DIGEST_SCHEMA_VERSION) {
    throw new Error(`${key}: schema version ${doc.schemaVersion}, this code reads ${DIGEST_SCHEMA_VERSION}`);
  }
  return doc;
}
