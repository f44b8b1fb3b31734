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
