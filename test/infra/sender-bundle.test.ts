import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** The sender loads a stored edition and never compiles one: its bundle carries no MJML (esbuild runs as a process, so this is no unit test). */
describe('the sender bundle', () => {
  it('holds no MJML, no newsletter template and no edition compiler', async () => {
    const out = await build({ entryPoints: ['functions/handlers/send-batch.ts'], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent', external: ['@aws-sdk/*'] });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((i) => i.includes('functions/app/newsletter/send-batch.ts'))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/mjml|newsletter-mjml|compile-edition/.test(i))).toEqual([]);
  });
});
