import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonFeed } from 'feedsmith';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes } from '../support/fixtures.ts';
import { launchChromium } from '../support/browser.ts';
import { HOSTILE_ABSTRACT, HOSTILE_TITLE_SHOWN as HOSTILE_TITLE, HOSTILE_ZH, hostileDigest } from '../support/hostile.ts';
import { readWithFeedparser, xmllint } from '../support/readers.ts';
import { startSitePipeline, type SitePipeline } from '../support/site-pipeline.ts';

let pipe: SitePipeline;
let browser: Browser;
let files: string[];
const url = (p: string) => `${pipe.server.url}/${p}`;

beforeAll(async () => {
  pipe = await startSitePipeline();
  await pipe.ingest(Buffer.from(hostileDigest()), 'hostile.md');
  files = [...(await pipe.publish()).uploaded];
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await pipe.stop();
});

describe('hostile text', () => {
  it('keeps every XML file well-formed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-hostile-'));
    try {
      const xml = files.filter((p) => /\.(xml|opml|xsl)$/.test(p));
      const paths = await Promise.all(
        xml.map(async (p, i) => {
          const f = join(dir, `${i}.xml`);
          writeFileSync(f, await (await fetch(url(p))).text());
          return f;
        }),
      );
      expect(await xmllint(paths)).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads back as the same text in RSS and Atom (feedparser) and JSON Feed', async () => {
    const [rss, atom, zh] = await readWithFeedparser([url('feeds/generative.rss.xml'), url('feeds/en/generative.atom.xml'), url('feeds/zh/generative.rss.xml')]);
    expect(rss?.bozo).toBe(0);
    expect(atom?.bozo).toBe(0);
    expect(rss?.entries[0]?.title).toBe(`${HOSTILE_TITLE} | ${HOSTILE_ZH}`);
    expect(atom?.entries[0]?.title).toBe(HOSTILE_TITLE);
    expect(zh?.entries[0]?.title).toBe(HOSTILE_ZH);
    // The content is HTML: the markup in the abstract must arrive escaped, never as an element.
    expect(rss?.entries[0]?.content).toContain('&quot;&gt;&lt;img src=x onerror=');
    expect(rss?.entries[0]?.content).not.toMatch(/<img|<script|javascript:/);
    const json = parseJsonFeed(await (await fetch(url('feeds/generative.feed.json'))).text());
    expect(json.items?.[0]?.title).toBe(`${HOSTILE_TITLE} | ${HOSTILE_ZH}`);
    expect(json.items?.[0]?.content_html).not.toMatch(/<img|<script|javascript:/);
    expect(json.items?.[0]?.external_url).toBeUndefined();
  });

  it('shows as text on the day page in a real browser, and runs nothing', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url('days/2024-12-02.html'));
    await page.locator('details').first().evaluate((d) => ((d as HTMLDetailsElement).open = true));
    const text = await page.locator('main').innerText();
    expect(text).toContain(HOSTILE_TITLE);
    expect(text).toContain(HOSTILE_ZH);
    expect(text).toContain(HOSTILE_ABSTRACT.slice(0, 40));
    expect(text).toContain('<b>Evil</b> & Co');
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // The code link was javascript:, so it is not offered at all.
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.close();
  });
});

describe('a revised paper', () => {
  it('updates its item instead of adding a second one', async () => {
    const day1 = fixtureBytes('2024-02-04').toString('utf8');
    const first = /\*\*PDF:\*\* <http:\/\/arxiv\.org\/pdf\/(\d{4}\.\d{5})v1>/.exec(day1)?.[1];
    expect(first).toBeDefined();
    // The next day lists the same paper again as v2.
    const day2 = day1.replace('**2024-02-04**', '**2024-02-05**').replace(`${first}v1`, `${first}v2`);
    const revised = await startSitePipeline();
    try {
      await revised.ingest(Buffer.from(day1), 'd1.md');
      await revised.ingest(Buffer.from(day2), 'd2.md');
      await revised.publish();
      const [feed] = await readWithFeedparser([`${revised.server.url}/feeds/all.atom.xml`]);
      const items = feed?.entries.filter((e) => e.id.endsWith(`/${first}`)) ?? [];
      expect(items).toHaveLength(1);
      expect(items[0]?.link).toBe(`https://arxiv.org/abs/${first}v2`);
      expect(items[0]?.published?.slice(0, 10)).toBe('2024-02-04');
      expect(items[0]?.updated?.slice(0, 10)).toBe('2024-02-05');
    } finally {
      await revised.stop();
    }
  });
});
