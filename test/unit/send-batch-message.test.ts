import { describe, expect, it } from 'vitest';
import { readSendBatch } from '../../functions/domain/ports/batch-queue.ts';

describe('a queued send batch, read back', () => {
  it('reads a daily and a weekly batch as the planner queues them', () => {
    expect(readSendBatch(JSON.stringify({ run: '2024-03-04', parsedKey: 'parsed/2024-03-04/h.json', emails: ['a@x.org'] }))).toEqual({ run: '2024-03-04', parsedKey: 'parsed/2024-03-04/h.json', emails: ['a@x.org'] });
    expect(readSendBatch(JSON.stringify({ run: '2024-03-06-week', editionKey: 'editions/v2/weeks/2024-03-06.json', emails: ['b@x.org'] }))).toEqual({ run: '2024-03-06-week', editionKey: 'editions/v2/weeks/2024-03-06.json', emails: ['b@x.org'] });
  });

  it('reads the messages the previous release queued (still in flight during a deploy)', () => {
    expect(readSendBatch(JSON.stringify({ date: '2024-03-04', parsedKey: 'parsed/2024-03-04/h.json', emails: ['a@x.org'] }))).toEqual({ run: '2024-03-04', parsedKey: 'parsed/2024-03-04/h.json', emails: ['a@x.org'] });
    expect(readSendBatch(JSON.stringify({ date: '2024-03-06-week', parsedKey: '', editionKey: 'editions/v2/weeks/2024-03-06.json', emails: ['b@x.org'] }))).toEqual({ run: '2024-03-06-week', editionKey: 'editions/v2/weeks/2024-03-06.json', emails: ['b@x.org'] });
  });

  it('refuses what is not a batch, saying what is missing', () => {
    expect(() => readSendBatch('null')).toThrow('not a JSON object');
    expect(() => readSendBatch(JSON.stringify({ parsedKey: 'k', emails: [] }))).toThrow('no run');
    expect(() => readSendBatch(JSON.stringify({ run: 'd', parsedKey: 'k', emails: [1] }))).toThrow('emails is not a list of addresses');
    expect(() => readSendBatch(JSON.stringify({ run: 'd', parsedKey: '', emails: [] }))).toThrow('neither a parsed digest nor an edition key');
    expect(() => readSendBatch('{')).toThrow(SyntaxError);
  });
});
