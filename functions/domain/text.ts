/**
 * Text normalisation, applied once when a digest is parsed so every renderer sees the same text.
 * Zero-width characters come from the machine translation of Chinese fields; runs of spaces come
 * from arXiv's own line folding of titles.
 */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
// C0/C1 controls other than tab cannot appear in XML 1.0 or be shown to a reader; nor can
// Unicode noncharacters (U+FDD0–U+FDEF and the last two code points of every plane).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/g;
const WHITESPACE_RUN = /\s+/g;

export function normaliseText(raw: string): string {
  return raw.normalize('NFC').replace(ZERO_WIDTH, '').replace(CONTROL, '').replace(WHITESPACE_RUN, ' ').trim();
}

const CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/;

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}
