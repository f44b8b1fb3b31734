import { authorLine } from '../../functions/domain/feeds/entry-html.ts';
import { abstractsFor, categoryLabel, type Lang } from '../../functions/domain/language.ts';
import type { Digest, Paper } from '../../functions/domain/model.ts';
import { categoryEnd, categoryStart, defuseTokens, token } from '../../functions/domain/newsletter/markers.ts';
import type { ContentLevel, NewsletterLinks } from './newsletter-mjml.ts';

const WIDTH = 76;

/** Wraps at spaces; words longer than a line (URLs, CJK runs) are left whole rather than broken. */
export function wrap(text: string, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

const W = {
  bi: { papers: 'papers in your categories · 篇论文', view: 'View in browser · 网页版', contents: 'Contents · 目录', more: (n: number) => `${n} more on the web · 另有 ${n} 篇`, code: 'Code', prefs: 'Preferences · 订阅设置', unsub: 'Unsubscribe · 退订', why: 'You receive this because you subscribed to Paperboy and confirmed your address. 您订阅并确认了 Paperboy 每日论文。', sentTo: 'Sent to · 收件人' },
  en: { papers: 'papers in your categories', view: 'View in browser', contents: 'Contents', more: (n: number) => `${n} more on the web`, code: 'Code', prefs: 'Preferences', unsub: 'Unsubscribe', why: 'You receive this because you subscribed to Paperboy and confirmed your address.', sentTo: 'Sent to' },
  zh: { papers: '篇论文（您订阅的类别）', view: '网页版', contents: '目录', more: (n: number) => `另有 ${n} 篇，请在网页查看`, code: '代码', prefs: '订阅设置', unsub: '退订', why: '您订阅并确认了 Paperboy 每日论文，因此收到此邮件。', sentTo: '收件人' },
} as const;

const safe = (text: string) => defuseTokens(text, false);

function paperText(n: number, p: Paper, lang: Lang, level: ContentLevel): string {
  const title = lang === 'zh' && p.titleZh ? p.titleZh : p.titleEn;
  const lines = [wrap(safe(`${n}. ${title}`))];
  if (lang === 'bi' && p.titleZh) lines.push(`   ${safe(p.titleZh)}`);
  lines.push(wrap(safe(authorLine(p.authors, p.authorsTruncated)), '   '));
  if (level.abstractChars !== 0) {
    for (const a of abstractsFor(p, lang)) {
      const limit = level.abstractChars === null ? null : a.lang === 'zh' ? Math.round(level.abstractChars / 2) : level.abstractChars;
      const text = limit === null || a.text.length <= limit ? a.text : `${a.text.slice(0, limit).trimEnd()}…`;
      lines.push('', wrap(safe(text), '   '));
    }
  }
  lines.push('', `   arXiv: ${safe(p.absUrl)}`, `   PDF:   ${safe(p.pdfUrl)}`);
  if (p.codeUrl) lines.push(`   ${W[lang].code}:  ${safe(p.codeUrl)}`);
  return lines.join('\n');
}

/** The plain-text part, built from the same model and cut by the same markers as the HTML. */
export function newsletterText(digest: Digest, lang: Lang, level: ContentLevel, links: NewsletterLinks): string {
  const w = W[lang];
  const head = `Paperboy · ${digest.date}\n${token('count')} ${w.papers}\n${w.view}: ${safe(links.archiveUrl)}\n\n${w.contents}\n`;
  const toc = digest.sections.map((s) => `${categoryStart(s.category.slug)}- ${safe(categoryLabel(s.category, lang))} (${s.papers.length})\n${categoryEnd(s.category.slug)}`).join('');
  const body: string[] = [];
  for (const s of digest.sections) {
    const shown = level.maxPapers === null ? s.papers : s.papers.slice(0, level.maxPapers);
    const block = [`\n${'='.repeat(3)} ${safe(categoryLabel(s.category, lang))} (${s.papers.length}) ${'='.repeat(3)}\n`, ...shown.map((p, i) => `${paperText(i + 1, p, lang, level)}\n`)];
    if (shown.length < s.papers.length) block.push(`   ${w.more(s.papers.length - shown.length)}: ${safe(`${links.archiveUrl}#${s.category.slug}`)}\n`);
    body.push(`${categoryStart(s.category.slug)}${block.join('\n')}${categoryEnd(s.category.slug)}`);
  }
  const footer = ['', '-- ', `${w.prefs}: ${token('preferences')}`, `${w.unsub}: ${token('unsubscribe')}`, '', wrap(w.why), `${w.sentTo}: ${token('recipient')}`, `Paperboy · ${safe(links.postalAddress)}`, ''];
  return `${head}${toc}${body.join('')}${footer.join('\n')}`;
}
