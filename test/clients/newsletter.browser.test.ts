import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryLabel, LANGS } from '../../functions/domain/language.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { inTaxonomy } from '../../functions/domain/categories.ts';
import { personalise } from '../../functions/domain/newsletter/personalise.ts';
import { seriousA11yViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { HOSTILE_TITLE_SHOWN as HOSTILE_TITLE, HOSTILE_ZH, hostileDigest } from '../support/hostile.ts';
import { compile, recipient } from '../support/newsletter.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

async function render(html: string, width: number, colorScheme: 'light' | 'dark' = 'light') {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
  // Nothing remote is needed to read the mail: block every request the page might make.
  const requests: string[] = [];
  await page.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  await page.setContent(html, { waitUntil: 'load' });
  return { page, requests };
}

describe('the newsletter in headless Chromium', () => {
  for (const day of ['2024-02-04', '2024-03-04', '2024-11-22']) {
    it(`${day}: at 375 px and 600 px, no overflow, the chosen category headings and no others`, async () => {
      // In the taxonomy's order, as the mail lists it.
      const digest = inTaxonomy(parseDigest(fixtureBytes(day), `${day}.md`).digest);
      const edition = await compile(digest);
      const slugs = digest.sections.map((s) => s.category.slug);
      const chosen = slugs.filter((_, i) => i % 2 === 1);
      for (const lang of LANGS) {
        const result = personalise(edition, recipient({ lang, categories: chosen }));
        if (!result.send) throw new Error('expected a message');
        for (const width of [375, 600]) {
          const { page, requests } = await render(result.message.html(), width);
          expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${day} ${lang} ${width}`).toBeLessThanOrEqual(0);
          const headings = await page.locator('h2[id^="c-"]').evaluateAll((els) => els.map((e) => e.id.slice(2)));
          expect(headings).toEqual(chosen);
          for (const s of digest.sections.filter((x) => chosen.includes(x.category.slug))) {
            expect(await page.locator(`h2[id="c-${s.category.slug}"]`).innerText()).toContain(categoryLabel(s.category, lang));
          }
          expect(await page.locator('h1').count()).toBe(1);
          expect(requests, "requests").toEqual([]);
          // axe in both colour schemes: every language on the first day, the bilingual mail (the longest) on the others.
          const checkA11y = day === '2024-02-04' || lang === 'bi';
          if (checkA11y) expect((await seriousA11yViolations(page)).map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`), `${day} ${lang} ${width} light`).toEqual([]);
          if (day === '2024-02-04' && lang === 'bi') await page.screenshot({ path: join(tmpdir(), `paperboy-newsletter-${width}.png`) });
          await page.close();
          // As Apple Mail, iOS Mail and Outlook for Mac show it to a reader in dark mode.
          const dark = await render(result.message.html(), width, 'dark');
          expect(await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor), `${day} ${lang} ${width} dark`).not.toBe('rgb(242, 243, 245)');
          if (checkA11y) expect((await seriousA11yViolations(dark.page)).map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`), `${day} ${lang} ${width} dark`).toEqual([]);
          if (day === '2024-02-04' && lang === 'bi') await dark.page.screenshot({ path: join(tmpdir(), `paperboy-newsletter-${width}-dark.png`) });
          await dark.page.close();
        }
      }
    }, 240_000);
  }

  it('shows hostile text as text and runs nothing', async () => {
    const digest = parseDigest(hostileDigest(), 'hostile.md').digest;
    const result = personalise(await compile(digest), recipient());
    if (!result.send) throw new Error('expected a message');
    const { page } = await render(result.message.html(), 600);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const text = await page.locator('body').innerText();
    expect(text).toContain(HOSTILE_TITLE);
    expect(text).toContain(HOSTILE_ZH);
    expect(await page.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
