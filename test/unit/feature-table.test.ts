import { describe, expect, it } from 'vitest';
import { FeatureIndex, FeatureTable } from '../../functions/domain/ranking/feature-table.ts';
import { hashFeature } from '../../functions/domain/ranking/features.ts';

// The typed tables stand in for Maps on the ranking's hot paths: they must answer exactly as a Map would.
const features = Array.from({ length: 50_000 }, (_, i) => hashFeature(`term${i}`));

describe('the ranking\'s feature tables', () => {
  it('a day\'s table finds every feature\'s slot, and -1 for the ones no paper has (24-bit hashes, 0 included)', () => {
    const day = [0, ...features.slice(0, 20_000).map((f) => f & 0xffffff)];
    const unique = [...new Set(day)];
    const table = new FeatureTable(unique.map((f, i) => [f, i] as const), unique.length);
    unique.forEach((f, i) => expect(table.get(f)).toBe(i));
    const absent = features.slice(20_000).map((f) => f & 0xffffff).filter((f) => !unique.includes(f)).slice(0, 2000);
    expect(absent.length).toBeGreaterThan(1000);
    for (const f of absent) expect(table.get(f)).toBe(-1);
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
