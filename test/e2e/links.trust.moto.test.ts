import { describe, expect, it } from 'vitest';
import { signToken } from '../../functions/domain/subscribers/tokens.ts';
import type { StoredMail } from '../../scripts/local/ses-emulator.ts';
import { solvedAltcha } from '../../scripts/local/subscribe-client.ts';
import { fixtureBytes } from '../support/fixtures.ts';
import { form, linkIn as linkInMail, mailsTo, motoStack, post } from '../support/moto-stack.ts';

/**
 * Issue 29.2-29.5 on the local stack, DynamoDB and S3 on moto_server: links from old mails keep
 * unsubscribing, an unsubscribe link does one thing, no URL reveals its reader, and a pending
 * sign-up confirms what its link was sent with.
 */
const DAY = '2024-02-05';
const SECRET = 'trust-secret';
const local = motoStack('trust', SECRET, (stack) => local.stack.ingest({ bytes: fixtureBytes(DAY), source: `${DAY}.md` }));
const linkIn = (mail: StoredMail | undefined, path: string) => linkInMail(local.stack, mail, path);
const subscribeAs = async (email: string, lang: string, categories: string[]) => {
  const res = await post(`${local.stack.apiUrl}/subscribe`, form({ email, lang, categories, altcha: await solvedAltcha(local.stack.apiUrl) }));
  expect(res.status).toBe(202);
};
const confirmLatest = async (email: string) => {
  const mails = mailsTo(await local.stack.ses.mails(), email).filter((m) => m.subject.startsWith('Confirm'));
  expect((await fetch(linkIn(mails.at(-1), '/confirm'), { method: 'POST' })).status).toBe(200);
};
/** A confirmed reader who has had the day's mail: that mail. */
const mailedReader = async (email: string, lang: string) => {
  await subscribeAs(email, lang, ['all']);
  await confirmLatest(email);
  await local.stack.ses.clear();
  await local.stack.send(DAY);
  return mailsTo(await local.stack.ses.mails(), email)[0];
};
/** Everything a token could spell out when decoded as base64 of any alignment: no address, no purpose, no field names. */
const readable = (token: string) => {
  const texts = [0, 1, 2, 3].map((skip) => Buffer.from(token.slice(skip).split('.')[0] ?? '', 'base64url').toString('latin1'));
  // Multi-character marks only: random ciphertext holds any single byte ('@' included) by chance.
  return texts.some((t) => /example|\{"|"e":|"p":|feed|manage|unsubscribe|confirm/.test(t));
};
const tokensOf = (text: string) => [...text.matchAll(/(?:token=|\/feed\/)([A-Za-z0-9_%-]+\.[A-Za-z0-9_-]+)/g)].map((m) => decodeURIComponent(m[1] ?? ''));

describe('links readers can trust (moto)', () => {
  it('an unsubscribe link from a mail sent before a re-subscription still unsubscribes, and every answer says what happened', async () => {
    const email = 'returning@example.com';
    const oldMail = await mailedReader(email, 'en');
    const oldUnsubscribe = linkIn(oldMail, '/unsubscribe');

    // Leaves, comes back (a new generation), and later clicks the link of the old mail.
    const left = await (await post(oldUnsubscribe, '')).text();
    expect(left).toContain('Unsubscribed');
    // Whatever the reader's frequency, and with the way back in (issue 31.4).
    expect(left).toContain('no more e-mail from Paperboy, daily or weekly');
    expect(left).toMatch(/<a href="http:\/\/127\.0\.0\.1:\d+\/api\/subscribe"><span lang="en">Subscribe again/);
    await subscribeAs(email, 'en', ['all']);
    await confirmLatest(email);
    expect((await local.stack.subscribers.get(email))?.status).toBe('confirmed');
    const oneClick = await post(oldUnsubscribe, 'List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toBe('unsubscribed\n');
    expect((await local.stack.subscribers.get(email))?.status).toBe('unsubscribed');
    // Again: the answer says nothing changed, instead of claiming an unsubscription.
    const again = await (await post(oldUnsubscribe, '')).text();
    expect(again).toContain('Already unsubscribed');
    expect(again).toContain('Subscribe again');
    expect(again).not.toContain('<h1>Unsubscribed');

    // A damaged link says it is damaged and that nothing changed.
    const damaged = await post(oldUnsubscribe.slice(0, -8), '');
    expect(damaged.status).toBe(400);
    expect(await damaged.text()).toContain('nothing changed');
  });

  it('an unsubscribe link opens no preferences page, and a mail and its pages carry no readable token', async () => {
    const email = 'private.reader@example.com';
    const mail = await mailedReader(email, 'bi');
    const unsubscribeToken = new URL(linkIn(mail, '/unsubscribe')).searchParams.get('token') ?? '';
    const asPreferences = await fetch(`${local.stack.apiUrl}/preferences?token=${encodeURIComponent(unsubscribeToken)}`);
    expect(asPreferences.status).toBe(400);
    expect(await asPreferences.text()).not.toContain(email);
    const unsubscribePage = await (await fetch(linkIn(mail, '/unsubscribe'))).text();
    expect(unsubscribePage).not.toContain(email);
    expect(unsubscribePage).not.toContain('/feed/');

    // Every token in the mail (HTML and text) and on the preferences page decodes to nothing readable.
    const prefsPage = await (await fetch(linkIn(mail, '/preferences'))).text();
    const tokens = [...tokensOf(mail?.body.text ?? ''), ...tokensOf(mail?.body.html ?? ''), ...tokensOf(prefsPage)];
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    for (const t of tokens) expect(readable(t), t).toBe(false);
  });

  it('the personal feed is private data, and a reset ends the old address at once', async () => {
    const prefs = linkIn(await mailedReader('feeds@example.com', 'en'), '/preferences');
    const feedOf = (page: string) => /href="([^"]+\/feed\/[^"]+\/rss\.xml)"/.exec(page)?.[1] ?? '';
    const oldFeed = feedOf(await (await fetch(prefs)).text());
    const first = await fetch(oldFeed);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/^private/);
    expect(first.headers.get('cache-control')).not.toMatch(/public|s-maxage/);

    const reset = await post(prefs, form({ do: 'reset-feed' }));
    const page = await reset.text();
    expect(page).toContain('Your feed has a new address');
    const newFeed = feedOf(page);
    expect(newFeed).not.toBe(oldFeed);
    expect((await fetch(oldFeed)).status).toBe(404);
    expect((await fetch(newFeed)).status).toBe(200);
  });

  it('a feed URL of the readable format redirects once to the sealed one; an old-format unsubscribe link still unsubscribes', async () => {
    const email = 'legacy@example.com';
    await subscribeAs(email, 'en', ['all']);
    await confirmLatest(email);
    const sub = await local.stack.subscribers.get(email);
    // What the code before sealing signed: base64url JSON and an HMAC under the same secret.
    const { createHmac } = await import('node:crypto');
    const legacy = (payload: object) => {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    };
    const oldFeed = await fetch(`${local.stack.apiUrl}/feed/${legacy({ p: 'feed', e: email, g: sub?.tokenGeneration })}/rss.xml`, { redirect: 'manual' });
    expect(oldFeed.status).toBe(301);
    const location = oldFeed.headers.get('location') ?? '';
    expect(readable(/\/feed\/([^/]+)\//.exec(location)?.[1] ?? '')).toBe(false);
    expect((await fetch(location)).status).toBe(200);

    const oldUnsubscribe = await post(`${local.stack.apiUrl}/unsubscribe?token=${legacy({ p: 'manage', e: email, g: 0 })}`, 'List-Unsubscribe=One-Click');
    expect(await oldUnsubscribe.text()).toBe('unsubscribed\n');
    expect((await local.stack.subscribers.get(email))?.status).toBe('unsubscribed');
  });

  it('a stranger resubmitting a pending address with other choices does not change what its owner confirms', async () => {
    const email = 'pending.owner@example.com';
    await subscribeAs(email, 'zh', ['generative']);
    const ownersMail = mailsTo(await local.stack.ses.mails(), email).filter((m) => m.subject.startsWith('Confirm'))[0];
    // The stranger's request: another language, every category.
    await subscribeAs(email, 'en', ['all']);
    expect((await local.stack.subscribers.get(email))?.requested).toMatchObject({ lang: 'en', categories: 'all' });
    expect((await fetch(linkIn(ownersMail, '/confirm'), { method: 'POST' })).status).toBe(200);
    expect(await local.stack.subscribers.get(email)).toMatchObject({ status: 'confirmed', lang: 'zh', categories: ['generative'] });
  });

  it('a token sealed under a retired key still opens while the key stays listed, and never after', async () => {
    const email = 'rotation@example.com';
    const oldKeyToken = signToken('old-key', { p: 'unsubscribe', e: email, g: 0 });
    const { verifyToken } = await import('../../functions/domain/subscribers/tokens.ts');
    expect(verifyToken('new-key old-key', oldKeyToken, 'unsubscribe', 0)).toMatchObject({ e: email });
    expect(verifyToken('new-key', oldKeyToken, 'unsubscribe', 0)).toBeNull();
    // The first key seals.
    expect(verifyToken('new-key', signToken('new-key old-key', { p: 'unsubscribe', e: email, g: 0 }), 'unsubscribe', 0)).toMatchObject({ e: email });
  });
});
