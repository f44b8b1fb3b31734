import { describe, expect, it } from 'vitest';
import type { Filters } from '../../functions/domain/filters/filter-terms.ts';
import { LANGS } from '../../functions/domain/language.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { editionFromJson, editionToJson } from '../../functions/domain/newsletter/edition.ts';
import { personalise, type PersonalMessage, type Recipient } from '../../functions/domain/newsletter/personalise.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { inTaxonomy } from '../../functions/domain/categories.ts';
import type { Digest } from '../../functions/domain/model.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { compile, recipient } from '../support/newsletter.ts';

/**
 * What a reader checks in a mail: each heading's count is what is listed under it (with what its
 * "more on the web" link holds), the contents add up to the papers the mail says it has, and the
 * text part numbers each section's papers 1..n with a blank line before each, as unfiltered
 * sections always had. Read from the rendered mail, not from the personaliser's figures.
 */
const DAY = '2024-03-04';
// In the taxonomy's order, as the mail lists the day.
const digest = inTaxonomy(parseDigest(fixtureBytes(DAY), `${DAY}.md`).digest);
const papers = papersOf(digest);
const filters = (f: Partial<Filters>): Filters => ({ include: [], exclude: [], authors: [], rest: 'categories', ...f });
const wanted = filters({ include: ['diffusion', 'point cloud', '高斯'], authors: [papers[40]!.authors[0]!], exclude: ['video'] });

/** Several days' papers as one edition, as a week's mail has them: more than fit one mail whole. */
function daysAsOne(days: readonly string[]): Digest {
  const digests = days.map((d) => parseDigest(fixtureBytes(d), `${d}.md`).digest);
  const sections = new Map<string, Digest['sections'][number]>();
  const ids = new Set<string>();
  for (const d of digests) {
    for (const s of d.sections) {
      const fresh = s.papers.filter((p) => !ids.has(p.arxivId) && ids.add(p.arxivId));
      const into = sections.get(s.category.slug);
      sections.set(s.category.slug, into ? { ...into, papers: [...into.papers, ...fresh] } : { ...s, papers: fresh });
    }
  }
  return { ...digests.at(-1)!, sections: [...sections.values()] };
}

function mail(edition: Awaited<ReturnType<typeof compile>>, r: Partial<Recipient>): PersonalMessage {
  const result = personalise(edition, recipient(r));
  if (!result.send) throw new Error(`expected a mail, got ${result.reason}`);
  return result.message;
}

/** The HTML's sections: each category heading's count, its papers (h3 titles) and its "N more on the web". */
function htmlSections(html: string) {
  return html.split('<h2 id="').slice(1).map((part) => {
    const id = part.slice(0, part.indexOf('"'));
    const count = /<span class="m">\((\d+)\)<\/span><\/h2>/.exec(part);
    const more = /(\d+) more on the web|另有 (\d+) 篇/.exec(part);
    return { id, count: count ? Number(count[1]) : null, listed: (part.match(/<h3/g) ?? []).length, more: more ? Number(more[1] ?? more[2]) : 0 };
  });
}

/** The contents entries: slug and count. */
const contents = (html: string) => [...html.matchAll(/<li><a href="#c-([a-z0-9-]+)">.*?<\/a> \((\d+)\)<\/li>/g)].map((m) => ({ slug: m[1]!, count: Number(m[2]) }));

/** The text part's numbered papers, in order, and whether a blank line comes before each. */
function textNumbers(text: string) {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => {
    const m = /^ *(\d+)\. \S/.exec(line);
    return m ? [{ n: Number(m[1]), blankBefore: lines[i - 1] === '' }] : [];
  });
}

/** Each text heading's count ("=== Label (n) ===") and the numbered papers under it. */
function textSections(text: string) {
  return text.split('\n=== ').slice(1).map((part) => {
    const head = /^(.*?) ===/s.exec(part)?.[1] ?? '';
    const count = /\((\d+)\)$/.exec(head);
    const more = /(\d+) more on the web|另有 (\d+) 篇/.exec(part);
    return { head, count: count ? Number(count[1]) : null, listed: textNumbers(part).length, more: more ? Number(more[1] ?? more[2]) : 0 };
  });
}

function expectConsistent(m: PersonalMessage, label: string) {
  const html = m.html();
  const sections = htmlSections(html).filter((s) => s.id.startsWith('c-'));
  expect(sections.length, label).toBeGreaterThan(0);
  for (const s of sections) expect(s.count, `${label} ${s.id}`).toBe(s.listed + s.more);
  const toc = contents(html);
  expect(toc.map((c) => `c-${c.slug}:${c.count}`), label).toEqual(sections.map((s) => `${s.id}:${s.count}`));
  // The papers the mail says it has: the contents' categories and the lists before them.
  expect(toc.reduce((n, c) => n + c.count, 0) + m.matches + m.forYou, label).toBe(m.papers);
  const text = m.text();
  const numbers = textNumbers(text);
  // Every paper listed is numbered: "Your library" (saved papers listed again), then those shown as new.
  const library = htmlSections(html).find((s) => s.id === 'your-library')?.listed ?? 0;
  expect(numbers.length, label).toBe(library + m.shownPapers);
  expect(numbers.filter((x) => !x.blankBefore), label).toEqual([]);
  // Each section numbers its papers 1..n, as an unfiltered section always did: no gap, no restart inside one.
  for (const s of text.split('\n=== ').slice(1)) {
    const head = s.slice(0, s.indexOf(' ==='));
    expect(textNumbers(s).map((x) => x.n), `${label} text ${head}`).toEqual(Array.from({ length: textNumbers(s).length }, (_, i) => i + 1));
  }
  for (const s of textSections(text).filter((s) => s.count !== null && !s.head.startsWith('Matches') && !s.head.startsWith('匹配'))) expect(s.count, `${label} text ${s.head}`).toBe(s.listed + s.more);
}

describe('counts and numbers in a mail', () => {
  it('with filters: every heading and contents entry counts what is listed, and each text section numbers 1..n with a blank line before each paper', async () => {
    const edition = editionFromJson(editionToJson(await compile(digest)));
    for (const lang of LANGS) {
      const m = mail(edition, { lang, filters: wanted });
      expect(m.matches).toBeGreaterThan(10);
      expectConsistent(m, `${lang} filters`);
      // The matches' own count is the papers under it.
      expect(htmlSections(m.html()).find((s) => s.id === 'matches')?.listed, lang).toBe(m.matches);
    }
    // A category the filters emptied of all but one paper says (1), as the mail lists it.
    const whole = new Map(digest.sections.map((s) => [s.category.slug, s.papers.length]));
    const shrunk = contents(mail(edition, { lang: 'en', filters: wanted }).html()).filter((c) => c.count < (whole.get(c.slug) ?? 0));
    expect(shrunk.length).toBeGreaterThan(0);
  });

  it('for a reader of some categories, with papers mailed before and saved papers re-listed, every section is numbered 1..n, "Your library" and the matches too', async () => {
    const edition = await compile(digest);
    const chosen = digest.sections.slice(2, 6).map((s) => s.category.slug);
    const inChosen = papers.filter((p) => chosen.includes(p.category));
    const seen = new Set(inChosen.slice(0, 3).map((p) => p.arxivId));
    const libraryChanges = new Map([[inChosen[5]!.arxivId, { version: 3, code: false, journal: null }]]);
    for (const lang of LANGS) {
      const m = mail(edition, { lang, categories: chosen, seen, libraryChanges, filters: filters({ include: ['diffusion'] }) });
      expect(m.updated, lang).toBe(3);
      expectConsistent(m, `${lang} some categories`);
      // Papers mailed before are listed under "Updated", unnumbered; each section counts 1..n.
      expect(m.text(), lang).toMatch(/=== (Updated|已更新|Updated · 已更新) ===/);
    }
    // Without anything left out, a chosen category's count is the whole day's.
    const plain = mail(edition, { lang: 'en', categories: chosen });
    expectConsistent(plain, 'plain');
    expect(contents(plain.html()).map((c) => c.count)).toEqual(digest.sections.slice(2, 6).map((s) => s.papers.length));
  });

  it('on a day too big for every paper, a heading counts the papers listed and those behind its "more on the web" link', async () => {
    const day = daysAsOne(['2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29', '2024-02-05', '2024-02-12', '2024-02-19', '2024-02-26', '2024-03-04']);
    const edition = await compile(day);
    const dayPapers = papersOf(day);
    for (const lang of LANGS) {
      const m = mail(edition, { lang, filters: filters({ include: [dayPapers[3]!.titleEn.split(' ')[0]!.replace(/[^A-Za-z0-9]/g, '')], exclude: [dayPapers[1]!.titleEn.split(' ')[0]!.replace(/[^A-Za-z0-9]/g, '')] }) });
      expect(m.shownPapers, lang).toBeLessThan(m.papers);
      expectConsistent(m, `${lang} busy`);
      const capped = htmlSections(m.html()).filter((s) => s.more > 0);
      expect(capped.length, lang).toBeGreaterThan(0);
      expect(m.html(), lang).not.toMatch(/\b0 more on the web|另有 0 篇/);
    }
  });
});
