import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_FORM } from '../support/subscribe.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { simpleParser } from 'mailparser';
import { startLocalArxiv, type LocalArxiv } from '../../scripts/local/arxiv-server.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { FakeTranslator } from '../support/fake-translator.ts';
import { recordingMailer, type Handed } from '../support/recording-mailer.ts';

const ARXIV_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'arxiv');
const DAY = '2024-02-05';

let arxiv: LocalArxiv;
let stack: LocalStack;
let dir: string;
const handed: Handed = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-producer-'));
  arxiv = await startLocalArxiv({ dir: ARXIV_FIXTURES });
  arxiv.setListing('cs.CV', readFileSync(join(ARXIV_FIXTURES, `listing-${DAY}.xml`), 'utf8'));
  stack = await startLocalStack({
    dir,
    tokenSecret: 'producer-secret',
    ...OPEN_FORM,
    arxivEndpoint: arxiv.apiEndpoint,
    arxivListingEndpoint: arxiv.listingEndpoint,
    translator: new FakeTranslator(),
    wrapMailer: recordingMailer(handed),
  });
}, 60_000);
afterAll(async () => {
  await stack.stop();
  await arxiv.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function subscribe(email: string, lang: string, categories: string[]): Promise<void> {
  const form = new URLSearchParams({ email, lang });
  for (const c of categories) form.append('categories', c);
  form.set('altcha', await solvedAltcha(stack.apiUrl));
  await fetch(`${stack.apiUrl}/subscribe`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
  const mail = (await stack.ses.mails()).filter((m) => m.destination.to.includes(email)).at(-1);
  const link = /https?:\/\/\S+\/api\/confirm\?token=[^\s"<>]+/.exec(mail?.body.text ?? '')?.[0];
  if (!link) throw new Error(`no confirmation link for ${email}`);
  await fetch(link, { method: 'POST' });
  expect((await stack.subscribers.get(email))?.status).toBe('confirmed');
}

describe('Paperboy with no third-party digest: producer → ingest → publish → send', () => {
  it('publishes feeds and pages and mails every subscriber once, from arXiv answers alone', async () => {
    await subscribe('reader@example.com', 'bi', ['all']);
    await subscribe('gen@example.com', 'en', ['generative']);

    const { produced, ingested } = await stack.produce();
    expect(produced).toMatchObject({ status: 'written', date: DAY, papers: 70 });
    expect(ingested).toMatchObject({ status: 'ingested', date: DAY });
    // The ingest's translation step gave every paper a Chinese title and abstract.
    expect(stack.enrichments.at(-1)).toMatchObject({ date: DAY, papers: 70, withAbstract: 70, translated: 140 });

    const published = await stack.publish();
    expect(published.newestDay).toBe(DAY);
    const page = await (await fetch(`${stack.server.url}/days/${DAY}.html`)).text();
    expect(page).toContain('【译】');
    const rss = await (await fetch(`${stack.server.url}/feeds/generative.rss.xml`)).text();
    expect(rss.match(/<item>/g)?.length ?? 0).toBeGreaterThan(0);

    const sent = await stack.send(DAY);
    expect(sent.summary).toMatchObject({ sent: 2, failed: 0 });
    expect(handed.map((h) => h.to).sort()).toEqual(['gen@example.com', 'reader@example.com']);
    const mail = await simpleParser(handed.filter((h) => h.to === 'reader@example.com').at(-1)?.raw ?? Buffer.alloc(0));
    expect(mail.subject).toMatch(/70 new papers/);

    // The producer's next run finds the same announcement: the same bytes, no second ingest, no second mail.
    const again = await stack.produce();
    expect(again.produced.status).toBe('unchanged');
    expect(again.ingested?.status).toBe('unchanged');
  });
});
