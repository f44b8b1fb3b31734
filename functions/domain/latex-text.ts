import { replace as latexToUnicode } from 'unicodeit';
import type { Digest, Paper } from './model.ts';

/**
 * arXiv titles and abstracts carry simple LaTeX (`Dr$^2$Net`, `LLaVA-$φ$`, `H\&E`, `\emph{x}`,
 * `Fr\'echet`). Readers see it rendered as Unicode text; the model keeps the text as published.
 * unicodeit (a maintained port of the LaTeX-to-Unicode tables) does the symbols, super- and
 * subscripts; around it, this module finds the math, unwraps text-style commands and accents, and
 * keeps any math it cannot turn into plain text exactly as written rather than half-converted.
 */

const TEXT_COMMANDS = /\\(?:text|textit|textbf|textrm|textsf|texttt|textsc|emph|mathrm|mathit|mathbf|mathsf|mathtt|boldsymbol|bm|operatorname)\{([^{}\\]*)\}/g;

// Combining marks for TeX's accent commands; NFC then composes é, ö, ç…
const ACCENTS: Record<string, string> = { "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307', c: '\u0327', v: '\u030C', u: '\u0306', H: '\u030B', k: '\u0328', r: '\u030A' };
const SYMBOL_ACCENT = /\{?\\(['`^"~=.])\s*\{?([A-Za-z])\}?\}?/g;
const LETTER_ACCENT = /\{?\\([cvuHkr])\{([A-Za-z])\}\}?/g;
const ESCAPED = /\\([&%_#{}$])/g;
const PLACEHOLDER_DOLLAR = '\uE000';
const PLACEHOLDER_MATH = '\uE001';

function accents(text: string): string {
  if (!text.includes('\\')) return text;
  return text
    .replace(SYMBOL_ACCENT, (_, accent: string, letter: string) => `${letter}${ACCENTS[accent] ?? ''}`)
    .replace(LETTER_ACCENT, (_, accent: string, letter: string) => `${letter}${ACCENTS[accent] ?? ''}`)
    .normalize('NFC');
}

/** Inline math as text, or null when some of it would not survive as plain text. */
function mathAsText(math: string): string | null {
  // "$100 and $200" is money, not math: TeX math does not start or end with a space.
  if (!math || /^\s|\s$/.test(math)) return null;
  let inner = math;
  // Unwrapped into a group: `^\text{box}` is a superscript of the whole word, not of its first letter.
  for (let i = 0; i < 3 && TEXT_COMMANDS.test(inner); i++) inner = inner.replace(TEXT_COMMANDS, '{$1}');
  inner = inner.replace(/\{\{([^{}]*)\}\}/g, '{$1}');
  // unicodeit has no superscript ring; a degree sign is what `^\circ` means in a title.
  inner = inner.replace(/\^\{?\\circ\}?/g, '°');
  // unicodeit turns a super- or subscript letter it has no glyph for back into a plain letter
  // (`^{box}` → "ᵇox"), which reads as a different word: such math stays as written.
  for (const [, group] of inner.matchAll(/[\^_](\{[^{}]*\}|[A-Za-z0-9])/g)) {
    if (/[A-Za-z0-9]/.test(latexToUnicode(`^${group}`).replace(/^\^/, '')) && /[A-Za-z0-9]/.test(latexToUnicode(`_${group}`).replace(/^_/, ''))) return null;
  }
  const out = latexToUnicode(inner).replace(/\{([^{}\\^_]*)\}/g, '$1');
  return /[\\{}^_]/.test(out) ? null : out;
}

/** What a reader sees of a title or an abstract: simple LaTeX as Unicode, anything else as written. */
export function readableText(text: string): string {
  if (!text.includes('$') && !text.includes('\\')) return text;
  const protectedDollars = text.replaceAll('\\$', PLACEHOLDER_DOLLAR);
  // Math that stays as written is kept out of the text-mode pass below, so it stays exactly so.
  const kept: string[] = [];
  const withMath = protectedDollars.replace(/\$([^$]+)\$/g, (whole, math: string) => {
    const shown = mathAsText(math.replaceAll(PLACEHOLDER_DOLLAR, '\\$'));
    if (shown !== null) return shown;
    kept.push(whole);
    return `${PLACEHOLDER_MATH}${kept.length - 1}${PLACEHOLDER_MATH}`;
  });
  const links = withMath.replace(/\\url\{([^{}\s]+)\}/g, '$1').replace(/\\href\{([^{}\s]+)\}\{([^{}]*)\}/g, (_, url: string, label: string) => (label === url || !label ? url : `${label} (${url})`));
  const outside = accents(links.replace(TEXT_COMMANDS, '$1')).replace(ESCAPED, '$1');
  return outside.replace(new RegExp(`${PLACEHOLDER_MATH}(\\d+)${PLACEHOLDER_MATH}`, 'g'), (_, i: string) => kept[Number(i)] ?? '').replaceAll(PLACEHOLDER_DOLLAR, '$');
}

function readablePaper(p: Paper): Paper {
  const title = readableText(p.titleEn);
  const titleZh = p.titleZh === null ? null : readableText(p.titleZh);
  const abstractEn = p.abstractEn === null ? null : readableText(p.abstractEn);
  const abstractZh = p.abstractZh === null ? null : readableText(p.abstractZh);
  const authors = p.authors.map(readableText);
  const same = title === p.titleEn && titleZh === p.titleZh && abstractEn === p.abstractEn && abstractZh === p.abstractZh && authors.every((a, i) => a === p.authors[i]);
  return same ? p : { ...p, titleEn: title, titleZh, abstractEn, abstractZh, authors };
}

/** The digest as feeds, pages and mail show it. The stored digest is never changed. */
export function readableDigest(digest: Digest): Digest {
  return { ...digest, sections: digest.sections.map((s) => ({ ...s, papers: s.papers.map(readablePaper) })) };
}
