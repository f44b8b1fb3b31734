import type { IndexedRow } from './features.ts';

/**
 * A linear SVM with squared hinge loss, trained by dual coordinate descent (Hsieh et al. 2008, the
 * method of liblinear and scikit-learn's LinearSVC). Examples are few (a reader's saved papers and a
 * few hundred others), so a plain implementation over dense weights trains in a few milliseconds.
 */
export interface SvmOptions {
  readonly c: number;
  /** Weigh each class inversely to its size (scikit-learn's class_weight='balanced'). */
  readonly balanced: boolean;
  readonly iterations: number;
  /** A constant feature, as liblinear's bias term. */
  readonly bias: number;
}

export const DEFAULT_SVM: SvmOptions = { c: 0.1, balanced: true, iterations: 30, bias: 1 };

/** A sparse row over feature indices 0..dimensions-1 (features.ts builds them). */
export type IndexedVector = IndexedRow;

export interface LinearModel {
  readonly w: Float64Array;
  readonly bias: number;
}

export function trainLinearSvm(examples: readonly { readonly x: IndexedVector; readonly y: 1 | -1; readonly weight?: number }[], dimensions: number, options: SvmOptions = DEFAULT_SVM, random: () => number = Math.random): LinearModel {
  const w = new Float64Array(dimensions);
  let b = 0;
  const pos = examples.reduce((n, e) => n + (e.y === 1 ? (e.weight ?? 1) : 0), 0);
  const neg = examples.reduce((n, e) => n + (e.y === -1 ? (e.weight ?? 1) : 0), 0);
  const total = pos + neg;
  const cOf = (e: { y: 1 | -1; weight?: number }) => (options.balanced ? (options.c * total) / (2 * (e.y === 1 ? pos : neg)) : options.c) * (e.weight ?? 1);
  const alpha = new Float64Array(examples.length);
  const dii = examples.map((e) => 1 / (2 * cOf(e)));
  const qii = examples.map((e) => {
    let s = options.bias * options.bias;
    for (const v of e.x.val) s += v * v;
    return s;
  });
  const order = examples.map((_, i) => i);
  for (let it = 0; it < options.iterations; it++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let maxChange = 0;
    for (const i of order) {
      const { x, y } = examples[i]!;
      let wx = b * options.bias;
      for (let k = 0; k < x.idx.length; k++) wx += w[x.idx[k]!]! * x.val[k]!;
      // Squared hinge: D_ii = 1 / (2C), no upper bound on alpha.
      const g = y * wx - 1 + dii[i]! * alpha[i]!;
      const next = Math.max(0, alpha[i]! - g / (qii[i]! + dii[i]!));
      const change = next - alpha[i]!;
      if (change !== 0) {
        const d = change * y;
        for (let k = 0; k < x.idx.length; k++) w[x.idx[k]!]! += d * x.val[k]!;
        b += d * options.bias;
        maxChange = Math.max(maxChange, Math.abs(change));
        alpha[i] = next;
      }
    }
    if (maxChange < 1e-4) break;
  }
  return { w, bias: b * options.bias };
}

export function score(model: LinearModel, x: IndexedVector): number {
  let s = model.bias;
  for (let k = 0; k < x.idx.length; k++) s += model.w[x.idx[k]!]! * x.val[k]!;
  return s;
}
