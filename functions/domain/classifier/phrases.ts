/**
 * Text as the keyword rules see it: lower case, every run of characters other than ASCII letters and
 * digits a single space, padded, so a phrase matches on word boundaries (`nerf` does not match
 * `nerfs`) with a plain substring search.
 */
export function phraseText(...parts: readonly (string | null | undefined)[]): string {
  const words = parts
    .filter((p): p is string => !!p)
    .join(' ')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return ` ${words} `;
}

/**
 * A rule's phrase is one to three words; a trailing `*` makes its last word a prefix, so
 * `segment*` matches `segment`, `segments` and `segmentation` (the publisher's keywords were
 * substrings, which is what lets one stem cover a word family).
 */
export function containsPhrase(text: string, phrase: string): boolean {
  return phrase.endsWith('*') ? text.includes(` ${phrase.slice(0, -1)}`) : text.includes(` ${phrase} `);
}

/** The distinct 1..maxN-word phrases of a text prepared by `phraseText`. */
export function phrasesOf(text: string, maxN = 3): Set<string> {
  const words = wordsOf(text);
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    let phrase = '';
    for (let n = 0; n < maxN && i + n < words.length; n++) {
      phrase = n === 0 ? (words[i] ?? '') : `${phrase} ${words[i + n]}`;
      out.add(phrase);
    }
  }
  return out;
}

export function wordsOf(text: string): string[] {
  return text.trim().split(' ').filter((w) => w !== '');
}
