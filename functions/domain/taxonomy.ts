/**
 * Paperboy's own categories: the one set of names every page, feed, OPML file, form and mail uses,
 * in this order. The slugs are the ones readers already subscribe to (feed URLs, preferences); the
 * publisher's names, in both of its schemes, map onto them below.
 */
export interface TaxonomyCategory {
  readonly slug: string;
  readonly nameEn: string;
  readonly nameZh: string;
  /** One line a reader can decide by (subscribe form, index). */
  readonly about: string;
}

export const TAXONOMY: readonly TaxonomyCategory[] = [
  { slug: 'generative', nameEn: 'Image generation & editing', nameZh: '图像生成与编辑', about: 'Diffusion models, GANs, text-to-image, image editing and synthesis.' },
  { slug: 'video-generation', nameEn: 'Video generation', nameZh: '视频生成', about: 'Text- and image-to-video, video diffusion, animation.' },
  { slug: 'multimodal', nameEn: 'Multimodal & vision-language', nameZh: '多模态与视觉语言', about: 'Vision-language models, captioning, visual question answering, grounding.' },
  { slug: 'llm', nameEn: 'Large language models', nameZh: '大语言模型', about: 'LLMs used for or with vision: agents, reasoning, instruction tuning.' },
  { slug: 'transformer', nameEn: 'Transformers & architectures', nameZh: 'Transformer 与网络结构', about: 'Vision transformers, state-space models, new backbones.' },
  { slug: 'detection-segmentation', nameEn: 'Detection, segmentation & recognition', nameZh: '检测、分割与识别', about: 'Object detection, semantic and instance segmentation, classification, tracking.' },
  { slug: 'image-understanding', nameEn: 'Image understanding & processing', nameZh: '图像理解与处理', about: 'Scene understanding, restoration, enhancement, quality assessment.' },
  { slug: 'video', nameEn: 'Video understanding', nameZh: '视频理解', about: 'Action recognition, video retrieval, temporal grounding, video processing.' },
  { slug: 'human-pose', nameEn: 'Humans: pose, motion & faces', nameZh: '人体、动作与人脸', about: 'Pose estimation, motion generation, avatars, face recognition and editing.' },
  { slug: '3d-cg', nameEn: '3D vision & reconstruction', nameZh: '3D 视觉与重建', about: 'Multi-view and monocular reconstruction, depth, 3D generation, graphics.' },
  { slug: '3d-perception', nameEn: '3D perception & driving', nameZh: '3D 感知与自动驾驶', about: 'Point clouds, LiDAR, occupancy, autonomous driving.' },
  { slug: 'nerf', nameEn: 'Neural radiance fields', nameZh: '神经辐射场 (NeRF)', about: 'NeRF and other neural implicit scene representations.' },
  { slug: '3dgs', nameEn: '3D Gaussian splatting', nameZh: '3D 高斯泼溅', about: 'Gaussian splatting for rendering, reconstruction and editing.' },
  { slug: 'ocr', nameEn: 'OCR & documents', nameZh: 'OCR 与文档', about: 'Text recognition, document and chart understanding.' },
  { slug: 'gnn', nameEn: 'Graph neural networks', nameZh: '图神经网络', about: 'Graph learning applied to vision.' },
  { slug: 'compression', nameEn: 'Efficient models & compression', nameZh: '模型压缩与加速', about: 'Quantisation, pruning, distillation, efficient inference.' },
  { slug: 'learning', nameEn: 'Learning paradigms', nameZh: '学习范式', about: 'Continual, federated, transfer and reinforcement learning, domain adaptation.' },
  { slug: 'semi-unsupervised', nameEn: 'Self-, semi- & unsupervised learning', nameZh: '自监督、半监督与无监督学习', about: 'Learning without (many) labels: contrastive, masked, pseudo-labels.' },
  { slug: 'few-shot', nameEn: 'Zero- & few-shot learning', nameZh: '零样本与少样本学习', about: 'Open-vocabulary, zero-shot and few-shot recognition.' },
  { slug: 'other', nameEn: 'Other', nameZh: '其他', about: 'Everything else: medical imaging, remote sensing, robustness, datasets…' },
];

export const OTHER_SLUG = 'other';

const BY_SLUG = new Map(TAXONOMY.map((c) => [c.slug, c]));
const ORDER = new Map(TAXONOMY.map((c, i) => [c.slug, i]));

export function taxonomyCategory(slug: string): TaxonomyCategory | undefined {
  return BY_SLUG.get(slug);
}

/** A category's place in the one order (unknown slugs last). */
export const taxonomyOrder = (slug: string): number => ORDER.get(slug) ?? TAXONOMY.length;

/**
 * Every name the publisher has printed, as printed, and the category it is filed under: the 2024
 * scheme, the names of late November 2024 (issue 33's count over 2024-11-29..12-19, the fixture days)
 * and their close variants. A name not here is reported and its papers classified one by one; to
 * file a new name, add it here (its old feed URL, if Paperboy published one, then answers too).
 */
export const PUBLISHER_NAMES: Readonly<Record<string, string>> = {
  // The 2024 scheme.
  生成模型: 'generative',
  多模态: 'multimodal',
  Transformer: 'transformer',
  '3D/CG': '3d-cg',
  Nerf: 'nerf',
  NeRF: 'nerf',
  '3DGS': '3dgs',
  LLM: 'llm',
  OCR: 'ocr',
  GNN: 'gnn',
  '分类/检测/识别/分割': 'detection-segmentation',
  '分类/检测/识别/分割/...': 'detection-segmentation',
  各类学习方式: 'learning',
  '半监督/无监督学习': 'semi-unsupervised',
  'Zero/Few-Shot Learning': 'few-shot',
  图像理解: 'image-understanding',
  '模型压缩/优化': 'compression',
  其他: 'other',
  其它: 'other',
  // Late November 2024 and after.
  图像生成与编辑: 'generative',
  '图像生成/合成': 'generative',
  图像生成: 'generative',
  图像合成: 'generative',
  '图像编辑/处理': 'generative',
  图像编辑: 'generative',
  扩散模型: 'generative',
  多模态学习: 'multimodal',
  '视觉-语言理解': 'multimodal',
  视觉语言理解: 'multimodal',
  视觉语言模型: 'multimodal',
  多模态大模型: 'multimodal',
  '多模态/视觉语言': 'multimodal',
  大语言模型: 'llm',
  大模型: 'llm',
  '3D相关': '3d-cg',
  '3D视觉与重建': '3d-cg',
  '3D重建': '3d-cg',
  '3D视觉': '3d-cg',
  '3D生成': '3d-cg',
  深度估计: '3d-cg',
  '3D感知': '3d-perception',
  点云处理: '3d-perception',
  点云: '3d-perception',
  自动驾驶: '3d-perception',
  目标检测与分割: 'detection-segmentation',
  目标检测: 'detection-segmentation',
  语义分割: 'detection-segmentation',
  图像分割: 'detection-segmentation',
  实例分割: 'detection-segmentation',
  图像分类: 'detection-segmentation',
  目标跟踪: 'detection-segmentation',
  '目标跟踪/追踪': 'detection-segmentation',
  异常检测: 'detection-segmentation',
  行人重识别: 'detection-segmentation',
  '图像恢复/增强': 'image-understanding',
  图像恢复: 'image-understanding',
  图像增强: 'image-understanding',
  超分辨率: 'image-understanding',
  图像处理: 'image-understanding',
  场景理解: 'image-understanding',
  图像质量评估: 'image-understanding',
  视频理解与处理: 'video',
  视频理解: 'video',
  视频处理: 'video',
  动作识别: 'video',
  视频生成: 'video-generation',
  人体姿态与动作: 'human-pose',
  人体姿态估计: 'human-pose',
  '人体姿态/动作': 'human-pose',
  '人脸识别/处理': 'human-pose',
  人脸识别: 'human-pose',
  '人体/人脸': 'human-pose',
  模型压缩: 'compression',
  '模型压缩/加速': 'compression',
  模型优化: 'compression',
  知识蒸馏: 'compression',
  自监督学习: 'semi-unsupervised',
  半监督学习: 'semi-unsupervised',
  无监督学习: 'semi-unsupervised',
  对比学习: 'semi-unsupervised',
  少样本学习: 'few-shot',
  零样本学习: 'few-shot',
  '零样本/少样本学习': 'few-shot',
  持续学习: 'learning',
  迁移学习: 'learning',
  域适应: 'learning',
  领域自适应: 'learning',
  联邦学习: 'learning',
  强化学习: 'learning',
  元学习: 'learning',
  文档理解: 'ocr',
  '文本识别/OCR': 'ocr',
  图神经网络: 'gnn',
  医学图像: 'other',
  医学影像: 'other',
  '医学图像分析': 'other',
  遥感: 'other',
  遥感图像: 'other',
  '对抗攻击/防御': 'other',
  对抗攻击: 'other',
  可解释性: 'other',
  数据集: 'other',
  '具身智能/机器人': 'other',
  机器人: 'other',
};

/** Case and spacing variants of a known name (`Nerf`/`NeRF`, `3dgs`, `3D 重建`) are that name. */
export const foldName = (name: string): string => name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
// Paperboy's own names map too: the producer's digest prints them (a taxonomy category the
// publisher never named, as 人体、动作与人脸, comes back from the file under its slug).
const FOLDED = new Map([...TAXONOMY.flatMap((c) => [[foldName(c.nameZh), c.slug], [foldName(c.nameEn), c.slug]] as const), ...Object.entries(PUBLISHER_NAMES).map(([name, slug]) => [foldName(name), slug] as const)]);

/** The category a printed name is filed under, or null for a name the table does not map. */
export function slugForName(name: string): string | null {
  return PUBLISHER_NAMES[name] ?? FOLDED.get(foldName(name)) ?? null;
}
