import { describe, expect, it } from 'vitest';
import { watchDigest } from '../../functions/app/ingest/digest-watch.ts';
import { ingestDigest } from '../../functions/app/ingest/ingest.ts';
import { expectedDigest } from '../../functions/domain/arxiv/expected-digest.ts';
import { CollectingEventSink } from '../../functions/domain/events.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { freshMotoBucket, motoS3 } from '../support/moto.ts';

/** The rule behind the DigestMissing alarm (issue 32.2), and the watch that reads the archive for it. */
describe('the DigestMissing rule', () => {
  it("expects the last announcement's listing within the grace, and nothing new on a quiet day", () => {
    const none = () => false;
    // Sunday 3 March 2024, 20:00 New York (01:00 UTC Monday): the listing of Monday 4 March.
    expect(expectedDigest(new Date('2024-03-04T02:00:00Z'), none, 3)).toMatchObject({ date: '2024-03-04', state: 'pending', due: new Date('2024-03-04T04:00:00Z') });
    expect(expectedDigest(new Date('2024-03-04T04:00:00Z'), none, 3).state).toBe('missing');
    expect(expectedDigest(new Date('2024-03-04T09:00:00Z'), (d) => d === '2024-03-04', 3).state).toBe('in');
    // Saturday: no announcement since Thursday's, whose Friday listing stays the one expected.
    expect(expectedDigest(new Date('2024-03-09T12:00:00Z'), (d) => d === '2024-03-08', 3)).toMatchObject({ date: '2024-03-08', state: 'in' });
    // Thanksgiving 2024 (Thursday): no Friday listing; Wednesday's Thursday listing stays expected.
    expect(expectedDigest(new Date('2024-11-29T15:00:00Z'), (d) => d === '2024-11-28', 3)).toMatchObject({ date: '2024-11-28', state: 'in' });
  });

  it('fires on the archive in S3 (moto) while the day is missing, and clears once its digest is ingested', async () => {
    const store = await freshMotoBucket(motoS3(), 'watch');
    const late = new Date('2024-03-04T06:00:00Z');
    expect(await watchDigest(store, late, 3)).toMatchObject({ date: '2024-03-04', state: 'missing' });
    const outcome = await ingestDigest({ store, events: new CollectingEventSink() }, { bytes: fixtureBytes('2024-03-04'), source: '2024-03-04.md', dateHint: '2024-03-04' });
    expect(outcome.status).toBe('ingested');
    expect(await watchDigest(store, late, 3)).toMatchObject({ date: '2024-03-04', state: 'in' });
  });
});
