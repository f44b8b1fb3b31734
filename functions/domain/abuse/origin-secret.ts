import { createHash, timingSafeEqual } from 'node:crypto';

/** The header CloudFront adds to every request it forwards to the API function (infra: the origin's custom header). */
export const ORIGIN_HEADER = 'x-paperboy-origin';

/**
 * Whether a request carries one of the accepted origin secrets. Two are accepted during a rotation
 * (the new one and the one CloudFront may still send until its next deploy). Compared as digests,
 * in constant time, so neither the value nor its length leaks through timing.
 */
export function fromOrigin(headerValue: string | undefined, secrets: readonly string[]): boolean {
  if (!headerValue) return false;
  const given = createHash('sha256').update(headerValue).digest();
  let ok = false;
  for (const secret of secrets) {
    if (secret && timingSafeEqual(given, createHash('sha256').update(secret).digest())) ok = true;
  }
  return ok;
}
