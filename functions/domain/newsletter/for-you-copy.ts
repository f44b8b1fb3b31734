import { escapeHtml } from '../html.ts';
import type { Lang } from '../language.ts';
import { defuseTokens } from './markers.ts';

/**
 * The words of a "For you" paper's reason line, the one piece of mail copy the personaliser writes
 * itself (the reason names a saved paper, which no compiled edition knows). The line ends in the
 * paper's "not for me" link: `before` + the reader's action base + the arXiv id + `after`.
 */
const WORDS: Record<Lang, { like: string; nearest: string; no: string }> = {
  bi: { like: 'Like · 类似', nearest: 'Close to what you saved · 与您的收藏相近', no: 'Not for me · 不感兴趣' },
  en: { like: 'Like', nearest: 'Close to what you saved', no: 'Not for me' },
  zh: { like: '类似', nearest: '与您的收藏相近', no: '不感兴趣' },
};

const TITLE_CHARS = 80;

/** What changed about a saved paper listed again: its new version, and whether it now links code. */
export interface SavedPaperChange {
  readonly version: number | null;
  readonly code: boolean;
  /** arXiv's journal reference, new since it was saved (untrusted text: escaped where rendered). */
  readonly journal: string | null;
}

const CHANGED: Record<Lang, { version: (v: number) => string; code: string; journal: string; prefix: string }> = {
  bi: { prefix: 'In your library · 您的收藏', version: (v) => `new version v${v} · 新版本 v${v}`, code: 'now with code · 现已附代码', journal: 'published · 已发表' },
  en: { prefix: 'In your library', version: (v) => `new version v${v}`, code: 'now with code', journal: 'published' },
  zh: { prefix: '您的收藏', version: (v) => `新版本 v${v}`, code: '现已附代码', journal: '已发表' },
};
/** A journal reference is one line of the mail, not a paragraph. */
const JOURNAL_CHARS = 120;

/** The line under a saved paper in "Your library": what changed since it was saved. */
export function libraryChangeLine(lang: Lang, change: SavedPaperChange, html: boolean): string {
  const w = CHANGED[lang];
  const ref = change.journal === null ? null : [...change.journal].length > JOURNAL_CHARS ? `${[...change.journal].slice(0, JOURNAL_CHARS - 1).join('').trimEnd()}…` : change.journal;
  const journal = ref === null ? null : `${w.journal}: ${html ? defuseTokens(escapeHtml(ref), true) : defuseTokens(ref, false)}`;
  const what = [change.version !== null ? w.version(change.version) : null, change.code ? w.code : null, journal].filter(Boolean).join('; ');
  return html ? `<p class="m"><strong>${w.prefix}:</strong> ${what}</p>` : `   ${w.prefix}: ${what}\n`;
}

export function forYouReason(lang: Lang, savedTitle: string | null, html: boolean): { readonly before: string; readonly after: string } {
  const w = WORDS[lang];
  const chars = savedTitle ? [...savedTitle] : [];
  const title = chars.length > TITLE_CHARS ? `${chars.slice(0, TITLE_CHARS - 1).join('').trimEnd()}…` : savedTitle;
  if (html) {
    const why = title ? `${w.like} <i>“${defuseTokens(escapeHtml(title), true)}”</i>` : w.nearest;
    return { before: `<p class="m">${why} · <a href="`, after: `/no">${w.no}</a></p>` };
  }
  const why = title ? `${w.like} “${defuseTokens(title, false)}”` : w.nearest;
  return { before: `   ${why}\n   ${w.no}:\n   `, after: '/no\n' };
}
