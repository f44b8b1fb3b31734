import { pinyin } from 'pinyin-pro';
import type { Category } from './model.ts';
import { englishLabelFor } from './category-glossary.ts';

interface KnownCategory {
  readonly nameZh: string;
  readonly nameEn: string;
  readonly slug: string;
}

/**
 * Every category name seen in the digests of 2024, keyed by the name as printed. A renamed category,
 * or one of the late-November names that means the same as an earlier one, shares its slug, so a
 * feed or a subscriber's choice survives the publisher's change of scheme.
 */
const KNOWN: Readonly<Record<string, KnownCategory>> = {
  生成模型: { nameZh: '生成模型', nameEn: 'Generative models', slug: 'generative' },
  图像生成与编辑: { nameZh: '图像生成与编辑', nameEn: 'Image generation & editing', slug: 'generative' },
  多模态: { nameZh: '多模态', nameEn: 'Multimodal', slug: 'multimodal' },
  多模态学习: { nameZh: '多模态学习', nameEn: 'Multimodal learning', slug: 'multimodal' },
  Transformer: { nameZh: 'Transformer', nameEn: 'Transformers', slug: 'transformer' },
  '3D/CG': { nameZh: '3D/CG', nameEn: '3D & graphics', slug: '3d-cg' },
  '3D相关': { nameZh: '3D相关', nameEn: '3D & graphics', slug: '3d-cg' },
  '3D视觉与重建': { nameZh: '3D视觉与重建', nameEn: '3D vision & reconstruction', slug: '3d-cg' },
  '3D重建': { nameZh: '3D重建', nameEn: '3D reconstruction', slug: '3d-cg' },
  '3D感知': { nameZh: '3D感知', nameEn: '3D perception', slug: '3d-perception' },
  Nerf: { nameZh: 'NeRF', nameEn: 'Neural radiance fields', slug: 'nerf' },
  NeRF: { nameZh: 'NeRF', nameEn: 'Neural radiance fields', slug: 'nerf' },
  '3DGS': { nameZh: '3DGS', nameEn: '3D Gaussian splatting', slug: '3dgs' },
  LLM: { nameZh: '大语言模型', nameEn: 'Large language models', slug: 'llm' },
  OCR: { nameZh: 'OCR', nameEn: 'OCR & document understanding', slug: 'ocr' },
  GNN: { nameZh: '图神经网络', nameEn: 'Graph neural networks', slug: 'gnn' },
  '分类/检测/识别/分割': { nameZh: '分类/检测/识别/分割', nameEn: 'Classification, detection & segmentation', slug: 'detection-segmentation' },
  '分类/检测/识别/分割/...': { nameZh: '分类/检测/识别/分割', nameEn: 'Classification, detection & segmentation', slug: 'detection-segmentation' },
  目标检测与分割: { nameZh: '目标检测与分割', nameEn: 'Object detection & segmentation', slug: 'detection-segmentation' },
  各类学习方式: { nameZh: '各类学习方式', nameEn: 'Learning paradigms', slug: 'learning' },
  '半监督/无监督学习': { nameZh: '半监督/无监督学习', nameEn: 'Semi- & unsupervised learning', slug: 'semi-unsupervised' },
  'Zero/Few-Shot Learning': { nameZh: '零样本/少样本学习', nameEn: 'Zero- & few-shot learning', slug: 'few-shot' },
  少样本学习: { nameZh: '少样本学习', nameEn: 'Few-shot learning', slug: 'few-shot' },
  图像理解: { nameZh: '图像理解', nameEn: 'Image understanding', slug: 'image-understanding' },
  视频理解与处理: { nameZh: '视频理解与处理', nameEn: 'Video understanding & processing', slug: 'video' },
  视频生成: { nameZh: '视频生成', nameEn: 'Video generation', slug: 'video-generation' },
  人体姿态与动作: { nameZh: '人体姿态与动作', nameEn: 'Human pose & motion', slug: 'human-pose' },
  '模型压缩/优化': { nameZh: '模型压缩/优化', nameEn: 'Model compression & optimisation', slug: 'compression' },
  其他: { nameZh: '其他', nameEn: 'Other', slug: 'other' },
};

/** Slug of the feed that holds every category. Never produced by `categoryFor`. */
export const ALL_SLUG = 'all';

const KNOWN_SLUGS = new Set([ALL_SLUG, ...Object.values(KNOWN).map((k) => k.slug)]);
/** Case and spacing variants of a known name (`Nerf`/`NeRF`, `3dgs`) are the known category. */
const KNOWN_FOLDED = new Map(Object.entries(KNOWN).map(([name, k]) => [fold(name), k]));

function fold(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

export function knownCategories(): Category[] {
  const bySlug = new Map<string, Category>();
  for (const [name, k] of Object.entries(KNOWN)) {
    if (!bySlug.has(k.slug)) bySlug.set(k.slug, { name, ...k, known: true });
  }
  return [...bySlug.values()];
}

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

/**
 * Maps a printed category name to its category. An unknown name gets a slug a reader can read and
 * that depends on the name alone: its ASCII words (`Zero/Few-Shot Learning` → `zero-few-shot-learning`)
 * or its pinyin (`视频编辑` → `shi-pin-bian-ji`), never a hash. A slug that would collide with a known
 * one gets an `x-` prefix, so a new name never joins an existing feed by accident. Its English label
 * comes from a glossary of the field's terms where every part of the name is covered.
 */
export function categoryFor(name: string): Category {
  const known = KNOWN[name] ?? KNOWN_FOLDED.get(fold(name));
  if (known) return { name, ...known, known: true };
  const romanised = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).join(' ');
  const base = asciiSlug(romanised) || 'category';
  const slug = KNOWN_SLUGS.has(base) ? `x-${base}` : base;
  return { name, nameZh: name, nameEn: englishLabelFor(name) ?? name, slug, known: false };
}
