/**
 * Plain-text wrapping for mail: 76 columns by default, counting East Asian wide characters as two
 * columns, breaking between Chinese characters as well as at spaces, never before closing punctuation
 * or after opening punctuation, and never inside a word or a URL (a longer one gets a line of its own).
 */

const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;
/** May not start a line (Chinese line-breaking rules, and their ASCII cousins). */
const NO_LINE_START = /^[，。、；：？！）》」』】〉’”…·,.;:!?)\]}%]$/u;
/** May not end a line. */
const NO_LINE_END = /^[（《「『【〈‘“(\[{]$/u;

export function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

interface Unit {
  text: string;
  /** A space stood before it in the source. */
  gap: boolean;
}

function unitsOf(text: string): Unit[] {
  const units: Unit[] = [];
  let word = '';
  let gap = false;
  let pendingGap = false;
  const flush = () => {
    if (word) units.push({ text: word, gap });
    word = '';
  };
  for (const ch of text) {
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      flush();
      pendingGap = true;
      continue;
    }
    const wide = WIDE.test(ch);
    const last = units[units.length - 1];
    if (NO_LINE_START.test(ch) && !word && last && !pendingGap) {
      last.text += ch; // closing punctuation rides with what it closes
      continue;
    }
    if (NO_LINE_START.test(ch) && word && wide) {
      word += ch; // …and with a Latin word it closes: "（BAVD）" never leaves "）" to start a line
      continue;
    }
    if (wide) {
      flush();
      const prev = units[units.length - 1];
      if (prev && NO_LINE_END.test([...prev.text].at(-1) ?? '') && !pendingGap) prev.text += ch;
      else units.push({ text: ch, gap: pendingGap });
      pendingGap = false;
      continue;
    }
    if (!word) {
      gap = pendingGap;
      pendingGap = false;
      const prev = units[units.length - 1];
      if (prev && !gap && NO_LINE_END.test([...prev.text].at(-1) ?? '')) {
        units.pop();
        word = prev.text;
        gap = prev.gap;
      }
    }
    word += ch;
  }
  flush();
  return units;
}

/** Wraps `text`: the first line starts with `first`, the rest with `rest` (a hanging indent). */
export function wrapText(text: string, first = '', rest = first, width = 76): string {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  let prefix = first;
  for (const unit of unitsOf(text)) {
    const w = columns(unit.text);
    const sep = line && unit.gap ? 1 : 0;
    if (line && columns(prefix) + used + sep + w > width) {
      lines.push(prefix + line);
      prefix = rest;
      line = unit.text;
      used = w;
    } else {
      line += (sep ? ' ' : '') + unit.text;
      used += sep + w;
    }
  }
  if (line) lines.push(prefix + line);
  return lines.join('\n');
}

/** `Label: URL` on one line when it fits, else the label and the URL each on a line of their own. */
export function labelledUrl(label: string, url: string, indent = '', width = 76): string {
  // A full-width colon carries its own space.
  const one = `${indent}${label}${label.endsWith('：') ? '' : ' '}${url}`;
  return columns(one) <= width ? one : `${indent}${label}\n${indent}${url}`;
}
