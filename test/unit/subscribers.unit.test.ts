import { describe, expect, it } from 'vitest';
import { normaliseAddress } from '../../functions/domain/subscribers/address.ts';
import { confirm, subscribe, unsubscribe, updatePreferences, MAX_CONFIRMATIONS_PER_DAY, type Subscriber } from '../../functions/domain/subscribers/subscriber.ts';
import { signToken, verifyToken } from '../../functions/domain/subscribers/tokens.ts';

describe('addresses', () => {
  it('are trimmed, lower-cased and IDNA-encoded', () => {
    expect(normaliseAddress('  Reader.Name+cv@Example.ORG ')).toEqual({ ok: true, email: 'reader.name+cv@example.org' });
    expect(normaliseAddress('读者@例子.中国')).toMatchObject({ ok: false });
    expect(normaliseAddress('reader@例子.中国')).toEqual({ ok: true, email: 'reader@xn--fsqu00a.xn--fiqs8s' });
  });

  it('are refused with a reason when they are not addresses', () => {
    for (const bad of ['', 'plain', '@example.org', 'a@', 'a@localhost', 'a@1.2.3.4', 'a b@example.org', 'a@-x.org', 'a..b@example.org', `${'a'.repeat(65)}@example.org`, `a@${'b'.repeat(250)}.org`, 42, null]) {
      const r = normaliseAddress(bad);
      expect(r.ok, String(bad)).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
    }
  });
});

describe('tokens', () => {
  const now = 1_700_000_000;
  it('verify when signed with the secret, for their purpose, before expiry', () => {
    const t = signToken('k', { p: 'confirm', e: 'a@b.org', g: 0, x: now + 10 });
    expect(verifyToken('k', t, 'confirm', now)).toMatchObject({ e: 'a@b.org' });
    expect(verifyToken('k', t, 'confirm', now + 11)).toBeNull();
    expect(verifyToken('k', t, 'manage', now)).toBeNull();
    expect(verifyToken('other', t, 'confirm', now)).toBeNull();
    expect(verifyToken('k', `${t}x`, 'confirm', now)).toBeNull();
    expect(verifyToken('k', t.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), 'confirm', now)).toBeNull();
    expect(verifyToken('k', undefined, 'confirm', now)).toBeNull();
    expect(verifyToken('k', 'a'.repeat(5000), 'confirm', now)).toBeNull();
  });

  it('are sealed: nothing of the payload can be read from them, and the same payload seals to the same token', () => {
    const payload = { p: 'feed', e: 'reader@example.com', g: 1, f: 0 } as const;
    const t = signToken('k', payload);
    for (let skip = 0; skip < 4; skip++) expect(Buffer.from(t.slice(skip), 'base64url').toString('latin1')).not.toMatch(/reader|example|feed|"e"/);
    expect(signToken('k', payload)).toBe(t);
    expect(signToken('k', { ...payload, g: 2 })).not.toBe(t);
    expect(verifyToken('k', t, 'feed', now)).toMatchObject(payload);
  });
});

describe('subscription states', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const prefs = { categories: ['generative'], lang: 'en' } as const;
  const pending = subscribe(null, 'a@b.org', prefs, at).next as Subscriber;

  it('need the confirmation before the preferences take effect', () => {
    expect(pending).toMatchObject({ status: 'pending', requested: prefs, version: 1 });
    const confirmed = confirm(pending, 0, at).next as Subscriber;
    expect(confirmed).toMatchObject({ status: 'confirmed', categories: ['generative'], lang: 'en' });
    expect(confirmed.requested).toBeUndefined();
    expect(confirm(pending, 1, at).next).toBeNull();
  });

  it('never let a stranger change a confirmed subscriber by subscribing their address', () => {
    const confirmed = confirm(pending, 0, at).next as Subscriber;
    const again = subscribe(confirmed, 'a@b.org', { categories: 'all', lang: 'zh' }, at);
    expect(again.effect).toBe('send-manage-link');
    expect(again.next).toMatchObject({ status: 'confirmed', categories: ['generative'], lang: 'en' });
  });

  it('limit confirmation mails per address per day', () => {
    let s: Subscriber | null = null;
    const effects: string[] = [];
    for (let i = 0; i < MAX_CONFIRMATIONS_PER_DAY + 2; i++) {
      const t = subscribe(s, 'a@b.org', prefs, at);
      effects.push(t.effect);
      s = t.next ?? s;
    }
    expect(effects.filter((e) => e === 'send-confirmation')).toHaveLength(MAX_CONFIRMATIONS_PER_DAY);
    expect(subscribe(s, 'a@b.org', prefs, new Date(at.getTime() + 25 * 3600 * 1000)).effect).toBe('send-confirmation');
  });

  it('unsubscribe from any state but a suppressed one, and only confirmed subscribers change preferences', () => {
    expect(unsubscribe(pending, 0, at).next?.status).toBe('unsubscribed');
    expect(updatePreferences(pending, 0, { categories: 'all', lang: 'bi' }, at).next).toBeNull();
    const bounced = { ...pending, status: 'bounced' as const };
    expect(unsubscribe(bounced, 0, at).next).toBeNull();
    expect(subscribe(bounced, 'a@b.org', prefs, at)).toEqual({ next: null, effect: 'none' });
  });
});

describe('links end when the reader leaves (issue: old links kept working after re-subscribing)', () => {
  it('unsubscribe and each confirmation start a new token generation; preferences links expire, unsubscribe links do not', async () => {
    const { confirm: confirmT, subscribe: subscribeT, unsubscribe: unsubscribeT, updatePreferences: updateT } = await import('../../functions/domain/subscribers/subscriber.ts');
    const { verifyToken, PREFERENCES_TTL_SECONDS } = await import('../../functions/domain/subscribers/tokens.ts');
    const { preferencesUrl, unsubscribeUrl } = await import('../../functions/domain/subscribers/links.ts');
    const t0 = new Date('2024-02-05T08:00:00Z');
    let s = subscribeT(null, 'a@b.org', { categories: 'all', lang: 'en' }, t0).next;
    s = confirmT(s, 0, t0).next;
    expect(s?.tokenGeneration).toBe(1);
    const left = unsubscribeT(s, 1, t0).next;
    expect(left?.tokenGeneration).toBe(2);
    // Back again: the links of the first subscription change nothing.
    const again = confirmT(subscribeT(left, 'a@b.org', { categories: 'all', lang: 'en' }, t0).next, 2, t0).next;
    expect(again?.tokenGeneration).toBe(3);
    expect(updateT(again, 1, { categories: ['generative'], lang: 'zh' }, t0).next).toBeNull();
    expect(unsubscribeT(again, 1, t0).next).toBeNull();
    // An unsubscribe link does not depend on the generation: the one of a mail before the return still ends it.
    expect(unsubscribeT(again, null, t0).next).toMatchObject({ status: 'unsubscribed' });

    const config = { apiUrl: 'https://x/api', tokenSecret: 'k' };
    const tokenOf = (url: string) => new URL(url).searchParams.get('token');
    const nowS = t0.getTime() / 1000;
    expect(verifyToken('k', tokenOf(preferencesUrl(config, 'a@b.org', 3, t0)), 'manage', nowS + PREFERENCES_TTL_SECONDS - 1)).not.toBeNull();
    expect(verifyToken('k', tokenOf(preferencesUrl(config, 'a@b.org', 3, t0)), 'manage', nowS + PREFERENCES_TTL_SECONDS + 1)).toBeNull();
    expect(verifyToken('k', tokenOf(unsubscribeUrl(config, 'a@b.org', 3)), 'unsubscribe', nowS + 10 * 365 * 86_400)).not.toBeNull();
    // An unsubscribe link does one thing: it opens no preferences page.
    expect(verifyToken('k', tokenOf(unsubscribeUrl(config, 'a@b.org', 3)), 'manage', nowS)).toBeNull();
  });
});
