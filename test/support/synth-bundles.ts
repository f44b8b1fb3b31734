import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, '..', '..');

/** `cdk synth` through the CLI, bundling every function exactly as `cdk deploy` would; returns handler → bundle file. */
export async function synthBundles(outdir: string): Promise<Map<string, string>> {
  await run('npx', ['cdk', 'synth', '--quiet', '-c', 'paperboy:allowPlaceholders=true', '-c', 'paperboy:inboundUnsubscribe=true', '-o', outdir], { cwd: ROOT, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' }, maxBuffer: 64 * 1024 * 1024 });
  const template = JSON.parse(readFileSync(join(outdir, 'Paperboy.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string }; Handler?: string } }> };
  const bundles = new Map<string, string>();
  for (const [logicalId, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function' || !r.Properties.Code?.S3Key?.endsWith('.zip') || r.Properties.Handler !== 'index.handler') continue;
    const file = join(outdir, `asset.${r.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
    // CDK's own helpers (bucket auto-delete, notifications) ship CommonJS index.js: not ours.
    if (existsSync(file)) bundles.set(logicalId.replace(/[0-9A-F]{8}$/, ''), file);
  }
  return bundles;
}
