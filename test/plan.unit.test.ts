import { describe, expect, it } from 'vitest';
import { shouldMailDay } from '../functions/domain/sending/plan.ts';

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
