import { phraseText } from '../../functions/domain/classifier/phrases.ts';
import type { KeywordModel, RuleCategory } from '../../functions/domain/classifier/keyword-rules.ts';
import { taxonomyCategory } from '../../functions/domain/taxonomy.ts';
import { DEFAULT_LEARN, learnRules, type LabelledPaper } from './learn-rules.ts';

/**
 * The taxonomy's categories the publisher's 2024 scheme never had (issue 33.4: without rules the
 * producer never files a paper under them, so a reader subscribed to "Video understanding" would
 * get nothing from Paperboy's own digest). They come after every 2024 rule and before the fallback,
 * so they only take papers the 2024 rules leave to "other": on the 2024 days that costs agreement
 * exactly where the publisher's "other" was a topic the taxonomy now names.
 *
 * Their rules are learned, where labels exist, from the publisher's days since 2024-11-29 (its new
 * scheme, mapped onto the taxonomy), and seeded by hand where no labelled day teaches them: each
 * seed is a term the category's own description names, kept only if it does not cost the 2024
 * held-out days more than it adds (`npm run bench -- classifier` prints both).
 */
export const EXTENSION_ORDER = ['video-generation', 'video', 'human-pose', '3d-perception', 'few-shot', 'semi-unsupervised', 'ocr', 'gnn'] as const;

/**
 * Hand-written phrases (in `phraseText` form: lower case, hyphens as spaces; `*` a word prefix).
 * OCR and GNN were 2024 categories, but too rare for the learner (no rule at all): their seeds sit
 * here too, after the 2024 rules. Dropped after measuring (they cost more 2024 held-out papers than
 * any later day gave back): "self supervised" (7 of the publisher's "other"), "autonomous driving" (3), "document*" (3).
 */
export const SEED_PHRASES: Readonly<Record<(typeof EXTENSION_ORDER)[number], readonly string[]>> = {
  'video-generation': ['video generation', 'text to video', 'image to video', 'video diffusion'],
  video: ['video*', 'action recognition', 'temporal grounding'],
  'human-pose': ['pose estimation', 'human pose', 'human motion', 'hand pose', 'motion capture', 'avatar*'],
  '3d-perception': ['point cloud*', 'lidar', 'occupancy'],
  'few-shot': ['few shot', 'zero shot', 'one shot', 'open vocabulary'],
  'semi-unsupervised': ['semi supervised', 'unsupervised', 'contrastive learning'],
  ocr: ['ocr', 'scene text', 'text recognition', 'handwrit*'],
  gnn: ['graph neural*', 'gnn*', 'graph convolution*'],
};

/**
 * Rules learned from later-scheme papers (`slug` already in the taxonomy): each extension category
 * against every paper the LLM put elsewhere (a phrase of "video" found in a generative paper's title
 * contradicts it). Titles only: those days carry no abstracts.
 */
export function learnExtension(later: readonly LabelledPaper[]): Map<string, readonly string[]> {
  const order: readonly string[] = [...EXTENSION_ORDER, 'other'];
  const papers = later.map((p): LabelledPaper => {
    const at = order.indexOf(p.slug);
    return at >= 0 && at < EXTENSION_ORDER.length ? { ...p, before: order.slice(0, at) } : { ...p, slug: 'other', before: EXTENSION_ORDER };
  });
  const model = learnRules(papers, { ...DEFAULT_LEARN, order, names: {}, trainedOn: { days: [], papers: papers.length } });
  return new Map(model.categories.map((c) => [c.slug, c.phrases]));
}

/**
 * Phrases a 2024 category learned that name one of the taxonomy's finer categories: the publisher's
 * "各类学习方式" (all kinds of learning) took few-shot and self-/semi-/unsupervised papers, which the
 * taxonomy files apart. Such a phrase decides the finer category instead, at the same place in the
 * order, so the 2024 rules take exactly the papers they took before.
 */
export const REFINEMENTS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  learning: {
    'few-shot': ['zero', 'zero shot', 'few shot', 'one shot'],
    'semi-unsupervised': ['unsupervised', 'semi supervised', 'self supervised', 'contrastive learning'],
  },
};

/** A refined category in the 2024 scheme's terms (agreement with the 2024 labels counts it as its parent; nothing else is rolled up). */
export const SCHEME_2024_PARENT: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(REFINEMENTS).flatMap(([parent, finer]) => Object.keys(finer).map((slug) => [slug, parent])));

function refined(category: RuleCategory): RuleCategory[] {
  const finer = REFINEMENTS[category.slug];
  if (!finer) return [category];
  const taken = new Set(Object.values(finer).flat());
  const split = Object.entries(finer).map(([slug, phrases]) => ({ name: taxonomyCategory(slug)?.nameZh ?? slug, slug, phrases: category.phrases.filter((p) => phrases.includes(p)) }));
  return [...split.filter((c) => c.phrases.length), { ...category, phrases: category.phrases.filter((p) => !taken.has(p)) }];
}

/** The 2024 rules (refined), then each extension category's learned phrases and its seeds, then the fallback. */
export function extendModel(model: KeywordModel, learned: ReadonlyMap<string, readonly string[]>, laterDays: readonly string[]): KeywordModel {
  const extension: RuleCategory[] = EXTENSION_ORDER.map((slug) => ({
    name: taxonomyCategory(slug)?.nameZh ?? slug,
    slug,
    phrases: [...new Set([...(learned.get(slug) ?? []), ...SEED_PHRASES[slug]])],
  }));
  return { ...model, trainedOn: { days: [...model.trainedOn.days, ...laterDays], papers: model.trainedOn.papers }, categories: [...model.categories.flatMap(refined), ...extension] };
}

/** Seeds are written in the rules' own form; a typo would never match anything. */
export function checkSeeds(): void {
  for (const [slug, phrases] of Object.entries(SEED_PHRASES)) {
    for (const p of phrases) if (phraseText(p.replace(/\*$/, '')).trim() !== p.replace(/\*$/, '')) throw new Error(`seed phrase ${JSON.stringify(p)} of ${slug} is not in phraseText form`);
  }
}
