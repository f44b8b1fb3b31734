import { beforeEach, describe, expect, it } from 'vitest';
import { ingestDigest, readDayIndex } from '../../functions/app/ingest/ingest.ts';
import { ingestStoredObject } from '../../functions/app/ingest/ingest-runs.ts';
import { dataKeys } from '../../functions/domain/storage-layout.ts';
import { publishSite } from '../../functions/app/publish/publish-site.ts';
import { currentVersion } from '../../functions/domain/day-index.ts';
import { CollectingEventSink, type PaperboyEvent } from '../../functions/domain/events.ts';
import { type EventSink } from '../../functions/domain/ports/event-sink.ts';
import { shouldMailDay } from '../../functions/app/newsletter/plan.ts';
import { normaliseText } from '../../functions/domain/text.ts';
import type { S3BlobStore } from '../../functions/storage/s3-blob-store.ts';
import { fixtureText } from '../support/fixtures.ts';
import { freshMotoBucket, motoS3 } from '../support/moto.ts';

/** What a careless or hostile publisher sends, against a day already published whole (S3 on moto). */
const DAY = '2024-02-05';
const good = () => Buffer.from(fixtureText(DAY));
const NOW = () => new Date('2024-02-05T09:00:00Z');

let store: S3BlobStore;
let events: CollectingEventSink;
beforeEach(async () => {
  store = await freshMotoBucket(motoS3(), 'guards');
  events = new CollectingEventSink();
});

const ingest = (bytes: Buffer | string, extra: { force?: boolean; source?: string } = {}) =>
  ingestDigest({ store, events, now: NOW, timeZone: 'Asia/Shanghai' }, { bytes: Buffer.from(bytes), source: extra.source ?? 'upstream', dateHint: DAY, ...(extra.force ? { force: true } : {}) });

async function currentPapers(date = DAY): Promise<number | undefined> {
  return currentVersion((await readDayIndex(store, date)).value)?.papers;
}

describe('a bad copy of a good day never replaces it', () => {
  beforeEach(async () => {
    expect(await ingest(good())).toMatchObject({ status: 'ingested', papers: 70 });
  });

  it('a copy holding only the header line is quarantined with its reason, and the day keeps its 70 papers', async () => {
    const outcome = await ingest(`${fixtureText(DAY).split('\n')[0]}\n`);
    expect(outcome).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('0 papers where the current version has 70') });
    expect(await currentPapers()).toBe(70);
    expect(events.ready()).toHaveLength(1);
  });

  it('a copy cut to 30% of its bytes is quarantined: it ends inside a record', async () => {
    const cut = good().subarray(0, Math.floor(good().length * 0.3));
    const outcome = await ingest(cut);
    expect(outcome).toMatchObject({ status: 'quarantined', reason: expect.stringMatching(/ends inside its last record .* cut off/) });
    expect(await currentPapers()).toBe(70);
  });

  it('a copy with bare CR line endings is quarantined, not read as an empty day', async () => {
    const outcome = await ingest(fixtureText(DAY).replace(/\n/g, '\r'));
    expect(outcome).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('no line feeds') });
    expect(await currentPapers()).toBe(70);
  });

  it('a correction that drops a paper or two replaces the day, as corrections should', async () => {
    const records = [...fixtureText(DAY).matchAll(/^>>\*\*index:\*\*/gm)].map((m) => m.index ?? 0);
    const outcome = await ingest(`${fixtureText(DAY).slice(0, records[records.length - 2])}\n`);
    expect(outcome).toMatchObject({ status: 'ingested', papers: 68 });
    expect(await currentPapers()).toBe(68);
  });

  it('the operator can force a smaller version: --force, or an upload under incoming/force/', async () => {
    const header = `${fixtureText(DAY).split('\n')[0]}\n`;
    expect(await ingest(header, { force: true })).toMatchObject({ status: 'ingested', papers: 0 });
    expect(await currentPapers()).toBe(0);
    // Back to the full day, then the same forced through the S3 prefix the upload trigger reads.
    await ingest(`${fixtureText(DAY)}\n`);
    await store.put(`${dataKeys.forcePrefix}${DAY}.md`, `${header}\n`, { contentType: 'text/markdown' });
    expect(await ingestStoredObject({ store, events, now: NOW }, `${dataKeys.forcePrefix}${DAY}.md`, 'bucket')).toMatchObject({ status: 'ingested', papers: 0 });
  });
});

describe('a file cut off before any good copy arrived', () => {
  it('is quarantined too, so its partial newsletter never goes out', async () => {
    const outcome = await ingest(good().subarray(0, Math.floor(good().length * 0.3)));
    expect(outcome.status).toBe('quarantined');
    expect(events.ready()).toHaveLength(0);
    // The whole file, arriving later, is the day.
    expect(await ingest(good())).toMatchObject({ status: 'ingested', papers: 70 });
    expect(events.ready()).toHaveLength(1);
  });
});

describe('dates', () => {
  it('a digest dated 2099-01-01 is quarantined and the newest day stays the real one', async () => {
    await ingest(good());
    const future = fixtureText(DAY).replace(`**${DAY}**`, '**2099-01-01**');
    const outcome = await ingestDigest({ store, events, now: NOW, timeZone: 'Asia/Shanghai' }, { bytes: Buffer.from(future), source: 'x' });
    expect(outcome).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('after 2024-02-06 (tomorrow in Asia/Shanghai)') });
    const site = await freshMotoBucket(motoS3(), 'guards-site');
    expect((await publishSite({ data: store, site }, { baseUrl: 'https://paperboy.test' })).newestDay).toBe(DAY);
  });

  it('tomorrow in the source’s zone is fine (Shanghai is ahead of UTC); the planner never mails a day further ahead', async () => {
    const tomorrow = fixtureText(DAY).replace(`**${DAY}**`, '**2024-02-06**');
    expect((await ingestDigest({ store, events, now: NOW, timeZone: 'Asia/Shanghai' }, { bytes: Buffer.from(tomorrow), source: 'x' })).status).toBe('ingested');
    expect(shouldMailDay({ date: '2024-02-06', papers: 70 }, NOW())).toEqual({ send: true });
    expect(shouldMailDay({ date: '2099-01-01', papers: 70 }, NOW())).toMatchObject({ send: false, reason: expect.stringContaining('in the future') });
  });
});

describe('events follow the record', () => {
  it('a publisher that runs on each DigestReady sees that day as the newest, every time', async () => {
    const site = await freshMotoBucket(motoS3(), 'guards-site');
    const seen: { event: string; newest: string | null }[] = [];
    const publishOnEvent: EventSink = {
      async emit(event: PaperboyEvent) {
        if (event.type !== 'DigestReady') return;
        const summary = await publishSite({ data: store, site }, { baseUrl: 'https://paperboy.test' });
        seen.push({ event: event.date, newest: summary.newestDay });
      },
    };
    for (const day of ['2024-02-04', '2024-02-05', '2024-02-12']) {
      await ingestDigest({ store, events: publishOnEvent, now: () => new Date(`${day}T09:00:00Z`) }, { bytes: Buffer.from(fixtureText(day)), source: day });
    }
    expect(seen).toEqual([
      { event: '2024-02-04', newest: '2024-02-04' },
      { event: '2024-02-05', newest: '2024-02-05' },
      { event: '2024-02-12', newest: '2024-02-12' },
    ]);
  }, 180_000); // three full publishes (pages, feeds, search) on moto: ~27 s idle, past 60 s on a loaded 2-core CI machine
});

describe('text', () => {
  it('noncharacters go wherever control characters go', () => {
    expect(normaliseText('a\uFFFEb\uFFFFc\uFDD0d\u{1FFFF}e\u{10FFFE}f\u0007g')).toBe('abcdefg');
    expect(normaliseText('emoji \u{1F600} stays')).toBe('emoji \u{1F600} stays');
  });
});

describe('ceilings no real day approaches (issue 29.8)', () => {
  const strays = (n: number) => Array.from({ length: n }, (_, i) => `stray line ${i}`).join('\n');

  it('a 12 MB file is kept and reported without being read, and the day keeps its version', async () => {
    expect(await ingest(good())).toMatchObject({ status: 'ingested', papers: 70 });
    const huge = Buffer.concat([good(), Buffer.alloc(12 * 1024 * 1024, 'x')]);
    const outcome = await ingest(huge);
    expect(outcome).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('over the 10.0 MB a digest may have (INGEST_MAX_BYTES)') });
    expect(await currentPapers()).toBe(70);
    expect(events.ready()).toHaveLength(1);
    // Kept: the raw bytes and a report name it.
    expect((await store.list(`raw/${DAY}/`)).length).toBe(2);
  });

  it('a day with more papers than the ceiling is quarantined with the count and the setting to change', async () => {
    const outcome = await ingestDigest({ store, events, now: NOW, timeZone: 'Asia/Shanghai', limits: { maxPapers: 50 } }, { bytes: good(), source: 'upstream', dateHint: DAY });
    expect(outcome).toMatchObject({ status: 'quarantined', reason: 'it has 70 papers, over the 50 a day may have (INGEST_MAX_PAPERS)' });
    expect(events.ready()).toHaveLength(0);
  });

  it('5,000 stray lines keep 100 warnings and a count, in the outcome and in what is stored', async () => {
    const outcome = await ingest(`${fixtureText(DAY)}\n${strays(5000)}\n`);
    expect(outcome.status).toBe('ingested');
    if (outcome.status !== 'ingested') return;
    expect(outcome.problems).toHaveLength(100);
    expect(outcome.problemsTotal).toBe(5000);
    const stored = JSON.parse(Buffer.from((await store.get(currentVersion((await readDayIndex(store, DAY)).value)?.resultKey ?? ''))?.body ?? Buffer.from('{}')).toString()) as { problems: unknown[]; problemsTotal: number };
    expect(stored.problems).toHaveLength(100);
    expect(stored.problemsTotal).toBe(5000);
  });

  it('an impossible date in a file name makes no day folder, and a name that disagrees with the header is reported', async () => {
    const unreadable = await ingestDigest({ store, events, now: NOW }, { bytes: Buffer.from('not a digest\n'), source: 'incoming/9999-99-99.md', dateHint: '9999-99-99' });
    expect(unreadable.status).toBe('quarantined');
    expect(unreadable.date).not.toBe('9999-99-99');
    const keys = [...(await store.list('')), ...(await store.list('raw/'))];
    expect(keys.some((k) => k.includes('9999-99-99'))).toBe(false);
    const misnamed = await ingestDigest({ store, events, now: NOW, timeZone: 'Asia/Shanghai' }, { bytes: good(), source: 'incoming/2024-02-06.md', dateHint: '2024-02-06' });
    expect(misnamed).toMatchObject({ status: 'quarantined', reason: expect.stringContaining(`header says ${DAY} but the digest was expected for 2024-02-06`) });
  });
});
