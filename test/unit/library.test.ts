import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-ris';
import '@citation-js/plugin-csl';
import { describe, expect, it } from 'vitest';
import { readActionPath } from '../../functions/domain/library/actions.ts';
import { libraryBibtex, libraryCslJson, libraryRis } from '../../functions/domain/library/exports.ts';
import { findArxivIds, uploadedFile } from '../../functions/domain/library/import-ids.ts';
import { entryOf, LIBRARY_LIMIT, refusePaper, removePaper, savePaper, savePapers, savedStillNeeded } from '../../functions/domain/library/library.ts';
import { rankingFromJson, rankingToJson } from '../../functions/domain/library/stored-ranking.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { trainReaderModel } from '../../functions/domain/ranking/reader-model.ts';
import { fixtureBytes } from '../support/fixtures.ts';

const DAY = '2024-02-26';
const papers = papersOf(parseDigest(fixtureBytes(DAY), `${DAY}.md`).digest);
const at = new Date('2024-02-27T08:00:00Z');

/** A Zotero export as Zotero writes arXiv papers: the id in eprint, url, DOI or note, depending on the item's origin. */
function zoteroBibtex(ids: readonly string[]): string {
  return ids
    .map((id, i) => {
      const fields = [
        `\ttitle = {{Paper} number ${i}},`,
        `\tauthor = {Doe, Jane and Roe, Richard},`,
        ['\teprint = {' + id + '},\n\tarchiveprefix = {arXiv},', `\turl = {http://arxiv.org/abs/${id}v2},`, `\tdoi = {10.48550/arXiv.${id}},`, `\tnote = {arXiv:${id} [cs]},`][i % 4],
        `\tyear = {2024},`,
      ];
      return `@misc{doe_paper_${i}_2024,\n${fields.join('\n')}\n}\n`;
    })
    .join('\n');
}

describe('importing a library', () => {
  it('finds every arXiv id of a Zotero BibTeX export wherever Zotero put it, and skips references without one', () => {
    const ids = papers.slice(0, 40).map((p) => p.arxivId);
    const journal = '@article{smith_2019,\n\ttitle = {A journal paper},\n\tjournal = {TPAMI},\n\tpages = {1234--1240},\n\tdoi = {10.1109/TPAMI.2019.1234567},\n}\n';
    const found = findArxivIds(`${zoteroBibtex(ids)}\n${journal}`);
    expect(ids.length).toBeGreaterThan(20);
    expect(found.ids).toEqual(ids);
    expect(found.references).toBe(ids.length + 1);
    expect(found.withoutId).toBe(1);
    expect(found.duplicates).toBe(0);
  });

  it('reads RIS, a pasted list of links and ids, and counts duplicates once', () => {
    const [a, b, c] = papers.map((p) => p.arxivId);
    const ris = `TY  - JOUR\nTI  - One\nUR  - https://arxiv.org/pdf/${a}v1\nER  - \nTY  - JOUR\nTI  - Two\nDO  - 10.48550/arXiv.${b}\nER  - \nTY  - BOOK\nTI  - A book\nER  - \n`;
    expect(findArxivIds(ris)).toEqual({ ids: [a, b], references: 3, withoutId: 1, duplicates: 0 });
    const pasted = `https://arxiv.org/abs/${a}\narXiv:${b}v3, ${c}.\n${a}\n`;
    expect(findArxivIds(pasted)).toEqual({ ids: [a, b, c], references: 3, withoutId: 0, duplicates: 1 });
  });

  it('finds nothing in hostile files: binary, page ranges and years that look like ids, a huge file', () => {
    const binary = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    expect(findArxivIds(binary).ids).toEqual([]);
    expect(findArxivIds('pages = {1999.2001}, volume = {0613.12345}, isbn 1234.56789').ids).toEqual([]);
    const huge = `@misc{x,\n note = {${'a'.repeat(2_000_000)} 2402.01234}\n}`;
    expect(findArxivIds(huge).ids).toEqual(['2402.01234']);
    expect(findArxivIds('@misc{broken, title = {no closing brace').ids).toEqual([]);
  });

  it('takes the file out of a browser upload (multipart/form-data)', () => {
    const boundary = '----WebKitFormBoundaryX';
    const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="do"\r\n\r\nimport\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="My Library.bib"\r\nContent-Type: application/x-bibtex\r\n\r\n@misc{a, eprint = {2402.01234}}\r\n--${boundary}--\r\n`);
    expect(uploadedFile(body, `multipart/form-data; boundary=${boundary}`, 'file')).toEqual({ name: 'My Library.bib', text: '@misc{a, eprint = {2402.01234}}' });
    expect(uploadedFile(body, 'multipart/form-data', 'file')).toBeNull();
  });

  it('saves many at once, newest first, skipping what is there and stopping at the limit', () => {
    const entries = papers.slice(0, 5).map((p) => entryOf(p, DAY, at));
    const first = savePapers(null, 'r@example.com', entries.slice(0, 3), at);
    expect(first.added).toBe(3);
    const second = savePapers(first.next, 'r@example.com', entries, at);
    expect([second.added, second.already, second.full]).toEqual([2, 3, 0]);
    expect(second.next.saved.map((e) => e.id)).toEqual([...entries.slice(3), ...entries.slice(0, 3)].map((e) => e.id));
    const many = Array.from({ length: LIBRARY_LIMIT + 5 }, (_, i) => ({ ...entries[0]!, id: `2402.${String(10000 + i)}` }));
    expect(savePapers(null, 'r@example.com', many, at).full).toBe(5);
  });
});

describe('a library', () => {
  it('saves, refuses, removes, and says how many more papers "For you" needs', () => {
    const [a, b] = papers.map((p) => entryOf(p, DAY, at));
    let lib = savePaper(null, 'r@example.com', a!, at).next;
    expect(savedStillNeeded(lib)).toBe(2);
    expect(savePaper(lib, 'r@example.com', a!, at).outcome).toBe('already-saved');
    lib = refusePaper(lib, 'r@example.com', b!, at).next;
    // Saving a refused paper takes it off the refusals.
    lib = savePaper(lib, 'r@example.com', b!, at).next;
    expect(lib.notForMe).toEqual([]);
    expect(removePaper(lib, 'r@example.com', a!.id, at).next.saved.map((e) => e.id)).toEqual([b!.id]);
    expect(removePaper(lib, 'r@example.com', '2402.99999', at).outcome).toBe('not-there');
  });

  it('exports BibTeX that a BibTeX parser reads back whole, hostile titles and abstracts included', () => {
    const hostile = { ...entryOf(papers[0]!, DAY, at), title: 'Evil } @misc{x, title={pwned} % \\input{/etc/passwd}', abstract: 'Costs $100 & 50% of {everything}_2' };
    const lib = savePapers(null, 'r@example.com', [hostile, ...papers.slice(1, 4).map((p) => entryOf(p, DAY, at))], at).next;
    const parsed = parseBibtex(libraryBibtex(lib), { english: false });
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries).toHaveLength(4);
    expect(parsed.entries.map((e) => e.fields.eprint)).toEqual(lib.saved.map((e) => e.id));
    expect(parsed.entries[0]!.fields.title).toContain('Evil } @misc{x, title={pwned}');
    expect(parsed.entries[0]!.fields.abstract).toContain('Costs $100 & 50% of {everything}_2');
  });

  // What Zotero, Mendeley and citeproc-js would read, through Citation.js's RIS and CSL readers (citeproc-js formats the CSL).
  const hostileLibrary = () => {
    const hostile = { ...entryOf(papers[0]!, DAY, at), title: 'Evil\r\nER  - \r\nTY  - JOUR\r\nTI  - forged', authors: ['Ada Lovelace', 'Plato', 'Jean-Luc  van der Berg\u2028AU  - Forged'], abstract: 'Line one\nAB  - line two "quoted" </script>', journalRef: 'CVPR 2024' };
    return savePapers(null, 'r@example.com', [hostile, ...papers.slice(1, 4).map((p) => entryOf(p, DAY, at))], at).next;
  };

  it('exports RIS that a RIS reader reads back whole: one record a paper, hostile line breaks kept inside their field', async () => {
    const lib = hostileLibrary();
    const items = (await Cite.async(libraryRis(lib))).data as { title: string; author: { family?: string; given?: string; literal?: string }[]; DOI: string; URL: string; abstract?: string; issued: { 'date-parts': number[][] } }[];
    expect(items).toHaveLength(4);
    expect(items.map((i) => i.DOI)).toEqual(lib.saved.map((e) => `10.48550/arXiv.${e.id}`));
    expect(items.map((i) => i.URL)).toEqual(lib.saved.map((e) => `https://arxiv.org/abs/${e.id}`));
    expect(items[0]!.title).toBe('Evil ER - TY - JOUR TI - forged');
    expect(items[0]!.author).toEqual([{ family: 'Lovelace', given: 'Ada' }, { family: 'Plato' }, { family: 'Forged', given: 'Jean-Luc van der Berg AU -' }]);
    expect(items[0]!.abstract).toBe('Line one AB - line two "quoted" </script>');
    expect(items[1]!.title).toBe(lib.saved[1]!.title);
    expect(items[1]!.issued['date-parts'][0]![0]).toBe(Number(`20${lib.saved[1]!.id.slice(0, 2)}`));
  });

  it('exports CSL-JSON that citeproc-js formats: every paper in the bibliography, names split, hostile text as text', () => {
    const lib = hostileLibrary();
    const cite = new Cite(libraryCslJson(lib));
    const items = cite.data as { title: string; author: { family?: string; given?: string; literal?: string }[]; note?: string }[];
    expect(items.map((i) => i.title)).toEqual(lib.saved.map((e) => e.title));
    expect(items[0]!.author[0]).toEqual({ family: 'Lovelace', given: 'Ada' });
    expect(items[0]!.note).toBe('Journal reference: CVPR 2024');
    const bibliography = cite.format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' }) as string;
    for (const e of lib.saved.slice(1)) expect(bibliography).toContain(`https://doi.org/10.48550/arXiv.${e.id}`);
    expect(bibliography).toContain('Lovelace, A.');
  });

  it('stores a trained model in under 10 KB and reads it back the same, and refuses one it cannot read', () => {
    const input = papers.map((p) => ({ id: p.arxivId, title: p.titleEn, abstract: p.abstractEn, authors: p.authors }));
    const model = trainReaderModel({ saved: input.slice(0, 20), notForMe: [], passedOver: input.slice(20) })!;
    const json = rankingToJson({ model, size: 10, saved: 20 });
    expect(Buffer.byteLength(json)).toBeLessThan(10 * 1024 * 1.4);
    expect(rankingFromJson(json)).toEqual({ model, size: 10, saved: 20 });
    expect(rankingFromJson('{"v":2}')).toBeNull();
    expect(rankingFromJson('not json')).toBeNull();
  });

  it('reads a save link\'s path, and nothing else', () => {
    expect(readActionPath('/p/AbCdEfGhIjKlMnOp/2402.01234')).toEqual({ key: 'AbCdEfGhIjKlMnOp', arxivId: '2402.01234', action: 'save' });
    expect(readActionPath('/p/AbCdEfGhIjKlMnOp/2402.01234/no')).toEqual({ key: 'AbCdEfGhIjKlMnOp', arxivId: '2402.01234', action: 'not-for-me' });
    for (const bad of ['/p/short/2402.01234', '/p/AbCdEfGhIjKlMnOp/../etc', '/p/AbCdEfGhIjKlMnOp/2402.01234/yes', '/p/AbCdEfGhIjKlMnOp%2F/2402.01234']) expect(readActionPath(bad), bad).toBeNull();
  });
});

describe('"Your library" in the mail', () => {
  it('tells a saved paper listed again with a new version or a code link once, at the top, and lists it nowhere else', async () => {
    const { compile, recipient } = await import('../support/newsletter.ts');
    const { libraryChangesOf } = await import('../../functions/app/newsletter/for-you.ts');
    const { personalise } = await import('../../functions/domain/newsletter/personalise.ts');
    const day = parseDigest(fixtureBytes('2024-03-04'), '2024-03-04.md').digest;
    const listed = papersOf(day);
    const edition = await compile(day);
    // Saved at the version before this listing, without the code link it now has.
    const relisted = listed.find((p) => p.version !== null && p.version > 1 && p.codeUrl)!;
    expect(relisted).toBeDefined();
    const unchanged = listed.find((p) => p !== relisted && p.version !== null)!;
    const library = [
      { id: relisted.arxivId, v: relisted.version! - 1, c: false },
      { id: unchanged.arxivId, v: unchanged.version, c: unchanged.codeUrl !== null },
    ];
    const changes = libraryChangesOf(edition, { model: null, size: 10, saved: 2, library });
    expect([...changes]).toEqual([[relisted.arxivId, { version: relisted.version, code: true, journal: null }]]);
    const result = personalise(edition, recipient({ lang: 'en', libraryChanges: changes }));
    if (!result.send) throw new Error('expected a mail');
    const html = result.message.html();
    const section = html.slice(html.indexOf('id="your-library"'), html.indexOf('<h2', html.indexOf('id="your-library"') + 10));
    expect(section).toContain(`arxiv.org/abs/${relisted.arxivId}`);
    expect(section).toContain(`new version v${relisted.version}; now with code`);
    expect(html.split(`arxiv.org/abs/${relisted.arxivId}`).length - 1).toBe(1);
    expect(result.message.text()).toContain('=== Your library ===');
    // A reader without changes gets no such section.
    const plain = personalise(edition, recipient({ lang: 'en' }));
    expect(plain.send && plain.message.html()).not.toContain('id="your-library"');
  });

  it("tells a saved paper's new journal reference once it has one (issue 34.5), escaped, in every language; a paper saved with it is not news", async () => {
    const { compile, recipient } = await import('../support/newsletter.ts');
    const { libraryChangesOf } = await import('../../functions/app/newsletter/for-you.ts');
    const { personalise } = await import('../../functions/domain/newsletter/personalise.ts');
    const { applyEnrichment, emptyEnrichment, keyOf } = await import('../../functions/domain/enrichment.ts');
    const parsed = parseDigest(fixtureBytes('2024-03-04'), '2024-03-04.md').digest;
    const target = papersOf(parsed).find((p) => p.version !== null)!;
    // The journal reference comes with the arXiv API's metadata of the listed version (the abstracts step); it is untrusted text.
    const ref = 'CVPR 2024 <script>alert(1)</script> & {{unsubscribe}}';
    const day = applyEnrichment(parsed, { ...emptyEnrichment('2024-03-04'), papers: { [keyOf(target)]: { journalRef: ref } } });
    const edition = await compile(day);
    expect(edition.papers.find((p) => p.arxivId === target.arxivId)?.journalRef).toBe(ref);
    const mark = { id: target.arxivId, v: target.version, c: target.codeUrl !== null };
    const changes = libraryChangesOf(edition, { model: null, size: 10, saved: 1, library: [mark] });
    expect([...changes]).toEqual([[target.arxivId, { version: null, code: false, journal: ref }]]);
    for (const [lang, word] of [['en', 'published'], ['zh', '已发表'], ['bi', 'published · 已发表']] as const) {
      const result = personalise(edition, recipient({ lang, libraryChanges: changes }));
      if (!result.send) throw new Error('expected a mail');
      const html = result.message.html();
      const section = html.slice(html.indexOf('id="your-library"'), html.indexOf('<h2', html.indexOf('id="your-library"') + 10));
      expect(section, lang).toContain(`${word}: CVPR 2024 &lt;script&gt;alert(1)&lt;/script&gt; &amp; `);
      expect(html, lang).not.toContain('<script>alert(1)');
      expect(result.message.text(), lang).toContain(`${word}: CVPR 2024 <script>alert(1)</script> & `);
    }
    // Saved when it already had the reference: nothing to tell.
    expect(libraryChangesOf(edition, { model: null, size: 10, saved: 1, library: [{ ...mark, j: true }] }).size).toBe(0);
  });
});

describe('"For you" in the mail', () => {
  it('never recommends a paper the reader was mailed before, even one outside their categories (a re-listing)', async () => {
    const { compile, recipient } = await import('../support/newsletter.ts');
    const { personalise } = await import('../../functions/domain/newsletter/personalise.ts');
    const day = parseDigest(fixtureBytes('2024-03-04'), '2024-03-04.md').digest;
    const listed = papersOf(day);
    const edition = await compile(day);
    const mine = day.sections[0]!.category.slug;
    // The model's favourite is in another category, and was mailed to this reader (recommended) last week.
    const elsewhere = listed.filter((p) => p.category !== mine);
    const ranked = elsewhere.slice(0, 6).map((p) => p.arxivId);
    const forYou = { ranked, size: 3, reasons: (ids: readonly string[]) => new Map(ids.map((id) => [id, 'A saved paper'])) };
    const forYouIds = (html: string) => {
      const section = html.slice(html.indexOf('id="for-you"'), html.indexOf('<h2', html.indexOf('id="for-you"') + 10));
      return [...section.matchAll(/<h3[^>]*><a href="https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1]);
    };
    const fresh = personalise(edition, recipient({ lang: 'en', categories: [mine], forYou }));
    const again = personalise(edition, recipient({ lang: 'en', categories: [mine], forYou, seen: new Set([ranked[0]!]) }));
    if (!fresh.send || !again.send) throw new Error('expected mails');
    expect(forYouIds(fresh.message.html())).toEqual(ranked.slice(0, 3));
    expect(forYouIds(again.message.html())).toEqual(ranked.slice(1, 4));
    expect(again.message.newIds).not.toContain(ranked[0]);
    expect(again.message.html()).not.toContain(`arxiv.org/abs/${ranked[0]}`);
  });
});
