import { describe, expect, it } from 'vitest';
import { shouldMailDay } from '../../functions/app/newsletter/plan.ts';

describe('which ready days are mailed', () => {
  const now = new Date('2026-11-24T09:00:00Z');
  it('mails today and the last few days, not a backfilled or empty day', () => {
    expect(shouldMailDay({ date: '2026-11-24', papers: 90 }, now)).toEqual({ send: true });
    expect(shouldMailDay({ date: '2026-11-21', papers: 90 }, now)).toEqual({ send: true });
    const old = shouldMailDay({ date: '2024-02-04', papers: 40 }, now);
    expect(old.send).toBe(false);
    expect(old.send ? '' : old.reason).toMatch(/2024-02-04 is 1024 days old/);
    expect(shouldMailDay({ date: '2026-11-24', papers: 0 }, now)).toEqual({ send: false, reason: 'no papers on 2026-11-24' });
    expect(shouldMailDay({ date: '2024-02-04', papers: 40 }, now, 2000)).toEqual({ send: true });
  });
});

describe('the daily plan', () => {
  it('queues every daily reader once, readers of the same mail next to each other, weekly readers not at all', async () => {
    const { planSend } = await import('../../functions/app/newsletter/plan.ts');
    const langs = ['bi', 'en', 'zh'] as const;
    const cats = ['all', ['gen', 'mm'], ['mm', 'gen'], ['3d']] as const;
    const readers = Array.from({ length: 120 }, (_, i) => ({ email: `r${i}@example.com`, lang: langs[(i * 7) % 3]!, categories: cats[(i * 5) % 4]!, weekly: i % 10 === 0 ? 3 : null }));
    const queued: { emails: readonly string[] }[] = [];
    const deps = { subscribers: { listConfirmed: async () => ({ readers, unreadable: [] }) }, queue: { enqueue: async (b: readonly { emails: readonly string[] }[]) => void queued.push(...b) } };
    const result = await planSend(deps as never, { date: '2024-03-04', parsedKey: 'parsed/2024-03-04/x.json' }, 10);
    const emails = queued.flatMap((b) => b.emails);
    expect(result).toEqual({ recipients: 108, batches: 11, unreadable: 0 });
    expect(new Set(emails).size).toBe(108);
    expect(emails.some((e) => readers.find((r) => r.email === e)!.weekly)).toBe(false);
    // One run per mail: the language and the categories (in any order) change only between runs.
    const mailOf = (e: string) => {
      const r = readers.find((x) => x.email === e)!;
      return `${r.lang}|${r.categories === 'all' ? '*' : [...r.categories].sort().join(',')}`;
    };
    const runs = emails.map(mailOf).filter((m, i, all) => i === 0 || all[i - 1] !== m);
    expect(runs.length).toBe(new Set(runs).size);
    expect(runs.length).toBe(9);
  });
});

describe('the weekly plan', () => {
  const readers = [
    { email: 'wed@example.com', lang: 'en', categories: 'all', weekly: 3 },
    { email: 'daily@example.com', lang: 'en', categories: 'all', weekly: null },
  ];
  const setup = () => {
    const steps: string[] = [];
    const deps = { subscribers: { listConfirmed: async () => ({ readers, unreadable: [] }) }, queue: { enqueue: async (b: readonly { emails: readonly string[]; editionKey?: string }[]) => void steps.push(...b.map((x) => `queued ${x.emails.join(',')} for ${x.editionKey}`)) } };
    const prepare = async () => (steps.push('prepared'), { key: 'editions/v2/weeks/2024-03-06.json' });
    return { steps, deps, prepare };
  };

  it('on a day no reader takes it, reads no digest and queues nothing', async () => {
    const { planWeek } = await import('../../functions/app/newsletter/plan.ts');
    const { steps, deps, prepare } = setup();
    // 2024-03-05 is a Tuesday: nobody's day.
    const plan = await planWeek(deps as never, '2024-03-05', prepare);
    expect(plan).toEqual({ recipients: 0, batches: 0, edition: null, why: 'no reader takes the weekly mail on weekday 2' });
    expect(steps).toEqual([]);
  });

  it('on a reader’s day, prepares the edition once, before queueing that reader alone', async () => {
    const { planWeek } = await import('../../functions/app/newsletter/plan.ts');
    const { steps, deps, prepare } = setup();
    const plan = await planWeek(deps as never, '2024-03-06', prepare);
    expect(plan).toMatchObject({ recipients: 1, batches: 1 });
    expect(steps).toEqual(['prepared', 'queued wed@example.com for editions/v2/weeks/2024-03-06.json']);
    const none = await planWeek(deps as never, '2024-03-06', async () => null);
    expect(none).toEqual({ recipients: 0, batches: 0, edition: null, why: 'no day was mailed in the week before' });
  });
});
