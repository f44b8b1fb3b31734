import type { Page } from 'playwright-core';

/**
 * Walks every visible text node of the page and compares its script with the nearest `lang`: text
 * with Chinese characters must sit under `zh…`, text with English words (and no Chinese) under
 * `en…`. Names every node that does not. Brand names and acronyms read the same in both languages.
 */
export async function mislabelledText(page: Page, root = 'body'): Promise<string[]> {
  return page.evaluate((selector) => {
    const NEUTRAL = new Set(['Paperboy', 'PDF', 'arXiv', 'cs', 'CV', 'RSS', 'Atom', 'JSON', 'OPML']);
    const out: string[] = [];
    const base = document.querySelector(selector);
    if (!base) return [`no ${selector}`];
    const walker = document.createTreeWalker(base, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, [aria-hidden="true"]')) continue;
      const text = (node.nodeValue ?? '').trim();
      if (!text) continue;
      const lang = (parent.closest('[lang]')?.getAttribute('lang') ?? '').toLowerCase();
      // lang="" says "unknown" on purpose: what a reader typed, mixing both languages in one box.
      if (parent.closest('[lang]')?.getAttribute('lang') === '') continue;
      const han = /\p{Script=Han}/u.test(text);
      const words = (text.replace(/https?:\/\/\S+|\S+@\S+/g, '').match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !NEUTRAL.has(w));
      if (han && !lang.startsWith('zh')) out.push(`"${text.slice(0, 60)}" is Chinese under lang="${lang}"`);
      else if (!han && words.length && !lang.startsWith('en')) out.push(`"${text.slice(0, 60)}" is English under lang="${lang}"`);
    }
    return out;
  }, root);
}
