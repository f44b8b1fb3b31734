import { html, type SafeHtml } from './html.ts';
import type { Category, Paper } from './model.ts';

/** Reader-chosen language: both (the default), English only, Chinese only. */
export type Lang = 'bi' | 'en' | 'zh';
export const LANGS: readonly Lang[] = ['bi', 'en', 'zh'];

export const LANG_TAG: Record<Lang, string> = { bi: 'en', en: 'en', zh: 'zh-CN' };
export const LANG_LABEL: Record<Lang, string> = { bi: 'English + 中文', en: 'English', zh: '中文' };
/** The same labels as HTML, each word in its language. */
export const LANG_LABEL_HTML: Record<Lang, SafeHtml> = {
  bi: html`<span lang="en">English</span> + <span lang="zh-CN">中文</span>`,
  en: html`<span lang="en">English</span>`,
  zh: html`<span lang="zh-CN">中文</span>`,
};

/** The title a reader of `lang` sees; Chinese falls back to English where the translation is unusable. */
export function paperTitle(p: Paper, lang: Lang): string {
  if (lang === 'en' || p.titleZh === null) return p.titleEn;
  if (lang === 'zh') return p.titleZh;
  return `${p.titleEn} | ${p.titleZh}`;
}

export function categoryLabel(c: Pick<Category, 'nameEn' | 'nameZh'>, lang: Lang): string {
  if (lang === 'en') return c.nameEn;
  if (lang === 'zh' || c.nameEn === c.nameZh) return c.nameZh;
  return `${c.nameZh} / ${c.nameEn}`;
}

const HAN = /\p{Script=Han}/u;

/** The language tag for a run of text of unknown language (an address, a name): Chinese if it has Han characters. */
export function langOfText(text: string): string {
  return HAN.test(text) ? LANG_TAG.zh : LANG_TAG.en;
}

/** "Subscribe · 订阅" as HTML: each half around " · " tagged with the language of its script. */
export function bilingualHtml(text: string): SafeHtml {
  const parts = text.split(' · ');
  return html`${parts.map((part, i) => html`${i ? ' · ' : ''}<span lang="${langOfText(part)}">${part}</span>`)}`;
}

/** The category label as HTML, each name in a span that says its language (so a bilingual label is two spans). */
export function categoryLabelHtml(c: Pick<Category, 'nameEn' | 'nameZh'>, lang: Lang): SafeHtml {
  // Some "Chinese" names are English words (Transformer, NeRF): each name is tagged by its script.
  const en = html`<span lang="${langOfText(c.nameEn)}">${c.nameEn}</span>`;
  const zh = html`<span lang="${langOfText(c.nameZh)}">${c.nameZh}</span>`;
  if (lang === 'en') return en;
  if (lang === 'zh' || c.nameEn === c.nameZh) return zh;
  return html`${zh} / ${en}`;
}

/** The abstracts shown for `lang`, in reading order; empty when the day had none. */
export function abstractsFor(p: Paper, lang: Lang): { lang: 'en' | 'zh'; text: string }[] {
  const en = p.abstractEn === null ? [] : [{ lang: 'en' as const, text: p.abstractEn }];
  const zh = p.abstractZh === null ? [] : [{ lang: 'zh' as const, text: p.abstractZh }];
  if (lang === 'en') return en;
  if (lang === 'zh') return zh.length ? zh : en;
  return [...en, ...zh];
}
