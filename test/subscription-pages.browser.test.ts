import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../scripts/local/stack.ts';
import { seriousA11yViolations } from './support/axe.ts';
import { launchChromium } from './support/browser.ts';

let dir: string;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-pages-'));
  stack = await startLocalStack({ dir, tokenSecret: 'pages-secret', subscribeLimitPerIpPerMinute: 0 });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('subscription pages in headless Chromium', () => {
  it('a person subscribes with the form on a phone, confirms from the mail, and changes preferences', async () => {
    // bypassCSP only so axe-core can be injected; the pages themselves run no script.
    const page = await browser.newPage({ viewport: { width: 375, height: 800 }, bypassCSP: true });
    await page.goto(`${stack.apiUrl}/subscribe`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel(/E-mail address/).fill('phone.reader@example.com');
    await page.getByLabel(/Every category/).uncheck();
    await page.getByLabel(/Generative models/).check();
    await page.getByLabel('中文', { exact: true }).check();
    await page.getByRole('button', { name: /Subscribe/ }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Check your inbox');

    const mail = (await stack.ses.mails()).find((m) => m.destination.to.includes('phone.reader@example.com'));
    const link = /https?:\/\/\S+\/api\/confirm\?token=[^\s"<>]+/.exec(mail?.body.text ?? '')?.[0];
    expect(link).toBeDefined();
    // The link shows a page; only its button confirms (a link scanner's GET changes nothing).
    await page.goto(link!);
    expect(await stack.subscribers.get('phone.reader@example.com')).toMatchObject({ status: 'pending' });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: /Confirm/ }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Thank you');
    expect(await stack.subscribers.get('phone.reader@example.com')).toMatchObject({ status: 'confirmed', categories: ['generative'], lang: 'zh' });

    const { preferencesUrl } = await import('../functions/domain/subscribers/links.ts');
    await page.goto(preferencesUrl({ apiUrl: stack.apiUrl, tokenSecret: 'pages-secret' }, 'phone.reader@example.com', 1, new Date()));
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel(/Multimodal/).check();
    await page.getByLabel('English', { exact: true }).check();
    await page.getByRole('button', { name: /Save/ }).click();
    await expect.poll(() => page.locator('[role=status]').innerText()).toContain('Saved');
    expect(await stack.subscribers.get('phone.reader@example.com')).toMatchObject({ categories: ['generative', 'multimodal'], lang: 'en' });
    await page.close();
  });

  it('shows a clear error next to the form for a bad address, keeping what was typed', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`${stack.apiUrl}/subscribe`);
    // The browser's own type="email" check would stop a plain "not-an-address"; this one passes it.
    await page.getByLabel(/E-mail address/).fill('someone@localhost');
    await page.getByRole('button', { name: /Subscribe/ }).click();
    await expect.poll(() => page.locator('[role=alert]').innerText()).toContain('That is not an e-mail address');
    expect(await page.getByLabel(/E-mail address/).inputValue()).toBe('someone@localhost');
    await page.close();
  });
});
