// Addresses: which are loopback, and the list of reverse proxies whose X-Forwarded-For the server believes.
import net from 'node:net';

/** True for 127.0.0.0/8, ::1, their IPv4-mapped forms, and the name localhost. */
export function isLoopback(address: string | null | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (a === 'localhost' || a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

/** The names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUSTED_PROXIES: comma-separated addresses, CIDR ranges (10.0.0.0/8, fd00::/8) or range names (loopback); "none"
 * for no proxy at all. Returns the entries, or the first that is not one of these.
 */
export function parseTrustedProxies(value: string): { entries: string[] } | { invalid: string } {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 1 && parts[0]!.toLowerCase() === 'none') return { entries: [] };
  for (const p of parts) {
    if (RANGE_NAMES.has(p.toLowerCase())) continue;
    const [address = '', prefix, extra] = p.split('/');
    const kind = net.isIP(address);
    const bits = kind === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (!kind || !prefixOk || extra !== undefined) return { invalid: p };
  }
  return { entries: parts };
}
