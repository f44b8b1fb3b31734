import type { Lang } from '../../functions/domain/language.ts';
import type { WeekSpan } from '../../functions/domain/sending/week.ts';

/**
 * The weekly mail's line under its count: the days of the week arXiv had no listing (a weekend, a
 * holiday) and listing days no digest came in for, so a reader of a short week knows why (issue
 * 32.4). Empty when every day of the week had its digest. Bilingual text is "English · 中文".
 */
const DAY_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const MONTH_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const parts = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  return { day: d.getUTCDay(), date: d.getUTCDate(), month: d.getUTCMonth() };
};
const en = (date: string) => {
  const p = parts(date);
  return `${DAY_EN[p.day]} ${p.date} ${MONTH_EN[p.month]}`;
};
const zh = (date: string) => {
  const p = parts(date);
  return `${p.month + 1}月${p.date}日（${DAY_ZH[p.day]}）`;
};
const listEn = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

export function weekNote(week: WeekSpan, lang: Lang): string {
  const weekend = (week.quiet ?? []).filter((q) => q.reason === 'weekend').map((q) => q.date);
  const holiday = (week.quiet ?? []).filter((q) => q.reason === 'holiday').map((q) => q.date);
  const missing = week.missing ?? [];
  const english = [
    weekend.length || holiday.length ? `No arXiv listing on ${[weekend.length ? `${listEn(weekend.map(en))} (weekend)` : '', holiday.length ? `${listEn(holiday.map(en))} (arXiv holiday)` : ''].filter(Boolean).join('; ')}.` : '',
    missing.length ? `No digest came in for ${listEn(missing.map(en))}.` : '',
  ].filter(Boolean).join(' ');
  const chinese = [
    weekend.length || holiday.length ? `arXiv 未发布：${[weekend.length ? `${weekend.map(zh).join('、')}（周末）` : '', holiday.length ? `${holiday.map(zh).join('、')}（arXiv 假日）` : ''].filter(Boolean).join('；')}。` : '',
    missing.length ? `${missing.map(zh).join('、')}未收到论文。` : '',
  ].join('');
  if (!english) return '';
  return lang === 'en' ? english : lang === 'zh' ? chinese : `${english} · ${chinese}`;
}
