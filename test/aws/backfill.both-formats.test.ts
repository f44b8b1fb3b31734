import { describe, expect, it } from 'vitest';
import { ingestDigest, readDayIndex } from '../../functions/app/ingest/ingest.ts';
import { summarise } from '../../functions/app/ingest/ingest-runs.ts';
import { CollectingEventSink } from '../../functions/domain/events.ts';
import { digestFiles, ingestFiles } from '../../scripts/local/ingest-folder.ts';
import { FIXTURE_DIR, TABLE_FIXTURE_DIR } from '../support/fixtures.ts';
import { freshMotoBucket, motoS3 } from '../support/moto.ts';

describe('a backfill over both formats (S3 on moto_server)', () => {
  it('keeps one version per day: the detailed one where a day has both, and never announces a day twice', async () => {
    const store = await freshMotoBucket(motoS3(), 'both');
    const events = new CollectingEventSink();
    const files = digestFiles([FIXTURE_DIR, TABLE_FIXTURE_DIR]);
    const dates = [...new Set(files.map((f) => f.date ?? ''))];
    const both = dates.filter((d) => files.filter((f) => f.date === d).length === 2);
    expect(both).toEqual(['2024-01-01', '2024-02-05', '2024-04-01', '2024-06-03', '2024-07-13', '2024-09-20']);

    const results = await ingestFiles(files, (input) => ingestDigest({ store, events }, input));
    const summary = summarise(results);
    // 2024-07-13 is the empty day, byte-identical in both folders: unchanged rather than superseded.
    expect(summary).toEqual({ ingested: dates.length, unchanged: 1, superseded: both.length - 1, quarantined: 0, missing: 0, failed: 0 });
    for (const date of dates) {
      const index = (await readDayIndex(store, date)).value;
      expect(index.versions, date).toHaveLength(1);
      expect(index.versions[0]?.format, date).toBe(both.includes(date) || !files.some((f) => f.date === date && f.path.startsWith(TABLE_FIXTURE_DIR)) ? 'detailed' : 'table');
    }
    expect(events.ready().map((e) => e.date).sort()).toEqual(dates.sort());

    // Again, in either order: nothing new, no event.
    await ingestFiles([...files].reverse(), (input) => ingestDigest({ store, events }, input));
    expect(events.events).toHaveLength(dates.length);
  });

  it('a detailed copy that arrives after the table one replaces it, once', async () => {
    const store = await freshMotoBucket(motoS3(), 'late');
    const events = new CollectingEventSink();
    const [table, detailed] = digestFiles([FIXTURE_DIR, TABLE_FIXTURE_DIR]).filter((f) => f.date === '2024-02-05').reverse();
    expect(table?.format).toBe('table');
    expect(detailed?.format).toBe('detailed');
    await ingestFiles([table!, detailed!, table!], (input) => ingestDigest({ store, events }, input));
    const index = (await readDayIndex(store, '2024-02-05')).value;
    expect(index.versions.map((v) => v.format)).toEqual(['table', 'detailed']);
    expect(index.current).toBe(index.versions[1]?.hash);
    expect(events.ready()).toHaveLength(2);
  });
});
