/**
 * The first sentence of an abstract, for a mail too full for whole ones: up to the first full stop
 * that ends a sentence (not "e.g." or "Fig. 2"), at least `min` characters, at most `max`.
 * Returns null when that would be the whole text anyway.
 */
export function firstSentence(text: string, min = 60, max = 320): string | null {
  const end = /[。！？]|[.!?](?=\s+[A-Z(]|\s*$)/g;
  let cut = -1;
  for (let m = end.exec(text); m; m = end.exec(text)) {
    if (m.index + 1 >= min) {
      cut = m.index + 1;
      break;
    }
  }
  let sentence = cut > 0 ? text.slice(0, cut) : text;
  if ([...sentence].length > max) sentence = `${[...sentence].slice(0, max - 1).join('').trimEnd()}…`;
  else if (sentence.length < text.trim().length) sentence = `${sentence} …`;
  return sentence.trim() === text.trim() ? null : sentence;
}
