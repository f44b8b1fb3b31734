/**
 * The form text is compared in: compatibility forms folded (full-width ＮｅＲＦ → NeRF, ① → 1),
 * accents dropped (Schölkopf → Scholkopf), lower case. Done per code point so that every folded
 * unit knows where it came from: a match in folded text is highlighted in the original.
 */
export interface Folded {
  readonly text: string;
  /** For a UTF-16 index of `text` (or its length), the index in the original where that code point starts. */
  readonly from: (index: number) => number;
}

const MARKS = /\p{M}/gu;
const ASCII_PLAIN = /^[\x20-\x7e\n\t\r]*$/;

function foldChar(ch: string): string {
  if (ch === '\u2019' || ch === '\u2018') return "'";
  return ch.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

export function foldText(text: string): string {
  // Most abstracts are plain ASCII: lower-casing is all the folding they need.
  if (ASCII_PLAIN.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}

export function foldWithMap(text: string): Folded {
  // Plain ASCII folds to the same length: every index maps to itself.
  if (ASCII_PLAIN.test(text)) return { text: text.toLowerCase(), from: (i) => i };
  const from: number[] = [];
  let out = '';
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) from.push(i);
    out += f;
    i += ch.length;
  }
  from.push(i);
  return { text: out, from: (k) => from[k] ?? i };
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Text written without spaces between words: matched as a substring, not on word boundaries. */
export const hasCjk = (text: string) => CJK.test(text);
