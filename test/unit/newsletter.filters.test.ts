import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { Filters } from '../../functions/domain/filters/filter-terms.ts';
import { LANGS } from '../../functions/domain/language.ts';
import { papersOf, type Paper } from '../../functions/domain/model.ts';
import { editionFromJson, editionToJson } from '../../functions/domain/newsletter/edition.ts';
import { HTML_BUDGET_BYTES, personalise } from '../../functions/domain/newsletter/personalise.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { inTaxonomy } from '../../functions/domain/categories.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { hostileDigest } from '../support/hostile.ts';
import { compile, mimeFor, recipient } from '../support/newsletter.ts';

const DAY = '2024-03-04';
// In the taxonomy's order, as the mail lists the day.
const digest = inTaxonomy(parseDigest(fixtureBytes(DAY), `${DAY}.md`).digest);
const papers = papersOf(digest);
const filters = (f: Partial<Filters>): Filters => ({ include: [], exclude: [], authors: [], rest: 'categories', ...f });
const textOf = (p: Paper) => [p.titleEn, p.titleZh, p.abstractEn, p.abstractZh].join(' ');
/** The independent count: plain regular expressions over the parsed papers, not the filter code. */
const expected = (include: RegExp[], authors: string[], exclude: RegExp[]) =>
  papers.filter((p) => (include.some((re) => re.test(textOf(p))) || p.authors.some((a) => authors.includes(a))) && !exclude.some((re) => re.test(textOf(p))));
/** Papers in a mail, in order, by their arXiv links (a title links to its abstract page). */
const linked = (html: string) => [...html.matchAll(/<h3[^>]*><a href="https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1]);

describe('a mail with filters', () => {
  // An author of a paper the exclusion leaves in.
  const author = papers.find((p, i) => i >= 40 && !/\bvideo\b/i.test(textOf(p)))!.authors[0]!;
  const wanted = filters({ include: ['diffusion', 'point cloud', '高斯'], authors: [author], exclude: ['video'] });

  it('starts with exactly the matching papers, terms marked, and leaves them and the excluded out of the categories', async () => {
    const edition = await compile(digest);
    const result = personalise(edition, recipient({ filters: wanted }));
    if (!result.send) throw new Error('expected a mail');
    const want = expected([/\bdiffusion\b/i, /\bpoint[\s-]+cloud\b/i, /高斯/], [author], [/\bvideo\b/i]);
    expect(want.length).toBeGreaterThan(10);
    expect(result.message.matches).toBe(want.length);
    const html = result.message.html();
    const ids = linked(html);
    expect(ids.slice(0, want.length)).toEqual(want.map((p) => p.arxivId));
    expect(new Set(ids).size).toBe(ids.length);
    const excluded = papers.filter((p) => /\bvideo\b/i.test(textOf(p)));
    expect(excluded.length).toBeGreaterThan(0);
    for (const p of excluded) expect(ids).not.toContain(p.arxivId);
    expect(html.indexOf('id="matches"')).toBeLessThan(html.indexOf('id="c-'));
    expect(html).toMatch(/<mark>diffusion<\/mark>/i);
    expect(html).toContain(`<mark>${author}</mark>`);
    expect(html).toMatch(/Matches<\/span> · <span lang="zh-CN">匹配<\/span> <span class="m">\(\d+\)<\/span>/);
    expect(result.message.papers).toBe(papers.length - excluded.length);
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(result.message.htmlBytes).toBe(Buffer.byteLength(html));
    // The text part lists the same matches first.
    const text = result.message.text();
    expect(text.indexOf('=== Matches · 匹配')).toBeGreaterThan(0);
    expect(text.indexOf(want[0]!.absUrl.replace('http:', 'https:'))).toBeGreaterThan(text.indexOf('=== Matches'));
  });

  it('with "nothing more", is the matches alone; with nothing matching, is not sent', async () => {
    const edition = await compile(digest);
    const only = personalise(edition, recipient({ lang: 'en', filters: { ...wanted, rest: 'none' } }));
    if (!only.send) throw new Error('expected a mail');
    const html = only.message.html();
    expect(linked(html)).toHaveLength(only.message.matches);
    expect(only.message.papers).toBe(only.message.matches);
    expect(html).not.toContain('Contents');
    expect(only.message.abstracts.whole).toBe(only.message.matches);
    const none = personalise(edition, recipient({ filters: filters({ include: ['zebrafish'], rest: 'none' }) }));
    expect(none).toEqual({ send: false, reason: 'nothing-matches-the-filters' });
  });

  it('reads the same from the stored edition, and the wire bodies decode to the same HTML and text in every language', async () => {
    const edition = editionFromJson(editionToJson(await compile(digest)));
    for (const lang of LANGS) {
      const r = recipient({ lang, filters: wanted });
      const result = personalise(edition, r);
      if (!result.send) throw new Error('expected a mail');
      const mail = await simpleParser(mimeFor(result.message, r, DAY));
      expect(mail.html).toBe(result.message.html());
      expect(mail.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(result.message.text().trimEnd());
      expect(mail.html).not.toMatch(/%%pb:|pb:cat:|pb:p:/);
    }
  });

  it('keeps a broad match under the size budget, and a reader without filters gets no matches section', async () => {
    const edition = await compile(digest);
    const broad = personalise(edition, recipient({ filters: filters({ include: ['the', '的'] }) }));
    if (!broad.send) throw new Error('expected a mail');
    expect(broad.message.matches).toBeGreaterThan(papers.length * 0.9);
    expect(broad.message.htmlBytes).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    const plain = personalise(edition, recipient());
    if (!plain.send) throw new Error('expected a mail');
    expect(plain.message.html()).not.toContain('id="matches"');
    expect(plain.message.matches).toBe(0);
  });

  it('marks a match in hostile text without letting the text out of its escaping', async () => {
    const hostile = parseDigest(hostileDigest(), 'hostile.md').digest;
    const result = personalise(await compile(hostile), recipient({ filters: filters({ include: ['script', 'alert*', '中文'] }) }));
    if (!result.send) throw new Error('expected a mail');
    const html = result.message.html();
    expect(html).toContain('&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt;');
    expect(html).not.toMatch(/<script|<img src=x/i);
  });
});

describe('papers a reader was mailed before', () => {
  it('are listed under "Updated" at the end, not shown as new, or left out; a mail of nothing new is not sent', async () => {
    const edition = await compile(digest);
    const before = [papers[3]!, papers[50]!, papers[77]!];
    const seen = new Set(before.map((p) => p.arxivId));
    const result = personalise(edition, recipient({ seen }));
    if (!result.send) throw new Error('expected a mail');
    const html = result.message.html();
    const newOnes = linked(html);
    for (const p of before) expect(newOnes).not.toContain(p.arxivId);
    expect(result.message.papers).toBe(papers.length - 3);
    expect(result.message.updated).toBe(3);
    const updated = html.slice(html.indexOf('id="updated"'));
    expect([...updated.matchAll(/<li><a href="https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1])).toEqual(before.map((p) => p.arxivId));
    expect(html.indexOf('id="updated"')).toBeGreaterThan(html.lastIndexOf('<h3'));
    expect(result.message.text()).toContain('=== Updated · 已更新 ===');
    expect(result.message.newIds).not.toContain(before[0]!.arxivId);
    expect(result.message.newIds).toHaveLength(result.message.shownPapers);
    expect(Buffer.byteLength(html)).toBe(result.message.htmlBytes);

    const omitted = personalise(edition, recipient({ seen, repeats: 'omit' }));
    if (!omitted.send) throw new Error('expected a mail');
    expect(omitted.message.html()).not.toContain('id="updated"');
    expect(omitted.message.updated).toBe(0);
    expect(personalise(edition, recipient({ seen: new Set(papers.map((p) => p.arxivId)) }))).toEqual({ send: false, reason: 'nothing-new' });

    // With filters, a matching paper mailed before is in "Updated", not in the matches.
    const matching = personalise(edition, recipient({ lang: 'en', seen, filters: filters({ include: [before[0]!.titleEn.split(' ')[0]!.replace(/[^A-Za-z0-9]/g, '')], rest: 'none' }) }));
    if (matching.send) expect(linked(matching.message.html())).not.toContain(before[0]!.arxivId);
    const mail = await simpleParser(mimeFor(result.message, recipient({ seen }), DAY));
    expect(mail.html).toBe(html);
  });
});
