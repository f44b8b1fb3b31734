import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_FORM } from '../support/subscribe.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { seriousA11yViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';

let dir: string;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-pages-'));
  stack = await startLocalStack({ dir, tokenSecret: 'pages-secret', ...OPEN_FORM });
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

    // It looks like the site it belongs to and leads back to it; it promises the weekly mail too (issue 31.4).
    expect((await page.getByLabel(/E-mail address/).boundingBox())!.width).toBeGreaterThan(300);
    expect(await page.getByRole('link', { name: 'Paperboy', exact: true }).getAttribute('href')).toBe('/index.html');
    expect(await page.locator('main').innerText()).toContain('one a week');
    await page.getByLabel(/E-mail address/).fill('phone.reader@example.com');
    await page.getByLabel(/Every category/).uncheck();
    await page.getByLabel(/Image generation & editing/).check();
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
    // Success says so, and leads to the preferences (issue 31.4): the reader goes there by clicking.
    await expect.poll(() => page.locator('h1').innerText()).toContain('You are subscribed');
    expect(await stack.subscribers.get('phone.reader@example.com')).toMatchObject({ status: 'confirmed', categories: ['generative'], lang: 'zh' });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Choose categories, filters, weekly mail/ }).click();
    expect(new URL(page.url()).pathname).toBe('/api/preferences');
    expect(await page.getByRole('link', { name: 'Paperboy', exact: true }).getAttribute('href')).toBe('/index.html');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel(/Multimodal & vision-language/).check();
    await page.getByLabel('English', { exact: true }).check();
    await page.getByRole('button', { name: /Save/ }).click();
    await expect.poll(() => page.locator('[role=status]').innerText()).toContain('Saved');
    expect(await stack.subscribers.get('phone.reader@example.com')).toMatchObject({ categories: ['generative', 'multimodal'], lang: 'en' });
    await page.close();
  });

  it('a reader sets filters by keyboard without JavaScript: hints read with each box, a preview, a clear error, then saved', async () => {
    const { preferencesUrl } = await import('../../functions/domain/subscribers/links.ts');
    const { subscribe, confirm } = await import('../../functions/domain/subscribers/subscriber.ts');
    const { fixtureBytes } = await import('../support/fixtures.ts');
    const email = 'filter.reader@example.com';
    const at = new Date();
    await stack.subscribers.apply(email, (prev) => subscribe(prev, email, { categories: 'all', lang: 'bi' }, at));
    await stack.subscribers.apply(email, (prev) => confirm(prev, 0, at));
    // A mailed day gives the preview its papers.
    await stack.ingest({ bytes: fixtureBytes('2024-02-04'), source: '2024-02-04.md' });
    await stack.send('2024-02-04');

    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(preferencesUrl({ apiUrl: stack.apiUrl, tokenSecret: 'pages-secret' }, email, 1, at));
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('id') ?? document.activeElement?.getAttribute('value') ?? document.activeElement?.tagName);
    // The keyboard path: from the language radios into the boxes, the choice after the matches, the buttons.
    await page.getByLabel('English', { exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('include');
    expect(await page.evaluate(() => document.getElementById(document.getElementById('include')?.getAttribute('aria-describedby') ?? '')?.textContent)).toContain('NeRF*');
    await page.keyboard.type('<b>bold</b>, diffusion');
    const tabTo = async (id: string) => {
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(id);
    };
    await tabTo('exclude');
    await tabTo('authors');
    await tabTo('categories');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel(/Nothing more/).isChecked()).toBe(true);
    await tabTo('daily');
    await tabTo('updated');
    await tabTo('preview-button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role=alert]').innerText()).toContain('Keywords: “<b>bold</b>” may hold only letters');
    expect(await page.locator('#include').inputValue()).toBe('<b>bold</b>, diffusion');
    await page.locator('#include').fill('diffusion, 扩散, segment*');
    await page.locator('#include').focus();
    // Keywords → exclude → authors → three radio groups (one stop each) → Preview.
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('preview-button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#preview').innerText()).toMatch(/With these settings, the mail of 2024-02-04 would have had \d+ papers? \(\d+ of them/);
    expect((await stack.subscribers.get(email))?.filters?.include).toEqual([]);
    await page.keyboard.press('Tab');
    const save = page.getByRole('button', { name: /Save/ });
    await save.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role=status]').first().innerText()).toContain('Saved');
    expect((await stack.subscribers.get(email))?.filters).toEqual({ include: ['diffusion', '扩散', 'segment*'], exclude: [], authors: [], rest: 'none' });
    expect(await page.locator('#include').inputValue()).toBe('diffusion, 扩散, segment*');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    if (process.env.PAPERBOY_SCREENSHOTS) await page.screenshot({ path: join(process.env.PAPERBOY_SCREENSHOTS, 'preferences-filters.png'), fullPage: true });
    await context.close();
  }, 120_000);

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

  it('every subscription page passes axe in light and dark colour schemes, at 375 and 600 px', async () => {
    const { preferencesUrl, unsubscribeUrl, confirmUrl } = await import('../../functions/domain/subscribers/links.ts');
    const { subscribe, confirm } = await import('../../functions/domain/subscribers/subscriber.ts');
    const email = 'dark.reader@example.com';
    const at = new Date();
    await stack.subscribers.apply(email, (prev) => subscribe(prev, email, { categories: 'all', lang: 'bi' }, at));
    await stack.subscribers.apply(email, (prev) => confirm(prev, 0, at));
    const links = { apiUrl: stack.apiUrl, tokenSecret: 'pages-secret' };
    const pages: [string, (page: import('playwright-core').Page) => Promise<unknown>][] = [
      ['subscribe form', (p) => p.goto(`${stack.apiUrl}/subscribe`)],
      ['confirm button', (p) => p.goto(confirmUrl(links, 'someone@example.com', 0, at, { categories: 'all', lang: 'bi' }))],
      ['answer page', async (p) => {
        await p.goto(confirmUrl(links, 'someone@example.com', 0, at, { categories: 'all', lang: 'bi' }));
        await p.getByRole('button', { name: /Confirm/ }).click();
        // No such subscriber: the link has nothing left to do.
        await p.waitForSelector('h1:has-text("already used")');
      }],
      ['preferences', (p) => p.goto(preferencesUrl(links, email, 1, at))],
      ['unsubscribe button', (p) => p.goto(unsubscribeUrl(links, email, 1))],
      ['link that does not work', (p) => p.goto(`${stack.apiUrl}/preferences?token=forged.token`)],
    ];
    for (const [name, visit] of pages) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [375, 600]) {
          // The pages' CSP forbids inline scripts; axe is injected by the test, so the test bypasses it.
          const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme, bypassCSP: true });
          await visit(page);
          expect((await seriousA11yViolations(page)).map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`), `${name} ${colorScheme} ${width}`).toEqual([]);
          await page.close();
        }
      }
    }
  }, 120_000);
});

describe('one name per category everywhere (issue 33)', () => {
  it('the index, a day page, the subscribe form, the preferences page and the mail name every category with the same strings', async () => {
    const { preferencesUrl } = await import('../../functions/domain/subscribers/links.ts');
    const { subscribe, confirm } = await import('../../functions/domain/subscribers/subscriber.ts');
    const { fixtureBytes } = await import('../support/fixtures.ts');
    const { TAXONOMY } = await import('../../functions/domain/taxonomy.ts');
    const DAY = '2024-03-04';
    const email = 'names.reader@example.com';
    const at = new Date();
    await stack.subscribers.apply(email, (prev) => subscribe(prev, email, { categories: 'all', lang: 'bi' }, at));
    await stack.subscribers.apply(email, (prev) => confirm(prev, 0, at));
    await stack.ingest({ bytes: fixtureBytes(DAY), source: `${DAY}.md` });
    await stack.publish();
    await stack.send(DAY);
    const mail = (await stack.ses.mails()).filter((m) => m.destination.to.includes(email)).at(-1);
    expect(mail?.body.html).toBeDefined();

    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    /**
     * slug → the name a reader sees, from each element the selector finds: its text without the
     * counts beside it ("(12)", a badge) and the line about the category.
     */
    const names = (selector: string, slug: 'id' | 'value' | 'mail') =>
      page.locator(selector).evaluateAll(
        (els, how) =>
          Object.fromEntries(
            els.map((e) => {
              const key = how === 'value' ? (e.getAttribute('value') ?? '') : how === 'mail' ? e.id.slice(2) : (e.closest('[id]')?.id ?? '');
              const holder = (how === 'value' ? e.closest('label') : e)!.cloneNode(true) as HTMLElement;
              holder.querySelectorAll('.count, .m, .about').forEach((x) => x.remove());
              return [key, (holder.textContent ?? '').replace(/\s+/g, ' ').trim()];
            }),
          ),
        slug,
      );
    const views: Record<string, Record<string, string>> = {};
    await page.goto(`${stack.server.url}/index.html`);
    views.index = await names('ul.cats > li > h3', 'id');
    await page.goto(`${stack.server.url}/days/${DAY}.html`);
    views.day = await names('section[id] > h2', 'id');
    await page.goto(`${stack.apiUrl}/subscribe`);
    views.subscribe = await names('input[name=categories]:not([value=all])', 'value');
    await page.goto(preferencesUrl({ apiUrl: stack.apiUrl, tokenSecret: 'pages-secret' }, email, 1, at));
    views.preferences = await names('input[name=categories]:not([value=all])', 'value');
    await page.setContent(mail!.body.html!);
    views.mail = await names('h2[id^="c-"]', 'mail');
    await page.close();

    // The taxonomy's bilingual label ("中文名 / English name"), the same string in all five.
    expect(views.mail!.generative).toBe(`${TAXONOMY[0]!.nameZh} / ${TAXONOMY[0]!.nameEn}`);
    const label = Object.fromEntries(TAXONOMY.map((c) => [c.slug, `${c.nameZh} / ${c.nameEn}`]));
    for (const view of ['index', 'subscribe', 'preferences'] as const) expect(views[view], view).toEqual(label);
    for (const view of ['day', 'mail'] as const) {
      expect(Object.keys(views[view]!).length, view).toBeGreaterThan(5);
      for (const [slug, name] of Object.entries(views[view]!)) expect(name, `${view} ${slug}`).toBe(label[slug]);
    }
    // In one order: the day and the mail list the day's categories as the index does.
    const order = Object.keys(label);
    for (const view of ['day', 'mail'] as const) expect(Object.keys(views[view]!), view).toEqual(order.filter((s) => s in views[view]!));
  }, 120_000);
});
