import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { describe, expect, it } from 'vitest';
import { readReputation, recordMailFeedback } from '../../functions/app/newsletter/mail-reputation.ts';
import { clientNetwork, viewerAddress } from '../../functions/domain/abuse/client-network.ts';
import { MemoryCounters } from '../../functions/domain/abuse/counters.ts';
import { altchaChallenge, checkProof, formToken, type ProofSettings } from '../../functions/domain/abuse/human-proof.ts';
import { fromOrigin } from '../../functions/domain/abuse/origin-secret.ts';
import { takeClientAllowance, takeMailAllowance, takeMailBudget } from '../../functions/domain/abuse/subscribe-limits.ts';
import { mailboxOf } from '../../functions/domain/subscribers/mailbox.ts';
import { confirm, subscribe, unsubscribe, UNCONFIRMED_TTL_DAYS } from '../../functions/domain/subscribers/subscriber.ts';

const SECRET = 'unit-secret';
const CHEAP: ProofSettings = { cost: 1, counterMin: 1, counterMax: 64, minFillSeconds: 4 };
const at = (iso: string) => new Date(iso);

async function solved(secret: string, now: Date): Promise<string> {
  const challenge = await altchaChallenge(secret, CHEAP, now);
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

describe('the client behind CloudFront', () => {
  it('reads CloudFront-Viewer-Address for IPv4 and IPv6 and refuses anything else', () => {
    expect(viewerAddress('203.0.113.7:443')).toBe('203.0.113.7');
    expect(viewerAddress('2001:DB8::1:50123')).toBe('2001:db8::1');
    expect(viewerAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    for (const junk of [undefined, '', 'evil', '203.0.113.7', '203.0.113.7:', '999.1.1.1:80', 'a:b:c:80', '203.0.113.7:443, 10.0.0.1:1']) expect(viewerAddress(junk)).toBeNull();
  });

  it('counts an IPv4 client by its /24 and an IPv6 client by its /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.0/24');
    expect(clientNetwork('203.0.113.250')).toBe(clientNetwork('203.0.113.7'));
    expect(clientNetwork('203.0.114.7')).not.toBe(clientNetwork('203.0.113.7'));
    expect(clientNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    // Rotating through a /64 (what one line or one cloud instance gets) is one network.
    expect(clientNetwork('2001:db8:1:2::ffff')).toBe(clientNetwork('2001:db8:1:2:aaaa:bbbb:cccc:dddd'));
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(clientNetwork('not an address')).toBeNull();
  });

  it('accepts only the current or previous origin secret', () => {
    expect(fromOrigin('new', ['new', 'old'])).toBe(true);
    expect(fromOrigin('old', ['new', 'old'])).toBe(true);
    for (const wrong of [undefined, '', 'guess', 'new ', 'ne']) expect(fromOrigin(wrong, ['new', 'old'])).toBe(false);
    expect(fromOrigin('', [''])).toBe(false);
  });
});

describe('the proof a subscribe form carries', () => {
  // altcha-lib checks a challenge's expiry against the real clock, so the challenges here are made now.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const plus = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);

  it('a solved ALTCHA challenge passes once per nonce; forged, altered, foreign or expired ones do not', async () => {
    const good = await solved(SECRET, now);
    const ok = await checkProof(SECRET, CHEAP, form({ altcha: good }), now);
    expect(ok).toMatchObject({ ok: true, path: 'altcha', spentKey: expect.stringMatching(/^altcha#/) });
    // The same payload gives the same key: the caller's claimOnce makes it single-use.
    expect(await checkProof(SECRET, CHEAP, form({ altcha: good }), now)).toEqual(ok);

    // The derived key is the proof (the server checks its signature, not the counter that led to it).
    const payload = JSON.parse(Buffer.from(good, 'base64').toString()) as { solution: { derivedKey: string } };
    const key = payload.solution.derivedKey;
    const altered = Buffer.from(JSON.stringify({ ...payload, solution: { ...payload.solution, derivedKey: `${key[0] === '0' ? '1' : '0'}${key.slice(1)}` } })).toString('base64');
    expect(await checkProof(SECRET, CHEAP, form({ altcha: altered }), now)).toEqual({ ok: false, why: 'missing' });
    expect(await checkProof(SECRET, CHEAP, form({ altcha: await solved('another-secret', now) }), now)).toEqual({ ok: false, why: 'missing' });
    expect(await checkProof(SECRET, CHEAP, form({ altcha: good }), plus(31 * 60))).toEqual({ ok: false, why: 'missing' });
    for (const junk of ['', 'not base64 !', Buffer.from('{"challenge":1,"solution":2}').toString('base64'), 'x'.repeat(5000)]) {
      expect(await checkProof(SECRET, CHEAP, form({ altcha: junk }), now)).toEqual({ ok: false, why: 'missing' });
    }
  });

  it('without JavaScript: the page’s form token passes after the fill time, not before, not from another key, not stale', async () => {
    const token = formToken(SECRET, now);
    expect(await checkProof(SECRET, CHEAP, form({ form_token: token }), plus(3))).toEqual({ ok: false, why: 'missing' });
    expect(await checkProof(SECRET, CHEAP, form({ form_token: token }), plus(4))).toMatchObject({ ok: true, path: 'form', spentKey: expect.stringMatching(/^form#/) });
    expect(await checkProof(SECRET, CHEAP, form({ form_token: formToken('another', now) }), plus(10))).toEqual({ ok: false, why: 'missing' });
    expect(await checkProof(SECRET, CHEAP, form({ form_token: token }), plus(30 * 60 + 1))).toEqual({ ok: false, why: 'missing' });
    expect(await checkProof(SECRET, CHEAP, form({}), now)).toEqual({ ok: false, why: 'missing' });
  });

  it('a filled honeypot is a bot whatever else it carries', async () => {
    expect(await checkProof(SECRET, CHEAP, form({ altcha: await solved(SECRET, now), website: 'x' }), now)).toEqual({ ok: false, why: 'bot' });
  });
});

describe('the hourly limits', () => {
  const limits = { perAddressPerHour: 2, perNetworkPerHour: 3, mailsPerHour: 4 };
  const now = at('2026-11-29T10:15:00Z');

  it('count per client address and per network, and start again the next hour', async () => {
    const c = new MemoryCounters();
    expect(await takeClientAllowance(c, limits, '198.51.100.1', now)).toBe('ok');
    expect(await takeClientAllowance(c, limits, '198.51.100.1', now)).toBe('ok');
    expect(await takeClientAllowance(c, limits, '198.51.100.1', now)).toBe('address');
    expect(await takeClientAllowance(c, limits, '198.51.100.2', now)).toBe('ok');
    // A fourth address in the same /24 is over the network's three.
    expect(await takeClientAllowance(c, limits, '198.51.100.3', now)).toBe('network');
    expect(await takeClientAllowance(c, limits, '198.51.101.3', now)).toBe('ok');
    expect(await takeClientAllowance(c, limits, '198.51.100.1', at('2026-11-29T11:00:00Z'))).toBe('ok');
  });

  it('let the no-JavaScript path spend at most half the mail budget', async () => {
    const c = new MemoryCounters();
    const form = await Promise.all([1, 2, 3].map(() => takeMailBudget(c, limits, 'form', now)));
    expect(form).toEqual([true, true, false]);
    expect(await takeMailBudget(c, limits, 'altcha', now)).toBe(true);
    expect(await takeMailBudget(c, limits, 'altcha', now)).toBe(true);
    expect(await takeMailBudget(c, limits, 'altcha', now)).toBe(false);
    expect(await takeMailBudget(c, { ...limits, mailsPerHour: 0 }, 'form', now)).toBe(true);
  });
});

describe('mail shares per network and per mailbox (issue 29.7)', () => {
  const limits = { perAddressPerHour: 0, perNetworkPerHour: 0, mailsPerHour: 30 };
  const now = at('2026-11-29T10:15:00Z');
  const take = (c: MemoryCounters, client: string, mailbox: string, when = now) => takeMailAllowance(c, limits, { path: 'altcha', client, mailbox }, when);

  it('one /24 or one /64 takes at most a tenth of the hour, its /16 or /48 a quarter, and the rest is left for everyone else', async () => {
    const c = new MemoryCounters();
    const v4 = await Promise.all(Array.from({ length: 10 }, (_, i) => take(c, `203.0.113.${i + 1}`, `v4-${i}@example.org`)));
    expect(v4.filter((v) => v === 'ok')).toHaveLength(3);
    // Three addresses of one /64 are one network.
    const v6 = await Promise.all(['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3', '2001:db8:1:2::4'].map((ip, i) => take(c, ip, `v6-${i}@example.org`)));
    expect(v6).toEqual(['ok', 'ok', 'ok', 'network']);
    // Other /64s of the same /48 together stop at a quarter of the budget.
    const site = await Promise.all(Array.from({ length: 20 }, (_, i) => take(c, `2001:db8:1:${(i % 10) + 10}::1`, `site-${i}@example.org`)));
    expect(site.filter((v) => v === 'ok')).toHaveLength(7 - 3);
    // A reader from another network still gets their mail within the hour.
    expect(await take(c, '198.51.100.7', 'reader@example.net')).toBe('ok');
  });

  it('sees through plus tags and Gmail dots: 100 spellings of one inbox get at most 3 mails a day', async () => {
    const c = new MemoryCounters();
    const spellings = Array.from({ length: 100 }, (_, i) => (i % 2 ? `victim+${i}@gmail.com` : `v.i.c.t.i.m+n${i}@googlemail.com`));
    const verdicts = [];
    for (const [i, address] of spellings.entries()) verdicts.push(await take(c, `192.0.${i}.1`, mailboxOf(address)));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(3);
    expect(mailboxOf('V.Ictim+cv@Gmail.com'.toLowerCase())).toBe('victim@gmail.com');
    // Dots matter elsewhere; plus tags go everywhere.
    expect(mailboxOf('first.last+news@example.org')).toBe('first.last@example.org');
    // The next day the mailbox may be mailed again.
    expect(await take(c, '192.0.200.1', 'victim@gmail.com', at('2026-11-30T10:15:00Z'))).toBe('ok');
  });
});

describe('unconfirmed subscriptions', () => {
  const now = at('2026-11-29T10:00:00Z');
  const prefs = { categories: 'all' as const, lang: 'bi' as const };

  it('expire a week after the last request unless confirmed; anyone who ever confirmed keeps their record', () => {
    const pending = subscribe(null, 'a@example.com', prefs, now).next!;
    expect(pending.expiresAt).toBe(now.getTime() / 1000 + UNCONFIRMED_TTL_DAYS * 86_400);
    const later = at('2026-11-30T10:00:00Z');
    expect(subscribe(pending, 'a@example.com', prefs, later).next?.expiresAt).toBe(later.getTime() / 1000 + UNCONFIRMED_TTL_DAYS * 86_400);
    const confirmed = confirm(pending, 0, now).next!;
    expect(confirmed.expiresAt).toBeUndefined();
    const left = unsubscribe(confirmed, confirmed.tokenGeneration, now).next!;
    expect(subscribe(left, 'a@example.com', prefs, later).next?.expiresAt).toBeUndefined();
  });
});

describe('reputation from SES events', () => {
  const now = at('2026-11-29T10:00:00Z');
  const send = (n: number) => JSON.stringify({ eventType: 'Send', mail: { destination: Array.from({ length: n }, (_, i) => `r${i}@example.com`) } });
  const bounce = (type: string) => JSON.stringify({ eventType: 'Bounce', bounce: { bounceType: type, bouncedRecipients: [{ emailAddress: 'x@example.com' }] } });
  const complaint = JSON.stringify({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'y@example.com' }] } });

  it('gives the rolling 24-hour rates of hard bounces and complaints when one comes in, none on too few sends', async () => {
    const c = new MemoryCounters();
    expect(await recordMailFeedback(c, [send(30)], at('2026-11-28T12:00:00Z'))).toBeNull();
    expect(await recordMailFeedback(c, [bounce('Permanent')], at('2026-11-28T13:00:00Z'))).toEqual({ totals: { sends: 30, bounces: 1, complaints: 0 }, rates: null });
    await recordMailFeedback(c, [send(70), 'not json', '{}', bounce('Transient')], now);
    const reading = await recordMailFeedback(c, [bounce('Permanent'), bounce('Permanent'), complaint], now);
    // 100 sends in the window (30 + 70), 3 hard bounces (one yesterday within 24 h), 1 complaint.
    expect(reading).toEqual({ totals: { sends: 100, bounces: 3, complaints: 1 }, rates: { bounceRate: 0.03, complaintRate: 0.01 } });
    // A day later the old hours have left the window.
    expect((await recordMailFeedback(c, [complaint], at('2026-11-30T11:00:00Z')))?.totals).toEqual({ sends: 0, bounces: 0, complaints: 1 });
  });

  it('reads the same rates every hour with no new event, until the bounces leave the window', async () => {
    const c = new MemoryCounters();
    await recordMailFeedback(c, [send(100)], at('2026-11-29T09:00:00Z'));
    expect((await recordMailFeedback(c, [bounce('Permanent'), bounce('Permanent')], now))?.rates).toEqual({ bounceRate: 0.02, complaintRate: 0 });
    // Hours later nothing new has come in: the rate the alarm watches is still 2 %.
    expect(await readReputation(c, at('2026-11-29T20:00:00Z'))).toEqual({ totals: { sends: 100, bounces: 2, complaints: 0 }, rates: { bounceRate: 0.02, complaintRate: 0 } });
    expect((await readReputation(c, at('2026-11-30T08:30:00Z'))).rates).toEqual({ bounceRate: 0.02, complaintRate: 0 });
    // A day on, the sends and bounces have left the window: too few sends for a rate.
    expect(await readReputation(c, at('2026-11-30T11:00:00Z'))).toEqual({ totals: { sends: 0, bounces: 0, complaints: 0 }, rates: null });
  });
});
