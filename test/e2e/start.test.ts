import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { digestFiles } from '../../scripts/local/ingest-folder.ts';
import { FIXTURE_DIR, TABLE_FIXTURE_DIR } from '../support/fixtures.ts';

const run = promisify(execFile);

async function freePort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return String(port);
}
const dir = mkdtempSync(join(tmpdir(), 'paperboy-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start -- --once', () => {
  it('runs the whole pipeline and says what it produced and where to look', async () => {
    const env = { ...process.env, PAPERBOY_LOCAL_DIR: dir };
    // Feeds carry absolute URLs, so both runs must serve on the same port for "unchanged" to hold.
    const port = await freePort();
    const { stdout } = await run('npm', ['start', '--', '--once', '--port', port], { cwd: join(import.meta.dirname, '..', '..'), env, timeout: 240_000 });
    // The table copy of a day is read where there is one, as a deployment reads the source today.
    const files = digestFiles([FIXTURE_DIR, TABLE_FIXTURE_DIR], 'table-only-where-present');
    const days = new Set(files.map((f) => f.date)).size;
    // The empty day 2024-07-13 is byte-identical in both formats' folders: its second copy is unchanged.
    expect(stdout).toContain(`ingest:  ingested ${days} / unchanged ${files.length - days} / superseded 0 / quarantined 0 / missing 0 / failed 0`);
    // The table copy of 2024-02-05 has no abstracts; the recorded arXiv answers hold all 70.
    expect(stdout).toMatch(/abstracts: 70 fetched from the arXiv API in \d+ request\(s\) \(2024-02-05 70\/70 papers with abstracts\)/);
    expect(stdout).toMatch(/publish: \d{3,} files \(\d{3,} written, 0 unchanged\), newest day 2024-12-12, search shards built: 20\d\d-\d\d-[12]/);
    expect(stdout).toMatch(/demo\.reader@example\.com → HTTP 202 \(proof of work solved in \d+ ms\), confirmed through the link in its mail; status confirmed/);
    // The API's own URL, called past the site (CloudFront's stand-in), is refused.
    expect(stdout).toMatch(/api: {5}through the site http:\/\/127\.0\.0\.1:\d+\/api\/subscribe; called directly at http:\/\/127\.0\.0\.1:\d+ → HTTP 403/);
    // Both readers, in the planner's order (readers of the same mail together, so either may come first).
    expect(stdout).toMatch(/send: {4}2024-12-12: sent 2, skipped 0, suppressed 0, failed 0 — "Paperboy 2024-12-12: \d+ new papers · \d+ 篇新论文" to (demo|filters)\.reader@example\.com; "Paperboy 2024-12-12: \d+ new papers · \d+ 篇新论文" to (demo|filters)\.reader@example\.com/);
    expect(stdout).toMatch(/send: .* to demo\.reader@example\.com/);
    expect(stdout).toMatch(/send: .* to filters\.reader@example\.com/);
    // The reader with filters gets their matches first, and a personal feed with items in it.
    expect(stdout).toMatch(/filters\.reader@example\.com: [1-9]\d* matches first, terms marked/);
    expect(stdout).toMatch(/feed: {4}filters\.reader@example\.com's personal feed → HTTP 200, [1-9]\d* items/);
    expect(stdout).toMatch(/weekly: {2}2024-12-13 \(weekday 5\): \d+ papers of 1 mailed day\(s\), sent 1 — "Paperboy 2024-12-06 – 2024-12-12：\d+ 篇新论文" to weekly\.reader@example\.com/);
    expect(stdout).toMatch(/preferences {6}http:\/\/127\.0\.0\.1:\d+\/api\/preferences\?token=/);
    // No URL it prints carries a token that decodes to anything readable (issue 29.4).
    const tokens = [...stdout.matchAll(/(?:token=|\/feed\/)([A-Za-z0-9_%-]+\.[A-Za-z0-9_-]+)/g)].map((m) => decodeURIComponent(m[1] ?? ''));
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const t of tokens) for (let skip = 0; skip < 4; skip++) expect(Buffer.from(t.slice(skip).split('.')[0] ?? '', 'base64url').toString('latin1')).not.toMatch(/example|reader|\{"|"e":|feed|manage/);
    expect(stdout).toMatch(/site and feeds {3}http:\/\/127\.0\.0\.1:\d+\//);
    expect(stdout).toMatch(/mailbox \(SES\) {4}http:\/\/127\.0\.0\.1:\d+\//);
    expect(stdout.trim().endsWith('ok (--once)')).toBe(true);

    // A second run over the same data changes nothing and sends nothing.
    const again = await run('npm', ['start', '--', '--once', '--port', port], { cwd: join(import.meta.dirname, '..', '..'), env, timeout: 240_000 });
    expect(again.stdout).toContain(`ingest:  ingested 0 / unchanged ${files.length}`);
    expect(again.stdout).toContain('abstracts: 0 fetched from the arXiv API in 0 request(s)');
    expect(again.stdout).toMatch(/publish: \d{3,} files \(0 written, \d{3,} unchanged\)/);
    expect(again.stdout).toContain('send:    no new day in this run');
  }, 300_000);
});
