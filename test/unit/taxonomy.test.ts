import { describe, expect, it } from 'vitest';
import { buildSite } from '../../functions/app/publish/build-site.ts';
import { categoryFor, inTaxonomy, knownCategories } from '../../functions/domain/categories.ts';
import { currentSlug, legacySlugOf } from '../../functions/domain/legacy-slugs.ts';
import { papersOf, type Digest } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { sitePaths } from '../../functions/domain/site/paths.ts';
import { currentCategories } from '../../functions/domain/subscribers/subscriber.ts';
import { TAXONOMY } from '../../functions/domain/taxonomy.ts';
import { fixtureBytes, fixtureDays, fixtureText } from '../support/fixtures.ts';
import { unmappedCategoryNames } from '../../functions/app/ingest/ingest-runs.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TABLE = join(import.meta.dirname, '..', 'fixtures', 'table');
const tableDays = readdirSync(TABLE).filter((f) => /^\d{4}-\d{2}-\d{2}\.md$/.test(f));

describe("Paperboy's taxonomy", () => {
  it('is about twenty categories, each with a slug, an English and a Chinese name and a line about it, every name used once', () => {
    expect(TAXONOMY.length).toBeGreaterThanOrEqual(18);
    expect(TAXONOMY.length).toBeLessThanOrEqual(24);
    for (const c of TAXONOMY) {
      expect(c.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(c.nameEn.length, c.slug).toBeGreaterThan(2);
      expect(c.nameZh, c.slug).toMatch(/\p{Script=Han}/u);
      expect(c.about.length, c.slug).toBeGreaterThan(10);
    }
    for (const key of ['slug', 'nameEn', 'nameZh'] as const) expect(new Set(TAXONOMY.map((c) => c[key])).size, key).toBe(TAXONOMY.length);
    expect(knownCategories().map((c) => c.slug)).toEqual(TAXONOMY.map((c) => c.slug));
  });

  it('maps every category name of every fixture day, in both formats, without a warning', () => {
    const names = new Set<string>();
    for (const day of fixtureDays()) {
      const r = parseDigest(fixtureBytes(day), `${day}.md`);
      expect(r.problems.filter((p) => p.field === 'category'), day).toEqual([]);
      for (const s of r.digest.sections) names.add(s.category.name);
    }
    for (const f of tableDays) {
      const r = parseDigest(readFileSync(join(TABLE, f)), f);
      expect(r.problems.filter((p) => p.field === 'category'), f).toEqual([]);
      for (const s of r.digest.sections) names.add(s.category.name);
    }
    expect(names.size).toBeGreaterThan(20);
    for (const name of names) expect(categoryFor(name).known, name).toBe(true);
  });

  it('reads a day stored before the taxonomy in it: one name per category, an old slug under its category now, an unknown one classified, in the one order', () => {
    const day = parseDigest(fixtureBytes('2024-03-04'), '2024-03-04.md').digest;
    const [first, second, ...rest] = day.sections;
    // As Paperboy stored it then: a late-2024 name under a pinyin slug of its own, another it never mapped.
    const old = (s: Digest['sections'][number], name: string, slug: string) => ({ category: { name, nameZh: name, nameEn: name, slug, known: false }, papers: s.papers.map((p) => ({ ...p, category: slug })) });
    const stored: Digest = { ...day, sections: [...rest.reverse(), old(first!, '图像生成/合成', legacySlugOf('图像生成/合成')), old(second!, '视频编辑', legacySlugOf('视频编辑'))] };
    expect(stored.sections.at(-1)!.category.slug).toBe('shi-pin-bian-ji');
    const read = inTaxonomy(stored);
    const order = TAXONOMY.map((c) => c.slug);
    expect(read.sections.map((s) => order.indexOf(s.category.slug))).toEqual([...read.sections.map((s) => order.indexOf(s.category.slug))].sort((a, b) => a - b));
    expect(read.sections.every((s) => order.includes(s.category.slug))).toBe(true);
    expect(new Set(read.sections.map((s) => s.category.slug)).size).toBe(read.sections.length);
    // Nothing lost, every paper filed where its section is.
    expect(papersOf(read).map((p) => p.arxivId).sort()).toEqual(papersOf(day).map((p) => p.arxivId).sort());
    for (const s of read.sections) for (const p of s.papers) expect(p.category).toBe(s.category.slug);
    const generative = read.sections.find((s) => s.category.slug === 'generative')!;
    for (const p of first!.papers) expect(generative.papers.map((x) => x.arxivId)).toContain(p.arxivId);
    expect(generative.category.nameEn).toBe(TAXONOMY.find((c) => c.slug === 'generative')!.nameEn);
    // Read again, the same.
    expect(inTaxonomy(read)).toEqual(read);
  });

  it("migrates a reader's old slugs to the categories their names are filed under now", () => {
    expect(legacySlugOf('视频编辑')).toBe('shi-pin-bian-ji');
    expect(currentSlug(legacySlugOf('目标检测'))).toBe('detection-segmentation');
    expect(currentCategories(['nerf', legacySlugOf('图像生成/合成'), 'generative'])).toEqual(['nerf', 'generative']);
    const same = ['nerf', '3dgs'];
    expect(currentCategories(same)).toBe(same);
    expect(currentCategories('all')).toBe('all');
  });

  it('keeps every feed the site ever published answering, with the bytes of the category it is filed under now; the OPML lists the taxonomy only', () => {
    const digest = parseDigest(fixtureBytes('2024-03-04'), '2024-03-04.md').digest;
    const oldGenerative = legacySlugOf('图像生成/合成');
    const published = [sitePaths.feed(oldGenerative, 'bi', 'rss'), sitePaths.feed(oldGenerative, 'en', 'atom', 'code'), sitePaths.feed('shi-pin-bian-ji', 'zh', 'json'), sitePaths.day('2024-03-04')];
    const files = buildSite({ baseUrl: 'https://paperboy.example.org', digests: [digest], days: [{ date: digest.date, papers: papersOf(digest).length }], publishedPaths: published });
    const at = new Map(files.map((f) => [f.path, f.body.toString()]));
    expect(at.get(published[0]!)).toBe(at.get(sitePaths.feed('generative', 'bi', 'rss')));
    expect(at.get(published[1]!)).toBe(at.get(sitePaths.feed('generative', 'en', 'atom', 'code')));
    // A slug whose name the table does not hold answers with "other".
    expect(at.get(published[2]!)).toBe(at.get(sitePaths.feed('other', 'zh', 'json')));
    const opml = at.get(sitePaths.opml)!;
    expect(opml).not.toContain(oldGenerative);
    for (const c of TAXONOMY) expect(opml).toContain(`${c.slug}.rss.xml`);
  });

  it('names each category name it does not map once per run, for the operator to add', () => {
    const lines = fixtureText('2024-03-04').split('\n');
    const headings = lines.flatMap((l, i) => (l.startsWith('>## ') ? [i] : []));
    lines[headings[0]!] = '>## 视频编辑';
    lines[headings[1]!] = '>## 新类别';
    const r = parseDigest(lines.join('\n'), '2024-03-04.md');
    expect(r.problems.filter((p) => p.field === 'category')).toHaveLength(2);
    expect(papersOf(r.digest)).toHaveLength(papersOf(parseDigest(fixtureBytes('2024-03-04'), 'x').digest).length);
    const outcome = { status: 'ingested' as const, date: '2024-03-04', hash: 'h', papers: 1, problems: r.problems };
    expect(unmappedCategoryNames([outcome, outcome])).toEqual(['新类别', '视频编辑']);
  });
});
