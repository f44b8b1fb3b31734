import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { seriousA11yViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { OPEN_FORM } from '../support/subscribe.ts';

const DAY = '2024-02-26';
let dir: string;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-library-'));
  stack = await startLocalStack({ dir, tokenSecret: 'library-pages-secret', ...OPEN_FORM });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the library in headless Chromium', () => {
  it('a reader opens three "☆ Save" links of their mail, presses the button on each page, and finds the papers in their library', async () => {
    const body = new URLSearchParams({ email: 'saver@example.com', lang: 'bi', categories: 'all', altcha: await solvedAltcha(stack.apiUrl) });
    expect((await fetch(`${stack.apiUrl}/subscribe`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body })).status).toBe(202);
    const confirm = /https?:\/\/\S+\/api\/confirm\?token=[^\s"<>]+/.exec((await stack.ses.mails())[0]?.body.text ?? '')?.[0];
    expect((await fetch(confirm!, { method: 'POST' })).status).toBe(200);
    await stack.ses.clear();
    await stack.ingest({ bytes: fixtureBytes(DAY), source: `${DAY}.md` });
    expect((await stack.send(DAY)).summary.sent).toBe(1);
    const html = (await stack.ses.mails())[0]?.body.html ?? '';
    const saves = [...html.matchAll(/href="([^"]+\/api\/p\/[A-Za-z0-9_-]{16}\/[0-9.]+)"/g)].map((m) => m[1]!);
    const papers = papersOf(parseDigest(fixtureBytes(DAY), `${DAY}.md`).digest);
    expect(saves).toHaveLength(papers.length);

    // bypassCSP only so axe-core can be injected; the pages themselves run no script.
    const page = await browser.newPage({ viewport: { width: 375, height: 800 }, bypassCSP: true });
    for (const link of saves.slice(0, 3)) {
      await page.goto(link);
      // The link only shows the paper and a button: nothing is saved until it is pressed.
      expect(await page.locator('h1').innerText()).toContain('Save this paper');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByRole('button', { name: /Save/ }).click();
      await expect.poll(() => page.locator('h1').innerText()).toContain('Saved ☆');
      expect(await seriousA11yViolations(page)).toEqual([]);
    }
    expect(await page.locator('main, body').first().innerText()).toContain('your next mail starts with “For you”');
    await page.getByRole('link', { name: /Your library/ }).click();
    expect(new URL(page.url()).pathname).toBe('/api/library');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const saved = saves.slice(0, 3).map((l) => l.split('/').pop()!);
    const titles = saved.map((id) => papers.find((p) => p.arxivId === id)!.titleEn);
    const text = await page.locator('body').innerText();
    for (const t of titles) expect(text).toContain(t.slice(0, 40));
    expect(text).toContain('3 saved');
    // Remove one: the page says so and lists two.
    await page.getByRole('button', { name: /Remove/ }).first().click();
    await expect.poll(() => page.locator('[role=status]').innerText()).toContain('Removed');
    expect(await page.locator('body').innerText()).toContain('2 saved');
    expect((await stack.library.get('saver@example.com'))?.saved).toHaveLength(2);
  }, 120_000);
});
