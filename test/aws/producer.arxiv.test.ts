import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { produceDay } from '../../functions/app/ingest/produce-day.ts';
import { dataKeys } from '../../functions/domain/storage-layout.ts';
import { type ProduceDeps } from '../../functions/domain/arxiv/producer-inputs.ts';
import { findCodeLink } from '../../functions/domain/arxiv/code-links.ts';
import { dayOfRfc822, parseListing } from '../../functions/domain/arxiv/listing-rss.ts';
import { ArxivAnswerError } from '../../functions/domain/arxiv/api-atom.ts';
import { TAXONOMY } from '../../functions/domain/taxonomy.ts';
import { SHIPPED_MODEL } from '../../functions/domain/classifier/shipped-model.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { ArxivApiClient, politeArxivHttp } from '../../functions/sources/arxiv-api.ts';
import { ArxivRssListing } from '../../functions/sources/arxiv-listing.ts';
import { startLocalArxiv, type LocalArxiv } from '../../scripts/local/arxiv-server.ts';
import { fixtureText } from '../support/fixtures.ts';
import { freshMotoBucket, motoS3 } from '../support/moto.ts';

const ARXIV_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'arxiv');
const recorded = (name: string) => readFileSync(join(ARXIV_FIXTURES, name), 'utf8');
const NORMAL = recorded('listing-2024-02-05.xml');
const BUSY = recorded('listing-busy-2024-03-04.xml');
const EMPTY = recorded('listing-empty-2024-02-10.xml');

describe("arXiv's daily listing feed", () => {
  it('gives the announcement day and each paper with its version and announce type', () => {
    const listing = parseListing(NORMAL);
    expect(listing.date).toBe('2024-02-05');
    const count = (t: string) => listing.entries.filter((e) => e.announceType === t).length;
    expect([count('new'), count('cross'), count('replace')]).toEqual([70, 35, 26]);
    expect(listing.entries[0]).toMatchObject({ arxivId: expect.stringMatching(/^2402\.\d{5}$/), version: 1, announceType: 'new' });
  });

  it('is an empty day, not an error, when nothing was announced', () => {
    expect(parseListing(EMPTY)).toEqual({ date: null, entries: [] });
  });

  it('reads the day from the date as written, whatever its zone', () => {
    expect(dayOfRfc822('Mon, 05 Feb 2024 00:00:00 -0500')).toBe('2024-02-05');
    expect(dayOfRfc822('Fri, 1 Mar 2024 23:30:00 +1400')).toBe('2024-03-01');
    expect(dayOfRfc822('yesterday')).toBeNull();
  });

  it('refuses a malformed answer with a message naming what is wrong', () => {
    expect(() => parseListing('<rss><channel><item>')).toThrow(ArxivAnswerError);
    expect(() => parseListing('<html><body>Service Unavailable</body></html>')).toThrow(/no RSS <channel>/);
    const noId = NORMAL.replace(/<guid[^>]*>[^<]*<\/guid>/, '<guid>oops</guid>').replace(/<link>https:\/\/arxiv\.org\/abs\/[^<]*<\/link>/, '<link>x</link>');
    expect(() => parseListing(noId)).toThrow(/listing item 1: guid\/link "oops" names no arXiv id/);
    expect(() => parseListing(NORMAL.replace('<arxiv:announce_type>new</arxiv:announce_type>', '<arxiv:announce_type>old</arxiv:announce_type>'))).toThrow(/announce_type "old"/);
  });
});

describe('code links from what the authors wrote', () => {
  it('prefers a repository in the comment, then in the abstract, and trims sentence punctuation', () => {
    expect(findCodeLink('Accepted at CVPR 2024. Code: https://github.com/foo/bar.', 'See https://example.com/x.')).toBe('https://github.com/foo/bar');
    expect(findCodeLink(null, 'Our code is at https://github.com/foo/bar/tree/main/src, and data at https://zenodo.org/1.')).toBe('https://github.com/foo/bar');
    expect(findCodeLink(null, 'Models at huggingface.co/spaces/acme/demo.')).toBe('https://huggingface.co/spaces/acme/demo');
    expect(findCodeLink('10 pages', 'Available on gitlab.com/group/project')).toBe('https://gitlab.com/group/project');
  });

  it('takes a github.io page, or a URL the text calls a project page or code', () => {
    expect(findCodeLink(null, 'Videos: https://acme.github.io/paper/.')).toBe('https://acme.github.io/paper/');
    expect(findCodeLink(null, 'The project page is https://acme.org/nerf2')).toBe('https://acme.org/nerf2');
    expect(findCodeLink(null, 'We compare with https://acme.org/baseline on three sets.')).toBeNull();
  });

  it("never takes arXiv's own links or DOIs", () => {
    expect(findCodeLink('Code: https://arxiv.org/abs/2402.00001', 'https://doi.org/10.1/x')).toBeNull();
  });
});

describe('the producer, on recorded arXiv answers served on loopback, writing to S3 (moto)', () => {
  let arxiv: LocalArxiv;
  beforeAll(async () => {
    arxiv = await startLocalArxiv({ dir: ARXIV_FIXTURES });
  });
  afterAll(async () => arxiv.stop());
  beforeEach(() => {
    arxiv.setFault(null);
    arxiv.setListing('cs.CV', NORMAL);
    arxiv.requests.length = 0;
  });

  async function deps(options: { timeoutMs?: number; attempts?: number } = {}): Promise<ProduceDeps> {
    // No 3 s spacing on loopback; the spacing itself is tested on the API client's fake clock.
    const http = politeArxivHttp({ minIntervalMs: 0, backoffBaseMs: 5, timeoutMs: options.timeoutMs ?? 5000, attempts: options.attempts ?? 4 });
    return { store: await freshMotoBucket(motoS3()), listing: new ArxivRssListing(http, arxiv.listingEndpoint), arxiv: new ArxivApiClient({ endpoint: arxiv.apiEndpoint, http }), model: SHIPPED_MODEL };
  }

  it('writes the day in the detailed format, which parses back to the listed papers with their abstracts', async () => {
    const d = await deps();
    const outcome = await produceDay(d, { categories: ['cs.CV'], crossLists: false });
    expect(outcome).toMatchObject({ status: 'written', date: '2024-02-05', key: 'incoming/arxiv/2024-02-05.md', papers: 70 });
    const written = await d.store.get(dataKeys.produced('2024-02-05'));
    const { digest, problems, skipped, namedIds } = parseDigest(written?.body ?? new Uint8Array(), 'produced');
    expect(problems).toEqual([]);
    expect([skipped, namedIds]).toEqual([0, 70]);
    const papers = papersOf(digest);
    const real = new Map(papersOf(parseDigest(fixtureText('2024-02-05'), 'x').digest).map((p) => [p.arxivId, p]));
    expect(papers).toHaveLength(70);
    for (const p of papers) {
      expect(p.titleEn).toBe(real.get(p.arxivId)?.titleEn);
      expect(p.abstractEn).toBe(real.get(p.arxivId)?.abstractEn);
      expect(p.authors).toEqual(real.get(p.arxivId)?.authors.filter((a) => a !== 'et.al.'));
      expect(p.titleZh).toBeNull();
    }
    // Categories are the digest's own, in its order, every one known to the feeds and the mail.
    expect(digest.sections.every((s) => s.category.known)).toBe(true);
    // In the taxonomy's one order, as every day is listed.
    expect(digest.sections.map((s) => s.category.slug)).toEqual(TAXONOMY.map((c) => c.slug).filter((slug) => digest.sections.some((s) => s.category.slug === slug)));
    // One listing request and one API batch: replaced papers are never asked for.
    expect(arxiv.requests.map((r) => r.split('?')[0])).toEqual(['/rss/cs.CV', '/api/query']);
  });

  it('writes the same bytes or nothing when the day is produced again', async () => {
    const d = await deps();
    await produceDay(d, { categories: ['cs.CV'], crossLists: false });
    const first = await d.store.get(dataKeys.produced('2024-02-05'));
    const again = await produceDay(d, { categories: ['cs.CV'], crossLists: false });
    expect(again.status).toBe('unchanged');
    expect((await d.store.get(dataKeys.produced('2024-02-05')))?.etag).toBe(first?.etag);
    // A different answer later (here: cross-lists switched on) never replaces the day's file.
    const other = await produceDay(d, { categories: ['cs.CV'], crossLists: true });
    expect(other.status).toBe('kept');
    expect((await d.store.get(dataKeys.produced('2024-02-05')))?.etag).toBe(first?.etag);
    expect(await d.store.list('incoming/')).toEqual(['incoming/arxiv/2024-02-05.md']);
  });

  it('takes cross-lists when asked, and lists a paper once when two configured categories both list it', async () => {
    arxiv.setListing('eess.IV', NORMAL);
    const d = await deps();
    const outcome = await produceDay(d, { categories: ['cs.CV', 'eess.IV'], crossLists: true });
    expect(outcome).toMatchObject({ status: 'written', papers: 105 });
    const papers = papersOf(parseDigest((await d.store.get(dataKeys.produced('2024-02-05')))?.body ?? new Uint8Array(), 'p').digest);
    expect(new Set(papers.map((p) => p.arxivId)).size).toBe(105);
  });

  it('makes a busy day of 261 papers in three API batches', async () => {
    arxiv.setListing('cs.CV', BUSY);
    const d = await deps();
    const outcome = await produceDay(d, { categories: ['cs.CV'], crossLists: false });
    expect(outcome).toMatchObject({ status: 'written', date: '2024-03-04', papers: 261 });
    expect(arxiv.requests.filter((r) => r.startsWith('/api/query'))).toHaveLength(3);
    const { digest, problems } = parseDigest((await d.store.get(dataKeys.produced('2024-03-04')))?.body ?? new Uint8Array(), 'p');
    expect(problems).toEqual([]);
    expect(papersOf(digest)).toHaveLength(261);
  });

  it('writes nothing on a day without announcement, and that is not an error', async () => {
    arxiv.setListing('cs.CV', EMPTY);
    const d = await deps();
    expect(await produceDay(d, { categories: ['cs.CV'], crossLists: true })).toEqual({ status: 'no-announcement', categories: ['cs.CV'] });
    expect(await d.store.list('')).toEqual([]);
    expect(arxiv.requests).toEqual(['/rss/cs.CV']);
  });

  it('fails on a malformed listing and writes nothing', async () => {
    arxiv.setFault((req, res) => {
      if (!req.url?.startsWith('/rss/')) return false;
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      res.end('<rss><channel><item><title>cut off');
      return true;
    });
    const d = await deps();
    await expect(produceDay(d, { categories: ['cs.CV'], crossLists: false })).rejects.toThrow(/not well-formed XML/);
    expect(await d.store.list('')).toEqual([]);
  });

  it('rides out 503s and a slow answer with retries, and still writes the whole day', async () => {
    arxiv.setFault(async (req, res, n) => {
      if (n === 1 || n === 3) {
        res.writeHead(503, { 'Retry-After': '0' });
        res.end('busy');
        return true;
      }
      if (n === 4) {
        await new Promise((r) => setTimeout(r, 400));
        return false; // answered too late: the client has given up on it already
      }
      return false;
    });
    const d = await deps({ timeoutMs: 200 });
    const outcome = await produceDay(d, { categories: ['cs.CV'], crossLists: false });
    expect(outcome).toMatchObject({ status: 'written', papers: 70 });
    expect(arxiv.requests.length).toBe(5);
  });

  it('writes nothing when the API keeps failing, so the day comes whole on a later run', async () => {
    arxiv.setFault((req, res) => {
      if (!req.url?.startsWith('/api/')) return false;
      res.writeHead(503);
      res.end('down');
      return true;
    });
    const d = await deps({ attempts: 2 });
    const outcome = await produceDay(d, { categories: ['cs.CV'], crossLists: false });
    expect(outcome).toMatchObject({ status: 'incomplete', date: '2024-02-05' });
    expect(outcome.status === 'incomplete' && outcome.detail).toMatch(/70 of 70 paper\(s\) not answered.*HTTP 503/);
    expect(await d.store.list('')).toEqual([]);
  });

  it('leaves a day alone that the other source already gave, when both run', async () => {
    const d = await deps();
    await d.store.put('index/days/2024-02-05.json', JSON.stringify({ schemaVersion: 1, date: '2024-02-05', current: 'abc', versions: [{ hash: 'abc', status: 'published', resultKey: 'parsed/2024-02-05/abc.json', rawKey: 'raw/2024-02-05/abc.md', source: 'x', ingestedAt: '2024-02-05T01:00:00Z', papers: 70, announced: true }] }), { contentType: 'application/json' });
    const outcome = await produceDay(d, { categories: ['cs.CV'], crossLists: false, skipDaysWithAVersion: true });
    expect(outcome).toEqual({ status: 'day-has-a-version', date: '2024-02-05' });
    expect(await d.store.list('incoming/')).toEqual([]);
  });
});
