import { describe, expect, it } from 'vitest';
import { formatTerms, readFilterField, readFilters, FILTER_LIMITS } from '../../functions/domain/filters/filter-terms.ts';
import { foldText } from '../../functions/domain/filters/fold.ts';
import { MarkablePaper } from '../../functions/domain/filters/highlight-html.ts';
import { PaperIndex, selectPapers, TERM_CACHE_LIMIT, type MatchablePaper } from '../../functions/domain/filters/match-papers.ts';
import { BoundedMap } from '../../functions/domain/bounded-map.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { fixtureText } from '../support/fixtures.ts';

const paper = (over: Partial<MatchablePaper>): MatchablePaper => ({ titleEn: '', titleZh: null, abstractEn: null, abstractZh: null, authors: [], ...over });
const terms = (raw: string, field: 'include' | 'exclude' | 'authors' = 'include') => {
  const r = readFilterField(raw, field);
  if (!r.ok) throw new Error(r.error);
  return r.terms;
};
const only = (f: Partial<Parameters<typeof selectPapers>[1]>) => ({ include: [], exclude: [], authors: [], rest: 'categories' as const, ...f });

describe('filter terms as a reader types them', () => {
  it('split at commas, semicolons, new lines and spaces; quotes keep a phrase; full-width forms fold', () => {
    expect(terms('NeRF, "image segmentation"; diffusion\n高斯泼溅')).toEqual(['NeRF', 'image segmentation', 'diffusion', '高斯泼溅']);
    expect(terms('ＮｅＲＦ，“扩散 模型”、3D')).toEqual(['NeRF', '扩散 模型', '3D']);
    expect(terms('nerf NeRF')).toEqual(['nerf']);
    expect(terms('Kaiming He; Schölkopf, Bernhard\nFei-Fei Li', 'authors')).toEqual(['Kaiming He', 'Schölkopf', 'Bernhard', 'Fei-Fei Li']);
  });

  it('come back in their box as the same terms', () => {
    const typed = terms('"gaussian splatting", nerf*, 扩散');
    expect(formatTerms(typed, 'include')).toBe('"gaussian splatting", nerf*, 扩散');
    expect(terms(formatTerms(typed, 'include'))).toEqual(typed);
  });

  it('refuse markup, control characters, emoji, too many, too short and too long, naming the field and the term in both languages', () => {
    const cases: [string, RegExp][] = [
      ['<script>alert(1)</script>', /Keywords: “<script>alert\(1\)<\/script>” may hold only.*关键词/],
      ['nerf\u0007', /control characters.*控制字符/],
      ['🚀🚀', /“🚀🚀” may hold only/],
      ['a', /“a” is too short/],
      ['x'.repeat(65), /too long \(at most 64/],
      [Array.from({ length: 21 }, (_, i) => `term${i}`).join(' '), /at most 20 terms \(you gave 21\)/],
      ['x '.repeat(5000), /at most 1500 characters/],
    ];
    for (const [raw, message] of cases) {
      const r = readFilterField(raw, 'include');
      expect(r.ok, raw.slice(0, 30)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(message);
    }
    const authors = readFilterField('Kaiming He\r\nEvil<img src=x>', 'authors');
    expect(authors.ok).toBe(false);
    if (!authors.ok) expect(authors.error).toMatch(/^Authors: “Evil<img src=x>”/);
    // CRLF only separates terms: it never reaches a term.
    expect(terms('nerf\r\ndiffusion')).toEqual(['nerf', 'diffusion']);
    expect(readFilters(new URLSearchParams('include=nerf&rest=maybe'))).toMatchObject({ ok: false });
    expect(readFilters(new URLSearchParams('include=nerf&rest=none'))).toEqual({ ok: true, filters: { include: ['nerf'], exclude: [], authors: [], rest: 'none' } });
    expect(FILTER_LIMITS.terms).toBe(20);
  });
});

describe('matching a paper', () => {
  const papers = [
    paper({ titleEn: 'NeRF-based Relighting', authors: ['Kaiming He'] }),
    paper({ titleEn: 'Many NeRFs at once', abstractZh: '我们提出一种高斯泼溅方法。' }),
    paper({ titleEn: 'Gaussian   Splatting for SLAM', titleZh: '用于SLAM的高斯泼溅', authors: ['Bernhard Schölkopf'] }),
    paper({ titleEn: 'Diffusion models', abstractEn: 'We study the Gaussian-splatting of diffusion priors.', authors: ['Hea Kim'] }),
    paper({ titleEn: 'ＦＵＬＬ　ＷＩＤＴＨ　ＴＩＴＬＥ about Transformers' }),
  ];
  const index = new PaperIndex(papers);
  const hits = (term: string) => [...index.keyword(term)].sort();

  it('English on whole words, case-insensitively; a trailing * matches word starts', () => {
    expect(hits('nerf')).toEqual([0]);
    expect(hits('NeRF*')).toEqual([0, 1]);
    expect(hits('relight')).toEqual([]);
    expect(hits('relight*')).toEqual([0]);
    expect(hits('full width')).toEqual([4]);
    expect(hits('transformer')).toEqual([]);
  });

  it('phrases match across runs of spaces and hyphens', () => {
    expect(hits('gaussian splatting')).toEqual([2, 3]);
    expect(hits('gaussian-splatting')).toEqual([2, 3]);
  });

  it('Chinese anywhere in the Chinese title or abstract', () => {
    expect(hits('高斯泼溅')).toEqual([1, 2]);
    expect(hits('ＳＬＡＭ的高斯')).toEqual([2]);
  });

  it('authors by whole name words, accents folded; exclusions win over matches', () => {
    expect([...index.author('kaiming he')]).toEqual([0]);
    expect([...index.author('He')]).toEqual([0]);
    expect([...index.author('Scholkopf')]).toEqual([2]);
    expect(selectPapers(index, only({ include: ['gaussian splatting'], authors: ['Kaiming He'], exclude: ['SLAM'] }))).toEqual({ matches: [0, 3], excluded: new Set([2]) });
  });

  it('on a real day, the same papers as a plain search of the text', () => {
    const all = papersOf(parseDigest(fixtureText('2024-03-04'), '2024-03-04.md').digest);
    const day = new PaperIndex(all);
    const independent = (re: RegExp) => all.flatMap((p, i) => (re.test([p.titleEn, p.titleZh, p.abstractEn, p.abstractZh].join(' ')) ? [i] : []));
    for (const [term, re] of [
      ['diffusion', /\bdiffusion\b/i],
      ['segment*', /\bsegment/i],
      ['3D', /\b3D\b/i],
      ['扩散', /扩散/],
      ['"point cloud"', /\bpoint[\s-]+cloud\b/i],
    ] as const) {
      const got = [...day.keyword(term.replaceAll('"', ''))].sort((a, b) => a - b);
      expect(got, term).toEqual(independent(re));
      expect(got.length, term).toBeGreaterThan(0);
    }
  });
});

describe('highlighting', () => {
  const f = only({ include: ['gaussian splatting', '高斯', 'code'], authors: ['Kaiming He'] });
  it('marks terms in titles, abstracts and author lines, never tags, attributes or button labels', () => {
    const html = '<h3><a href="https://x/gaussian-splatting">Gaussian Splatting &amp; more</a></h3><p lang="zh-CN">基于高斯的方法</p><p class="m">Kaiming He, Jane Roe<br><a href="https://x/pdf">PDF</a> <a href="https://c">Code</a></p><p class="a">Our code and gaussian-splatting.</p>';
    const out = new MarkablePaper(html).mark([...f.include, ...f.authors]);
    expect(out).toBe('<h3><a href="https://x/gaussian-splatting"><mark>Gaussian Splatting</mark> &amp; more</a></h3><p lang="zh-CN">基于<mark>高斯</mark>的方法</p><p class="m"><mark>Kaiming He</mark>, Jane Roe<br><a href="https://x/pdf">PDF</a> <a href="https://c">Code</a></p><p class="a">Our <mark>code</mark> and <mark>gaussian-splatting</mark>.</p>');
  });

  it('keeps hostile text escaped and token markers defused, and maps folded matches back to the original', () => {
    const out = new MarkablePaper('<p class="a">&lt;script&gt;ＧＡＵＳＳＩＡＮ ＳＰＬＡＴＴＩＮＧ %&#37;pb:count%&#37;</p>').mark([...f.include, ...f.authors]);
    expect(out).toBe('<p class="a">&lt;script&gt;<mark>ＧＡＵＳＳＩＡＮ ＳＰＬＡＴＴＩＮＧ</mark> %&#37;pb:count%&#37;</p>');
    expect(foldText('Ｓchölkopf')).toBe('scholkopf');
  });
});

describe('caches keyed by what readers type (issue 29.10)', () => {
  it('stay bounded in a warm container however many distinct terms come', () => {
    const papers = papersOf(parseDigest(fixtureText('2024-02-05'), '2024-02-05.md').digest);
    // A few papers: the bound is about how many terms, not how much text.
    // (a small limit: compiling a term's Unicode expression takes a millisecond or two, so the test stays quick)
    const limit = 50;
    const index = new PaperIndex(papers.slice(0, 3), limit);
    for (let i = 0; i < limit * 6; i++) {
      index.keyword(`term${i}`);
      index.author(`Author ${i}`);
    }
    expect(index.cachedTerms).toBeLessThanOrEqual(2 * limit);
    expect(TERM_CACHE_LIMIT).toBeLessThanOrEqual(10_000);
    // What was looked up last is still answered, and answered right.
    expect(index.keyword('the').size).toBeGreaterThan(0);
  });

  it('forget the oldest entry first', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('c', 3);
    expect([...m.keys()]).toEqual(['b', 'c']);
    m.set('b', 4);
    expect([...m.entries()]).toEqual([['b', 4], ['c', 3]]);
  });
});
