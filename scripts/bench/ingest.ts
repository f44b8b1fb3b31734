import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CollectingEventSink } from '../../functions/domain/events.ts';
import { ingestDigest } from '../../functions/app/ingest/ingest.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { S3BlobStore } from '../../functions/storage/s3-blob-store.ts';
import { SAMPLE_DIGESTS } from '../local/config.ts';
import { startLocalS3 } from '../local/s3-emulator.ts';
import { fmt, median, peakRssMb, timeMedian } from './stats.ts';

export async function benchIngest(): Promise<void> {
  const files = readdirSync(SAMPLE_DIGESTS).filter((f) => f.endsWith('.md')).sort();
  const days = files.map((f) => ({ file: f, bytes: readFileSync(join(SAMPLE_DIGESTS, f)) }));

  const perDay = days.map((d) => ({ ...d, ms: timeMedian(() => parseDigest(d.bytes, d.file), 31) }));
  const largest = [...days].sort((a, b) => b.bytes.length - a.bytes.length)[0]!;
  const seed = perDay.find((d) => d.file === '2024-02-04.md');
  const largestMs = perDay.find((d) => d.file === largest.file)!.ms;
  const largestPapers = papersOf(parseDigest(largest.bytes, largest.file).digest).length;

  console.log('## ingest');
  console.log(`parse, median over ${days.length} days (each the median of 31 runs): ${fmt(median(perDay.map((d) => d.ms)))}`);
  if (seed) console.log(`parse, seed day ${seed.file} (${(seed.bytes.length / 1024).toFixed(0)} KB): ${fmt(seed.ms)} median (goal < 2 ms)`);
  console.log(`parse, largest day ${largest.file} (${(largest.bytes.length / 1024).toFixed(0)} KB, ${largestPapers} papers): ${fmt(largestMs)} median`);

  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-s3-'));
  const s3 = await startLocalS3({ directory: dir, buckets: ['bench'] });
  try {
    const store = new S3BlobStore(s3.client, 'bench');
    const deps = { store, events: new CollectingEventSink() };
    const start = performance.now();
    for (const d of days) await ingestDigest(deps, { bytes: d.bytes, source: d.file });
    const first = performance.now() - start;
    const again = performance.now();
    for (const d of days) await ingestDigest(deps, { bytes: d.bytes, source: d.file });
    const second = performance.now() - again;
    console.log(`backfill of ${days.length} days into local S3 (s3rver): ${fmt(first)} (${fmt(first / days.length)} per day); re-run, all unchanged: ${fmt(second)}`);
  } finally {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`peak memory (RSS) so far: ${peakRssMb().toFixed(0)} MB`);
}
