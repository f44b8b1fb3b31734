import { authorLine } from '../../functions/domain/feeds/entry-html.ts';
import { abstractsFor, categoryLabel, LANG_LABEL, LANGS, type Lang } from '../../functions/domain/language.ts';
import type { Digest, Paper } from '../../functions/domain/model.ts';
import { firstSentence } from '../../functions/domain/first-sentence.ts';
import { abstractEnd, abstractStart, actionEnd, actionStart, categoryEnd, categoryStart, CONTENTS_REGION, countMark, defuseTokens, moreEnd, moreMark, moreStart, numberMark, numberText, FORYOU_REGION, LIBRARY_REGION, lineEnd, lineStart, MATCHES_REGION, paperEnd, paperStart, token, UPDATED_REGION } from '../../functions/domain/newsletter/markers.ts';
import { notForMeActionPath, saveActionPath } from '../../functions/domain/library/actions.ts';
import { labelledUrl, wrapText } from '../../functions/domain/text-wrap.ts';
import { httpsArxiv, paperNumbers, periodLabel, type NewsletterLinks } from './newsletter-mjml.ts';
import { weekNote } from './week-note.ts';
import { type ContentLevel } from '../../functions/domain/newsletter/edition.ts';

const INDENT = '   ';

const W = {
  bi: { count: (n: string) => `Papers today · 今日论文: ${n}`, countWeek: (n: string) => `Papers this week · 本周论文: ${n}`, view: 'View in browser · 网页版:', contents: 'Contents · 目录', forYou: 'For you · 为你推荐', library: 'Your library · 你的收藏', save: 'Save · 收藏:', notForMe: 'Not for me · 不感兴趣:', matches: 'Matches · 匹配', updated: 'Updated · 已更新', updatedWhy: ['Papers you already received, listed again: a new version or a new listing.', '您此前已收到的论文再次出现：新版本或重新列出。'], more: (n: number) => `${n} more on the web · 另有 ${n} 篇，请在网页查看:`, code: 'Code · 代码:', prefs: 'Preferences · 订阅设置:', readIn: 'Read in · 切换语言', feed: 'Your feed (RSS) · 您的订阅源:', unsub: 'Unsubscribe · 退订:', status: 'Status · 运行状态:', why: ['You receive this because you subscribed to Paperboy and confirmed your address.', '您订阅并确认了 Paperboy 每日论文，因此收到此邮件。'], sentTo: 'Sent to · 收件人:' },
  en: { count: (n: string) => `Papers in your categories today: ${n}`, countWeek: (n: string) => `Papers in your categories this week: ${n}`, view: 'View in browser:', contents: 'Contents', forYou: 'For you', library: 'Your library', save: 'Save:', notForMe: 'Not for me:', matches: 'Matches', updated: 'Updated', updatedWhy: ['Papers you already received, listed again: a new version or a new listing.'], more: (n: number) => `${n} more on the web:`, code: 'Code:', prefs: 'Preferences:', readIn: 'Read in', feed: 'Your feed (RSS):', unsub: 'Unsubscribe:', status: 'Status:', why: ['You receive this because you subscribed to Paperboy and confirmed your address.'], sentTo: 'Sent to:' },
  zh: { count: (n: string) => `您订阅的类别今日共 ${n} 篇论文`, countWeek: (n: string) => `您订阅的类别本周共 ${n} 篇论文`, view: '网页版：', contents: '目录', forYou: '为你推荐', library: '你的收藏', save: '收藏：', notForMe: '不感兴趣：', matches: '匹配', updated: '已更新', updatedWhy: ['您此前已收到的论文再次出现：新版本或重新列出。'], more: (n: number) => `另有 ${n} 篇，请在网页查看：`, code: '代码：', prefs: '订阅设置：', readIn: '切换语言', feed: '您的订阅源（RSS）：', unsub: '退订：', status: '运行状态：', why: ['您订阅并确认了 Paperboy 每日论文，因此收到此邮件。'], sentTo: '收件人：' },
} as const;

const safe = (text: string) => defuseTokens(text, false);

/** A heading or contents line with its category's count as the count marker (the last "(n)" in it: a label may hold its own). */
function counted(line: string, s: Pick<Digest['sections'][number], 'category' | 'papers'>): string {
  const at = line.lastIndexOf(`(${s.papers.length})`);
  return `${line.slice(0, at + 1)}${countMark(s.category.slug, s.papers.length)}${line.slice(at + 1 + String(s.papers.length).length)}`;
}

/** The columns of a paper's number ("12. "): as wide as the day's largest, so every title hangs the same. */
export const numberWidth = (papers: number) => Math.max(INDENT.length, String(papers).length + 2);

function paperText(id: number, n: number, width: number, p: Paper, lang: Lang): string {
  const title = lang === 'zh' && p.titleZh ? p.titleZh : p.titleEn;
  const hang = ' '.repeat(width);
  // Wrapped behind the whole day's number, whose field is as wide as any reader's: the marker then takes its place.
  const lines = [`${numberMark(id, width, n)}${wrapText(safe(title), numberText(n, width).slice(1), hang).slice(width)}`];
  if (lang === 'bi' && p.titleZh) lines.push(wrapText(safe(p.titleZh), hang));
  lines.push(wrapText(safe(authorLine(p.authors, p.authorsTruncated)), hang));
  const abstracts = abstractsFor(p, lang);
  // The same two cuts as the HTML, between the same markers: the personaliser keeps one or none.
  const whole = abstracts.map((a) => `\n${wrapText(safe(a.text), hang)}`).join('');
  const sentence = abstracts.map((a) => `\n${wrapText(safe(firstSentence(a.text) ?? a.text), hang)}`).join('');
  if (abstracts.length) lines.push(`${abstractStart(id, 'w')}${whole}${abstractEnd(id, 'w')}${abstractStart(id, 's')}${sentence}${abstractEnd(id, 's')}`);
  lines.push('', labelledUrl('arXiv:', safe(httpsArxiv(p.absUrl)), hang), labelledUrl('PDF:  ', safe(httpsArxiv(p.pdfUrl)), hang));
  if (p.codeUrl) lines.push(labelledUrl(W[lang].code, safe(p.codeUrl), hang));
  // The reader's action base goes before the path, unwrapped: a link must stay one line to be clicked.
  // Each link on a line of its own: the reader's base is ~60 characters, so label and link never share 76 columns.
  return `${lines.join('\n')}${actionStart}\n${hang}${W[lang].save}\n${hang}${token('act')}${saveActionPath(p.arxivId)}\n${hang}${W[lang].notForMe}\n${hang}${token('act')}${notForMeActionPath(p.arxivId)}${actionEnd}`;
}

/** The plain-text part, built from the same model and cut by the same markers as the HTML. */
export function newsletterText(digest: Digest, lang: Lang, level: ContentLevel, links: NewsletterLinks): string {
  const w = W[lang];
  const note = links.week ? weekNote(links.week, lang) : '';
  const head = `Paperboy · ${periodLabel(digest, links)}\n${(links.week ? w.countWeek : w.count)(token('count'))}\n${note ? `${wrapText(note)}\n` : ''}${labelledUrl(w.view, safe(links.archiveUrl))}\n${categoryStart(CONTENTS_REGION)}\n${w.contents}\n${categoryEnd(CONTENTS_REGION)}`;
  const library = `${categoryStart(LIBRARY_REGION)}\n${wrapText(`=== ${w.library} ===`)}\n${token('library')}${categoryEnd(LIBRARY_REGION)}`;
  const forYou = `${categoryStart(FORYOU_REGION)}\n${wrapText(`=== ${w.forYou} ===`)}\n${token('foryou')}${categoryEnd(FORYOU_REGION)}`;
  const matches = `${categoryStart(MATCHES_REGION)}\n${wrapText(`=== ${w.matches} (${token('matchcount')}) ===`)}\n${token('matches')}${categoryEnd(MATCHES_REGION)}`;
  const toc = digest.sections.map((s) => `${categoryStart(s.category.slug)}${counted(wrapText(`${safe(categoryLabel(s.category, lang))} (${s.papers.length})`, '- ', '  '), s)}\n${categoryEnd(s.category.slug)}`).join('');
  const body: string[] = [];
  const firsts = paperNumbers(digest);
  // As wide as the day's paper count: a reader's matches may number more than any one category.
  const width = numberWidth(digest.sections.reduce((n, s) => n + s.papers.length, 0));
  for (const [k, s] of digest.sections.entries()) {
    const shown = level.maxPapers === null ? s.papers : s.papers.slice(0, level.maxPapers);
    // Each paper starts with its blank line (its number's), so papers listed on their own (the matches, "For you") are spaced as here.
    const block = [`\n${counted(wrapText(`=== ${safe(categoryLabel(s.category, lang))} (${s.papers.length}) ===`), s)}\n`, ...shown.map((p, i) => `${paperStart((firsts[k] ?? 0) + i)}${paperText((firsts[k] ?? 0) + i, i + 1, width, p, lang)}\n${paperEnd((firsts[k] ?? 0) + i)}`)];
    const rest = s.papers.length - shown.length;
    if (rest > 0) {
      // Laid out with the whole day's number; the label's number (its only digits) is then the reader's.
      const label = w.more(rest);
      const line = labelledUrl(label, safe(`${links.archiveUrl}#${s.category.slug}`), INDENT);
      block.push(`${moreStart}\n${INDENT}${label.replaceAll(String(rest), moreMark(s.category.slug, rest))}${line.slice(INDENT.length + label.length)}\n${moreEnd}`);
    }
    body.push(`${categoryStart(s.category.slug)}${block.join('')}${categoryEnd(s.category.slug)}`);
  }
  const lines = digest.sections.flatMap((s, k) =>
    s.papers.map((p, i) => {
      const title = lang === 'zh' && p.titleZh ? p.titleZh : p.titleEn;
      return `${lineStart((firsts[k] ?? 0) + i)}${wrapText(`${safe(title)}${p.version ? ` (v${p.version})` : ''}`, '- ', '  ')}\n  ${safe(httpsArxiv(p.absUrl))}\n${lineEnd((firsts[k] ?? 0) + i)}`;
    }),
  );
  body.push(`${categoryStart(UPDATED_REGION)}\n${wrapText(`=== ${w.updated} ===`)}\n${w.updatedWhy.map((l) => wrapText(l)).join('\n')}\n\n${lines.join('')}${categoryEnd(UPDATED_REGION)}`);
  // Personal links are long and must stay whole: each on a line of its own.
  const languages = LANGS.filter((l) => l !== lang).flatMap((l) => [`${w.readIn} ${LANG_LABEL[l]}:`, `${token('language')}&lang=${l}`]);
  const footer = ['', '-- ', w.prefs, token('preferences'), w.feed, token('feed'), w.unsub, token('unsubscribe'), ...languages, ...(links.statusUrl ? [labelledUrl(w.status, safe(links.statusUrl))] : []), '', ...w.why.map((line) => wrapText(line)), `${w.sentTo} ${token('recipient')}`, wrapText(`Paperboy · ${safe(links.postalAddress)}`), ''];
  return `${head}${toc}${library}${forYou}${matches}${body.join('')}${footer.join('\n')}`;
}
