import { cleanChineseTitle } from './chinese-title.ts';
import { normaliseText } from './text.ts';

/** Field readers shared by both digest formats, so a title or a link means the same thing in each. */

const ARXIV_ID = /(?:abs|pdf)\/(\d{4}\.\d{4,5})(?:v(\d+))?(?:\.pdf)?\/?$/;
const HTTP_URL = /^https?:\/\/[^\s<>"]+$/i;
const FIRST_URL = /https?:\/\/[^\s<>"*\])]+/i;
// No leading \s*: on a long run of spaces that would backtrack quadratically.
const LINE_BREAK_TAIL = /<br\s*\/?>\s*$/i;

/** `<url>`, `[label](url)` or a bare URL; `null` when none is there. */
export function extractUrl(value: string): string | null {
  const v = value.trim();
  let candidate = v;
  if (v.startsWith('<') && v.endsWith('>')) candidate = v.slice(1, -1);
  else {
    const md = /^\[[^\]]*\]\(([^()\s]+)\)$/.exec(v);
    if (md?.[1]) candidate = md[1];
  }
  candidate = candidate.trim();
  return HTTP_URL.test(candidate) ? candidate : null;
}

export type ArxivLink = { readonly url: string; readonly arxivId: string; readonly version: number | null };

/** Reads an arXiv abs/PDF link, or says what is wrong with it. */
export function readArxivLink(value: string): ArxivLink | { readonly error: string } {
  const url = extractUrl(value);
  if (!url) return { error: `no link in ${quote(value)}` };
  const id = ARXIV_ID.exec(url);
  if (!id) return { error: `no arXiv id in ${quote(url)}` };
  // The publisher wrote http:// links; arXiv answers them with a redirect to https, and a reader's
  // browser or feed reader may warn on the plain one. Paper ids in feeds are tag URIs, so no id changes.
  return { url: url.replace(/^http:\/\/(?:www\.)?arxiv\.org\//i, 'https://arxiv.org/'), arxivId: id[1] ?? '', version: id[2] === undefined ? null : Number.parseInt(id[2], 10) };
}

/** A code field: `null`/`None`/empty → no link; otherwise the first link it holds, or a warning text. */
export function readCodeLink(value: string): { readonly url: string | null; readonly warning?: string } {
  const v = value.replace(/^\*+|\*+$/g, '').trim();
  if (v === '' || /^(null|none)$/i.test(v)) return { url: null };
  // Beyond the usual forms, take the first http(s) link in the field (e.g. several links in a row).
  const url = extractUrl(v) ?? FIRST_URL.exec(v)?.[0] ?? null;
  if (!url) return { url: null, warning: `not a link: ${quote(v)}` };
  const cleaned = cleanCodeUrl(url);
  return cleaned ? { url: cleaned } : { url: null, warning: `not a usable link: ${quote(v)}` };
}

/** Closing marks that end a URL only when the URL also holds the opening one. */
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * A code link as a reader can open it. The table format writes links such as
 * `<https://github.com/x/y.>` (the sentence's period inside the brackets): 64% of its code links
 * ended in punctuation and answered 404. Trailing sentence punctuation goes (a closing bracket only
 * when the URL holds no opening one), a doubled scheme becomes one, a trailing `.git` goes from a
 * repository host (its page is the link), and only an http(s) URL with a dotted host is kept.
 */
export function cleanCodeUrl(raw: string): string | null {
  let url = raw.trim().replace(/^(?:https?:\/\/)+(?=https?:\/\/)/i, '').replace(/^(https?):\/\/(?:https?:?\/\/)+/i, '$1://');
  for (;;) {
    const last = url.at(-1) ?? '';
    if (/[.,;:!?'">*]/.test(last)) url = url.slice(0, -1);
    else if (PAIRS[last] && !url.includes(PAIRS[last] ?? '')) url = url.slice(0, -1);
    else break;
  }
  if (/^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\//i.test(url)) url = url.replace(/\.git$/i, '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(parsed.hostname)) return null;
  // A scheme with one slash (`https:/github.com/…`) parses; the link is written out whole.
  return /^https?:\/\/[^/]/i.test(url) ? url : parsed.href;
}

/** Comma-separated names; a trailing `et.al.` marks a list the publisher cut. */
export function readAuthors(value: string): { readonly authors: string[]; readonly truncated: boolean } {
  const authors = value
    .split(',')
    .map(normaliseText)
    .filter((a) => a !== '');
  const last = authors[authors.length - 1];
  if (last !== undefined && /^et\.?\s*al\.?$/i.test(last)) {
    authors.pop();
    return { authors, truncated: true };
  }
  return { authors, truncated: false };
}

export function readChineseTitle(value: string): { readonly raw: string | null; readonly clean: string | null } {
  const raw = normaliseText(value) || null;
  return { raw, clean: raw === null ? null : cleanChineseTitle(raw) };
}

export function absUrlOf(arxivId: string, version: number | null): string {
  return `https://arxiv.org/abs/${arxivId}${version === null ? '' : `v${version}`}`;
}

export function unwrapBold(value: string): string {
  const v = value.trim();
  if (v.length >= 4 && v.startsWith('**') && v.endsWith('**')) return v.slice(2, -2);
  return v;
}

export function stripBreak(value: string): string {
  return value.replace(LINE_BREAK_TAIL, '').trimEnd();
}

export function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return JSON.stringify(short);
}

export function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso);
}
