import { describe, expect, it } from 'vitest';
import { FeatureIndex, SortedFeatures } from '../../functions/domain/ranking/feature-table.ts';
import { hashFeature } from '../../functions/domain/ranking/features.ts';

// The typed tables stand in for Maps on the ranking's hot paths: they must answer exactly as a Map would.
const features = Array.from({ length: 50_000 }, (_, i) => hashFeature(`term${i}`));

describe('the ranking\'s feature tables', () => {
  it('a day\'s sorted features find every feature\'s place in their order, and -1 for the ones no paper has (24-bit hashes, 0 and the largest included)', () => {
    const day = [0, 0xffffff, ...features.slice(0, 20_000).map((f) => f & 0xffffff)];
    const unique = [...new Set(day)];
    const table = new SortedFeatures(Uint32Array.from(unique));
    const order = [...unique].sort((a, b) => a - b);
    expect([...table.sorted]).toEqual(order);
    order.forEach((f, i) => expect(table.slotOf(f)).toBe(i));
    const absent = features.slice(20_000).map((f) => f & 0xffffff).filter((f) => !unique.includes(f)).slice(0, 2000);
    expect(absent.length).toBeGreaterThan(1000);
    for (const f of [...absent, 1, 0xfffffe]) expect(table.slotOf(f)).toBe(-1);
    // A day of one paper, and of none.
    expect(new SortedFeatures(Uint32Array.of(5)).slotOf(5)).toBe(0);
    expect(new SortedFeatures(new Uint32Array(0)).slotOf(5)).toBe(-1);
  });

  it('a click\'s index numbers 32-bit hashes in first-seen order, through growth, as a Map does', () => {
    const index = new FeatureIndex(4);
    const expected = new Map<number, number>();
    for (const f of [...features, ...features.slice(0, 1000), 0, 0xffffffff, 0]) {
      if (!expected.has(f)) expected.set(f, expected.size);
      expect(index.indexOf(f)).toBe(expected.get(f));
    }
    expect(index.size).toBe(expected.size);
    expect([...index.list()]).toEqual([...expected.keys()]);
  });
});
