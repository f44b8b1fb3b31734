import { describe, expect, it } from 'vitest';
import { columns, wrapText } from '../../functions/domain/text-wrap.ts';

describe('plain-text wrapping', () => {
  it('never starts a line with closing punctuation, also after a Latin word inside Chinese brackets', () => {
    // The real line of 2024-02-04 that did: "（BAVD" ended a line and "）" began the next.
    const text = '为了解决这个问题，我们提出了 AVSAC。我们的方法采用具有集成双向桥的双向视听解码器（BAVD），增强音频提示并促进音频和视觉模式之间的持续相互作用。';
    for (let width = 20; width <= 76; width++) {
      const lines = wrapText(text, '    ', '    ', width).split('\n');
      expect(lines.filter((l) => /^\s*[，。、；：？！）》」]/.test(l)), `width ${width}`).toEqual([]);
      expect(Math.max(...lines.map(columns)), `width ${width}`).toBeLessThanOrEqual(width);
      expect(lines.join('').replace(/\s/g, ''), `width ${width}`).toBe(text.replace(/\s/g, ''));
    }
  });
});
