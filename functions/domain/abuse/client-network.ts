import { isIP } from 'node:net';

/**
 * The client behind CloudFront. CloudFront writes `CloudFront-Viewer-Address` as "address:port"
 * (IPv6 without brackets: "2001:db8::1:443"), replacing whatever a viewer sent under that name, so
 * once the origin secret has proved the request came through CloudFront the header can be trusted.
 * Returns null for anything that is not an address.
 */
export function viewerAddress(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim();
  const colon = value.lastIndexOf(':');
  if (colon <= 0 || !/^\d{1,5}$/.test(value.slice(colon + 1))) return null;
  const address = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return isIP(address) ? address.toLowerCase() : null;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a, b, c, d] = v4[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').filter((g) => g !== '').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The prefix of an address: `octets` of an IPv4 address, `groups` of an IPv6 one (an IPv4-mapped IPv6 address counts as its IPv4 network). */
function prefixOf(address: string, octets: 2 | 3, groups: 3 | 4): string | null {
  const kind = isIP(address);
  const mapped = kind === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  const v4 = kind === 4 ? address : mapped;
  if (v4) return `${[...v4.split('.').slice(0, octets), ...new Array<string>(4 - octets).fill('0')].join('.')}/${octets * 8}`;
  if (kind !== 6) return null;
  return `${ipv6Groups(address.toLowerCase()).slice(0, groups).map((g) => g.toString(16)).join(':')}::/${groups * 16}`;
}

/**
 * The network a client address belongs to, as a limiter counts it: the /24 of an IPv4 address
 * (a household or an office behind one NAT, a cloud provider's neighbouring machines) and the /64
 * of an IPv6 address (what one customer line or one cloud instance gets, so rotating through it
 * costs an attacker nothing).
 */
export const clientNetwork = (address: string): string | null => prefixOf(address, 3, 4);

/** The wider network around a client (the /16 of IPv4, the /48 of IPv6): one provider's block or one site's allocation. */
export const wideNetwork = (address: string): string | null => prefixOf(address, 2, 3);
