/**
 * Served as assets/altcha/paperboy-altcha.js beside the widget. The widget's "external" build leaves
 * its proof-of-work workers out (the default build inlines them as blob: URLs, which a strict CSP
 * refuses), so this registers the PBKDF2 worker, served from the same folder (`worker-src 'self'`).
 */
export const ALTCHA_SETUP_JS = `// Paperboy: the ALTCHA widget's PBKDF2 worker, from this folder.
const worker = new URL('pbkdf2.js', import.meta.url);
for (const name of ['PBKDF2/SHA-256', 'PBKDF2/SHA-384', 'PBKDF2/SHA-512']) globalThis.$altcha.algorithms.set(name, () => new Worker(worker));
`;
