import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysToCheck, fetchDigest } from '../../functions/sources/upstream-digest.ts';
import { DigestFetchError, digestUrl } from '../../functions/domain/ports/digest-source.ts';
import { CollectingEventSink } from '../../functions/domain/events.ts';
import { ingestFromUrl } from '../../functions/app/ingest/ingest-runs.ts';
import { S3BlobStore } from '../../functions/storage/s3-blob-store.ts';
import type { LocalS3 } from '../../scripts/local/s3-emulator.ts';
import { fixtureBytes, fixtureDays, FIXTURE_DIR, SEED_DAY } from '../support/fixtures.ts';
import { freshS3 } from '../support/local-s3.ts';
import { serve, type TestServer } from '../support/static-server.ts';

const run = promisify(execFile);
let site: TestServer;
let s3: LocalS3;
const TEMPLATE = () => `${site.url}/local/{yyyy}-{mm}/{yyyy}-{mm}-{dd}.md`;

beforeAll(async () => {
  const routes: Record<string, (res: import('node:http').ServerResponse) => void> = {};
  for (const day of ['2024-02-04', '2024-02-05']) routes[`/local/${day.slice(0, 7)}/${day}.md`] = (res) => res.end(fixtureBytes(day));
  routes['/local/2024-03/2024-03-01.md'] = (res) => {
    res.statusCode = 503;
    res.end();
  };
  routes['/local/2024-03/2024-03-02.md'] = (res) => {
    res.write('## [UPDATED!] **2024-03-02**');
    setTimeout(() => res.end(), 2000);
  };
  routes['/local/2024-03/2024-03-03.md'] = (res) => res.end(Buffer.alloc(5000, 0x41));
  site = await serve(routes);
  s3 = await freshS3(['data']);
});
afterAll(async () => {
  await site.stop();
  await s3.stop();
});

describe('fetching from the URL template', () => {
  it('expands the template', () => {
    expect(digestUrl('https://h/local/{yyyy}-{mm}/{yyyy}-{mm}-{dd}.md', '2024-02-04')).toBe('https://h/local/2024-02/2024-02-04.md');
  });

  it('fetches a published day and ingests it once', async () => {
    const deps = { store: new S3BlobStore(s3.client, 'data'), events: new CollectingEventSink(), fetchDigest };
    expect((await ingestFromUrl(deps, TEMPLATE(), SEED_DAY)).status).toBe('ingested');
    expect((await ingestFromUrl(deps, TEMPLATE(), SEED_DAY)).status).toBe('unchanged');
  });

  it('treats 404 as not published yet, not as a failure', async () => {
    const deps = { store: new S3BlobStore(s3.client, 'data'), events: new CollectingEventSink(), fetchDigest };
    expect(await ingestFromUrl(deps, TEMPLATE(), '2024-02-06')).toMatchObject({ status: 'missing' });
  });

  it('reports server errors, timeouts and oversize bodies as failures', async () => {
    const url = (d: string) => digestUrl(TEMPLATE(), d);
    await expect(fetchDigest(url('2024-03-01'))).rejects.toThrow(/HTTP 503/);
    await expect(fetchDigest(url('2024-03-02'), { timeoutMs: 300 })).rejects.toThrow(/timed out/);
    await expect(fetchDigest(url('2024-03-03'), { maxBytes: 1000 })).rejects.toThrow(/exceeds the 1000-byte limit/);
    await expect(fetchDigest(url('2024-03-03'), { maxBytes: 1000 })).rejects.toBeInstanceOf(DigestFetchError);
  });

  it('looks at today and the days before it in the source time zone', () => {
    expect(daysToCheck(new Date('2024-02-04T20:00:00Z'), 2, 'Asia/Shanghai')).toEqual(['2024-02-03', '2024-02-04', '2024-02-05']);
  });
});

describe('npm run backfill', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'paperboy-backfill-'));
    dirs.push(d);
    return d;
  };
  const backfill = (dataDir: string, ...args: string[]) =>
    run('npx', ['tsx', 'scripts/backfill.ts', '--data-dir', dataDir, ...args], { cwd: join(import.meta.dirname, '..', '..') });

  it('ingests every fixture day, then finds them all unchanged', async () => {
    const days = fixtureDays().length;
    const dataDir = freshDir();
    const first = await backfill(dataDir, '--dir', FIXTURE_DIR);
    expect(first.stdout).toContain(`backfill: ingested ${days} / unchanged 0 / superseded 0 / quarantined 0 / missing 0 / failed 0 (${days} day(s)`);
    expect(first.stderr).toContain(`backfill ${days}/${days}`);
    const second = await backfill(dataDir, '--dir', FIXTURE_DIR);
    expect(second.stdout).toContain(`backfill: ingested 0 / unchanged ${days} / superseded 0 / quarantined 0 / missing 0 / failed 0`);
  });

  it('walks a date range over the URL template and counts missing days', async () => {
    const out = await backfill(freshDir(), '--url-template', TEMPLATE(), '--from', '2024-02-04', '--to', '2024-02-07');
    expect(out.stdout).toContain('backfill: ingested 2 / unchanged 0 / superseded 0 / quarantined 0 / missing 2 / failed 0 (4 day(s)');
  });
});
