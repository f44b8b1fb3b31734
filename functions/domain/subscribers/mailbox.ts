/**
 * The mailbox an address delivers to, as far as a limit must see: `victim+1@`, `victim+2@` … and,
 * at Gmail, `v.i.c.t.i.m@` and `@googlemail.com` all land in one inbox. Limits per mailbox are
 * counted on this, so a stranger cannot aim the whole confirmation budget at one person by varying
 * the spelling. Subscriptions themselves stay keyed by the address as typed (a reader may filter on
 * their own +tag).
 */
const DOTLESS_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/** The sub-address separator nearly every provider uses ("-" and others are rarer and would fold distinct addresses). */
const SUBADDRESS = /[+]/;

export function mailboxOf(normalisedAddress: string): string {
  const at = normalisedAddress.lastIndexOf('@');
  if (at <= 0) return normalisedAddress;
  let local = normalisedAddress.slice(0, at);
  let domain = normalisedAddress.slice(at + 1);
  const cut = local.search(SUBADDRESS);
  if (cut > 0) local = local.slice(0, cut);
  const dotless = DOTLESS_DOMAINS[domain];
  if (dotless) {
    domain = dotless;
    local = local.replace(/\./g, '');
  }
  return `${local}@${domain}`;
}
