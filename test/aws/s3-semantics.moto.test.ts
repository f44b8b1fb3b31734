import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestDigest, readDayIndex } from '../../functions/app/ingest/ingest.ts';
import { publishSite } from '../../functions/app/publish/publish-site.ts';
import { CollectingEventSink } from '../../functions/domain/events.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';
import { PreconditionFailedError, type BlobStore } from '../../functions/domain/ports/blob-store.ts';
import { counting412 } from '../support/counting-store.ts';
import { fixtureText } from '../support/fixtures.ts';
import { freshMotoBucket, motoS3 } from '../support/moto.ts';

/**
 * The guarantees that rest on S3's conditional writes, on an S3 that enforces them (moto_server:
 * 412 for If-None-Match over an existing key and for a stale If-Match; s3rver answers 200 to both).
 */
const DAY = '2024-02-05';

/** Twenty different versions of one real day: the publisher's file with its last k papers cut (k = 0…6, as corrections differ), then with other trailing blank lines. */
const VERSIONS = 20;
function versions(): Buffer[] {
  const text = fixtureText(DAY);
  const records = [...text.matchAll(/^>>\*\*index:\*\*/gm)].map((m) => m.index ?? 0);
  return Array.from({ length: VERSIONS }, (_, k) => Buffer.from(k === 0 ? text : k <= 6 ? `${text.slice(0, records[records.length - k])}\n` : `${text}${'\n'.repeat(k - 6)}`));
}

describe('S3 conditional writes, as moto enforces them', () => {
  it('refuses to create over an existing key and to replace with a stale ETag', async () => {
    const store = await freshMotoBucket(motoS3());
    expect(await store.putIfAbsent('k', 'one', { contentType: 'text/plain' })).toBe('created');
    expect(await store.putIfAbsent('k', 'two', { contentType: 'text/plain' })).toBe('exists');
    const first = await store.get('k');
    await store.put('k', 'three', { contentType: 'text/plain', ifMatch: first?.etag ?? '' });
    await expect(store.put('k', 'four', { contentType: 'text/plain', ifMatch: first?.etag ?? '' })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(store.put('k', 'five', { contentType: 'text/plain', ifMatch: null })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(new TextDecoder().decode((await store.get('k'))?.body)).toBe('three');
  });
});

describe('ingest, many at once', () => {
  it('keeps every one of 20 versions of a day ingested concurrently, once each, and one current', async () => {
    const store = counting412(await freshMotoBucket(motoS3()));
    const events = new CollectingEventSink();
    const outcomes = await Promise.all(versions().map((bytes, i) => ingestDigest({ store, events }, { bytes, source: `v${i}`, dateHint: DAY })));
    expect(outcomes.map((o) => o.status)).toEqual(Array(VERSIONS).fill('ingested'));
    const index = (await readDayIndex(store, DAY)).value;
    expect(index.versions).toHaveLength(VERSIONS);
    expect(new Set(index.versions.map((v) => v.hash)).size).toBe(VERSIONS);
    expect(index.versions.map((v) => v.papers).sort((a, b) => a - b)).toEqual([64, 65, 66, 67, 68, 69, ...Array(14).fill(70)]);
    expect(index.versions.some((v) => v.hash === index.current)).toBe(true);
    expect(index.versions.every((v) => v.announced)).toBe(true);
    expect((await store.list(`raw/${DAY}/`)).length).toBe(VERSIONS);
    expect(events.ready()).toHaveLength(VERSIONS);
    // Lost races really happened, and were retried rather than lost.
    expect(store.preconditionFailures()).toBeGreaterThan(0);
  });

  it('a re-run of the same 20 files, concurrently, writes no version and sends no event', async () => {
    const store = await freshMotoBucket(motoS3());
    const events = new CollectingEventSink();
    for (const [i, bytes] of versions().entries()) await ingestDigest({ store, events }, { bytes, source: `v${i}`, dateHint: DAY });
    const before = await store.get(`index/days/${DAY}.json`);
    const again = await Promise.all(versions().map((bytes, i) => ingestDigest({ store, events }, { bytes, source: `v${i}`, dateHint: DAY })));
    expect(again.map((o) => o.status)).toEqual(Array(VERSIONS).fill('unchanged'));
    expect((await store.get(`index/days/${DAY}.json`))?.etag).toBe(before?.etag);
    expect(events.ready()).toHaveLength(VERSIONS);
  });
});

describe('publish, overlapping, without any concurrency limit', () => {
  const gates: (() => void)[] = [];
  afterEach(() => gates.splice(0).forEach((open) => open()));

  /** A site store whose file writes wait at a gate: the test decides when a slow publisher goes on. */
  function gated(inner: BlobStore): { store: BlobStore; open: () => void; waiting: Promise<void> } {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let reached!: () => void;
    const waiting = new Promise<void>((r) => (reached = r));
    gates.push(open);
    return {
      store: {
        ...inner,
        get: (k) => inner.get(k),
        exists: (k) => inner.exists(k),
        list: (p) => inner.list(p),
        putIfAbsent: (k, b, o) => inner.putIfAbsent(k, b, o),
        put: async (k, b, o) => {
          if (k !== sitePaths.manifest) {
            reached();
            await gate;
          }
          return inner.put(k, b, o);
        },
      },
      open,
      waiting,
    };
  }

  async function siteMatchesManifest(site: BlobStore): Promise<{ files: number; stale: string[] }> {
    const manifest = JSON.parse(new TextDecoder().decode((await site.get(sitePaths.manifest))?.body)) as Record<string, string>;
    const stale: string[] = [];
    for (const [path, hash] of Object.entries(manifest)) {
      const body = (await site.get(path))?.body;
      if (!body || createHash('sha256').update(body).digest('hex') !== hash) stale.push(path);
    }
    return { files: Object.keys(manifest).length, stale };
  }

  it('a publisher that built from older data and wrote after a newer one rebuilds, and the site ends on the newest data', async () => {
    const client = motoS3();
    const data = await freshMotoBucket(client, 'data');
    const site = counting412(await freshMotoBucket(client, 'site'));
    const events = new CollectingEventSink();
    await ingestDigest({ store: data, events }, { bytes: Buffer.from(fixtureText('2024-02-04')), source: 'a', dateHint: '2024-02-04' });

    // A starts on a data bucket with one day, then stalls before its first file write.
    const slow = gated(site);
    const a = publishSite({ data, site: slow.store }, { baseUrl: 'https://paperboy.test' });
    await slow.waiting;
    // Meanwhile the next day arrives and B publishes it completely.
    await ingestDigest({ store: data, events }, { bytes: Buffer.from(fixtureText(DAY)), source: 'b', dateHint: DAY });
    const b = await publishSite({ data, site }, { baseUrl: 'https://paperboy.test' });
    expect(b).toMatchObject({ newestDay: DAY, conflicts: 0 });
    // A goes on: it overwrites B's files with its stale ones, loses the manifest race (412), rebuilds.
    slow.open();
    const late = await a;
    expect(late.conflicts).toBeGreaterThanOrEqual(1);
    expect(site.preconditionFailures()).toBeGreaterThanOrEqual(1);
    expect(late.newestDay).toBe(DAY);

    // Every file is what the manifest says, and the newest day is on the site.
    const check = await siteMatchesManifest(site);
    expect(check.stale).toEqual([]);
    expect(check.files).toBeGreaterThan(50);
    const index = new TextDecoder().decode((await site.get('index.html'))?.body);
    expect(index).toContain(DAY);
    const rss = new TextDecoder().decode((await site.get('feeds/all.rss.xml'))?.body);
    expect(rss).toContain('2402.0');
    // A further publish finds nothing to do.
    expect((await publishSite({ data, site }, { baseUrl: 'https://paperboy.test' })).uploaded).toEqual([]);
  }, 480_000);

  it('six publishes at once leave a consistent site', async () => {
    const client = motoS3();
    const data = await freshMotoBucket(client, 'data');
    const site = await freshMotoBucket(client, 'site');
    const events = new CollectingEventSink();
    for (const day of ['2024-02-04', DAY]) await ingestDigest({ store: data, events }, { bytes: Buffer.from(fixtureText(day)), source: day, dateHint: day });
    const runs = await Promise.all(Array.from({ length: 6 }, () => publishSite({ data, site }, { baseUrl: 'https://paperboy.test' })));
    expect(runs.every((r) => r.newestDay === DAY)).toBe(true);
    expect((await siteMatchesManifest(site)).stale).toEqual([]);
    expect((await publishSite({ data, site }, { baseUrl: 'https://paperboy.test' })).uploaded).toEqual([]);
    // Each lost race rebuilds its search shard, and shard builds in one process take turns: on a busy
    // CI machine six publishers need more than the default minute (nothing here measures speed).
  }, 480_000);
});
