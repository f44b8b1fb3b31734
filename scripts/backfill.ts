/**
 * npm run backfill -- [--dir FOLDER ... | --url-template T --from YYYY-MM-DD --to YYYY-MM-DD]
 *                     [--endpoint URL --bucket NAME] [--arxiv-api URL]
 * Without --endpoint it starts the local S3 emulator on 127.0.0.1 with data under .local/s3.
 * Folders may mix both digest formats: a day's detailed file goes first, so its table copy adds no
 * second version. --arxiv-api completes missing abstracts from arXiv (3 s between requests).
 */
import { existsSync, statSync } from 'node:fs';
import { s3ClientFromEnv } from '../functions/commons/aws-clients.ts';
import { formatProblem } from '../functions/domain/errors.ts';
import { CollectingEventSink } from '../functions/domain/events.ts';
import { ingestDigest } from '../functions/app/ingest/ingest.ts';
import { dateRange, formatSummary, ingestDays, ingestFromUrl, summarise, type DayResult } from '../functions/app/ingest/ingest-runs.ts';
import { validateUrlTemplate } from '../functions/domain/ports/digest-source.ts';
import { fetchDigest } from '../functions/sources/upstream-digest.ts';
import { S3BlobStore } from '../functions/storage/s3-blob-store.ts';
import { abstractsStep, formatEnrichment, type EnrichOutcome } from '../functions/app/ingest/enrich-day.ts';
import { ArxivApiClient } from '../functions/sources/arxiv-api.ts';
import { DATA_BUCKET, LOCAL_S3_DIR, SAMPLE_DIGESTS, SAMPLE_TABLE_DIGESTS } from './local/config.ts';
import { ingestFolder } from './local/ingest-folder.ts';
import { progress } from './local/progress.ts';
import { readOptions } from './local/cli.ts';
import { startLocalS3 } from './local/s3-emulator.ts';

const values = readOptions('npm run backfill', 'Ingests digest files from folders (default: the bundled samples) or a URL template over a date range, into a local data bucket or an S3 endpoint.', {
  dir: { type: 'string', multiple: true, value: 'FOLDER', help: 'a folder of YYYY-MM-DD.md digests' },
  'arxiv-api': { type: 'string', value: 'URL', help: "arXiv's API (or a stand-in) to complete missing abstracts" },
  'url-template': { type: 'string', value: 'URL', help: 'https://host/{yyyy}-{mm}/{yyyy}-{mm}-{dd}.md, with --from and --to' },
  from: { type: 'string', value: 'YYYY-MM-DD', help: 'first day for --url-template' },
  to: { type: 'string', value: 'YYYY-MM-DD', help: 'last day for --url-template' },
  endpoint: { type: 'string', value: 'URL', help: 'an S3 endpoint (AWS or an emulator) instead of the local data bucket' },
  bucket: { type: 'string', value: 'NAME', help: 'the data bucket at --endpoint' },
  'data-dir': { type: 'string', value: 'FOLDER', help: "the local data bucket's folder (default .local/s3)" },
  force: { type: 'boolean', default: false, help: 'take versions the quarantine would hold back (much smaller, dated ahead)' },
  'allow-quarantined': { type: 'boolean', default: false, help: 'exit 0 even when some days were quarantined (they are kept and listed either way)' },
});

function fail(message: string): never {
  console.error(`backfill: ${message}`);
  process.exit(2);
}

const template = values['url-template'];
if (template) {
  const problem = validateUrlTemplate(template);
  if (problem) fail(`--url-template ${problem}`);
  if (!values.from || !values.to) fail('--url-template needs --from and --to');
}
const dirs = values.dir ?? (template ? undefined : [SAMPLE_DIGESTS, SAMPLE_TABLE_DIGESTS]);
for (const dir of dirs ?? []) {
  if (!existsSync(dir)) fail(`--dir ${dir}: no such folder (give a folder of YYYY-MM-DD.md digest files)`);
  if (!statSync(dir).isDirectory()) fail(`--dir ${dir}: not a folder (give the folder that holds the YYYY-MM-DD.md files)`);
}

const local = values.endpoint ? null : await startLocalS3({ directory: values['data-dir'] ?? LOCAL_S3_DIR, buckets: [DATA_BUCKET] });
const client = local ? local.client : s3ClientFromEnv({ ...process.env, S3_ENDPOINT: values.endpoint });
const store = new S3BlobStore(client, values.bucket ?? DATA_BUCKET);
const events = new CollectingEventSink();
const arxivEndpoint = values['arxiv-api'];
const arxiv = arxivEndpoint ? new ArxivApiClient({ endpoint: arxivEndpoint, ...(isLoopback(arxivEndpoint) ? { minIntervalMs: 0 } : {}) }) : null;
const enriched: EnrichOutcome[] = [];
const complete = abstractsStep({ store, arxiv }, (outcome) => enriched.push(outcome));
const deps = {
  store,
  events,
  ...(complete ? { complete } : {}),
  onCompleteError: (date: string, err: unknown) => console.log(`abstracts for ${date} left for a later run: ${String(err)}`),
};

function isLoopback(url: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}

let results: DayResult[];
if (dirs) {
  results = await ingestFolder(dirs, (input) => ingestDigest(deps, { ...input, force: values.force }), 'backfill');
} else {
  const days = dateRange(values.from!, values.to!);
  const bar = progress('backfill', days.length);
  results = await ingestDays(days, (date) => ingestFromUrl({ ...deps, fetchDigest }, template!, date, {}, values.force), (r) => bar.tick(`${r.date} ${r.status}`));
  bar.stop();
}

for (const r of results) {
  if (r.status === 'quarantined' && r.outcome.status === 'quarantined') {
    console.log(`quarantined ${r.date} (${r.source}): ${r.outcome.reason}`);
    for (const p of r.outcome.problems.slice(0, 5)) console.log(`  ${formatProblem(p)}`);
  }
  if (r.status === 'unchanged' && r.outcome.status === 'unchanged' && r.outcome.stillQuarantined) console.log(`still quarantined ${r.date} (${r.source}): ingested before and held back; the report is ${r.outcome.stillQuarantined}`);
  if (r.status === 'failed') console.log(`failed ${r.date}: ${r.error}`);
  if (r.status === 'superseded') console.log(`superseded ${r.date} (${r.source}): the day is held in the detailed format`);
}
for (const o of enriched) console.log(`abstracts ${formatEnrichment(o)}`);
const summary = summarise(results);
console.log(`backfill: ${formatSummary(summary)} (${results.length} day(s), bucket ${store.bucket}${local ? ` at ${local.endpoint}, files in ${values['data-dir'] ?? LOCAL_S3_DIR}` : ''})`);
await local?.stop();
// A quarantined day is kept, not lost, but it is not published: a script that backfills must hear of it.
const held = summary.quarantined + results.filter((r) => r.status === 'unchanged' && r.outcome.status === 'unchanged' && r.outcome.stillQuarantined).length;
if (held > 0 && !values['allow-quarantined']) console.log(`backfill: ${held} day(s) quarantined (listed above): exit 1 (--allow-quarantined to exit 0)`);
process.exitCode = summary.failed > 0 || (held > 0 && !values['allow-quarantined']) ? 1 : 0;
