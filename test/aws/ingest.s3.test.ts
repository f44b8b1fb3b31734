import type { S3Client } from '@aws-sdk/client-s3';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CollectingEventSink } from '../../functions/domain/events.ts';
import { ingestDigest, readDayIndex, readParsedDocument, type QuarantineReport } from '../../functions/app/ingest/ingest.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { S3BlobStore } from '../../functions/storage/s3-blob-store.ts';
import { fixtureBytes, SEED_DAY } from '../support/fixtures.ts';
import { freshMotoBucket, motoS3 } from '../support/moto.ts';

/** Counts the PUT requests the real S3 client sends, so "writes nothing" is measured on the wire. */
function countPuts(client: S3Client): { count: () => number } {
  let puts = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutObjectCommand') puts++;
      return next(args);
    },
    { step: 'initialize', name: 'countPuts' },
  );
  return { count: () => puts };
}

let client: S3Client;
let store: S3BlobStore;
let puts: { count: () => number };

beforeAll(() => {
  client = motoS3();
  puts = countPuts(client);
});
beforeEach(async () => {
  store = await freshMotoBucket(client, 'data');
});

describe('ingest into S3 (moto_server: conditional writes enforced)', () => {
  it('stores raw bytes, parsed JSON and the day index, and emits DigestReady', async () => {
    const events = new CollectingEventSink();
    const bytes = fixtureBytes(SEED_DAY);
    const outcome = await ingestDigest({ store, events }, { bytes, source: 'seed.md' });
    expect(outcome).toMatchObject({ status: 'ingested', date: SEED_DAY, papers: 40 });

    const keys = await store.list('');
    const hash = outcome.hash;
    expect(keys).toEqual([`index/days/${SEED_DAY}.json`, `parsed/${SEED_DAY}/${hash}.json`, `raw/${SEED_DAY}/${hash}.md`]);
    expect(Buffer.from((await store.get(`raw/${SEED_DAY}/${hash}.md`))!.body).equals(bytes)).toBe(true);

    const doc = await readParsedDocument(store, `parsed/${SEED_DAY}/${hash}.json`);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.contentHash).toBe(hash);
    expect(papersOf(doc.digest)).toHaveLength(40);

    const index = (await readDayIndex(store, SEED_DAY)).value;
    expect(index.current).toBe(hash);
    expect(events.events).toEqual([expect.objectContaining({ type: 'DigestReady', date: SEED_DAY, hash, papers: 40 })]);
  });

  it('a second ingest of the same bytes writes nothing and emits nothing', async () => {
    const events = new CollectingEventSink();
    const bytes = fixtureBytes(SEED_DAY);
    await ingestDigest({ store, events }, { bytes, source: 'seed.md' });
    const before = puts.count();
    const again = await ingestDigest({ store, events }, { bytes, source: 'elsewhere/seed.md' });
    expect(again.status).toBe('unchanged');
    expect(puts.count()).toBe(before);
    expect(events.events).toHaveLength(1);
  });

  it('a changed re-publication keeps both versions and publishes the new one', async () => {
    const events = new CollectingEventSink();
    const first = fixtureBytes(SEED_DAY);
    const revised = Buffer.from(first.toString('utf8').replace('DiffEditor: Boosting', 'DiffEditor: Improving'));
    const a = await ingestDigest({ store, events }, { bytes: first, source: 'v1.md' });
    const b = await ingestDigest({ store, events }, { bytes: revised, source: 'v2.md' });
    expect(b.status).toBe('ingested');
    expect(b.hash).not.toBe(a.hash);
    expect(await store.list(`raw/${SEED_DAY}/`)).toHaveLength(2);
    expect(Buffer.from((await store.get(`raw/${SEED_DAY}/${a.hash}.md`))!.body).equals(first)).toBe(true);
    const index = (await readDayIndex(store, SEED_DAY)).value;
    expect(index.versions.map((v) => v.hash)).toEqual([a.hash, b.hash]);
    expect(index.current).toBe(b.hash);
    expect(events.ready().map((e) => e.hash)).toEqual([a.hash, b.hash]);
  });

  it('a broken digest is kept and reported, never published', async () => {
    const events = new CollectingEventSink();
    const broken = Buffer.from(fixtureBytes(SEED_DAY).toString('utf8').replace(/^\*\*PDF:\*\* .*$/gm, '**PDF:** missing<br />'));
    const outcome = await ingestDigest({ store, events }, { bytes: broken, source: 'broken.md' });
    expect(outcome.status).toBe('quarantined');
    expect(events.events).toEqual([]);
    expect(await store.list('parsed/')).toEqual([]);
    const report = JSON.parse(Buffer.from((await store.get(`quarantine/${SEED_DAY}/${outcome.hash}.report.json`))!.body).toString()) as QuarantineReport;
    expect(report.reason).toMatch(/40 of 40 paper records are malformed/);
    expect(report.problems[0]).toMatch(/^error: broken\.md:\d+ \[PDF\]: no link in "missing"/);
    expect(await store.exists(`raw/${SEED_DAY}/${outcome.hash}.md`)).toBe(true);
    expect((await readDayIndex(store, SEED_DAY)).value).toMatchObject({ current: null, versions: [{ status: 'quarantined' }] });
  });

  it('a digest with an unreadable header is kept under the expected date', async () => {
    const events = new CollectingEventSink();
    const outcome = await ingestDigest({ store, events }, { bytes: Buffer.from('<html>Not found</html>'), source: 'https://x/2024-12-01.md', dateHint: '2024-12-01' });
    expect(outcome).toMatchObject({ status: 'quarantined', date: '2024-12-01' });
    expect(outcome.status === 'quarantined' && outcome.reason).toMatch(/2024-12-01\.md:1 \[header\]/);
    expect(await store.list('')).toHaveLength(3);
  });

  it('a crash before the event is repaired by the retry, which sends the event once', async () => {
    const events = new CollectingEventSink();
    const bytes = fixtureBytes(SEED_DAY);
    const failing = { emit: async () => Promise.reject(new Error('EventBridge down')) };
    await expect(ingestDigest({ store, events: failing }, { bytes, source: 'seed.md' })).rejects.toThrow('EventBridge down');
    // The index names the version (a publisher reading it on the event sees the day), marked as not announced.
    expect((await readDayIndex(store, SEED_DAY)).value.versions).toEqual([expect.objectContaining({ status: 'published', announced: false })]);
    const retry = await ingestDigest({ store, events }, { bytes, source: 'seed.md' });
    expect(retry.status).toBe('ingested');
    expect(events.events).toHaveLength(1);
    expect((await readDayIndex(store, SEED_DAY)).value.versions).toEqual([expect.objectContaining({ status: 'published', announced: true })]);
    expect((await ingestDigest({ store, events }, { bytes, source: 'seed.md' })).status).toBe('unchanged');
    expect(events.events).toHaveLength(1);
  });
});
