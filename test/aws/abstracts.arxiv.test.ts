import { readableText } from '../../functions/domain/latex-text.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completeDays, enrichDay } from '../../functions/app/ingest/enrich-day.ts';
import { ingestDigest, readDayIndex } from '../../functions/app/ingest/ingest.ts';
import { loadDigest } from '../../functions/app/archive/load-digest.ts';
import { publishSite } from '../../functions/app/publish/publish-site.ts';
import { CollectingEventSink } from '../../functions/domain/events.ts';
import { papersOf } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { ArxivApiClient } from '../../functions/sources/arxiv-api.ts';
import type { S3BlobStore } from '../../functions/storage/s3-blob-store.ts';
import { startLocalArxiv, type LocalArxiv } from '../../scripts/local/arxiv-server.ts';
import { FakeTranslator } from '../support/fake-translator.ts';
import { fixtureText, tableFixtureText } from '../support/fixtures.ts';
import { freshMotoBucket, motoS3 } from '../support/moto.ts';

const ARXIV_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'arxiv');
const DAY = '2024-02-05';
const tableDay = () => Buffer.from(tableFixtureText(DAY));
/** The real abstracts of that day, from its detailed copy: what the recorded answers must bring. */
const realAbstracts = () => new Map(papersOf(parseDigest(fixtureText(DAY), 'x').digest).map((p) => [p.arxivId, p.abstractEn]));

let arxiv: LocalArxiv;
beforeAll(async () => {
  arxiv = await startLocalArxiv({ dir: ARXIV_FIXTURES });
});
afterAll(async () => arxiv.stop());
beforeEach(() => {
  arxiv.setFault(null);
  arxiv.requests.length = 0;
});

/** A client on a fake clock: pauses are recorded, not slept, so the spacing is checked exactly. */
function clientOnFakeClock(options: { batchSize?: number; timeoutMs?: number } = {}) {
  let clock = 0;
  const pauses: number[] = [];
  const client = new ArxivApiClient({
    endpoint: arxiv.apiEndpoint,
    ...options,
    now: () => clock,
    sleep: async (ms) => {
      pauses.push(ms);
      clock += ms;
    },
    random: () => 0.5,
  });
  return { client, pauses };
}

const ids = () => papersOf(parseDigest(tableDay(), 'x').digest).map((p) => `${p.arxivId}v${p.version}`);

describe('the arXiv API client, against recorded answers on loopback', () => {
  it('asks in batches, one request every 3 s, and gets every recorded abstract', async () => {
    const { client, pauses } = clientOnFakeClock({ batchSize: 30 });
    const answer = await client.lookup(ids());
    expect(answer.found.size).toBe(70);
    expect(answer.missing).toEqual([]);
    expect(arxiv.requests).toHaveLength(3);
    expect(arxiv.requests[0]).toMatch(/^\/api\/query\?id_list=2402\.\d+v\d(%2C2402\.\d+v\d){29}&max_results=30$/);
    expect(pauses).toEqual([3000, 3000]);
    const real = realAbstracts();
    for (const [key, record] of answer.found) expect(record.abstract, key).toBe(real.get(record.arxivId));
  });

  it('a partial answer: ids arXiv does not return are reported missing, not failed', async () => {
    const { client } = clientOnFakeClock();
    const answer = await client.lookup([...ids().slice(0, 5), '2402.99999v1']);
    expect(answer.found.size).toBe(5);
    expect(answer.missing).toEqual(['2402.99999v1']);
    expect(answer.failures).toEqual([]);
  });

  it('503 twice, then an answer: retried with growing back-off', async () => {
    arxiv.setFault((_req, res, n) => {
      if (n > 2) return false;
      res.writeHead(503, { 'Retry-After': '5' }).end('busy');
      return true;
    });
    const { client, pauses } = clientOnFakeClock();
    const answer = await client.lookup(ids());
    expect(answer.found.size).toBe(70);
    expect(arxiv.requests).toHaveLength(3);
    // Retry-After (5 s) is honoured over a shorter jittered back-off.
    expect(pauses.filter((p) => p === 5000)).toHaveLength(2);
  });

  it('503 every time: the batch is reported failed after 4 attempts, nothing thrown', async () => {
    arxiv.setFault((_req, res) => {
      res.writeHead(503).end('down');
      return true;
    });
    const { client } = clientOnFakeClock();
    const answer = await client.lookup(ids());
    expect(answer.found.size).toBe(0);
    expect(answer.missing).toHaveLength(70);
    expect(answer.failures).toEqual([expect.stringContaining('gave up after 4 attempt(s): HTTP 503')]);
    expect(arxiv.requests).toHaveLength(4);
  });

  it('a slow answer times out and the retry gets it', async () => {
    arxiv.setFault(async (_req, res, n) => {
      if (n > 1) return false;
      await new Promise((r) => setTimeout(r, 1500));
      res.writeHead(200).end('<feed xmlns="http://www.w3.org/2005/Atom"></feed>');
      return true;
    });
    const { client } = clientOnFakeClock({ timeoutMs: 300 });
    const answer = await client.lookup(ids().slice(0, 3));
    expect(answer.found.size).toBe(3);
    expect(arxiv.requests).toHaveLength(2);
  });

  it('a malformed body, an error entry, a 400: reported as that batch failing', async () => {
    const answers = [
      (res: import('node:http').ServerResponse) => res.writeHead(200).end('<feed><entry><id>http://arxiv.org/abs/2402.0'),
      (res: import('node:http').ServerResponse) =>
        res.writeHead(200).end('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_x</id><title>Error</title><summary>incorrect id format for x</summary></entry></feed>'),
      (res: import('node:http').ServerResponse) => res.writeHead(400).end('bad request'),
    ];
    const failures: string[] = [];
    for (const answer of answers) {
      arxiv.setFault((_req, res) => {
        answer(res);
        return true;
      });
      arxiv.requests.length = 0;
      const { client } = clientOnFakeClock();
      const result = await client.lookup(ids().slice(0, 2));
      expect(result.found.size).toBe(0);
      failures.push(...result.failures);
      expect(arxiv.requests).toHaveLength(1);
    }
    expect(failures).toEqual([
      expect.stringContaining('not well-formed XML'),
      expect.stringContaining('error entry: incorrect id format for x'),
      expect.stringContaining('HTTP 400'),
    ]);
  });
});

describe('a table-format day gets its abstracts (S3 on moto_server)', () => {
  let data: S3BlobStore;
  let site: S3BlobStore;
  beforeEach(async () => {
    const client = motoS3();
    data = await freshMotoBucket(client, 'data');
    site = await freshMotoBucket(client, 'site');
  });
  const fastClient = () => new ArxivApiClient({ endpoint: arxiv.apiEndpoint, minIntervalMs: 0, backoffBaseMs: 1, attempts: 2 });

  it('arXiv down: published without abstracts; a later run completes it, republishes and never re-announces', async () => {
    arxiv.setFault((_req, res) => {
      res.writeHead(503).end();
      return true;
    });
    const events = new CollectingEventSink();
    const complete = (date: string) => enrichDay({ store: data, arxiv: fastClient() }, date);
    const outcome = await ingestDigest({ store: data, events, complete }, { bytes: tableDay(), source: 'table.md', dateHint: DAY });
    expect(outcome).toMatchObject({ status: 'ingested', papers: 70 });
    await publishSite({ data, site }, { baseUrl: 'https://paperboy.test' });
    const page = async () => new TextDecoder().decode((await site.get(`days/${DAY}.html`))!.body);
    expect(await page()).not.toContain('<summary>Abstract</summary>');
    expect(events.ready()).toHaveLength(1);

    arxiv.setFault(null);
    const completed = await completeDays({ store: data, events, arxiv: fastClient() }, [DAY]);
    expect(completed).toEqual([expect.objectContaining({ date: DAY, papers: 70, withAbstract: 70, fetched: 70, missing: 0, changed: true })]);
    expect(events.events.map((e) => e.type)).toEqual(['DigestReady', 'DigestUpdated']);
    await publishSite({ data, site }, { baseUrl: 'https://paperboy.test' });
    const html = await page();
    expect(html.match(/<summary>Abstract<\/summary>/g)).toHaveLength(70);
    const [first] = [...realAbstracts().values()];
    // As readers see it: its simple LaTeX ($x$) as Unicode.
    const escaped = readableText(first ?? '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
    expect(html).toContain(escaped);
    const feed = new TextDecoder().decode((await site.get('feeds/all.rss.xml'))!.body);
    expect(feed).toContain(escaped.slice(0, 60));

    // Cached: a third run asks arXiv nothing and announces nothing.
    arxiv.requests.length = 0;
    const again = await completeDays({ store: data, events, arxiv: fastClient() }, [DAY]);
    expect(again).toEqual([expect.objectContaining({ fetched: 0, changed: false })]);
    expect(arxiv.requests).toHaveLength(0);
    expect(events.events).toHaveLength(2);
    // The parsed digest stays what the publisher wrote; the mail reads the completed day.
    const index = (await readDayIndex(data, DAY)).value;
    const digest = await loadDigest(data, index.versions[0]!.resultKey);
    expect(papersOf(digest).every((p) => p.abstractEn)).toBe(true);
  });

  it('a configured translator adds Chinese where the digest has none, and never replaces the publisher\'s', async () => {
    const events = new CollectingEventSink();
    const translator = new FakeTranslator();
    const complete = (date: string) => enrichDay({ store: data, arxiv: fastClient(), translator }, date);
    await ingestDigest({ store: data, events, complete }, { bytes: tableDay(), source: 'table.md', dateHint: DAY });
    const index = (await readDayIndex(data, DAY)).value;
    const digest = await loadDigest(data, index.versions[0]!.resultKey);
    const published = new Map(papersOf(parseDigest(tableDay(), 'x').digest).map((p) => [p.arxivId, p]));
    for (const p of papersOf(digest)) {
      expect(p.titleZh).toBe(published.get(p.arxivId)?.titleZh ?? `【译】${p.titleEn.slice(0, 40).trim()}`);
      expect(p.abstractZh).toBe(`【译】${(p.abstractEn ?? '').slice(0, 40).trim()}`);
    }
    expect(translator.calls).toBe(1);
    await enrichDay({ store: data, arxiv: fastClient(), translator }, DAY);
    expect(translator.calls).toBe(1);
  });
});

describe('reading an API answer', () => {
  it('decodes character references once and keeps markup-like text as text', async () => {
    const { parseApiAnswer } = await import('../../functions/domain/arxiv/api-atom.ts');
    const xml = readFileSync(join(ARXIV_FIXTURES, 'api-2024-02-05.xml'), 'utf8').replace(
      /<summary>[^<]*<\/summary>/,
      '<summary>It&#39;s p&lt;0.01 &amp;amp; &#x4E2D;文 &lt;script&gt;x&lt;/script&gt;  folded\n  line</summary>',
    );
    const [first] = parseApiAnswer(xml).records;
    expect(first?.abstract).toBe("It's p<0.01 &amp; 中文 <script>x</script> folded line");
  });
});
