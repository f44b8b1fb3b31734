import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSearchIndexer } from '../../functions/app/publish/search-index.ts';
import type { PublishSummary } from '../../functions/app/publish/publish-site.ts';
import { readableDigest } from '../../functions/domain/latex-text.ts';
import { papersOf, type Paper } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { seriousA11yViolations } from '../support/axe.ts';
import { launchChromium } from '../support/browser.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { HOSTILE_TITLE_SHOWN, hostileDigest } from '../support/hostile.ts';
import { mislabelledText } from '../support/lang-check.ts';
import { startSitePipeline, type SitePipeline } from '../support/site-pipeline.ts';

// Three real days in two months (two search shards, the older one merged in the browser), two with
// abstracts in both languages, a hostile day in a third month, and a day that lists a paper of
// 2024-02-05 again (2402.03094).
const DAYS = ['2024-02-05', '2024-03-04', '2024-03-18', '2024-09-27'];
const RELISTED = '2402.03094';
const papers = DAYS.flatMap((d) => papersOf(readableDigest(parseDigest(fixtureBytes(d), `${d}.md`).digest)).map((p) => ({ p, day: d })));
const textOf = (p: Paper) => [p.titleEn, p.titleZh, p.abstractEn, p.abstractZh, ...p.authors].join('\n');

let pipe: SitePipeline;
let browser: Browser;
let first: PublishSummary;
let again: PublishSummary;

beforeAll(async () => {
  pipe = await startSitePipeline();
  for (const d of DAYS) await pipe.ingest(fixtureBytes(d), `${d}.md`);
  await pipe.ingest(Buffer.from(hostileDigest('2024-04-02')), '2024-04-02.md');
  first = await pipe.publish();
  again = await pipe.publish();
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await pipe?.stop();
  await closeSearchIndexer();
});

async function search(query: string, from = 'index.html'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  await page.goto(`${pipe.server.url}/${from}`);
  // The search box on the page a reader is on, as they would use it.
  await page.locator('form.search input[name=q]').fill(query);
  await page.locator('form.search button').click();
  await page.waitForURL(/search\.html\?q=/);
  await expect.poll(() => page.locator('#status').innerText(), { timeout: 20_000 }).toMatch(/^\d+\+? papers?\b|No paper/);
  return page;
}

const resultUrls = (page: Page) => page.locator('#results li h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
const urlOf = ({ p, day }: { p: Paper; day: string }) => `days/${day}.html#${p.arxivId}`;

describe('archive search in headless Chromium', () => {
  it('publishing indexes each half-month once; a second publish rebuilds nothing', () => {
    expect([...first.searchShards]).toEqual(['2024-02-1', '2024-03-1', '2024-03-2', '2024-04-1', '2024-09-2']);
    expect(again.searchShards).toEqual([]);
    expect(again.uploaded).toEqual([]);
  });

  it('a Chinese title query finds its paper first, from an older shard', async () => {
    const query = '语义高斯泼溅';
    const expected = papers.filter(({ p }) => p.titleZh?.includes(query));
    expect(expected).toHaveLength(1);
    expect(expected[0]!.day).toBe('2024-02-05');
    const page = await search(query);
    expect((await resultUrls(page))[0]).toBe(urlOf(expected[0]!));
    await page.screenshot({ path: join(tmpdir(), 'paperboy-search-375.png'), fullPage: false });
    await page.close();
  });

  it('an English title query finds its paper first', async () => {
    const expected = papers.filter(({ p }) => /GaussNav/.test(p.titleEn));
    expect(expected).toHaveLength(1);
    const page = await search('GaussNav', 'days/2024-03-18.html');
    expect((await resultUrls(page))[0]).toBe(urlOf(expected[0]!));
    await page.close();
  });

  it('a word found only in one paper\'s Chinese abstract finds that paper', async () => {
    // A word (as Intl.Segmenter splits Chinese) of a paper's Chinese abstract that no other text holds.
    const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
    const others = (x: Paper) => papers.filter(({ p }) => p !== x).map(({ p }) => textOf(p)).join('\n');
    const pick = papers
      .filter(({ p }) => p.abstractZh)
      .map((e) => ({ e, word: [...segmenter.segment(e.p.abstractZh!)].map((s) => s.segment).find((w) => /^[\u4e00-\u9fff]{3,}$/.test(w) && !e.p.titleZh?.includes(w) && !others(e.p).includes(w)) }))
      .find((x) => x.word);
    expect(pick).toBeDefined();
    const page = await search(pick!.word!);
    expect(await resultUrls(page), pick!.word).toEqual([urlOf(pick!.e)]);
    await page.close();
  });

  it('results link to the paper on its day page, and the page scrolls to it', async () => {
    const page = await search('GaussNav');
    await page.locator('#results li h2 a').first().click();
    await page.waitForURL(/days\/.*#/);
    const id = new URL(page.url()).hash.slice(1);
    expect(await page.locator(`article[id="${id}"] h3`).innerText()).toMatch(/GaussNav/);
    await page.close();
  });

  it('a hostile title shows as text, runs nothing, and the page is accessible and labelled by language', async () => {
    const page = await search('alert');
    expect(await page.locator('#results li h2 a').first().innerText()).toBe(HOSTILE_TITLE_SHOWN.replace(/[\u0000-\u001F]/g, '').replace(/\s+/g, ' ').trim());
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#results script, #results img').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await mislabelledText(page)).toEqual([]);
    await page.close();
  });

  it('an arXiv id, bare, as arXiv:… or as its link, finds its paper first', async () => {
    const target = papers.find(({ p, day }) => day === '2024-03-04' && p.arxivId !== RELISTED)!;
    for (const query of [target.p.arxivId, `arXiv:${target.p.arxivId}v1`, `https://arxiv.org/abs/${target.p.arxivId}`]) {
      const page = await search(query);
      expect((await resultUrls(page))[0], query).toBe(urlOf(target));
      await page.close();
    }
  });

  it('a paper listed on two days is one result, naming both days', async () => {
    const listed = papers.filter(({ p }) => p.arxivId === RELISTED);
    expect(listed.map((l) => l.day)).toEqual(['2024-02-05', '2024-09-27']);
    const page = await search(RELISTED);
    const urls = await resultUrls(page);
    expect(urls.filter((u) => u.endsWith(`#${RELISTED}`))).toHaveLength(1);
    expect(await page.locator('#results li').first().locator('time').allInnerTexts()).toEqual(['2024-09-27', '2024-02-05']);
    await page.close();
  });

  it('a word no paper holds finds nothing, though Pagefind would offer its prefixes', async () => {
    const page = await search('qwertyuiopzz');
    expect(await page.locator('#status').innerText()).toMatch(/No paper matches.*没有找到/s);
    expect(await page.locator('#results li').count()).toBe(0);
    await page.close();
  });

  it('the empty search page offers example queries and the recent days', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`${pipe.server.url}/search.html`);
    expect(await page.locator('#start a[href*="search.html?q="]').count()).toBe(5);
    expect(await page.locator('#start nav a').first().innerText()).toBe('2024-09-27');
    await page.locator('#start a[href*="search.html?q="]').first().click();
    await expect.poll(() => page.locator('#status').innerText(), { timeout: 20_000 }).toMatch(/^\d+\+? papers?\b/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.close();
  });

  it('a query that matches nothing says so in both languages', async () => {
    // Pagefind falls back to shorter prefixes of a word (so any Latin word finds something); a
    // character no paper holds finds nothing.
    const page = await search('ꙮ');
    expect(await page.locator('#status').innerText()).toMatch(/No paper matches.*没有找到/s);
    expect(await page.locator('#results li').count()).toBe(0);
    await page.close();
  });
});
