import { execFile } from 'node:child_process';
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
    ['start.ts', 'npm start', ['--once', '--port PORT', '--fresh', '--source url|arxiv']],
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
