import { describe, expect, it } from 'vitest';
import { weekSpan } from '../../functions/domain/sending/week.ts';
import { weekNote } from '../../templates/newsletter/week-note.ts';

/** A weekly mail names the week's days without an arXiv listing, and listing days no digest came for (issue 32.4). */
describe("the weekly mail's note on quiet days", () => {
  it('names the weekend and arXiv’s Christmas holidays in each language', () => {
    // Sent Saturday 28 December 2024: 21-27 December. arXiv did not announce on 25 and 26 December, so no listing on the 26th and 27th.
    const week = weekSpan('2024-12-28', new Set(['2024-12-23', '2024-12-24', '2024-12-25']));
    expect(week).toMatchObject({ from: '2024-12-21', to: '2024-12-27', missing: [] });
    expect(week.quiet).toEqual([
      { date: '2024-12-21', reason: 'weekend' },
      { date: '2024-12-22', reason: 'weekend' },
      { date: '2024-12-26', reason: 'holiday' },
      { date: '2024-12-27', reason: 'holiday' },
    ]);
    expect(weekNote(week, 'en')).toBe('No arXiv listing on Sat 21 Dec and Sun 22 Dec (weekend); Thu 26 Dec and Fri 27 Dec (arXiv holiday).');
    expect(weekNote(week, 'zh')).toBe('arXiv 未发布：12月21日（周六）、12月22日（周日）（周末）；12月26日（周四）、12月27日（周五）（arXiv 假日）。');
    expect(weekNote(week, 'bi')).toBe(`${weekNote(week, 'en')} · ${weekNote(week, 'zh')}`);
  });

  it('says which listing days no digest came in for', () => {
    const week = weekSpan('2024-10-05', new Set(['2024-10-01', '2024-10-04']));
    expect(week.missing).toEqual(['2024-09-30', '2024-10-02', '2024-10-03']);
    expect(weekNote(week, 'en')).toBe('No arXiv listing on Sat 28 Sep and Sun 29 Sep (weekend). No digest came in for Mon 30 Sep, Wed 2 Oct and Thu 3 Oct.');
    expect(weekNote(week, 'zh')).toContain('9月30日（周一）、10月2日（周三）、10月3日（周四）未收到论文。');
  });
});
