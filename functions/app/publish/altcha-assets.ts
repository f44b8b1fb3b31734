import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ALTCHA_SETUP_JS } from '../../../templates/site/altcha-setup.ts';
import { CACHE_CONTROL, sitePaths } from '../../domain/site/paths.ts';
import type { SiteFile } from './build-site.ts';

/** The widget's files as the altcha package ships them: name in the site → path under the package's dist/. */
export const ALTCHA_FILES = { 'altcha.js': 'external/altcha.min.js', 'altcha.css': 'external/altcha.css', 'pbkdf2.js': 'workers/pbkdf2.js' } as const;

/** The altcha package's dist/ folder in node_modules (also where the CDK bundling copies from). */
export function altchaDistDir(): string {
  // The package exports no package.json; its CommonJS entry sits in dist/external/.
  return dirname(dirname(createRequire(import.meta.url).resolve('altcha/external')));
}

let cached: SiteFile[] | null = null;

/**
 * The ALTCHA widget, published with the site so the subscribe form loads nothing from a third party.
 * `bundled`: the folder the Publish function's bundle has the files in (ALTCHA_ASSETS_DIR); without
 * it, the package in node_modules.
 */
export function altchaAssets(bundled?: string): SiteFile[] {
  if (cached) return cached;
  const read = (name: keyof typeof ALTCHA_FILES) => readFileSync(bundled ? join(bundled, name) : join(altchaDistDir(), ALTCHA_FILES[name]));
  const js = 'text/javascript; charset=utf-8';
  cached = [
    { path: `${sitePaths.altcha}altcha.js`, body: read('altcha.js'), contentType: js, cacheControl: CACHE_CONTROL.asset },
    { path: `${sitePaths.altcha}altcha.css`, body: read('altcha.css'), contentType: 'text/css; charset=utf-8', cacheControl: CACHE_CONTROL.asset },
    { path: `${sitePaths.altcha}pbkdf2.js`, body: read('pbkdf2.js'), contentType: js, cacheControl: CACHE_CONTROL.asset },
    { path: `${sitePaths.altcha}paperboy-altcha.js`, body: ALTCHA_SETUP_JS, contentType: js, cacheControl: CACHE_CONTROL.asset },
  ];
  return cached;
}
