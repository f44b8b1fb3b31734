import { describe, expect, it } from 'vitest';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { judgeParse } from '../../functions/domain/quarantine-policy.ts';
import { fixtureText, tableFixtureDays, tableFixtureText } from '../support/fixtures.ts';

/** What a reader counts by eye: table rows that carry an arXiv link, and the distinct ids in them. */
function countByText(text: string) {
  const rows = text.split('\n').filter((l) => /arxiv\.org\/(abs|pdf)\//.test(l));
  const ids = new Set(rows.map((l) => /(\d{4}\.\d{4,5})/.exec(l.slice(l.indexOf('arxiv.org')))?.[1]));
  const categories = text
    .split('\n')
    .filter((l) => l.startsWith('## ') && !/UPDATED/.test(l))
    .map((l) => l.slice(3).trim());
  return { rows: rows.length, ids: ids.size, categories };
}

describe('every real table-format day', () => {
  it.each(tableFixtureDays())('%s parses to its distinct arXiv ids, every category, and is published', (day) => {
    const text = tableFixtureText(day);
    const expected = countByText(text);
    const result = parseDigest(Buffer.from(text), `${day}.md`);
    expect(result.digest.date).toBe(day);
    // An empty day (header only) cannot tell which format it was written in.
    if (expected.ids > 0) expect(result.digest.format).toBe('table');
    expect(result.problems).toEqual([]);
    expect(papersOf(result.digest)).toHaveLength(expected.ids);
    expect(expected.rows).toBe(expected.ids);
    expect(result.namedIds).toBe(expected.ids);
    expect(result.digest.sections.map((s) => s.category.name)).toEqual(expected.categories);
    expect(judgeParse(result)).toEqual({ publish: true });
    for (const section of result.digest.sections) {
      expect(section.papers.map((p) => p.index)).toEqual(section.papers.map((_, i) => i + 1));
      for (const p of section.papers) {
        expect(p.arxivId).toMatch(/^\d{4}\.\d{4,5}$/);
        expect(p.titleEn).not.toMatch(/^\*\*|\*\*$|\|/);
        expect(p.authors.length).toBeGreaterThan(0);
        expect(p.abstractEn).toBeNull();
        if (p.codeUrl !== null) expect(p.codeUrl).toMatch(/^https?:\/\/[^*<>]+$/);
      }
    }
  });

  it('reads every category name of the year with a readable slug and an English label', () => {
    for (const day of tableFixtureDays()) {
      for (const s of parseDigest(tableFixtureText(day), day).digest.sections) {
        expect(s.category.known, s.category.name).toBe(true);
        expect(s.category.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(s.category.nameEn).toMatch(/^[A-Z0-9][\x20-\x7e]+$/);
      }
    }
  });
});

describe('the variants of the table format', () => {
  it('the earliest header and table without a Chinese title, bold cells, abs links and markdown code links', () => {
    const r = parseDigest(tableFixtureText('2024-01-01'), 'x');
    expect(r.digest.headerStyle).toBe('legacy-table');
    const p = papersOf(r.digest).find((q) => q.arxivId === '2401.00971');
    expect(p).toMatchObject({
      titleEn: 'Efficient Multi-domain Text Recognition Deep Neural Network Parameterization with Residual Adapters',
      titleZh: null,
      authors: ['Jiayou Chao', 'Wei Zhu'],
      version: 1,
      pdfUrl: 'https://arxiv.org/abs/2401.00971v1',
      absUrl: 'https://arxiv.org/abs/2401.00971v1',
      codeUrl: 'https://github.com/jiayou-chao/multi-domain-ocr',
    });
  });

  it('rows without the outer pipes and a Title_CN column', () => {
    const p = papersOf(parseDigest(tableFixtureText('2024-04-01'), 'x').digest).find((q) => q.arxivId === '2404.01424');
    expect(p).toMatchObject({ titleEn: 'DPMesh: Exploiting Diffusion Prior for Occluded Human Mesh Recovery', titleZh: 'DPMesh：利用扩散先验来恢复遮挡的人体网格', codeUrl: null });
  });

  it('the Chinese table header of late November, plain cells, None and <url> code links, "Update Time"', () => {
    const r = parseDigest(tableFixtureText('2024-11-29'), 'x');
    expect(r.digest.headerStyle).toBe('modern-update');
    const p = papersOf(r.digest).find((q) => q.arxivId === '2411.17660');
    expect(p).toMatchObject({ titleEn: 'DROID-Splat: Combining end-to-end SLAM with 3D Gaussian Splatting', version: 2, codeUrl: 'https://github.com/ChenHoy/DROID-Splat' });
    expect(papersOf(parseDigest(tableFixtureText('2024-12-05'), 'x').digest).find((q) => q.arxivId === '2412.04470')?.codeUrl).toBeNull();
  });

  it('the empty day: only the header', () => {
    const r = parseDigest(tableFixtureText('2024-07-13'), 'x');
    expect(r.digest.sections).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(judgeParse(r)).toEqual({ publish: true });
  });

  it('an "et.al." author cell marks the list as cut', () => {
    const cut = tableFixtureDays().flatMap((d) => papersOf(parseDigest(tableFixtureText(d), d).digest)).filter((p) => p.authorsTruncated);
    expect(cut.length).toBeGreaterThan(0);
    for (const p of cut) {
      expect(p.authors).toHaveLength(10);
      expect(p.authors.join()).not.toMatch(/et\.?\s?al/);
    }
  });

  it('a title holding an escaped or a bare pipe keeps it', () => {
    const text = [
      '## [UPDATED!] **2024-12-20** (Update Time)',
      '',
      '## 3DGS',
      '',
      '|发布日期|英文标题|中文标题|作者|PDF链接|代码链接|',
      '|---|---|---|---|---|---|',
      '|2024-12-20|A \\| B: splats|甲乙：泼溅|A. One|<http://arxiv.org/pdf/2412.00001v1>|None|',
      '|2024-12-20|C | D: more splats|丙丁：更多|B. Two, et.al.|<http://arxiv.org/pdf/2412.00002v1>|null|',
    ].join('\n');
    const r = parseDigest(text, 'pipes.md');
    expect(r.problems).toEqual([]);
    expect(papersOf(r.digest).map((p) => [p.titleEn, p.titleZh])).toEqual([
      ['A | B: splats', '甲乙：泼溅'],
      ['C | D: more splats', '丙丁：更多'],
    ]);
  });
});

describe('a malformed table row is reported with its file, line and field', () => {
  const day = tableFixtureText('2024-11-29');
  const lines = day.split('\n');
  const rowAt = lines.findIndex((l) => l.includes('2411.17660'));

  it('a row without a link', () => {
    const broken = [...lines];
    broken[rowAt] = (broken[rowAt] ?? '').replace('<http://arxiv.org/pdf/2411.17660v2>', 'null');
    const r = parseDigest(broken.join('\n'), 'day.md');
    expect(r.problems).toEqual([expect.objectContaining({ file: 'day.md', line: rowAt + 1, field: 'PDF', severity: 'error' })]);
    expect(r.skipped).toBe(1);
    expect(judgeParse(r)).toEqual({ publish: true });
  });

  it('a row with cells missing', () => {
    const broken = [...lines];
    broken[rowAt] = '|2024-11-29|DROID-Splat|<http://arxiv.org/pdf/2411.17660v2>|';
    const r = parseDigest(broken.join('\n'), 'day.md');
    expect(r.problems).toEqual([expect.objectContaining({ line: rowAt + 1, field: 'row', message: '3 cells, the table has 6 columns' })]);
  });

  it('a table header without a link column makes its rows errors', () => {
    const text = ['## [UPDATED!] **2024-12-20** (Update Time)', '', '## 3DGS', '', '|发布日期|英文标题|作者|', '|---|---|---|', '|2024-12-20|T|A|'].join('\n');
    const r = parseDigest(text, 'day.md');
    expect(r.problems).toEqual([expect.objectContaining({ line: 7, field: 'row', message: 'table header at line 5 has no pdf column' })]);
  });
});

describe('a file that names papers but yields far fewer is quarantined', () => {
  it('table: a copy whose pipes became tabs names 124 papers and yields none', () => {
    const r = parseDigest(tableFixtureText('2024-11-29').replaceAll('|', '\t'), 'tabs.md');
    expect(papersOf(r.digest)).toHaveLength(0);
    expect(judgeParse(r)).toEqual({ publish: false, reason: expect.stringContaining('links 124 arXiv papers but none could be read') });
  });

  it('table: a copy whose table headers were renamed', () => {
    const r = parseDigest(tableFixtureText('2024-12-05').replaceAll('|发布日期|英文标题|中文标题|作者|PDF链接|代码链接|', '|Date|EN|CN|Who|Where|Repo|'), 'renamed.md');
    expect(judgeParse(r).publish).toBe(false);
  });

  it('table: a copy with a tenth of its rows mangled', () => {
    let n = 0;
    const text = tableFixtureText('2024-12-12')
      .split('\n')
      .map((l) => (l.includes('arxiv.org') && n++ % 10 === 0 ? l.replace(/\|/g, ' ') : l))
      .join('\n');
    const r = parseDigest(text, 'mangled.md');
    expect(judgeParse(r)).toEqual({ publish: false, reason: expect.stringMatching(/links 199 arXiv papers but only 17\d could be read/) });
  });

  it('detailed: a copy whose record markers were rewritten names its papers and yields none', () => {
    const r = parseDigest(fixtureText('2024-02-04').replaceAll('>>**index:**', '>> index:'), 'rewritten.md');
    expect(papersOf(r.digest)).toHaveLength(0);
    expect(r.namedIds).toBe(40);
    expect(judgeParse(r).publish).toBe(false);
  });

  it('detailed and table: an intact day is published (the rule counts ids, not lines)', () => {
    expect(judgeParse(parseDigest(fixtureText('2024-02-04'), 'x'))).toEqual({ publish: true });
    expect(judgeParse(parseDigest(tableFixtureText('2024-02-05'), 'x'))).toEqual({ publish: true });
  });
});
