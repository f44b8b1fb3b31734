import { hasCjk } from './text.ts';

// The translator sometimes echoed its instructions: "…English tail  中文翻译：<title>".
const CHATTER = /(?:^|\s)(?:中文翻译|翻译结果|中文标题|翻译|标题)\s*[：:]\s*/g;
const WRAPPERS: ReadonlyArray<readonly [string, string]> = [
  ['**', '**'],
  ['"', '"'],
  ['“', '”'],
  ['「', '」'],
  ['《', '》'],
  ["'", "'"],
];

/**
 * Cleans a machine-translated Chinese title. Returns `null` when what is left is not a usable
 * Chinese title (empty, `ERROR`, or no Chinese at all), so renderers fall back to English.
 */
export function cleanChineseTitle(normalised: string): string | null {
  let text = normalised;
  let last = -1;
  for (const m of text.matchAll(CHATTER)) last = m.index + m[0].length;
  if (last >= 0) text = text.slice(last);
  for (let changed = true; changed; ) {
    changed = false;
    text = text.trim();
    for (const [open, close] of WRAPPERS) {
      if (text.length > open.length + close.length && text.startsWith(open) && text.endsWith(close)) {
        text = text.slice(open.length, text.length - close.length);
        changed = true;
      }
    }
  }
  if (!text || /^error$/i.test(text) || !hasCjk(text)) return null;
  return text;
}
