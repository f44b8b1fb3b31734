import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** Where the Publish function finds the binary: beside its handler (pagefind reads this variable). */
export const LAMBDA_PAGEFIND_BINARY = '/var/task/pagefind_extended';

export type LinuxArch = 'arm64' | 'x64';

/**
 * The Linux Pagefind binary for a Lambda architecture, as a file on this machine.
 *
 * npm installs only the binary of the machine it runs on (the platform packages are optional
 * dependencies with `os`/`cpu` fields), and the machine that runs `cdk deploy` is rarely a Linux
 * ARM64 one. So the package the lockfile pins for the Lambda's platform is fetched with `npm pack`
 * (the project's registry, no other host), checked against the lockfile's integrity hash, and kept
 * under .cache/; `npm test`'s setup fetches it ahead so synthesis in tests needs no network.
 */
export function pagefindBinaryFor(arch: LinuxArch): string {
  const name = `@pagefind/linux-${arch}`;
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; integrity?: string }> };
  const pinned = lock.packages[`node_modules/${name}`];
  if (!pinned?.version || !pinned.integrity) throw new Error(`package-lock.json pins no ${name}: run npm install to record Pagefind's platform packages`);
  const installed = join(ROOT, 'node_modules', name, 'bin', 'pagefind_extended');
  if (existsSync(installed)) return installed;
  const dir = join(ROOT, '.cache', 'pagefind', `linux-${arch}-${pinned.version}`);
  const binary = join(dir, 'pagefind_extended');
  if (existsSync(binary)) return binary;

  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'fetch-'));
  try {
    execFileSync('npm', ['pack', `${name}@${pinned.version}`, '--pack-destination', work, '--silent'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${name}@${pinned.version} wrote no tarball`);
    const [algorithm, expected] = pinned.integrity.split('-', 2) as [string, string];
    const actual = createHash(algorithm).update(readFileSync(join(work, tarball))).digest('base64');
    if (actual !== expected) throw new Error(`${name}@${pinned.version}: integrity ${algorithm}-${actual} is not the lockfile's ${pinned.integrity}`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/bin/pagefind_extended']);
    chmodSync(join(work, 'package', 'bin', 'pagefind_extended'), 0o755);
    renameSync(join(work, 'package', 'bin', 'pagefind_extended'), binary);
  } catch (err) {
    throw new Error(`could not fetch ${name}@${pinned.version} for the Publish function's search index (needs npm and its registry): ${(err as Error).message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}
