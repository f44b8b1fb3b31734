/**
 * English labels for category names the table does not know yet. The publisher's late-2024 names
 * are compounds of a small vocabulary (视频 + 生成, 3D + 视觉 + 与 + 重建), so a longest-match walk
 * over these terms labels most new names; a name with any part left over keeps its own text.
 */
const TERMS: Readonly<Record<string, string>> = {
  '3D': '3D',
  '2D': '2D',
  视觉: 'vision',
  计算机视觉: 'computer vision',
  图像: 'image',
  视频: 'video',
  生成: 'generation',
  编辑: 'editing',
  理解: 'understanding',
  处理: 'processing',
  重建: 'reconstruction',
  感知: 'perception',
  检测: 'detection',
  目标: 'object',
  分割: 'segmentation',
  分类: 'classification',
  识别: 'recognition',
  跟踪: 'tracking',
  追踪: 'tracking',
  估计: 'estimation',
  姿态: 'pose',
  动作: 'motion',
  人体: 'human',
  人脸: 'face',
  行人: 'pedestrian',
  重识别: 're-identification',
  深度: 'depth',
  点云: 'point cloud',
  场景: 'scene',
  医学: 'medical',
  医疗: 'medical',
  影像: 'imaging',
  遥感: 'remote sensing',
  自动驾驶: 'autonomous driving',
  机器人: 'robotics',
  具身智能: 'embodied AI',
  多模态: 'multimodal',
  大模型: 'large models',
  语言: 'language',
  模型: 'models',
  大语言模型: 'large language models',
  视觉语言模型: 'vision-language models',
  扩散模型: 'diffusion models',
  扩散: 'diffusion',
  学习: 'learning',
  自监督: 'self-supervised',
  半监督: 'semi-supervised',
  无监督: 'unsupervised',
  弱监督: 'weakly supervised',
  少样本: 'few-shot',
  零样本: 'zero-shot',
  持续: 'continual',
  增量: 'incremental',
  迁移: 'transfer',
  域适应: 'domain adaptation',
  领域自适应: 'domain adaptation',
  强化: 'reinforcement',
  对抗: 'adversarial',
  攻击: 'attacks',
  防御: 'defence',
  安全: 'security',
  隐私: 'privacy',
  鲁棒性: 'robustness',
  可解释性: 'explainability',
  异常: 'anomaly',
  质量评估: 'quality assessment',
  超分辨率: 'super-resolution',
  去噪: 'denoising',
  恢复: 'restoration',
  增强: 'enhancement',
  压缩: 'compression',
  优化: 'optimisation',
  高效: 'efficient',
  轻量化: 'lightweight',
  文本: 'text',
  文档: 'document',
  数据集: 'datasets',
  基准: 'benchmarks',
  评估: 'evaluation',
  神经辐射场: 'neural radiance fields',
  高斯: 'Gaussian',
  泼溅: 'splatting',
  渲染: 'rendering',
  表示: 'representation',
  预训练: 'pre-training',
  对比: 'contrastive',
  问答: 'question answering',
  检索: 'retrieval',
  其他: 'other',
  与: '&',
  和: '&',
  及: '&',
  '/': '/',
  '、': ',',
};

const LONGEST = Math.max(...Object.keys(TERMS).map((t) => t.length));

export function englishLabelFor(name: string): string | null {
  const words: string[] = [];
  let i = 0;
  const text = name.replace(/\s+/g, '');
  while (i < text.length) {
    let matched = false;
    for (let len = Math.min(LONGEST, text.length - i); len > 0; len--) {
      const english = TERMS[text.slice(i, i + len)];
      if (english !== undefined) {
        words.push(english);
        i += len;
        matched = true;
        break;
      }
    }
    if (!matched) return null;
  }
  const label = words.join(' ').replace(/ \/ /g, '/').replace(/ ,/g, ',');
  return label ? label.charAt(0).toUpperCase() + label.slice(1) : null;
}
