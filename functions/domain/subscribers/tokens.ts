import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Lang } from '../language.ts';

/**
 * The tokens in every link Paperboy sends or serves, sealed with authenticated encryption so that
 * a URL reveals nothing about its reader: not the address, not a generation, not a choice. Anyone
 * may hold a URL (a forwarded mail, a cloud feed service, a CDN log); only the key opens it.
 *
 * Format: base64url(iv ‖ AES-256-GCM(payload JSON) ‖ tag) "." key id. The 12-byte IV is an HMAC of
 * the payload under a second key (a synthetic IV, as in SIV): the same payload always seals to the
 * same token (a reader's feed URL and unsubscribe link stay the same from mail to mail), and two
 * different payloads share an IV with probability 2^-96, so GCM's nonce rule holds without a counter.
 *
 * Keys: the token secret holds one key or several separated by white space; the first seals, every
 * one opens (the key id picks it). Rotation (README, "Security"): put a new key first and keep the
 * old ones after it; drop an old key only when the links it sealed may stop working (confirmation
 * links live 48 hours, preferences links 30 days; unsubscribe and feed links live as long as their
 * key is listed).
 *
 * Tokens of the format before this one (readable base64 JSON with an HMAC) are still opened, so the
 * unsubscribe links of mails sent before it keep working; none is issued any more.
 */
export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe' | 'form' | 'feed';

export interface TokenPayload {
  readonly p: TokenPurpose;
  readonly e: string;
  /** Expiry, seconds since the epoch (confirm and form tokens, and the preferences links). */
  readonly x?: number;
  /** Token generation of the subscriber when issued. */
  readonly g: number;
  /** Issued at, seconds since the epoch (form tokens: the minimum fill time is counted from it). */
  readonly i?: number;
  /** Feed generation (feed tokens): resetting the personal feed URL bumps it. */
  readonly f?: number;
  /** The choices a confirmation link was sent with (confirm tokens): what confirming it subscribes to. */
  readonly c?: 'all' | readonly string[];
  readonly l?: Lang;
}

export interface OpenedToken extends TokenPayload {
  /** Sealed in the readable format before this one: a caller may send the reader on to a fresh link. */
  readonly legacy?: true;
}

export const CONFIRM_TTL_SECONDS = 48 * 3600;
/** A preferences link works this long; the subscribe form sends a confirmed reader a fresh one. */
export const PREFERENCES_TTL_SECONDS = 30 * 86_400;
/** Longer than any token Paperboy seals (a confirmation with every category is ~1.3 kB). */
const MAX_TOKEN_CHARS = 2048;

interface TokenKey {
  readonly id: string;
  readonly enc: Buffer;
  readonly iv: Buffer;
  /** The secret itself: what the readable format before this one was signed with. */
  readonly legacy: string;
}

const keyCache = new Map<string, readonly TokenKey[]>();

/** The keys of a token secret, derived once per secret (HKDF-SHA256; separate keys for encryption and IVs). */
function keysOf(secret: string): readonly TokenKey[] {
  let keys = keyCache.get(secret);
  if (!keys) {
    keys = secret
      .split(/\s+/)
      .filter(Boolean)
      .map((k) => {
        const enc = Buffer.from(hkdfSync('sha256', k, 'paperboy-links', 'aes-256-gcm', 32));
        const iv = Buffer.from(hkdfSync('sha256', k, 'paperboy-links', 'synthetic-iv', 32));
        return { id: createHash('sha256').update(enc).digest('base64url').slice(0, 6), enc, iv, legacy: k };
      });
    if (keys.length === 0) throw new Error('the token secret holds no key');
    if (keyCache.size > 16) keyCache.clear();
    keyCache.set(secret, keys);
  }
  return keys;
}

/** Seals a payload under the secret's first key. */
export function signToken(secret: string, payload: TokenPayload): string {
  const key = keysOf(secret)[0] as TokenKey;
  const plain = Buffer.from(JSON.stringify(payload));
  const iv = createHmac('sha256', key.iv).update(plain).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key.enc, iv);
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return `${sealed.toString('base64url')}.${key.id}`;
}

function openSealed(keys: readonly TokenKey[], body: string, id: string): unknown {
  const key = keys.find((k) => k.id === id);
  if (!key) return null;
  const raw = Buffer.from(body, 'base64url');
  if (raw.length < 12 + 16 + 2) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.enc, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8'));
  } catch {
    return null;
  }
}

/** The readable HMAC-signed format before sealing (base64url JSON "." 43-character HMAC). */
function openLegacy(keys: readonly TokenKey[], body: string, mac: string): unknown {
  const given = Buffer.from(mac, 'base64url');
  for (const key of keys) {
    const expected = createHmac('sha256', key.legacy).update(body).digest();
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      try {
        return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The payload, or `null` for anything forged, altered, expired or of another purpose: callers never
 * say which. A legacy `manage` token without an expiry was an unsubscribe link, and opens as one.
 */
export function verifyToken(secret: string, token: unknown, purpose: TokenPurpose, nowSeconds: number): OpenedToken | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return null;
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const tail = token.slice(dot + 1);
  const keys = keysOf(secret);
  const legacy = tail.length === 43;
  const opened = legacy ? openLegacy(keys, body, tail) : openSealed(keys, body, tail);
  if (typeof opened !== 'object' || opened === null) return null;
  let payload = opened as TokenPayload;
  if (legacy && payload.p === 'manage' && payload.x === undefined) payload = { ...payload, p: 'unsubscribe' };
  // Every link that could unsubscribe before (the preferences links too) still can: the mailbox owner holds it.
  const fits = payload.p === purpose || (legacy && purpose === 'unsubscribe' && payload.p === 'manage');
  if (!fits || typeof payload.e !== 'string' || typeof payload.g !== 'number') return null;
  if ((purpose === 'confirm' || purpose === 'form' || purpose === 'manage') && typeof payload.x !== 'number') return null;
  // An old preferences link used to leave has outlived its 30 days but still only unsubscribes.
  const expiryCounts = !(legacy && purpose === 'unsubscribe');
  if (expiryCounts && payload.x !== undefined && (typeof payload.x !== 'number' || payload.x < nowSeconds)) return null;
  return legacy ? { ...payload, legacy: true } : payload;
}

/**
 * A reader's short key for the save links of their mails: 96 bits of HMAC over the address under a
 * key of its own (HKDF from the secret's first key), base64url, 16 characters. It reveals nothing of
 * the address and is looked up, not opened: the library store maps it to its reader while they are
 * subscribed. Deterministic, so every mail of a reader carries the same key and no write is needed
 * to mail them again.
 */
export function readerKeyFor(secret: string, email: string): string {
  const first = keysOf(secret)[0]!;
  const key = Buffer.from(hkdfSync('sha256', first.legacy, 'paperboy-links', 'reader-key', 32));
  return createHmac('sha256', key).update(email).digest().subarray(0, 12).toString('base64url');
}
