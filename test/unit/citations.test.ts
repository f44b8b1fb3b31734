import { parse } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { bibEntries, dayBibtex } from '../../functions/domain/citations/bibtex.ts';
import { coinsContext } from '../../functions/domain/citations/coins.ts';
import { readableDigest } from '../../functions/domain/latex-text.ts';
import { papersOf, type Digest, type Paper } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { fixtureBytes, fixtureDays } from '../support/fixtures.ts';
import { HOSTILE_AUTHOR, HOSTILE_TITLE_SHOWN, hostileDigest } from '../support/hostile.ts';

const day = (d: string) => readableDigest(parseDigest(fixtureBytes(d), `${d}.md`).digest);
const distinct = (digest: Digest): Paper[] => [...new Map(papersOf(digest).map((p) => [p.arxivId, p])).values()];

function parseBib(text: string) {
  // The parser sentence-cases English titles the way Zotero stores them; the text is what is checked here.
  const result = parse(text, { english: false });
  expect(result.errors).toEqual([]);
  return result.entries;
}

/** What a reference manager shows for a name list, whatever way the parser split each name. */
const nameOf = (a: { firstName?: string; prefix?: string; lastName?: string; suffix?: string; name?: string }) =>
  [a.firstName, a.prefix, a.lastName, a.suffix, a.name].filter(Boolean).join(' ');

describe('a day\'s BibTeX, read by a real BibTeX parser', () => {
  it.each(fixtureDays().slice(-6))('%s: one arXiv-style entry per paper, titles and authors as the page shows them', (d) => {
    const digest = day(d);
    const entries = parseBib(dayBibtex(digest));
    const papers = distinct(digest);
    expect(entries.map((e) => e.fields.eprint)).toEqual(papers.map((p) => p.arxivId));
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    entries.forEach((e, i) => {
      const p = papers[i]!;
      expect(e.type).toBe('misc');
      expect(e.fields.title).toBe(p.titleEn.replace(/\s+/g, ' ').trim());
      expect(e.fields.archiveprefix).toBe('arXiv');
      expect(e.fields.primaryclass).toBe('cs.CV');
      expect(e.fields.url).toBe(`https://arxiv.org/abs/${p.arxivId}`);
      expect(e.fields.year).toBe(`20${p.arxivId.slice(0, 2)}`);
      const authors = (e.fields.author as { lastName?: string }[]).map(nameOf);
      expect(authors).toEqual([...p.authors, ...(p.authorsTruncated ? ['others'] : [])]);
    });
  });

  it('keys are the same on every rebuild and read as arXiv export keys (name, year, first word)', () => {
    const digest = day(fixtureDays().at(-1)!);
    const a = [...bibEntries(digest).values()].map((e) => e.key);
    const b = [...bibEntries(day(fixtureDays().at(-1)!)).values()].map((e) => e.key);
    expect(a).toEqual(b);
    for (const key of a) expect(key).toMatch(/^[a-z0-9]+20\d\d[a-z0-9]*$/);
  });

  it('two papers that would share a key get a and b, in arXiv-id order', () => {
    const base = day(fixtureDays().at(-1)!);
    const p = base.sections[0]!.papers[0]!;
    const twin = { ...p, arxivId: `${p.arxivId.slice(0, 5)}99999`.slice(0, p.arxivId.length), titleZh: null };
    const digest: Digest = { ...base, sections: [{ ...base.sections[0]!, papers: [p, twin] }] };
    const keys = [...bibEntries(digest).values()].map((e) => e.key);
    expect(keys[0]!.slice(0, -1)).toBe(keys[1]!.slice(0, -1));
    expect(keys.map((k) => k.slice(-1)).sort()).toEqual(['a', 'b']);
  });

  it('hostile titles and names stay text: every LaTeX special character escaped, nothing breaks out of its field', () => {
    const nasty = '}, author = {Mallory}, note = {\\input{/etc/passwd}} 50% #1 & a_b ^ ~ $x$ {{';
    const digest = parseDigest(Buffer.from(hostileDigest()), 'hostile.md').digest;
    const shown = readableDigest(digest);
    const first = shown.sections[0]!.papers[0]!;
    const evil: Digest = {
      ...shown,
      sections: [{ ...shown.sections[0]!, papers: [first, { ...first, arxivId: '2412.00003', titleEn: nasty, authors: ['Tom and Jerry', '\\relax{} O\'Brien', '李 四'] }] }],
    };
    const entries = parseBib(dayBibtex(evil));
    expect(entries).toHaveLength(2);
    expect(entries[0]!.fields.title).toBe(HOSTILE_TITLE_SHOWN.replace(/[\u0000-\u001F]+/g, ' ').replace(/\s+/g, ' ').trim());
    expect((entries[0]!.fields.author as object[]).map(nameOf)[0]).toBe(HOSTILE_AUTHOR);
    expect(entries[1]!.fields.title).toBe(nasty);
    expect(Object.keys(entries[1]!.fields).sort()).toEqual(['archiveprefix', 'author', 'eprint', 'primaryclass', 'title', 'url', 'year']);
    expect((entries[1]!.fields.author as object[]).map(nameOf)).toEqual(['Tom and Jerry', '\\relax{} O\'Brien', '李 四']);
  });
});

/**
 * OpenURL 1.0's KEV format is application/x-www-form-urlencoded key=value pairs (Z39.88-2004 part 2);
 * the WHATWG URLSearchParams parser is such a parser. No KEV-specific parser is published on npm.
 */
describe('COinS ContextObjects', () => {
  it('carry what Zotero\'s COinS translator reads for a preprint: title, every author, year, arXiv id', () => {
    const digest = day(fixtureDays().at(-1)!);
    for (const p of distinct(digest)) {
      const kev = new URLSearchParams(coinsContext(p));
      expect(kev.get('ctx_ver')).toBe('Z39.88-2004');
      expect(kev.get('rft_val_fmt')).toBe('info:ofi/fmt:kev:mtx:journal');
      expect(kev.get('rft.genre')).toBe('preprint');
      expect(kev.get('rft.atitle')).toBe(p.titleEn);
      expect(kev.getAll('rft.au')).toEqual(p.authors);
      expect(kev.get('rft.date')).toBe(`20${p.arxivId.slice(0, 2)}`);
      expect(kev.getAll('rft_id')).toEqual([`info:arxiv/${p.arxivId}`, `https://arxiv.org/abs/${p.arxivId}`]);
    }
  });

  it('hostile titles and names come back exactly, with no extra keys', () => {
    const p = readableDigest(parseDigest(Buffer.from(hostileDigest()), 'hostile.md').digest).sections[0]!.papers[0]!;
    const evil = { ...p, titleEn: `${p.titleEn}&rft.atitle=forged=1+2%20%ZZ`, authors: [...p.authors, 'a&rft_id=x'] };
    const kev = new URLSearchParams(coinsContext(evil));
    expect(kev.getAll('rft.atitle')).toEqual([evil.titleEn]);
    expect(kev.getAll('rft.au')).toEqual(evil.authors);
    expect(kev.getAll('rft_id')).toHaveLength(2);
  });
});
