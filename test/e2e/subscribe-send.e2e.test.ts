import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_FORM } from '../support/subscribe.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { simpleParser } from 'mailparser';
import { parseDigest } from '../../functions/domain/parse-digest.ts';
import { tokenFromUnsubscribeSubject } from '../../functions/domain/subscribers/links.ts';
import { verifyToken } from '../../functions/domain/subscribers/tokens.ts';
import type { StoredMail } from '../../scripts/local/ses-emulator.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { recordingMailer, type Handed } from '../support/recording-mailer.ts';

const DAY1 = '2024-02-04';
const DAY2 = '2024-02-05';

let stack: LocalStack;
let dir: string;
/** Every raw message the sender hands to SES (the emulator keeps no headers of raw mail). */
const handed: Handed = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-e2e-'));
  stack = await startLocalStack({
    dir,
    tokenSecret: 'e2e-secret',
    ...OPEN_FORM,
    wrapMailer: recordingMailer(handed),
    keepRawMail: true,
  });
}, 60_000);
afterAll(async () => {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: string, type = 'application/x-www-form-urlencoded'): Promise<Response> {
  return fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers: { 'Content-Type': type }, body });
}

/** The form as a reader's browser sends it, with the widget's solved challenge. */
async function subscribeForm(email: string, lang: string, categories: string[]): Promise<string> {
  const form = new URLSearchParams({ email, lang });
  for (const c of categories) form.append('categories', c);
  form.set('altcha', await solvedAltcha(stack.apiUrl));
  return form.toString();
}

const mailsTo = (mails: StoredMail[], email: string) => mails.filter((m) => m.destination.to.includes(email));
const linkIn = (mail: StoredMail | undefined, path: string) => {
  const m = new RegExp(`${stack.apiUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${path}\\?token=[^\\s"<>]+`).exec(mail?.body.text ?? '');
  if (!m) throw new Error(`no ${path} link in mail`);
  return m[0];
};

describe('subscribe → confirm → daily send → one-click unsubscribe → next day', () => {
  const people = [
    { email: 'alice@example.com', lang: 'bi', categories: ['all'] },
    { email: 'Bob@Example.COM', lang: 'en', categories: ['generative'] },
    { email: 'carol@example.org', lang: 'zh', categories: ['multimodal', 'other'] },
    { email: 'dave@example.net', lang: 'en', categories: ['all'] },
  ];

  it('runs the whole life of a subscription against S3, DynamoDB and SES emulators', async () => {
    // Subscribe: the same answer for everyone, and one confirmation mail each.
    for (const p of people) {
      const res = await post('/subscribe', await subscribeForm(p.email, p.lang, p.categories));
      expect(res.status).toBe(202);
      expect(await res.text()).toContain('Check your inbox');
    }
    let mails = await stack.ses.mails();
    expect(mails).toHaveLength(4);
    expect(mailsTo(mails, 'bob@example.com')[0]?.subject).toMatch(/^Confirm your Paperboy subscription/);

    // Confirm three of them through the link in their mail; dave never confirms.
    for (const email of ['alice@example.com', 'bob@example.com', 'carol@example.org']) {
      const link = linkIn(mailsTo(mails, email)[0], '/confirm');
      // Opening the link shows a button and changes nothing; the button's POST confirms.
      expect(await (await fetch(link)).text()).toContain('Confirm your subscription');
      expect((await stack.subscribers.get(email))?.status).toBe('pending');
      const res = await fetch(link, { method: 'POST' });
      expect(res.status).toBe(200);
      const answer = await res.text();
      expect(answer).toContain('Your subscription is confirmed');
      expect(answer).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/api\/preferences\?token=/);
      // A second click says the same (it is so); a damaged link says it does not work, and changes nothing.
      expect(await (await fetch(link, { method: 'POST' })).text()).toContain('Your subscription is confirmed');
      const damaged = await fetch(link.slice(0, -6), { method: 'POST' });
      expect([damaged.status, (await damaged.text()).includes('This confirmation link does not work')]).toEqual([400, true]);
    }
    expect((await stack.subscribers.get('dave@example.net'))?.status).toBe('pending');

    // The daily send: exactly one mail per confirmed subscriber, in their language and categories.
    await stack.ses.clear();
    expect((await stack.ingest({ bytes: fixtureBytes(DAY1), source: `${DAY1}.md` })).status).toBe('ingested');
    const first = await stack.send(DAY1);
    expect(first.summary).toEqual({ sent: 3, skipped: 0, suppressed: 0, failed: 0, unconfirmed: 0 });
    expect(first.completed).toMatchObject({ date: DAY1, email: '#run', planned: 3, sent: 3, skipped: 0, suppressed: 0, failed: 0 });
    mails = await stack.ses.mails();
    expect(mails).toHaveLength(3);
    // The batch that completed the run rebuilt the status page (issue 32.3): the last send, in words and as data.
    const status = (await (await fetch(`${stack.server.url}/status.json`)).json()) as { lastSend: { run: string; totals: Record<string, number> } };
    expect(status.lastSend).toMatchObject({ run: DAY1, totals: { planned: 3, sent: 3, skipped: 0, suppressed: 0, failed: 0 } });
    expect(await (await fetch(`${stack.server.url}/status.html`)).text()).toMatch(new RegExp(`mail of <a href="[^"]+">${DAY1}</a>, completed [\\d: -]+ UTC: 3 sent, 0 skipped, 0 suppressed, 0 failed \\(of 3 planned\\)`));
    // Each message is also kept as sent, headers included, as an .eml the local site serves (issue 31.8).
    const listing = await (await fetch(`${stack.server.url}/local/mail/`)).text();
    const alicesEml = [...listing.matchAll(/href="([\w-]+\.eml)"[^<]*<\/a> · to alice@example\.com/g)].map((m) => m[1]!);
    expect(alicesEml.length).toBeGreaterThanOrEqual(1);
    const eml = await fetch(`${stack.server.url}/local/mail/${alicesEml[0]}`);
    expect(eml.headers.get('content-type')).toBe('message/rfc822');
    const raw = await eml.text();
    expect(raw).toMatch(/^List-Unsubscribe:\s*<https?:\/\/[^>]+>/m);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(raw).toMatch(/^List-Id:\s+Paperboy daily/im);
    expect(listing).toContain(`to alice@example.com · Paperboy ${DAY1}: `);
    const digest = parseDigest(fixtureBytes(DAY1), 'x').digest;
    const count = (slugs: string[]) => digest.sections.filter((s) => slugs.includes(s.category.slug)).reduce((n, s) => n + s.papers.length, 0);
    const total = digest.sections.reduce((n, s) => n + s.papers.length, 0);
    expect(mailsTo(mails, 'alice@example.com').map((m) => m.subject)).toEqual([`Paperboy ${DAY1}: ${total} new papers · ${total} 篇新论文`]);
    const bob = mailsTo(mails, 'bob@example.com');
    expect(bob.map((m) => m.subject)).toEqual([`Paperboy ${DAY1}: ${count(['generative'])} new cs.CV papers`]);
    expect(bob[0]?.body.html).toContain('id="c-generative"');
    expect(bob[0]?.body.html).not.toContain('id="c-multimodal"');
    expect(bob[0]?.body.html).toContain('lang="en"');
    expect(mailsTo(mails, 'carol@example.org').map((m) => m.subject)).toEqual([`Paperboy ${DAY1}：${count(['multimodal', 'other'])} 篇新论文`]);
    expect(mailsTo(mails, 'dave@example.net')).toEqual([]);

    // Each mail's List-Unsubscribe carries that reader's own links: https (one click) and mailto.
    const bobRaw = handed.find((h) => h.to === 'bob@example.com')?.raw ?? Buffer.alloc(0);
    const header = (await simpleParser(bobRaw)).headers.get('list') as { unsubscribe: { url: string; mail: string } };
    expect(header.unsubscribe.url).toBe(linkIn(bob[0], '/unsubscribe'));
    const subject = new URL(`mailto:${header.unsubscribe.mail}`).searchParams.get('subject') ?? '';
    const token = tokenFromUnsubscribeSubject(subject);
    expect(verifyToken('e2e-secret', token, 'unsubscribe', Date.now() / 1000)).toMatchObject({ e: 'bob@example.com' });

    // A re-run of the day (a duplicate event, a retried plan) sends nothing more.
    const again = await stack.send(DAY1);
    expect(again.results.reduce((n, r) => n + r.alreadySent, 0)).toBe(3);
    expect(await stack.ses.mails()).toHaveLength(3);

    // Bob leaves with one click, the way a mail client does it (RFC 8058).
    const oneClick = await post(new URL(linkIn(bob[0], '/unsubscribe')).pathname.replace(/^\/api/, '') + new URL(linkIn(bob[0], '/unsubscribe')).search, 'List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect((await stack.subscribers.get('bob@example.com'))?.status).toBe('unsubscribed');

    // The next day: nothing for bob.
    await stack.ses.clear();
    await stack.ingest({ bytes: fixtureBytes(DAY2), source: `${DAY2}.md` });
    const next = await stack.send(DAY2);
    expect(next.summary.sent).toBe(2);
    mails = await stack.ses.mails();
    expect(mails.map((m) => m.destination.to[0]).sort()).toEqual(['alice@example.com', 'carol@example.org']);
  });

  it('refuses a forged, altered or expired token without saying why', async () => {
    const mails = await stack.ses.mails();
    const good = linkIn(mailsTo(mails, 'alice@example.com')[0], '/unsubscribe');
    const token = new URL(good).searchParams.get('token') ?? '';
    const [body, keyId] = token.split('.');
    // One ciphertext byte changed: the authentication tag no longer matches.
    const bytes = Buffer.from(body ?? '', 'base64url');
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    const altered = bytes.toString('base64url');
    const expiredConfirm = (await import('../../functions/domain/subscribers/tokens.ts')).signToken('e2e-secret', { p: 'confirm', e: 'dave@example.net', g: 0, x: 1 });
    const answers = await Promise.all(
      [`/unsubscribe?token=${altered}.${keyId}`, `/unsubscribe?token=${body}.${'A'.repeat(43)}`, '/unsubscribe?token=garbage'].map(async (path) => {
        const res = await fetch(`${stack.apiUrl}${path}`);
        return { status: res.status, body: await res.text() };
      }),
    );
    for (const a of answers) {
      expect(a.status).toBe(400);
      expect(a.body).toBe(answers[0]?.body);
    }
    // A confirmation answers with one page whatever the token: expired, of another purpose, forged.
    const confirms = await Promise.all(
      [encodeURIComponent(expiredConfirm), token, 'garbage'].map(async (t) => (await fetch(`${stack.apiUrl}/confirm?token=${t}`, { method: 'POST' })).text()),
    );
    expect(new Set(confirms).size).toBe(1);
    expect((await stack.subscribers.get('carol@example.org'))?.status).toBe('confirmed');
    expect((await stack.subscribers.get('dave@example.net'))?.status).toBe('pending');
  });

  it('validates input with a clear error and caps every size', async () => {
    const bad = await post('/subscribe', await subscribeForm('not-an-address', 'en', ['all']));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('That is not an e-mail address');
    const unknown = await post('/subscribe', await subscribeForm('x@example.com', 'en', ['<script>']));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Unknown category: &lt;script&gt;');
    const huge = await post('/subscribe', `email=${'a'.repeat(40_000)}@example.com`);
    expect(huge.status).toBe(413);
    const json = await post('/subscribe', JSON.stringify({ email: 'json@example.com', lang: 'zh', categories: ['llm'], altcha: await solvedAltcha(stack.apiUrl) }), 'application/json');
    expect(json.status).toBe(202);
  });

  it('limits confirmation mails for one address, and answers the same', async () => {
    await stack.ses.clear();
    for (let i = 0; i < 6; i++) {
      const res = await post('/subscribe', await subscribeForm('target@example.com', 'en', ['all']));
      expect(res.status).toBe(202);
    }
    expect(mailsTo(await stack.ses.mails(), 'target@example.com')).toHaveLength(3);
  });
});
