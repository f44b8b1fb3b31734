import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, type KeywordModel } from '../../functions/domain/classifier/keyword-rules.ts';
import { SHIPPED_MODEL } from '../../functions/domain/classifier/shipped-model.ts';
import { loadLabelledDays } from '../../scripts/classifier/training-set.ts';
import { leaveOneDayOut, trainOn } from '../../scripts/classifier/evaluate.ts';

const toy: KeywordModel = {
  schemaVersion: 1,
  trainedOn: { days: [], papers: 0 },
  categories: [
    { name: '生成模型', slug: 'generative', phrases: ['diffusion model'] },
    { name: 'Nerf', slug: 'nerf', phrases: ['nerf'] },
    { name: '分类/检测/识别/分割/...', slug: 'detection-segmentation', phrases: ['segment*'] },
  ],
  fallback: { name: '其他', slug: 'other' },
};

describe('ordered keyword rules', () => {
  it('gives a paper the first category in order whose phrase occurs in its title or abstract', () => {
    expect(classify(toy, 'Segmenting NeRFs', 'We train a Diffusion-Model.').slug).toBe('generative');
    expect(classify(toy, 'Fast NeRF', 'Segmentation of scenes').slug).toBe('nerf');
  });

  it('matches whole words, and a starred stem as a word prefix', () => {
    expect(classify(toy, 'NeRFs are fast', null).slug).toBe('other');
    expect(classify(toy, 'Segmentation of cells', null)).toEqual({ name: '分类/检测/识别/分割/...', slug: 'detection-segmentation', matched: 'segment*' });
    expect(classify(toy, 'Unsegmented cells', null).slug).toBe('other');
  });

  it('falls back to the last category when nothing matches', () => {
    expect(classify(toy, 'A survey', 'Nothing to see').slug).toBe('other');
  });
});

describe('the shipped model', () => {
  const days = loadLabelledDays();

  it('is what training on the corpus fixtures produces (run `npm run train-classifier` after changing them)', () => {
    const model = trainOn(days);
    expect(JSON.parse(readFileSync(new URL('../../functions/domain/classifier/model.json', import.meta.url), 'utf8'))).toEqual(model);
    expect(SHIPPED_MODEL.categories.map((c) => c.slug)).toEqual(model.categories.map((c) => c.slug));
  });

  it('agrees with the publisher on at least 90% of the papers of days held out from training', () => {
    const report = leaveOneDayOut(days);
    expect(report.days.length).toBeGreaterThanOrEqual(6);
    expect(report.papers).toBeGreaterThan(300);
    expect(report.agreed / report.papers).toBeGreaterThanOrEqual(0.9);
  });

  it('names its categories as the digest prints them, so the parser maps them to the known slugs', () => {
    expect(SHIPPED_MODEL.categories.find((c) => c.slug === 'generative')?.name).toBe('生成模型');
    expect(SHIPPED_MODEL.fallback).toEqual({ name: '其他', slug: 'other' });
  });
});
