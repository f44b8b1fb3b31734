import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layering rule (.dependency-cruiser.cjs, run by `npm test` before vitest) catches what it is
 * for: a scratch tree with the project's layout and one upward import of each kind fails it, the
 * same tree without them passes.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'paperboy-layers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 't-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function cruise(dir: string): { ok: boolean; out: string } {
  try {
    const out = execFileSync(join(ROOT, 'node_modules', '.bin', 'depcruise'), ['functions', 'templates', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'], { cwd: dir, encoding: 'utf8' });
    return { ok: true, out };
  } catch (err) {
    return { ok: false, out: String((err as { stdout?: string }).stdout ?? err) };
  }
}

const clean = {
  'functions/domain/model.ts': 'export const model = 1;\n',
  'templates/page.ts': "import { model } from '../functions/domain/model.ts';\nexport const page = model;\n",
  'functions/app/use-case.ts': "import { page } from '../../templates/page.ts';\nexport const useCase = page;\n",
  'functions/handlers/entry.ts': "import { useCase } from '../app/use-case.ts';\nexport const handler = useCase;\n",
};

describe('the layering rule', () => {
  it('passes a tree whose imports only go down', () => {
    const r = cruise(tree(clean));
    expect(r.out).toContain('no dependency violations');
    expect(r.ok).toBe(true);
  });

  it('fails an upward import from the domain, a template reaching into app, and a cycle, naming each', () => {
    const r = cruise(
      tree({
        ...clean,
        'functions/domain/model.ts': "import { useCase } from '../app/use-case.ts';\nexport const model = useCase;\n",
        'templates/page.ts': "import { useCase } from '../functions/app/use-case.ts';\nexport const page = useCase;\n",
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.out).toContain('domain-is-pure: functions/domain/model.ts → functions/app/use-case.ts');
    expect(r.out).toContain('templates-only-domain: templates/page.ts → functions/app/use-case.ts');
    expect(r.out).toContain('no-circular');
  });
});
