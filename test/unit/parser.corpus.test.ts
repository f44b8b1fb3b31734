import { describe, expect, it } from 'vitest';
import { categoryFor } from '../../functions/domain/categories.ts';
import { papersOf, type Paper } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { renderDigestMarkdown } from '../../functions/domain/render-digest.ts';
import { fixtureBytes, fixtureDays, fixtureText } from '../support/fixtures.ts';

/** Counts straight from the text, independent of the parser. */
function countByText(text: string) {
  const lines = text.split('\n');
  return {
    papers: lines.filter((l) => l.startsWith('>>**index:**')).length,
    categories: lines.filter((l) => l.startsWith('>## ')).map((l) => l.slice(4).replaceAll('*', '')),
  };
}

function findPaper(day: string, id: string): Paper {
  const paper = papersOf(parseDigest(fixtureBytes(day), `${day}.md`).digest).find((p) => p.arxivId === id);
  if (!paper) throw new Error(`${id} not in ${day}`);
  return paper;
}

describe('every real day', () => {
  it.each(fixtureDays())('%s parses to the papers and categories it prints', (day) => {
    const text = fixtureText(day);
    const expected = countByText(text);
    const result = parseDigest(fixtureBytes(day), `${day}.md`);
    expect(result.digest.date).toBe(day);
    expect(result.problems).toEqual([]);
    expect(papersOf(result.digest)).toHaveLength(expected.papers);
    expect(result.digest.sections.map((s) => s.category.name)).toEqual(expected.categories);
    for (const section of result.digest.sections) {
      expect(section.papers.map((p) => p.index)).toEqual(section.papers.map((_, i) => i + 1));
      for (const p of section.papers) {
        expect(p.arxivId).toMatch(/^\d{4}\.\d{4,5}$/);
        expect(p.titleEn).not.toMatch(/^\*\*|\*\*$|<br/);
        if (p.codeUrl !== null) expect(p.codeUrl).toMatch(/^https?:\/\/[^*]+$/);
        expect(p.titleZh ?? '').not.toMatch(/\u200B/);
      }
    }
  });

  it.each(fixtureDays())('%s survives a round trip through the digest format', (day) => {
    const first = parseDigest(fixtureBytes(day), `${day}.md`).digest;
    const again = parseDigest(renderDigestMarkdown(first), `${day}.md`).digest;
    expect(again).toEqual(first);
  });
});

describe('the known oddities', () => {
  it('keeps a title that starts with "*" and collapses its runs of spaces', () => {
    const p = findPaper('2024-11-08', '2405.09828');
    expect(p.titleEn).toBe('*: Improving the 3D detector by introducing Voxel2Pillar feature encoding and extracting multi-scale features');
  });

  it('keeps LaTeX in titles as written', () => {
    expect(findPaper('2024-01-08', '2401.04105').titleEn).toBe('Dr$^2$Net: Dynamic Reversible Dual-Residual Networks for Memory-Efficient Finetuning');
  });

  it('reads "et.al." as a truncated author list', () => {
    const day = parseDigest(fixtureBytes('2024-03-04'), 'x').digest;
    const truncated = papersOf(day).filter((p) => p.authorsTruncated);
    expect(truncated.length).toBeGreaterThan(0);
    for (const p of truncated) {
      expect(p.authors).toHaveLength(10);
      expect(p.authors.join()).not.toMatch(/et\.?al/);
    }
  });

  it('reads /abs/ PDF links of the earliest days', () => {
    const p = findPaper('2024-01-01', '2401.01388');
    expect(p.version).toBe(1);
    expect(p.pdfUrl).toBe('https://arxiv.org/abs/2401.01388v1');
    expect(p.absUrl).toBe('https://arxiv.org/abs/2401.01388v1');
    expect(p.titleZh).toBeNull();
  });

  it('drops the stray ** after code links', () => {
    const withCode = papersOf(parseDigest(fixtureBytes('2024-02-04'), 'x').digest).filter((p) => p.codeUrl);
    expect(withCode.length).toBeGreaterThan(0);
    for (const p of withCode) expect(p.codeUrl).toMatch(/^https:\/\/github\.com\/[^*]+$/);
  });

  it('reads the empty day as a digest with no sections', () => {
    const r = parseDigest(fixtureBytes('2024-07-13'), '2024-07-13.md');
    expect(r.digest.sections).toEqual([]);
    expect(r.records).toBe(0);
  });

  it('reads the legacy header of the first days', () => {
    expect(parseDigest(fixtureBytes('2024-01-01'), 'x').digest.headerStyle).toBe('legacy');
    expect(parseDigest(fixtureBytes('2024-02-04'), 'x').digest.headerStyle).toBe('modern');
  });

  it('keeps abstracts of the days that have them, with TeX and p<0.01 as text', () => {
    const p = findPaper('2024-02-04', '2402.02346');
    expect(p.abstractEn).toContain('\\textbf{C}losed-\\textbf{L}oop');
    expect(p.abstractZh).toMatch(/^表征解开/);
  });
});

const record = (title: string, pdf: string, code = 'null<br />', category = '生成模型') =>
  [
    '## [UPDATED!] **2024-12-01** (Publish Time)',
    '',
    `>## **${category}**`,
    '>---',
    '>>**index:** 1<br />',
    `**Title:** **${title}**<br />`,
    '**Title_cn:** 中文标题：**“一个标题”**<br />',
    '**Authors:** A. One, B. Two<br />',
    `**PDF:** ${pdf}<br />`,
    `**Code:** ${code}`,
    '',
  ].join('\n');

describe('variants seen on other days', () => {
  it('reads [id](url) PDF links, code links without the stray ** and <Word> in titles', () => {
    const r = parseDigest(
      record('Beyond <Object> & $\\alpha$_1 [x]', '[2412.00001v3](http://arxiv.org/pdf/2412.00001v3)', '<https://github.com/a/b><br />'),
      'new.md',
    );
    expect(r.problems).toEqual([]);
    const [p] = papersOf(r.digest);
    expect(p).toMatchObject({
      arxivId: '2412.00001',
      version: 3,
      titleEn: 'Beyond <Object> & $\\alpha$_1 [x]',
      titleZh: '一个标题',
      codeUrl: 'https://github.com/a/b',
    });
  });

  it('takes the first link when a code field holds several', () => {
    const r = parseDigest(record('T', '<http://arxiv.org/pdf/2412.00001v1>', '<https://github.com/a/b>, <https://example.org/c>**<br />'), 'new.md');
    expect(papersOf(r.digest)[0]?.codeUrl).toBe('https://github.com/a/b');
    expect(r.problems).toEqual([]);
  });

  it('files the papers of a name the taxonomy does not map by the classifier, with one warning naming it, never under a slug of its own', () => {
    const r = parseDigest(record('GaussianAvatar: 3D Gaussian Splatting of animatable humans', '<http://arxiv.org/pdf/2412.00001v1>', 'null<br />', '新类别'), 'new.md');
    const [section] = r.digest.sections;
    expect(section?.category).toMatchObject({ slug: '3dgs', nameEn: '3D Gaussian splatting', known: true });
    expect(section?.papers.map((p) => [p.arxivId, p.category])).toEqual([['2412.00001', '3dgs']]);
    expect(r.problems).toEqual([expect.objectContaining({ line: 3, field: 'category', severity: 'warning', message: expect.stringMatching(/"新类别".*not in Paperboy's taxonomy/) })]);
  });

  it("maps the publisher's names of both schemes onto the taxonomy, each category with one name", () => {
    // The late-2024 names issue 33 counted (2024-11-29..12-19), and the 2024 scheme's.
    const names: Record<string, string> = { '图像生成/合成': 'generative', 目标检测: 'detection-segmentation', '图像编辑/处理': 'generative', '视觉-语言理解': 'multimodal', 自监督学习: 'semi-unsupervised', 模型压缩: 'compression', 语义分割: 'detection-segmentation', '人脸识别/处理': 'human-pose', 生成模型: 'generative', 图像生成与编辑: 'generative', 'Zero/Few-Shot Learning': 'few-shot', nerf: 'nerf', '3dgs': '3dgs' };
    for (const [name, slug] of Object.entries(names)) expect(categoryFor(name), name).toMatchObject({ slug, known: true });
    // One name per category, whatever the publisher printed.
    expect(categoryFor('生成模型').nameEn).toBe(categoryFor('图像生成/合成').nameEn);
    expect(categoryFor('生成模型').nameZh).toBe(categoryFor('图像生成与编辑').nameZh);
    // A name the table does not hold is "other" until its papers are classified, never a new slug.
    expect(categoryFor('新奇类别')).toMatchObject({ slug: 'other', known: false });
  });

  it('reads case and spacing variants of a known name as that category', () => {
    expect(categoryFor('NeRF').slug).toBe(categoryFor('Nerf').slug);
    expect(categoryFor('3dgs').slug).toBe('3dgs');
    expect(categoryFor('分类/检测/识别/分割/...').slug).toBe(categoryFor('分类/检测/识别/分割').slug);
  });
});
