import { createHash } from 'node:crypto';
import type { Category } from './model.ts';

interface KnownCategory {
  readonly nameZh: string;
  readonly nameEn: string;
  readonly slug: string;
}

/**
 * Every category name seen in the digests, keyed by the name as printed. Renamed categories share a
 * slug so a feed or a subscriber's choice survives the rename.
 */
const KNOWN: Readonly<Record<string, KnownCategory>> = {
  生成模型: { nameZh: '生成模型', nameEn: 'Generative models', slug: 'generative' },
  多模态: { nameZh: '多模态', nameEn: 'Multimodal', slug: 'multimodal' },
  Transformer: { nameZh: 'Transformer', nameEn: 'Transformers', slug: 'transformer' },
  '3D/CG': { nameZh: '3D/CG', nameEn: '3D & graphics', slug: '3d-cg' },
  '3D相关': { nameZh: '3D相关', nameEn: '3D & graphics', slug: '3d-cg' },
  Nerf: { nameZh: 'NeRF', nameEn: 'Neural radiance fields', slug: 'nerf' },
  '3DGS': { nameZh: '3DGS', nameEn: '3D Gaussian splatting', slug: '3dgs' },
  LLM: { nameZh: '大语言模型', nameEn: 'Large language models', slug: 'llm' },
  OCR: { nameZh: 'OCR', nameEn: 'OCR & document understanding', slug: 'ocr' },
  GNN: { nameZh: '图神经网络', nameEn: 'Graph neural networks', slug: 'gnn' },
  '分类/检测/识别/分割': { nameZh: '分类/检测/识别/分割', nameEn: 'Classification, detection & segmentation', slug: 'detection-segmentation' },
  '分类/检测/识别/分割/...': { nameZh: '分类/检测/识别/分割', nameEn: 'Classification, detection & segmentation', slug: 'detection-segmentation' },
  各类学习方式: { nameZh: '各类学习方式', nameEn: 'Learning paradigms', slug: 'learning' },
  图像理解: { nameZh: '图像理解', nameEn: 'Image understanding', slug: 'image-understanding' },
  '模型压缩/优化': { nameZh: '模型压缩/优化', nameEn: 'Model compression & optimisation', slug: 'compression' },
  其他: { nameZh: '其他', nameEn: 'Other', slug: 'other' },
};

/** Slug of the feed that holds every category. Never produced by `categoryFor`. */
export const ALL_SLUG = 'all';

export function knownCategories(): Category[] {
  const bySlug = new Map<string, Category>();
  for (const [name, k] of Object.entries(KNOWN)) {
    if (!bySlug.has(k.slug)) bySlug.set(k.slug, { name, ...k, known: true });
  }
  return [...bySlug.values()];
}

/**
 * Maps a printed category name to its category. Unknown names get `x-<ascii>-<hash>`: the `x-` prefix
 * keeps them apart from known slugs and the hash of the exact name keeps two unknown names apart even
 * when their ASCII parts agree (`医学/3D` and `遥感/3D`).
 */
export function categoryFor(name: string): Category {
  const known = KNOWN[name];
  if (known) return { name, ...known, known: true };
  const ascii = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
  const slug = ascii ? `x-${ascii}-${hash}` : `x-${hash}`;
  return { name, nameZh: name, nameEn: name, slug, known: false };
}
