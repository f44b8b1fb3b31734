/**
 * The labelled papers the classifier learns from: every day of the project's copy of the shared
 * corpus (detailed format) and the table-format days not already held in the detailed format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import type { Digest } from '../../functions/domain/model.ts';
import type { LabelledPaper } from './learn-rules.ts';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url).pathname;

/**
 * The order the publisher's rules tried categories in, fixed from 2024-02-04 to the format change;
 * the fallback last. Days before used shorter, changing lists, read from the day itself.
 */
export const RULE_ORDER = [
  'generative', 'multimodal', 'nerf', '3dgs', 'compression', 'detection-segmentation', 'ocr', 'gnn',
  'image-understanding', 'llm', 'transformer', '3d-cg', 'learning', 'other',
] as const;
const STABLE_FROM = '2024-02-04';
/**
 * From this day the publisher printed new category names (图像生成与编辑, 多模态学习, 视频生成, …):
 * a different scheme, not the 2024 keyword rules, so its days would only teach noise.
 */
const SCHEME_CHANGED = '2024-11-29';

export interface LabelledDay {
  readonly date: string;
  /** Category names as this day printed them, by slug. */
  readonly names: Readonly<Record<string, string>>;
  readonly withAbstracts: boolean;
  readonly papers: readonly LabelledPaper[];
}

function fixtureDigests(): Digest[] {
  const days = new Map<string, Digest>();
  for (const folder of ['digests', 'table']) {
    const dir = join(FIXTURES, folder);
    for (const name of readdirSync(dir).filter((n) => /^\d{4}-\d{2}-\d{2}\.md$/.test(n)).sort()) {
      const { digest } = parseDigest(readFileSync(join(dir, name)), `${folder}/${name}`);
      if (digest && !days.has(digest.date)) days.set(digest.date, digest);
    }
  }
  return [...days.values()];
}

/**
 * The days since the publisher's change of scheme, its labels mapped onto the taxonomy by the
 * parser (every name of these fixture days maps: test/unit/taxonomy.test.ts), titles only. The
 * taxonomy extension learns from them (`taxonomy-extension.ts`); the 2024 rules never do.
 */
export function loadLaterDays(): LabelledDay[] {
  return fixtureDigests()
    .filter((d) => d.date >= SCHEME_CHANGED)
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((digest) => {
      const papers = digest.sections.flatMap((s) => s.papers.map((p) => ({ title: p.titleEn, abstract: p.abstractEn, slug: p.category, before: [] })));
      return { date: digest.date, names: Object.fromEntries(digest.sections.map((s) => [s.category.slug, s.category.name])), withAbstracts: papers.some((p) => p.abstract), papers };
    });
}

export function loadLabelledDays(): LabelledDay[] {
  return fixtureDigests()
    .filter((d) => d.date < SCHEME_CHANGED)
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((digest) => {
      const printed = digest.sections.map((s) => s.category.slug);
      const order: readonly string[] = digest.date >= STABLE_FROM ? RULE_ORDER : printed;
      const papers = digest.sections.flatMap((s) =>
        s.papers.map((p) => ({
          title: p.titleEn,
          abstract: p.abstractEn,
          slug: p.category,
          before: order.slice(0, Math.max(0, order.indexOf(p.category))),
        })),
      );
      const names = Object.fromEntries(digest.sections.map((s) => [s.category.slug, s.category.name]));
      return { date: digest.date, names, withAbstracts: papers.some((p) => p.abstract), papers };
    });
}

/** The corpus days held out, one at a time, to measure agreement: those with abstracts in the fixed order, as the producer sees its papers. */
export function heldOutDays(days: readonly LabelledDay[]): LabelledDay[] {
  return days.filter((d) => d.withAbstracts);
}
