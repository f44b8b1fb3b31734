import { createHash } from 'node:crypto';
import type { BlobStore } from '../storage/blob-store.ts';
import { PreconditionFailedError } from '../storage/blob-store.ts';
import { emptyDayIndex, withVersion, type DayIndex, type DayVersion } from './day-index.ts';
import { DigestRejectedError, formatProblem, type RecordProblem } from './errors.ts';
import type { EventSink } from './events.ts';
import { DIGEST_SCHEMA_VERSION, papersOf, type Digest } from './model.ts';
import { parseDigest } from './parse-digest.ts';
import { judgeParse, type Verdict } from './quarantine-policy.ts';
import { UNDATED, dataKeys } from './storage-layout.ts';

export interface IngestDeps {
  readonly store: BlobStore;
  readonly events: EventSink;
  readonly now?: () => Date;
}

export interface IngestInput {
  readonly bytes: Uint8Array;
  /** File name, URL or S3 key: named in every error and kept with the record. */
  readonly source: string;
  /** The day the caller expects (from a URL or file name); files a digest whose header is unreadable. */
  readonly dateHint?: string;
}

export type IngestOutcome =
  | { readonly status: 'ingested'; readonly date: string; readonly hash: string; readonly papers: number; readonly problems: readonly RecordProblem[] }
  | { readonly status: 'unchanged'; readonly date: string; readonly hash: string }
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
 * Stores one digest: raw bytes, then the parsed JSON (or a quarantine report), then the event,
 * then the day index. A crash anywhere leaves the index without the version, so a retry redoes the
 * steps (all of them idempotent) instead of believing the day is done.
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
  if (index.value.versions.some((v) => v.hash === hash)) return { status: 'unchanged', date, hash };

  const rawKey = dataKeys.raw(date, hash);
  await deps.store.putIfAbsent(rawKey, input.bytes, { contentType: MARKDOWN_TYPE });

  const verdict: Verdict = rejection || !parsed ? { publish: false, reason: rejection?.message ?? 'unreadable digest' } : judgeParse(parsed);
  const base = { hash, source: input.source, rawKey, ingestedAt: now().toISOString() };

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
  const papers = papersOf(parsed.digest).length;
  await deps.events.emit({
    type: 'DigestReady',
    date,
    hash,
    parsedKey,
    papers,
    categories: parsed.digest.sections.map((s) => s.category.slug),
  });
  await recordVersion(deps.store, date, { ...base, status: 'published', resultKey: parsedKey, papers });
  return { status: 'ingested', date, hash, papers, problems: parsed.problems };
}

export async function readDayIndex(store: BlobStore, date: string): Promise<{ value: DayIndex; etag: string | null }> {
  const obj = await store.get(dataKeys.dayIndex(date));
  if (!obj) return { value: emptyDayIndex(date), etag: null };
  return { value: JSON.parse(new TextDecoder().decode(obj.body)) as DayIndex, etag: obj.etag };
}

async function recordVersion(store: BlobStore, date: string, version: DayVersion): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { value, etag } = await readDayIndex(store, date);
    const next = withVersion(value, version);
    if (next === value) return;
    try {
      await store.put(dataKeys.dayIndex(date), JSON.stringify(next, null, 2), { contentType: JSON_TYPE, ifMatch: etag });
      return;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= 5) throw err;
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
