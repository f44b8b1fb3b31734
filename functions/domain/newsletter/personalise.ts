import { escapeHtml } from '../html.ts';
import { categoryLabel, type Lang } from '../language.ts';
import type { Edition } from './edition.ts';
import type { TokenName } from './markers.ts';
import { qpSegment, type Segment } from './segments.ts';

/** Gmail clips messages whose HTML passes ~102 KB; keep a margin for what the MIME layer adds. */
export const HTML_BUDGET_BYTES = 100_000;

export interface Recipient {
  readonly email: string;
  readonly lang: Lang;
  /** Category slugs, or every category. */
  readonly categories: 'all' | readonly string[];
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
}

export interface PersonalMessage {
  readonly subject: string;
  readonly preheader: string;
  readonly papers: number;
  /** Index into CONTENT_LEVELS of the variant that fitted. */
  readonly level: number;
  readonly htmlBytes: number;
  html(): string;
  text(): string;
  /** Quoted-printable bodies as the pre-encoded pieces they are made of, in order. */
  readonly htmlQp: readonly Buffer[];
  readonly textQp: readonly Buffer[];
}

export type Personalised = { readonly send: true; readonly message: PersonalMessage } | { readonly send: false; readonly reason: 'no-papers-in-chosen-categories' };

const papersEn = (n: number) => (n === 1 ? '1 new paper' : `${n} new papers`);

export function subjectFor(lang: Lang, date: string, papers: number): string {
  if (lang === 'en') return `Paperboy ${date}: ${papersEn(papers).replace('new', 'new cs.CV')}`;
  if (lang === 'zh') return `Paperboy ${date}：${papers} 篇新论文`;
  return `Paperboy ${date}: ${papersEn(papers)} · ${papers} 篇新论文`;
}

/** Inbox previews show 40 to 140 characters; past that a preheader only costs bytes. */
export const PREHEADER_CHARS = 110;

/**
 * The line an inbox shows under the subject. For one or two categories the papers themselves (the
 * first titles) say most; for more, what the day holds per category. Capped at PREHEADER_CHARS.
 */
export function preheaderFor(lang: Lang, chosen: Edition['categories']): string {
  const full =
    chosen.length <= 2
      ? chosen.map((c) => (lang === 'zh' && c.firstTitle.zh ? c.firstTitle.zh : c.firstTitle.en)).join(' · ')
      : chosen.map((c) => `${categoryLabel(c.category, lang)} ${c.papers}`).join(' · ');
  const chars = [...full];
  return chars.length <= PREHEADER_CHARS ? full : `${chars.slice(0, PREHEADER_CHARS - 1).join('').trimEnd()}…`;
}

function assemble(segments: readonly Segment[], chosen: ReadonlySet<string> | null, values: Readonly<Record<TokenName, string>>): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'token') out += values[s.name];
    else if (s.kind === 'fixed' || chosen === null || chosen.has(s.slug)) out += s.text;
  }
  return out;
}

/** The same cut, as quoted-printable pieces: nothing is encoded again but the personal values. */
function assembleQp(segments: readonly Segment[], chosen: ReadonlySet<string> | null, values: Readonly<Record<TokenName, string>>): Buffer[] {
  const out: Buffer[] = [];
  for (const s of segments) {
    if (s.kind === 'token') out.push(qpSegment(values[s.name]));
    else if (s.kind === 'fixed' || chosen === null || chosen.has(s.slug)) out.push(s.qp);
  }
  return out;
}

/**
 * One subscriber's message: the categories they chose, in their language, at the richest content
 * level that stays under the size budget. No MJML here; only string assembly.
 */
export function personalise(edition: Edition, r: Recipient): Personalised {
  const chosen = r.categories === 'all' ? null : new Set(r.categories);
  const today = edition.categories.filter((c) => chosen === null || chosen.has(c.category.slug));
  const papers = today.reduce((n, c) => n + c.papers, 0);
  if (papers === 0) return { send: false, reason: 'no-papers-in-chosen-categories' };

  const preheader = preheaderFor(r.lang, today);
  const htmlValues: Record<TokenName, string> = {
    preheader: escapeHtml(preheader),
    count: String(papers),
    unsubscribe: escapeHtml(r.unsubscribeUrl),
    preferences: escapeHtml(r.preferencesUrl),
    recipient: escapeHtml(r.email),
  };
  const textValues: Record<TokenName, string> = { ...htmlValues, preheader, unsubscribe: r.unsubscribeUrl, preferences: r.preferencesUrl, recipient: r.email };
  const personalBytes = Object.values(htmlValues).reduce((n, v) => n + Buffer.byteLength(v), 0);

  const variants = edition.variants[r.lang];
  let variant = variants[variants.length - 1]!;
  let htmlBytes = 0;
  for (const v of variants) {
    let bytes = v.fixedBytes + personalBytes;
    for (const c of today) bytes += v.categoryBytes.get(c.category.slug) ?? 0;
    variant = v;
    htmlBytes = bytes;
    if (bytes <= HTML_BUDGET_BYTES) break;
  }
  const pick = variant;
  return {
    send: true,
    message: {
      subject: subjectFor(r.lang, edition.date, papers),
      preheader,
      papers,
      level: pick.level,
      htmlBytes,
      html: () => assemble(pick.html, chosen, htmlValues),
      text: () => assemble(pick.text, chosen, textValues),
      htmlQp: assembleQp(pick.html, chosen, htmlValues),
      textQp: assembleQp(pick.text, chosen, textValues),
    },
  };
}
