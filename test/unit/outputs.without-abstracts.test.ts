import { describe, expect, it } from 'vitest';
import { LANGS } from '../../functions/domain/language.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { personalise } from '../../functions/domain/newsletter/personalise.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { buildSite } from '../../functions/app/publish/build-site.ts';
import { tableFixtureText } from '../support/fixtures.ts';
import { compile, recipient } from '../support/newsletter.ts';

/**
 * Table-format days carry no abstracts, and the earliest ones no Chinese titles: what a reader sees
 * must still read as finished, in English, Chinese and both.
 */
const days = ['2024-01-01', '2024-12-05'];
const digestOf = (day: string) => parseDigest(tableFixtureText(day), `${day}.md`).digest;

/** Marks of a template that met a missing value: the words, and blocks left empty. */
const LEFTOVERS = [/\bundefined\b/, /\bnull\b/, /\bNaN\b/, /<p[^>]*>\s*<\/p>/, /<strong>\s*<\/strong>/, /<details>\s*<summary>[^<]*<\/summary>\s*(<p[^>]*>\s*<\/p>)?\s*<\/details>/, /<h3[^>]*>\s*<\/h3>/];

function expectFinished(text: string, where: string): void {
  for (const mark of LEFTOVERS) expect(text, `${where}: ${mark}`).not.toMatch(mark);
}

describe('feeds, pages and mail of days without abstracts or Chinese titles', () => {
  it.each(days)('%s: every feed and page reads as finished', (day) => {
    const digest = digestOf(day);
    const files = buildSite({ baseUrl: 'https://paperboy.test', digests: [digest], days: [{ date: day, papers: papersOf(digest).length }] });
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      if (!/\.(xml|json|html|opml)$/.test(f.path)) continue;
      expectFinished(new TextDecoder().decode(typeof f.body === 'string' ? new TextEncoder().encode(f.body) : f.body), `${day} ${f.path}`);
    }
    const page = files.find((f) => f.path === `days/${day}.html`);
    const html = new TextDecoder().decode(typeof page?.body === 'string' ? new TextEncoder().encode(page.body) : page?.body);
    expect(html).not.toContain('<summary>Abstract</summary>');
    expect((html.match(/<article class="paper"/g) ?? []).length).toBe(papersOf(digest).length);
  });

  it.each(days)('%s: the mail in every language shows every paper with a title and no empty blocks', async (day) => {
    const digest = digestOf(day);
    const edition = await compile(digest);
    for (const lang of LANGS) {
      const result = personalise(edition, recipient({ lang, categories: 'all' }));
      expect(result.send).toBe(true);
      if (!result.send) continue;
      const html = result.message.html();
      const text = result.message.text();
      expectFinished(html, `${day} ${lang} html`);
      for (const word of [/\bundefined\b/, /\bnull\b/]) expect(text).not.toMatch(word);
      // Without a Chinese title the Chinese mail shows the English one: no paper goes untitled.
      for (const p of papersOf(digest).slice(0, 5)) {
        const shown = lang === 'zh' ? (p.titleZh ?? p.titleEn) : p.titleEn;
        expect(text).toContain(shown.slice(0, 30));
      }
    }
  });
});
