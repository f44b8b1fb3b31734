import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { papersOf, type Paper } from '../../functions/domain/model.ts';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { inTaxonomy } from '../../functions/domain/categories.ts';
import { SUBSCRIBER_SCHEMA } from '../../functions/domain/subscribers/subscriber.ts';
import type { StoredMail } from '../../scripts/local/ses-emulator.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { form, linkIn as linkInMail, mailsTo, motoStack, post } from '../support/moto-stack.ts';

const FIRST = '2024-03-04';
const NEXT = '2024-03-11';
// DynamoDB and S3 on moto_server: the ledger's claims and the planner's conditional writes run on
// the real semantics, and the migration test writes a record as the old code did, through the real API.
const local = motoStack('filters', 'filters-secret');
const linkIn = (mail: StoredMail | undefined, path: string) => linkInMail(local.stack, mail, path);
const textOf = (p: Paper) => [p.titleEn, p.titleZh, p.abstractEn, p.abstractZh].join(' ');
/** A day's papers in the taxonomy's order, as mails and feeds list them. */
const papersOn = (day: string) => papersOf(inTaxonomy(parseDigest(fixtureBytes(day), `${day}.md`).digest));
/** The test's own count: plain regular expressions over the parsed day, not the filter code. */
const independent = (day: string) => papersOn(day).filter((p) => (/\bdiffusion\b/i.test(textOf(p)) || /\bsegment/i.test(textOf(p)) || /扩散/.test(textOf(p))) && !/\bvideo\b/i.test(textOf(p)));
const arxivIds = (html: string) => [...html.matchAll(/<h3[^>]*><a href="https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1]);

describe('filters on the local stack', () => {
  it('subscribe, confirm, set filters with a preview, and the next mail holds exactly the matching papers first; a record of the old schema reads with no filters', async () => {
    for (const email of ['alice@example.com', 'bob@example.com']) {
      const res = await post(`${local.stack.apiUrl}/subscribe`, form({ email, lang: email.startsWith('alice') ? 'bi' : 'en', categories: 'all', altcha: await solvedAltcha(local.stack.apiUrl) }));
      expect(res.status).toBe(202);
    }
    for (const email of ['alice@example.com', 'bob@example.com']) expect((await fetch(linkIn(mailsTo(await local.stack.ses.mails(), email)[0], '/confirm'), { method: 'POST' })).status).toBe(200);

    // A subscriber written before filters existed: no schema, no filters attribute.
    await local.stack.dynamo.client.send(
      new PutItemCommand({
        TableName: local.stack.dynamo.subscribersTable,
        Item: { email: { S: 'old@example.com' }, status: { S: 'confirmed' }, categories: { S: 'all' }, lang: { S: 'en' }, createdAt: { S: '2024-01-01T00:00:00.000Z' }, updatedAt: { S: '2024-01-01T00:00:00.000Z' }, confirmedAt: { S: '2024-01-01T00:00:00.000Z' }, tokenGeneration: { N: '1' }, confirmationsSent: { L: [] }, version: { N: '2' }, log: { L: [] } },
      }),
    );
    expect(await local.stack.subscribers.get('old@example.com')).toMatchObject({ schema: SUBSCRIBER_SCHEMA, filters: { include: [], exclude: [], authors: [], rest: 'categories' } });

    await local.stack.ses.clear();
    await local.stack.ingest({ bytes: fixtureBytes(FIRST), source: `${FIRST}.md` });
    expect((await local.stack.send(FIRST)).summary.sent).toBe(3);
    const prefsLink = linkIn(mailsTo(await local.stack.ses.mails(), 'alice@example.com')[0], '/preferences');

    // The page previews the newest mailed day with the stored settings, then with what is typed.
    const page = await (await fetch(prefsLink)).text();
    expect(page).toContain(`the mail of ${FIRST} would have had ${papersOn(FIRST).length} papers`);
    const settings = { categories: 'all', lang: 'bi', include: 'diffusion, segment*, 扩散', exclude: 'video', authors: '', rest: 'none' };
    const preview = await post(prefsLink, form({ ...settings, do: 'preview' }));
    expect(preview.status).toBe(200);
    const n = independent(FIRST).length;
    expect(n).toBeGreaterThan(5);
    expect(await preview.text()).toContain(`the mail of ${FIRST} would have had ${n} papers (${n} of them matches)`);
    expect((await local.stack.subscribers.get('alice@example.com'))?.filters?.include).toEqual([]);

    // Hostile input: refused with the field and term named, shown back escaped, nothing stored.
    const hostile = await post(prefsLink, form({ ...settings, include: '<script>alert(1)</script>\r\nnerf', do: 'save' }));
    expect(hostile.status).toBe(400);
    const refused = await hostile.text();
    expect(refused).toContain('Keywords: “&lt;script&gt;alert(1)&lt;/script&gt;” may hold only letters');
    expect(refused).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\r\nnerf</textarea>');
    expect(refused).not.toContain('<script>alert');

    const saved = await post(prefsLink, form({ ...settings, do: 'save' }));
    expect(await saved.text()).toContain('Saved.');
    expect((await local.stack.subscribers.get('alice@example.com'))?.filters).toEqual({ include: ['diffusion', 'segment*', '扩散'], exclude: ['video'], authors: [], rest: 'none' });

    // The next day's mail: exactly the matching papers for alice; everyone else as before.
    await local.stack.ses.clear();
    await local.stack.ingest({ bytes: fixtureBytes(NEXT), source: `${NEXT}.md` });
    expect((await local.stack.send(NEXT)).summary).toMatchObject({ sent: 3, skipped: 0 });
    const mails = await local.stack.ses.mails();
    const alice = mailsTo(mails, 'alice@example.com')[0];
    const want = independent(NEXT);
    expect(want.length).toBeGreaterThan(5);
    expect(arxivIds(alice?.body.html ?? '')).toEqual(want.map((p) => p.arxivId));
    expect(alice?.subject).toBe(`Paperboy ${NEXT}: ${want.length} new papers · ${want.length} 篇新论文`);
    expect(alice?.body.html).toContain('<mark>');
    for (const email of ['bob@example.com', 'old@example.com']) {
      const html = mailsTo(mails, email)[0]?.body.html ?? '';
      expect(arxivIds(html)).toHaveLength(papersOn(NEXT).length);
      expect(html).not.toContain('id="matches"');
    }
  });
});

describe('no paper twice on the local stack', () => {
  it('a paper re-listed a week after it was mailed comes under "Updated", not as new; the ledger on DynamoDB keeps what each mail showed', async () => {
    const A = '2024-09-27';
    const B = '2024-10-04';
    const email = 'carol@example.com';
    const res = await post(`${local.stack.apiUrl}/subscribe`, form({ email, lang: 'en', categories: 'all', altcha: await solvedAltcha(local.stack.apiUrl) }));
    expect(res.status).toBe(202);
    expect((await fetch(linkIn(mailsTo(await local.stack.ses.mails(), email)[0], '/confirm'), { method: 'POST' })).status).toBe(200);

    await local.stack.ses.clear();
    await local.stack.ingest({ bytes: fixtureBytes(A), source: `${A}.md` });
    await local.stack.send(A);
    const first = mailsTo(await local.stack.ses.mails(), email)[0];
    const firstIds = arxivIds(first?.body.html ?? '');
    expect(firstIds).toHaveLength(papersOn(A).length);

    await local.stack.ses.clear();
    await local.stack.ingest({ bytes: fixtureBytes(B), source: `${B}.md` });
    await local.stack.send(B);
    const second = mailsTo(await local.stack.ses.mails(), email)[0]?.body.html ?? '';
    // The test's own list: ids on both days (re-listings), from the parsed digests.
    const dayA = new Set(papersOn(A).map((p) => p.arxivId));
    const relisted = papersOn(B).filter((p) => dayA.has(p.arxivId));
    expect(relisted.length).toBeGreaterThanOrEqual(3);
    expect(arxivIds(second)).toEqual(papersOn(B).filter((p) => !dayA.has(p.arxivId)).map((p) => p.arxivId));
    const updated = second.slice(second.indexOf('id="updated"'));
    expect([...updated.matchAll(/<li><a href="https:\/\/arxiv\.org\/abs\/([0-9.]+)/g)].map((m) => m[1])).toEqual(relisted.map((p) => p.arxivId));
    for (const p of relisted) if (p.version) expect(updated).toContain(`v${p.version}`);
    expect(mailsTo(await local.stack.ses.mails(), email)[0]?.subject).toBe(`Paperboy ${B}: ${papersOn(B).length - relisted.length} new cs.CV papers`);
    expect(await local.stack.ledger.mailedBefore(email, B, 30)).toEqual(new Set(firstIds));
  });
});

describe('language links in every mail', () => {
  it('switch the language in two steps (the link asks, its button changes), keeping everything else', async () => {
    const mails = await local.stack.ses.mails();
    const mail = mailsTo(mails, 'carol@example.com').at(-1);
    const links = [...(mail?.body.html ?? '').matchAll(/href="([^"]*\/language\?token=[^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    // An English mail links the two other languages, in the HTML and in the text part.
    expect(links.map((l) => new URL(l).searchParams.get('lang'))).toEqual(['bi', 'zh']);
    expect(mail?.body.text).toContain('/language?token=');
    const before = await local.stack.subscribers.get('carol@example.com');
    const zh = links[1]!;
    const page = await fetch(zh);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Change the language of your mail');
    expect((await local.stack.subscribers.get('carol@example.com'))?.lang).toBe('en');
    const done = await fetch(zh, { method: 'POST' });
    expect(await done.text()).toContain('Language changed');
    const after = await local.stack.subscribers.get('carol@example.com');
    expect(after).toMatchObject({ lang: 'zh', categories: before?.categories, filters: before?.filters, repeats: before?.repeats, status: 'confirmed' });
    const bad = await fetch(zh.replace('lang=zh', 'lang=fr'));
    expect(bad.status).toBe(400);
  });
});

describe('a personal feed', () => {
  it('reads in feedparser with exactly what the mail selects over the mailed days, answers conditional GETs, and ends with the subscription', async () => {
    const { readWithFeedparser } = await import('../support/readers.ts');
    const mail = mailsTo(await local.stack.ses.mails(), 'alice@example.com').at(-1);
    const rss = /href="([^"]*\/feed\/[^"]*\/rss\.xml)"/.exec(mail?.body.html ?? '')?.[1];
    expect(rss).toBeDefined();
    expect(mail?.body.text).toContain(rss);
    const res = await fetch(rss!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    const body = await res.text();
    expect(body).not.toContain('alice');

    // The test's own selection: alice's terms over every day mailed so far, newest day first, each id once.
    const days = ['2024-10-04', '2024-09-27', NEXT, FIRST];
    const want: string[] = [];
    for (const day of days) for (const p of independent(day)) if (!want.includes(p.arxivId)) want.push(p.arxivId);
    const [asRss, asAtom] = await readWithFeedparser([rss!, rss!.replace('rss.xml', 'atom.xml')]);
    for (const feed of [asRss!, asAtom!]) {
      expect(feed.bozo, feed.bozo_exception).toBe(0);
      expect(feed.title).toBe('Paperboy · your papers · 您的论文');
      expect(feed.entries.map((e) => /abs\/([0-9.]+)/.exec(e.link)?.[1])).toEqual(want);
    }
    expect(asAtom?.version).toBe('atom10');

    const etag = res.headers.get('etag') ?? '';
    expect((await fetch(rss!, { headers: { 'If-None-Match': etag } })).status).toBe(304);

    // Unsubscribing starts a new token generation: the feed is gone.
    const unsubscribe = linkIn(mail, '/unsubscribe');
    expect((await fetch(unsubscribe, { method: 'POST' })).status).toBe(200);
    const gone = await fetch(rss!);
    expect(gone.status).toBe(404);
    expect(await gone.text()).not.toContain('alice');
    expect((await fetch(rss!.replace(/\/feed\/[^/]+\//, '/feed/forged.token/'))).status).toBe(404);
  });
});

describe('weekly mail', () => {
  it('a weekly reader gets no daily mail, then on their day one mail with the week’s papers, each arXiv id once, matches first; planning the week again sends nothing', async () => {
    const { relabelledBytes } = await import('../support/fixtures.ts');
    const email = 'dan@example.com';
    const res = await post(`${local.stack.apiUrl}/subscribe`, form({ email, lang: 'en', categories: 'all', altcha: await solvedAltcha(local.stack.apiUrl) }));
    expect(res.status).toBe(202);
    expect((await fetch(linkIn(mailsTo(await local.stack.ses.mails(), email)[0], '/confirm'), { method: 'POST' })).status).toBe(200);
    const sub = await local.stack.subscribers.get(email);
    const { preferencesUrl } = await import('../../functions/domain/subscribers/links.ts');
    const prefs = preferencesUrl(local.stack.senderConfig, email, sub?.tokenGeneration ?? 1, new Date());
    const saved = await post(prefs, form({ categories: 'all', lang: 'en', include: 'segment*', rest: 'categories', frequency: '6', do: 'save' }));
    expect(await saved.text()).toContain('Saved.');
    expect((await local.stack.subscribers.get(email))?.weekly).toBe(6);

    // A second day in the week before Saturday 2024-10-05 (2024-10-04 went out above): 2024-09-27's papers, listed on 2024-10-01.
    await local.stack.ses.clear();
    await local.stack.ingest({ bytes: relabelledBytes('2024-09-27', '2024-10-01'), source: '2024-10-01.md' });
    await local.stack.send('2024-10-01');
    expect(mailsTo(await local.stack.ses.mails(), email)).toEqual([]);

    const week = await local.stack.sendWeek('2024-10-05');
    expect(week?.days).toBe(2);
    // On failure: the ledger's row and what the senders logged, not only a missing mail.
    expect(week?.summary, JSON.stringify({ dead: local.stack.queue.deadLetters.length, log: week?.log })).toMatchObject({ sent: 1, failed: 0, unconfirmed: 0 });
    const mails = mailsTo(await local.stack.ses.mails(), email);
    expect(mails).toHaveLength(1);
    // The test's own week: both days' papers, each id once.
    const ids = new Set([...papersOn('2024-09-27'), ...papersOn('2024-10-04')].map((p) => p.arxivId));
    expect(ids.size).toBeLessThan(papersOn('2024-09-27').length + papersOn('2024-10-04').length);
    expect(mails[0]?.subject).toBe(`Paperboy 2024-09-28 – 2024-10-04: ${ids.size} new cs.CV papers`);
    const html = mails[0]?.body.html ?? '';
    expect(html).toContain('Papers in your categories this week: <strong>');
    const shown = arxivIds(html);
    expect(new Set(shown).size).toBe(shown.length);
    for (const id of shown) expect(ids.has(id ?? '')).toBe(true);
    const segment = [...ids].filter((id) => [...papersOn('2024-10-04'), ...papersOn('2024-09-27')].some((p) => p.arxivId === id && /\bsegment/i.test(textOf(p))));
    expect(shown.slice(0, segment.length).sort()).toEqual(segment.sort());

    const again = await local.stack.sendWeek('2024-10-05');
    expect(again?.results.reduce((n, r) => n + r.alreadySent, 0)).toBe(1);
    expect(mailsTo(await local.stack.ses.mails(), email)).toHaveLength(1);
  });
});
