import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROOF } from '../../functions/domain/abuse/human-proof.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { seriousA11yViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';

/**
 * The subscribe form a person uses, with its defences on as deployed: the ALTCHA widget served from
 * the site under the API's strict CSP, and the no-JavaScript path with its minimum fill time.
 */
let dir: string;
let stack: LocalStack;
let browser: Browser;
const MIN_FILL = 2;
/**
 * The API's clock: real, unless a test holds it still. The no-JavaScript tests hold it and move it
 * on by hand: whether a form was "sent too quickly" must not depend on how fast a loaded CI machine
 * loads and fills it (on one, the page load and typing alone once took longer than the 2 s).
 */
let heldAt: number | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-abuse-browser-'));
  // The deployed proof of work; only the no-JS fill time is shortened so the test does not idle.
  stack = await startLocalStack({ dir, tokenSecret: 'abuse-browser', proof: { ...DEFAULT_PROOF, minFillSeconds: MIN_FILL }, apiNow: () => new Date(heldAt ?? Date.now()) });
  await stack.publish();
  browser = await launchChromium();
}, 120_000);
afterEach(() => {
  heldAt = undefined;
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const mailsTo = async (email: string) => (await stack.ses.mails()).filter((m) => m.destination.to.includes(email));

/** Every request the page makes, and every CSP violation or script error it reports. */
function watch(page: Page): { hosts: Set<string>; problems: string[] } {
  const hosts = new Set<string>();
  const problems: string[] = [];
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { hosts, problems };
}

describe('the subscribe form in headless Chromium', () => {
  it('with JavaScript: the widget solves its challenge from the site alone, and the reader subscribes and confirms', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const seen = watch(page);
    await page.goto(`${stack.apiUrl}/subscribe`);
    await page.waitForFunction(() => customElements.get('altcha-widget') !== undefined);
    await page.getByLabel(/E-mail address/).fill('widget.reader@example.com');
    // Focusing the form starts the proof of work (auto="onfocus"); the widget fills its hidden field when done.
    const started = Date.now();
    await page.waitForFunction(() => (document.querySelector('input[name="altcha"]') as HTMLInputElement | null)?.value, null, { timeout: 60_000 });
    const solvedMs = Date.now() - started;
    console.log(`ALTCHA in Chromium (cost ${DEFAULT_PROOF.cost}, counter ${DEFAULT_PROOF.counterMin}–${DEFAULT_PROOF.counterMax}): solved ${solvedMs} ms after focus`);
    await page.getByRole('button', { name: /Subscribe/ }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Check your inbox');
    const mail = (await mailsTo('widget.reader@example.com'))[0];
    const link = /https?:\/\/\S+\/api\/confirm\?token=[^\s"<>]+/.exec(mail?.body.text ?? '')?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByRole('button', { name: /Confirm/ }).click();
    await expect.poll(async () => (await stack.subscribers.get('widget.reader@example.com'))?.status).toBe('confirmed');
    // Nothing but the site itself was asked for anything, and the CSP let everything the widget needs run.
    expect([...seen.hosts]).toEqual([new URL(stack.apiUrl).host]);
    expect(seen.problems).toEqual([]);
    await page.close();
  });

  it('the form with the widget passes axe at 375 and 600 px, light and dark, and the widget is reachable by keyboard', async () => {
    for (const [width, colorScheme] of [[375, 'light'], [600, 'dark']] as const) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme, bypassCSP: true });
      await page.goto(`${stack.apiUrl}/subscribe`);
      await page.waitForFunction(() => customElements.get('altcha-widget') !== undefined);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 600, height: 900 } });
    await page.goto(`${stack.apiUrl}/subscribe`);
    await page.waitForFunction(() => customElements.get('altcha-widget') !== undefined);
    // Tab from the last language radio: the next stop is the widget's checkbox, never the honeypot.
    await page.getByLabel('中文', { exact: true }).focus();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { inWidget: Boolean(el?.closest('altcha-widget')) || el?.tagName === 'ALTCHA-WIDGET', type: el?.getAttribute('type') ?? null, name: el?.getAttribute('name') ?? null };
    });
    expect(focused, JSON.stringify(focused)).toMatchObject({ inWidget: true, type: 'checkbox' });
    // Space ticks it, as on any checkbox: the proof of work runs and the hidden field is filled.
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.querySelector('input[name="altcha"]') as HTMLInputElement | null)?.value, null, { timeout: 60_000 });
    await page.close();
  });

  it('without JavaScript: sent too quickly it asks again; after the fill time it subscribes', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    heldAt = Date.now();
    await page.goto(`${stack.apiUrl}/subscribe`);
    expect(await page.getByText(/Browsing without JavaScript\? Send the form at least 2 seconds after opening this page/).count()).toBe(1);
    await page.getByLabel(/E-mail address/).fill('no.script@example.com');
    await page.getByRole('button', { name: /Subscribe/ }).click();
    await expect.poll(() => page.locator('[role=alert]').innerText()).toContain('did not finish');
    expect(await page.getByLabel(/E-mail address/).inputValue()).toBe('no.script@example.com');
    // The page with its error, as a reader without JavaScript sees it, passes axe too (axe runs
    // in a second, scripting context on the same HTML: the reader's own context runs no script).
    const html = await page.content();
    const checker = await browser.newPage({ viewport: { width: 375, height: 800 }, javaScriptEnabled: true });
    await checker.setContent(html, { waitUntil: 'domcontentloaded' });
    expect(await seriousA11yViolations(checker, ['altcha-widget'])).toEqual([]);
    await checker.close();
    expect(await mailsTo('no.script@example.com')).toHaveLength(0);
    // The page it answered with carries a fresh token: let the fill time pass and send it again.
    heldAt += MIN_FILL * 1000 + 200;
    await page.getByRole('button', { name: /Subscribe/ }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Check your inbox');
    expect(await mailsTo('no.script@example.com')).toHaveLength(1);
    await context.close();
    // Two page loads and an axe run: room for a loaded CI machine (60 s was hit once there).
  }, 180_000);

  it('a bot that fills the hidden field gets the same answer and no mail goes out', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    heldAt = Date.now();
    await page.goto(`${stack.apiUrl}/subscribe`);
    await page.getByLabel(/E-mail address/).fill('stranger@example.com');
    await page.locator('input[name="website"]').fill('https://spam.example', { force: true });
    heldAt += MIN_FILL * 1000 + 200;
    await page.getByRole('button', { name: /Subscribe/ }).click();
    await expect.poll(() => page.locator('h1').innerText()).toContain('Check your inbox');
    expect(await mailsTo('stranger@example.com')).toHaveLength(0);
    expect(await stack.subscribers.get('stranger@example.com')).toBeNull();
    expect(stack.guardEvents).toContain('honeypot');
    await context.close();
  });
});
