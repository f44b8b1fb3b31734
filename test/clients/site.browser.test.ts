import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownCategories } from '../../functions/domain/categories.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { watchListings } from '../../functions/app/ingest/listing-watch.ts';
import { publishStatus, recordSend } from '../../functions/app/publish/site-status.ts';
import { seriousA11yViolations } from '../support/axe.ts';
import { mislabelledText } from '../support/lang-check.ts';
import { launchChromium } from '../support/browser.ts';
import { fixtureBytes, fixtureDays } from '../support/fixtures.ts';
import { startSitePipeline, type SitePipeline } from '../support/site-pipeline.ts';

const DAYS = fixtureDays().slice(-3);
let pipe: SitePipeline;
let browser: Browser;

beforeAll(async () => {
  pipe = await startSitePipeline();
  for (const d of DAYS) await pipe.ingest(fixtureBytes(d), `${d}.md`);
  await pipe.publish();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await pipe.stop();
});

async function open(path: string, width: number, colorScheme: 'light' | 'dark' = 'light') {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  await page.goto(`${pipe.server.url}/${path}`);
  return page;
}

describe('the index page in headless Chromium', () => {
  it('at 375 px has no horizontal overflow and shows every category with today\'s count', async () => {
    const page = await open('index.html', 375);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    const newest = parseDigest(fixtureBytes(DAYS[DAYS.length - 1]!), 'x').digest;
    for (const s of newest.sections) {
      const item = page.locator(`li[id="${s.category.slug}"]`);
      await expect.poll(() => item.isVisible()).toBe(true);
      expect(await item.locator('h3').innerText()).toContain(`${s.category.nameZh}`);
      expect(await item.locator('.count').innerText()).toBe(String(s.papers.length));
    }
    for (const c of knownCategories()) expect(await page.locator(`li[id="${c.slug}"]`).count()).toBe(1);
    await page.screenshot({ path: join(tmpdir(), 'paperboy-site-index-375.png') });
    await page.close();
  });

  it('offers feed autodiscovery links that resolve to feeds', async () => {
    const page = await open('index.html', 1024);
    const links = await page.locator('link[rel="alternate"]').evaluateAll((els) => els.map((e) => ({ type: e.getAttribute('type'), href: (e as HTMLLinkElement).href })));
    expect(links.length).toBeGreaterThan(3);
    for (const l of links) {
      const res = await fetch(l.href);
      expect(res.status, l.href).toBe(200);
      expect(res.headers.get('content-type')).toContain(l.type ?? '');
      await res.arrayBuffer();
    }
    await page.close();
  });

  it('day pages have no horizontal overflow at 375 px either', async () => {
    for (const d of DAYS) {
      const page = await open(`days/${d}.html`, 375);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), d).toBe(0);
      await page.close();
    }
  });

  it('day pages lead to the day before and after, the index and the subscribe form, by clicking', async () => {
    const page = await open(`days/${DAYS[1]}.html`, 375);
    await page.getByRole('link', { name: /Next day/ }).click();
    expect(new URL(page.url()).pathname).toBe(`/days/${DAYS[2]}.html`);
    // The newest day has no next day; its previous one is where the reader came from.
    expect(await page.getByRole('link', { name: /Next day/ }).count()).toBe(0);
    await page.getByRole('link', { name: /Previous day/ }).click();
    await page.getByRole('link', { name: /Previous day/ }).click();
    expect(new URL(page.url()).pathname).toBe(`/days/${DAYS[0]}.html`);
    expect(await page.getByRole('link', { name: /Previous day/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Get it by e-mail/ }).getAttribute('href')).toBe('../api/subscribe');
    await page.getByRole('link', { name: 'Paperboy', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/index.html');
    await page.close();
  });

  it('a missing page answers 404 with a page that leads back, at any depth', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const res = await page.goto(`${pipe.server.url}/days/2031-01-01.html`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('No such page');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Today's papers/ }).click();
    expect(new URL(page.url()).pathname).toBe('/index.html');
    await page.close();
  });

  it('every feed has a page for people, reached from the index and named by the feed itself, accessible in light and dark schemes at 375 and 600 px', async () => {
    // The feeds are pure XML for readers: no stylesheet processing instruction (browsers are removing XSLT).
    for (const feed of ['feeds/all.rss.xml', 'feeds/zh/generative.atom.xml']) {
      const xml = await (await fetch(`${pipe.server.url}/${feed}`)).text();
      expect(xml, feed).not.toContain('<?xml-stylesheet');
    }
    // The feed's own alternate link is its preview page.
    const atom = await (await fetch(`${pipe.server.url}/feeds/zh/generative.atom.xml`)).text();
    expect(atom).toMatch(/<link rel="alternate" href="[^"]*\/feeds\/zh\/generative\.html"\/>/);
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [375, 600]) {
        const page = await open('index.html', width, colorScheme);
        // From the index, by clicking the language of a category's feeds.
        await page.locator('li#generative .subs').first().getByRole('link', { name: '中文', exact: true }).click();
        expect(new URL(page.url()).pathname).toBe('/feeds/zh/generative.html');
        for (const preview of ['feeds/zh/generative.html', 'feeds/all.html', 'feeds/en/code/all.html']) {
          await page.goto(`${pipe.server.url}/${preview}`);
          expect((await mislabelledText(page, 'main')), preview).toEqual([]);
          expect(await page.locator('h1').innerText()).toMatch(/^Paperboy · /);
          // Each item's date is its own line, apart from its title.
          const first = page.locator('ol.items li').first();
          expect(await first.locator('time').innerText()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(await first.innerText()).toMatch(/^\d{4}-\d{2}-\d{2}\n/);
          expect(await page.locator('ol.items li a[href^="https://arxiv.org/abs/"]').count()).toBeGreaterThan(0);
          // The feed's addresses to copy, and a way back.
          expect(await page.locator('a.copy').count()).toBe(3);
          expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
          expect((await seriousA11yViolations(page)).map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`), `${preview} ${colorScheme} ${width}`).toEqual([]);
        }
        await page.getByRole('link', { name: 'Paperboy' }).first().click();
        expect(new URL(page.url()).pathname).toBe('/index.html');
        await page.close();
      }
    }
  }, 180_000);

  it('index and day pages pass axe-core\'s WCAG 2.1 AA checks in light and dark colour schemes, at 375 and 600 px', async () => {
    for (const path of ['index.html', `days/${DAYS[0]}.html`, `days/${DAYS[DAYS.length - 1]}.html`]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [375, 600]) {
          const page = await open(path, width, colorScheme);
          expect((await seriousA11yViolations(page)).map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`), `${path} ${colorScheme} ${width}`).toEqual([]);
          await page.close();
        }
      }
    }
  }, 240_000);

  it("the status page, reached from the index, tells a day without an announcement, a digest in, one being made and one late, with the next announcement in UTC and Beijing time", async () => {
    const newest = DAYS[DAYS.length - 1]!;
    expect(newest).toBe('2024-11-22');
    const papers = parseDigest(fixtureBytes(newest), 'x').digest.sections.reduce((n, s) => n + s.papers.length, 0);
    const at = async (instant: string) => {
      const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
      await page.clock.setFixedTime(new Date(instant));
      await page.goto(`${pipe.server.url}/index.html`);
      await page.getByRole('link', { name: /Status/ }).click();
      expect(new URL(page.url()).pathname).toBe('/status.html');
      const verdict = await page.locator('#verdict').innerText();
      const next = await page.locator('#next').innerText();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await page.close();
      return { verdict, next };
    };
    // Friday noon UTC: Thursday evening's announcement is the newest day's, and arXiv does not announce on Friday.
    const friday = await at('2024-11-22T12:00:00Z');
    expect(friday.verdict).toContain('arXiv does not announce today (Friday');
    expect(friday.verdict).toContain(`The digest of ${newest} is in: ${papers} papers`);
    // The next announcement is Sunday 20:00 New York: Monday 01:00 UTC, 09:00 Beijing.
    expect(friday.next).toMatch(/Mon 25 Nov, 01:00 UTC · Mon 25 Nov, 09:00 Beijing time/);
    // Monday 22:00 New York: the listing of Tuesday 26 November was announced an hour ago; within the grace.
    expect((await at('2024-11-26T03:00:00Z')).verdict).toContain('arXiv announced the listing of 2024-11-26 at Tue 26 Nov, 01:00 UTC; its digest is being made');
    // Six hours later, with no digest: late.
    expect((await at('2024-11-26T09:00:00Z')).verdict).toContain("Today's digest is late: arXiv announced the listing of 2024-11-26");
    // The page's facts are also a file.
    const json = (await (await fetch(`${pipe.server.url}/status.json`)).json()) as { newest: { date: string; papers: number } };
    expect(json.newest).toMatchObject({ date: newest, papers });
  });

  it("after a send run completes, the status page says when the day's mail went out and what the run did, and shows the arXiv feeds last seen", async () => {
    const newest = DAYS[DAYS.length - 1]!;
    await recordSend(pipe.data, newest, { planned: 40, sent: 37, skipped: 1, suppressed: 1, failed: 1 }, new Date(`${newest}T02:14:09Z`));
    await watchListings(pipe.data, new Map([['cs.CV', { date: newest, entries: [{ arxivId: '2411.00001', version: 1, announceType: 'new' as const }] }]]), new Date(`${newest}T03:00:00Z`), 3);
    // The sender rebuilds the two files alone, from the stored state.
    await publishStatus(pipe.data, pipe.site, 3);
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.clock.setFixedTime(new Date(`${newest}T12:00:00Z`));
    await page.goto(`${pipe.server.url}/status.html`);
    expect(await page.locator('#verdict').innerText()).toContain('The mail was sent at 02:14 UTC.');
    expect(await page.locator('#last-send').innerText()).toBe(`Last send 最近发送: mail of ${newest}, completed ${newest} 02:14 UTC: 37 sent, 1 skipped, 1 suppressed, 1 failed (of 40 planned).`);
    expect(await page.locator('#listings tbody tr').allInnerTexts()).toEqual([`cs.CV\t${newest}\t1\t${newest} 03:00 UTC`]);
    // The last publish: when the front page last changed, in UTC and Beijing time.
    await expect.poll(() => page.locator('#last-publish').innerText()).toMatch(/^Site last updated \w{3} \d{1,2} \w{3}, \d{2}:\d{2} UTC · 网站更新于北京时间 /);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.close();
    // A publish afterwards builds the same page from the same state, and the manifest the sender kept tells it so: nothing to upload.
    const before = (await pipe.site.get('status.html'))!.body;
    expect((await pipe.publish()).uploaded).toEqual([]);
    expect(Buffer.from((await pipe.site.get('status.html'))!.body).equals(Buffer.from(before))).toBe(true);
  });
});
