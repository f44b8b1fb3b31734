import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links: base64url(JSON payload) "." base64url(HMAC-SHA256). `confirm` tokens expire; `manage`
 * tokens (preferences, unsubscribe) carry the subscriber's token generation, so a re-subscription
 * makes old links stop working.
 */
export type TokenPurpose = 'confirm' | 'manage' | 'form' | 'feed';

export interface TokenPayload {
  readonly p: TokenPurpose;
  readonly e: string;
  /** Expiry, seconds since the epoch (confirm tokens, and the preferences links). */
  readonly x?: number;
  /** Token generation of the subscriber when issued. */
  readonly g: number;
  /** Issued at, seconds since the epoch (form tokens: the minimum fill time is counted from it). */
  readonly i?: number;
}

export const CONFIRM_TTL_SECONDS = 48 * 3600;
/**
 * A preferences link works this long; the subscribe form sends a confirmed reader a fresh one.
 * Unsubscribe links carry no expiry: leaving must work from any mail, however old, until the
 * reader leaves (which changes the generation and ends every link issued before).
 */
export const PREFERENCES_TTL_SECONDS = 30 * 86_400;

const b64 = (buf: Buffer) => buf.toString('base64url');

export function signToken(secret: string, payload: TokenPayload): string {
  const body = b64(Buffer.from(JSON.stringify(payload)));
  return `${body}.${b64(createHmac('sha256', secret).update(body).digest())}`;
}

/** The payload, or `null` for anything forged, altered, expired or of another purpose: callers never say which. */
export function verifyToken(secret: string, token: unknown, purpose: TokenPurpose, nowSeconds: number): TokenPayload | null {
  if (typeof token !== 'string' || token.length > 1024) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', secret).update(body).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: TokenPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
  } catch {
    return null;
  }
  if (payload.p !== purpose || typeof payload.e !== 'string' || typeof payload.g !== 'number') return null;
  if ((purpose === 'confirm' || purpose === 'form') && typeof payload.x !== 'number') return null;
  if (payload.x !== undefined && (typeof payload.x !== 'number' || payload.x < nowSeconds)) return null;
  return payload;
}
