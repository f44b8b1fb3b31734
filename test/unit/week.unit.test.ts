import { describe, expect, it } from 'vitest';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { isoWeekday, mergeWeek, weekBefore } from '../../functions/domain/sending/week.ts';
import { weeklyRun } from '../../functions/domain/sending/run-key.ts';
import { fixtureBytes } from '../support/fixtures.ts';

describe('the weekly mail’s week', () => {
  it('is the seven days before the send date; weekdays are ISO (Monday 1, Sunday 7); its ledger run is a valid SES tag value', () => {
    expect(weekBefore('2024-10-05')).toMatchObject({ from: '2024-09-28', to: '2024-10-04' });
    expect(weekBefore('2024-10-05').dates).toHaveLength(7);
    expect(isoWeekday('2024-10-05')).toBe(6);
    expect(isoWeekday('2024-10-06')).toBe(7);
    expect(isoWeekday('2024-09-30')).toBe(1);
    expect(weeklyRun('2024-10-05')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('merges the days: every arXiv id once in its newest listing, a category’s papers together, renumbered', () => {
    const a = parseDigest(fixtureBytes('2024-09-27'), 'a.md').digest;
    const b = parseDigest(fixtureBytes('2024-10-04'), 'b.md').digest;
    const week = mergeWeek([a, b], '2024-10-05');
    const ids = papersOf(week).map((p) => p.arxivId);
    const union = new Set([...papersOf(a), ...papersOf(b)].map((p) => p.arxivId));
    expect(ids).toHaveLength(union.size);
    expect(new Set(ids).size).toBe(ids.length);
    // A paper listed on both days comes in the newer listing's version.
    const relisted = papersOf(b).find((p) => papersOf(a).some((q) => q.arxivId === p.arxivId))!;
    expect(papersOf(week).find((p) => p.arxivId === relisted.arxivId)?.version).toBe(relisted.version);
    expect(new Set(week.sections.map((s) => s.category.slug)).size).toBe(week.sections.length);
    for (const s of week.sections) expect(s.papers.map((p) => p.index)).toEqual(s.papers.map((_, i) => i + 1));
    expect(week.date).toBe('2024-10-05');
  });
});
