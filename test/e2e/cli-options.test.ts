import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** Issue 31.7: the three commands a newcomer types say what they take, and a wrong option is one line naming the fix. */
const ROOT = join(import.meta.dirname, '..', '..');
const run = async (script: string, args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', script), ...args], { cwd: ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('command line options', () => {
  for (const [script, command, options] of [
    ['start.ts', 'npm start', ['--once', '--port PORT', '--fresh', '--resend', '--source url|arxiv']],
    ['backfill.ts', 'npm run backfill', ['--dir FOLDER', '--url-template URL', '--from YYYY-MM-DD', '--data-dir FOLDER', '--force']],
    ['preflight.ts', 'npm run preflight', ['--region REGION', '-c, --context KEY=VALUE']],
  ] as const) {
    it(`${command} -- --help lists every option and exits 0; an unknown option is one line and exit 2`, async () => {
      const help = await run(script, ['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout.startsWith(`${command}\n`)).toBe(true);
      for (const o of options) expect(help.stdout).toContain(o);
      const wrong = await run(script, ['--no-such-option']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr.trim()).toBe(`${command}: Unknown option '--no-such-option'. See: ${command} -- --help`);
      expect(wrong.stderr).not.toMatch(/\n\s+at /);
    }, 60_000);
  }
});

describe('npm run backfill on wrong input', () => {
  it('names a missing folder in one line, exit 2', async () => {
    const out = await run('backfill.ts', ['--dir', '/no/such/folder']);
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toBe('backfill: --dir /no/such/folder: no such folder (give a folder of YYYY-MM-DD.md digest files)');
  }, 60_000);

  it('exits 1 while a day is quarantined (an empty file at line 1, a name whose date disagrees with its header), again on a re-run, and 0 when told to allow it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-backfill-'));
    const files = join(dir, 'in');
    try {
      await promisify(execFile)('mkdir', [files]);
      writeFileSync(join(files, '2024-05-01.md'), '');
      copyFileSync(join(ROOT, 'test', 'fixtures', 'digests', '2024-02-05.md'), join(files, '2024-02-06.md'));
      const args = ['--dir', files, '--data-dir', join(dir, 's3')];
      const first = await run('backfill.ts', args);
      expect(first.code).toBe(1);
      expect(first.stdout).toContain('2024-05-01.md:1 [header]: the file is empty');
      expect(first.stdout).toContain('2024-02-06.md:1 [date]: header says 2024-02-05 but the digest was expected for 2024-02-06');
      expect(first.stdout).toContain('backfill: 2 day(s) quarantined (listed above): exit 1 (--allow-quarantined to exit 0)');
      const again = await run('backfill.ts', args);
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/still quarantined 2024-05-01 .*the report is quarantine\/2024-05-01\//);
      expect((await run('backfill.ts', [...args, '--allow-quarantined'])).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
