import { pinyin } from 'pinyin-pro';
import { foldName, PUBLISHER_NAMES, TAXONOMY } from './taxonomy.ts';

/**
 * The feed slugs Paperboy published before its taxonomy, for names it did not know then: each such
 * name had a feed of its own under its pinyin (`视频编辑` → `shi-pin-bian-ji`). Those URLs keep
 * answering, with the feed of the category the name is filed under now.
 */

/** The names the table held before the taxonomy: they had taxonomy slugs already. */
const NAMED_BEFORE = new Set(
  ['生成模型', '图像生成与编辑', '多模态', '多模态学习', 'Transformer', '3D/CG', '3D相关', '3D视觉与重建', '3D重建', '3D感知', 'Nerf', 'NeRF', '3DGS', 'LLM', 'OCR', 'GNN', '分类/检测/识别/分割', '分类/检测/识别/分割/...', '目标检测与分割', '各类学习方式', '半监督/无监督学习', 'Zero/Few-Shot Learning', '少样本学习', '图像理解', '视频理解与处理', '视频生成', '人体姿态与动作', '模型压缩/优化', '其他'].map(foldName),
);
const TAXONOMY_SLUGS = new Set(['all', ...TAXONOMY.map((c) => c.slug)]);

function asciiSlug(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

/** The slug the old rule gave a name it did not know: its ASCII words or pinyin, `x-` before a known slug. */
export function legacySlugOf(name: string): string {
  const romanised = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).join(' ');
  const base = asciiSlug(romanised) || 'category';
  return TAXONOMY_SLUGS.has(base) ? `x-${base}` : base;
}

let legacy: ReadonlyMap<string, string> | null = null;
/** Old slug → the taxonomy slug its name is filed under now. */
export function legacySlugs(): ReadonlyMap<string, string> {
  legacy ??= new Map(
    Object.entries(PUBLISHER_NAMES)
      .filter(([name]) => !NAMED_BEFORE.has(foldName(name)))
      .map(([name, slug]) => [legacySlugOf(name), slug] as const)
      .filter(([old]) => !TAXONOMY_SLUGS.has(old)),
  );
  return legacy;
}

/** A slug as it is now: a taxonomy slug stays, an old one becomes the category its name is filed under. */
export const currentSlug = (slug: string): string => legacySlugs().get(slug) ?? slug;
