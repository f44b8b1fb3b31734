import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { altchaChallenge, checkProof, DEFAULT_PROOF, type ProofSettings } from '../../functions/domain/abuse/human-proof.ts';
import { launchChromium } from '../local/browser.ts';
import { startLocalStack } from '../local/stack.ts';
import { fmt, median } from './stats.ts';

const RUNS = 5;

/**
 * What the subscribe form's proof of work costs: a reader's wait in headless Chromium (the widget
 * with its PBKDF2 worker, as served), a bot's CPU to solve one in Node, and the server's to check one.
 */
export async function benchAbuse(): Promise<void> {
  console.log(`abuse: the subscribe form's ALTCHA proof of work (PBKDF2-SHA-256, ${DEFAULT_PROOF.counterMin}–${DEFAULT_PROOF.counterMax} attempts a challenge, at three costs)`);
  const browser = await launchChromium();
  try {
    for (const cost of [500, DEFAULT_PROOF.cost, 2000]) {
      const proof: ProofSettings = { ...DEFAULT_PROOF, cost };
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-abuse-'));
      const stack = await startLocalStack({ dir, tokenSecret: 'bench', dynamoInMemory: true, proof });
      try {
        await stack.publish();
        const browserMs: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const page = await browser.newPage();
          await page.goto(`${stack.apiUrl}/subscribe`);
          await page.waitForFunction(() => customElements.get('altcha-widget') !== undefined);
          const started = performance.now();
          await page.getByLabel(/E-mail address/).focus();
          await page.waitForFunction(() => (document.querySelector('input[name="altcha"]') as HTMLInputElement | null)?.value, null, { timeout: 120_000 });
          browserMs.push(performance.now() - started);
          await page.close();
        }
        const secret = 'bench';
        const nodeMs: number[] = [];
        const verifyMs: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const challenge = await altchaChallenge(secret, proof, new Date());
          let t = performance.now();
          const solution = await solveChallenge({ challenge, deriveKey });
          nodeMs.push(performance.now() - t);
          const form = new URLSearchParams({ altcha: Buffer.from(JSON.stringify({ challenge, solution })).toString('base64') });
          t = performance.now();
          const ok = await checkProof(secret, proof, form, new Date());
          verifyMs.push(performance.now() - t);
          if (!ok.ok) throw new Error('a solved challenge did not verify');
        }
        console.log(
          `  cost ${String(cost).padStart(4)}${cost === DEFAULT_PROOF.cost ? ' (default)' : '          '}: reader in Chromium ${fmt(median(browserMs))} median, ${fmt(Math.max(...browserMs))} slowest of ${RUNS} (focus → solved; the widget waits ≥ 500 ms); ` +
            `a bot in Node (one core) ${fmt(median(nodeMs))} a subscription; the API checks one in ${fmt(median(verifyMs))}`,
        );
      } finally {
        await stack.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
}
