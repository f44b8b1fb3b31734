import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'digests');
export const SEED_DAY = '2024-02-04';

export function fixtureDays(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3))
    .sort();
}

export function fixtureBytes(day: string): Buffer {
  return readFileSync(join(FIXTURE_DIR, `${day}.md`));
}

export function fixtureText(day: string): string {
  return fixtureBytes(day).toString('utf8');
}

export const TABLE_FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'table');

/** Real days of the table format (the only format published after 2024-11-29). */
export function tableFixtureDays(): string[] {
  return readdirSync(TABLE_FIXTURE_DIR)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => f.slice(0, -3))
    .sort();
}

export function tableFixtureText(day: string): string {
  return readFileSync(join(TABLE_FIXTURE_DIR, `${day}.md`), 'utf8');
}

/**
 * A fixture day with another date in its header. The fixtures are one real day a week; relabelled
 * as consecutive days they fill a feed window as a live run does.
 */
export function relabelledBytes(day: string, date: string): Buffer {
  const text = fixtureText(day);
  const relabelled = text.replace(/\*\*\d{4}-\d{2}-\d{2}\*\*|-- \d{4}-\d{2}-\d{2}/, (m) => m.replace(/\d{4}-\d{2}-\d{2}/, date));
  if (relabelled === text) throw new Error(`${day}.md: no date in its header to relabel`);
  return Buffer.from(relabelled);
}

/** `count` consecutive dates ending on `last`. */
export function consecutiveDates(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}
