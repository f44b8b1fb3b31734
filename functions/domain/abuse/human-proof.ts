import { createHmac, randomBytes } from 'node:crypto';
import { createChallenge, randomInt, verifySolution, type Challenge, type Payload } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { signToken, verifyToken } from '../subscribers/tokens.ts';

/**
 * What a subscribe request must show before Paperboy mails a stranger's address: a solved ALTCHA
 * proof of work (self-hosted: the widget is served from the site, challenges come from the API,
 * nothing calls a third party), or, for a browser without JavaScript, a signed form token from
 * the page it was typed into, used after a minimum fill time, with the honeypot field left empty.
 * Either is single-use: the caller claims `spentKey` once (Counters.claimOnce).
 */

/** PBKDF2 rounds per attempt and how many attempts a challenge takes (the counter is drawn in [min, max]). */
export interface ProofSettings {
  readonly cost: number;
  readonly counterMin: number;
  readonly counterMax: number;
  /** Seconds between fetching the form and posting it, at least, on the no-JavaScript path. */
  readonly minFillSeconds: number;
}

/** Sized in `npm run bench -- abuse` (headless Chromium): about a second on a laptop, a few on an old phone. */
export const DEFAULT_PROOF: ProofSettings = { cost: 1000, counterMin: 1500, counterMax: 3000, minFillSeconds: 4 };

export const ALTCHA_ALGORITHM = 'PBKDF2/SHA-256';
/** A challenge is good this long after it was fetched, and a form token this long after the page was served. */
export const PROOF_TTL_SECONDS = 30 * 60;
/** The form field the widget fills, the hidden form-token field, and the honeypot a person never sees. */
export const FIELDS = { altcha: 'altcha', formToken: 'form_token', honeypot: 'website' } as const;

const subkey = (secret: string, purpose: string) => createHmac('sha256', secret).update(`paperboy-${purpose}`).digest('hex');

export async function altchaChallenge(secret: string, settings: ProofSettings, now: Date): Promise<Challenge> {
  return createChallenge({
    algorithm: ALTCHA_ALGORITHM,
    cost: settings.cost,
    counter: randomInt(settings.counterMin, settings.counterMax),
    deriveKey,
    expiresAt: Math.floor(now.getTime() / 1000) + PROOF_TTL_SECONDS,
    hmacSignatureSecret: subkey(secret, 'altcha-challenge'),
    hmacKeySignatureSecret: subkey(secret, 'altcha-key'),
  });
}

/** A fresh token for the hidden field of a served form: who served it is the API, when is signed in. */
export function formToken(secret: string, now: Date): string {
  const issued = Math.floor(now.getTime() / 1000);
  return signToken(subkey(secret, 'form-token'), { p: 'form', e: randomBytes(12).toString('base64url'), g: 0, i: issued, x: issued + PROOF_TTL_SECONDS });
}

export type ProofCheck =
  | { readonly ok: true; readonly path: 'altcha' | 'form'; readonly spentKey: string; readonly expiresAt: number }
  /** `bot`: the honeypot was filled; `missing`: no proof, or one that is forged, expired, too quick or malformed. */
  | { readonly ok: false; readonly why: 'bot' | 'missing' };

function decodePayload(raw: string): Payload | null {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Payload;
    return value && typeof value === 'object' && value.challenge && value.solution ? value : null;
  } catch {
    return null;
  }
}

/** Checks the proof a subscribe form carries. Pure apart from the clock it is given; spending it is the caller's. */
export async function checkProof(secret: string, settings: ProofSettings, form: URLSearchParams, now: Date): Promise<ProofCheck> {
  if ((form.get(FIELDS.honeypot) ?? '') !== '') return { ok: false, why: 'bot' };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const altcha = form.get(FIELDS.altcha);
  if (altcha && altcha.length <= 4096) {
    const payload = decodePayload(altcha);
    if (payload) {
      try {
        const result = await verifySolution({ challenge: payload.challenge, solution: payload.solution, deriveKey, hmacSignatureSecret: subkey(secret, 'altcha-challenge'), hmacKeySignatureSecret: subkey(secret, 'altcha-key') });
        const expiresAt = payload.challenge.parameters.expiresAt;
        // verifySolution takes its own clock; the expiry is checked again against ours (tests move time).
        if (result.verified && typeof expiresAt === 'number' && expiresAt >= nowSeconds) return { ok: true, path: 'altcha', spentKey: `altcha#${payload.challenge.parameters.nonce}`, expiresAt };
      } catch {
        // malformed parameters: no proof
      }
    }
  }
  const token = verifyToken(subkey(secret, 'form-token'), form.get(FIELDS.formToken), 'form', nowSeconds);
  if (token && typeof token.i === 'number' && nowSeconds - token.i >= settings.minFillSeconds) return { ok: true, path: 'form', spentKey: `form#${token.e}`, expiresAt: token.x ?? nowSeconds + PROOF_TTL_SECONDS };
  return { ok: false, why: 'missing' };
}
