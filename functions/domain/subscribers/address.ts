import { domainToASCII } from 'node:url';

export const MAX_ADDRESS_LENGTH = 254;

export type AddressCheck = { readonly ok: true; readonly email: string } | { readonly ok: false; readonly error: string };

// Deliberately plain: a dot-atom local part and a hostname with a TLD. Quoted local parts and IP
// literals are legal but are not how anyone subscribes to a newsletter.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Trims, lower-cases and IDNA-encodes an address; says what is wrong in words a person understands. */
export function normaliseAddress(raw: unknown): AddressCheck {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, error: 'Enter an e-mail address. 请输入电子邮件地址。' };
  const trimmed = raw.trim();
  if (trimmed.length > MAX_ADDRESS_LENGTH) return { ok: false, error: `An e-mail address has at most ${MAX_ADDRESS_LENGTH} characters. 地址过长。` };
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return { ok: false, error: 'That is not an e-mail address (name@example.org). 地址格式不正确。' };
  const local = trimmed.slice(0, at);
  const domain = domainToASCII(trimmed.slice(at + 1).toLowerCase());
  const labels = domain.split('.');
  if (local.length > 64 || !LOCAL.test(local) || !domain || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1] ?? '')) {
    return { ok: false, error: 'That is not an e-mail address (name@example.org). 地址格式不正确。' };
  }
  // Local parts are case-sensitive in theory and never in practice; one address, one subscription.
  return { ok: true, email: `${local.toLowerCase()}@${domain}` };
}
