import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishSite } from '../../functions/app/publish/publish-site.ts';
import { DEFAULT_WINDOW } from '../../functions/domain/feeds/feed-window.ts';
import type { Digest } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { buildSite, type SiteFile } from '../../functions/app/publish/build-site.ts';
import { pingHub } from '../../functions/sources/websub-hub.ts';
import { consecutiveDates, fixtureDays, fixtureText, relabelledBytes } from '../support/fixtures.ts';
import { readWithFeedparser } from '../support/readers.ts';
import { startSitePipeline } from '../support/site-pipeline.ts';

// Three weeks of real days with abstracts, as a window is once arXiv's abstracts are added: the
// fixture days that carry them, in turn, relabelled as consecutive days, each copy's papers given
// ids of their own so no copy collapses into another.
const WITH_ABSTRACTS = fixtureDays().filter((d) => fixtureText(d).includes('**Abstract:**'));
const DATES = consecutiveDates('2024-11-29', 21);
const SOURCES = DATES.map((_, i) => WITH_ABSTRACTS[i % WITH_ABSTRACTS.length]!);
const DIGESTS: Digest[] = SOURCES.map((d, i) => {
  const digest = parseDigest(relabelledBytes(d, DATES[i]!), `${DATES[i]}.md`).digest;
  const copy = Math.floor(i / WITH_ABSTRACTS.length);
  return { ...digest, sections: digest.sections.map((s) => ({ ...s, papers: s.papers.map((p) => ({ ...p, arxivId: `${p.arxivId}${'9'.repeat(copy)}` })) })) };
});
const BASE = 'https://paperboy.example';

/** Serves one build's files, as the site would on the day a reader polls. */
async function serve(files: readonly SiteFile[]): Promise<{ url: string; close: () => Promise<void> }> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const server: Server = createServer((req, res) => {
    const file = byPath.get((req.url ?? '/').slice(1));
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.contentType }).end(file.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

const buildOn = (day: number) => buildSite({ baseUrl: BASE, digests: DIGESTS.slice(0, day), days: [], pageDays: [] });
const builds = new Map<number, SiteFile[]>();
beforeAll(() => {
  for (const day of [7, 14, 21]) builds.set(day, buildOn(day));
});

describe('a reader who opens their feeds once a week', () => {
  it.each([
    ['feeds/all.rss.xml', 'all'],
    ['feeds/en/all.atom.xml', 'all'],
    ['feeds/zh/generative.rss.xml', 'generative'],
  ])('sees every paper of three weeks in %s', async (path, slug) => {
    const seen = new Set<string>();
    for (const day of [7, 14, 21]) {
      const site = await serve(builds.get(day)!);
      try {
        const [feed] = await readWithFeedparser([`${site.url}/${path}`]);
        expect(feed?.bozo, feed?.bozo_exception).toBe(0);
        for (const e of feed?.entries ?? []) seen.add(e.id.slice(e.id.lastIndexOf('/') + 1));
      } finally {
        await site.close();
      }
    }
    const published = new Set(DIGESTS.flatMap((d) => d.sections.filter((s) => slug === 'all' || s.category.slug === slug).flatMap((s) => s.papers.map((p) => p.arxivId))));
    expect(published.size).toBeGreaterThan(slug === 'all' ? 1000 : 100);
    expect([...published].filter((id) => !seen.has(id))).toEqual([]);
  });

  it('gets no feed over 2 MB, and the newest papers with their whole abstracts', () => {
    const files = builds.get(21)!;
    const feeds = files.filter((f) => f.path.startsWith('feeds/') && !f.path.endsWith('.xsl'));
    const largest = Math.max(...feeds.map((f) => Buffer.byteLength(f.body)));
    expect(largest).toBeLessThanOrEqual(2_000_000);
    expect(largest).toBeLessThanOrEqual(DEFAULT_WINDOW.maxFeedBytes);
    const all = String(files.find((f) => f.path === 'feeds/en/all.atom.xml')?.body);
    const newest = DIGESTS.at(-1)!.sections.flatMap((s) => s.papers).find((p) => p.abstractEn && !p.abstractEn.includes('&') && !p.abstractEn.includes('<'));
    expect(newest).toBeDefined();
    expect(all).toContain(newest!.abstractEn);
  });
});

describe('refresh hints', () => {
  it('say daily, name the icon, and give each feed the language it holds', async () => {
    const site = await serve(builds.get(7)!);
    try {
      const [bi, en, zh, atom] = await readWithFeedparser(['feeds/all.rss.xml', 'feeds/en/all.rss.xml', 'feeds/zh/all.rss.xml', 'feeds/zh/all.atom.xml'].map((p) => `${site.url}/${p}`));
      expect(bi?.ttl).toBe('180');
      expect([bi?.language, en?.language, zh?.language]).toEqual(['mul', 'en', 'zh-CN']);
      expect(bi?.image).toBe(`${BASE}/icon.png`);
      expect(atom?.icon).toBe(`${BASE}/favicon.ico`);
      const rss = String(builds.get(7)!.find((f) => f.path === 'feeds/all.rss.xml')?.body);
      expect(rss).toContain('<sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">daily</sy:updatePeriod>');
      const icon = await fetch(`${site.url}/favicon.ico`);
      expect(icon.headers.get('content-type')).toBe('image/x-icon');
      expect(Buffer.from(await icon.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    } finally {
      await site.close();
    }
  });
});

describe('WebSub', () => {
  let hub: Server;
  let hubUrl: string;
  const pings: URLSearchParams[] = [];
  beforeAll(async () => {
    hub = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        pings.push(new URLSearchParams(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
    hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`;
  });
  afterAll(() => new Promise<void>((r) => hub.close(() => r())));

  it('names the hub in every feed, pings it for each changed feed after a publish, and not again when nothing changed', async () => {
    const pipe = await startSitePipeline();
    try {
      for (const [i, d] of fixtureDays().slice(-2).entries()) await pipe.ingest(relabelledBytes(d, DATES.slice(-2)[i]!), `${d}.md`);
      const deps = { data: pipe.data, site: pipe.site, notifyHub: async (urls: readonly string[]) => void (await pingHub(hubUrl, urls)) };
      const first = await publishSite(deps, { baseUrl: pipe.server.url, hub: hubUrl });
      const feedPaths = first.uploaded.filter((p) => /\.(rss\.xml|atom\.xml|feed\.json)$/.test(p));
      expect(pings.map((p) => p.get('hub.url')).sort()).toEqual(feedPaths.map((p) => `${pipe.server.url}/${p}`).sort());
      expect(pings.every((p) => p.get('hub.mode') === 'publish')).toBe(true);
      const [rss, atom] = await readWithFeedparser([`${pipe.server.url}/feeds/all.rss.xml`, `${pipe.server.url}/feeds/all.atom.xml`]);
      expect(rss?.hub).toEqual([hubUrl]);
      expect(atom?.hub).toEqual([hubUrl]);
      pings.length = 0;
      await publishSite(deps, { baseUrl: pipe.server.url, hub: hubUrl });
      expect(pings).toEqual([]);
    } finally {
      await pipe.stop();
    }
  });

  it('a hub that fails is reported, and the publish still succeeds', async () => {
    const result = await pingHub('http://127.0.0.1:9/hub', ['https://paperboy.example/feeds/all.rss.xml'], fetch, 2_000);
    expect(result.pinged).toBe(0);
    expect(result.failed[0]?.topic).toBe('https://paperboy.example/feeds/all.rss.xml');
  });
});
