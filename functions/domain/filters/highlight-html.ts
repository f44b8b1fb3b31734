import { defuseTokens } from '../newsletter/markers.ts';
import { escapeHtml } from '../html.ts';
import { foldWithMap } from './fold.ts';

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#37': '%' };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#37);/g, (_, e: string) => ENTITY[e] ?? '');
const escape = (s: string) => defuseTokens(escapeHtml(s), true);

/** Wraps every match of `pattern` in one run of text with `open`/`close`; `escapeRun` escapes the text between. */
export function markRuns(text: string, pattern: RegExp, open: string, close: string, escapeRun: (s: string) => string): string {
  const folded = foldWithMap(text);
  let out = '';
  let last = 0;
  pattern.lastIndex = 0;
  for (const m of folded.text.matchAll(pattern)) {
    if (m[0] === '') continue;
    const start = folded.from[m.index] ?? 0;
    const end = folded.from[m.index + m[0].length] ?? text.length;
    if (start < last) continue;
    out += `${escapeRun(text.slice(last, start))}${open}${escapeRun(text.slice(start, end))}${close}`;
    last = end;
  }
  return last === 0 ? escapeRun(text) : out + escapeRun(text.slice(last));
}

/**
 * Marks what a reader looks for in one paper's compiled HTML (our own markup: tags, and text with
 * the five entities `escapeHtml` writes). Only text is touched, never a tag or an attribute, and not
 * the labels of link buttons (a keyword "code" must not light up every Code button): links are
 * marked only inside a title.
 */
export function highlightHtml(html: string, pattern: RegExp | null): string {
  if (!pattern) return html;
  let out = '';
  let inLink = false;
  let inTitle = false;
  for (const part of html.split(/(<[^>]*>)/)) {
    if (part.startsWith('<')) {
      const tag = /^<(\/?)([a-z0-9]+)/i.exec(part);
      const name = tag?.[2]?.toLowerCase();
      if (name === 'a') inLink = tag?.[1] !== '/';
      if (name === 'h3') inTitle = tag?.[1] !== '/';
      out += part;
    } else if (part === '' || (inLink && !inTitle)) out += part;
    else out += markRuns(unescape(part), pattern, '<mark>', '</mark>', escape);
  }
  return out;
}
