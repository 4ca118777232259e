import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ChronikError } from '../../errors.js';

export interface UrlPolicy {
  /** Hosts that may be fetched (lower-case, no port). */
  allowHosts: ReadonlySet<string>;
  /** Loopback, private and link-local addresses are refused unless this is true. */
  allowPrivateAddresses: boolean;
}

/**
 * Throws a ChronikError (URL_REFUSED, skip the URL) unless the URL may be fetched.
 * Called for the first request and again for every redirect hop.
 */
export async function assertUrlAllowed(url: string, policy: UrlPolicy): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw refused(url, `scheme ${parsed.protocol} is not fetched`);
  }
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (!policy.allowHosts.has(host)) throw refused(url, `host ${host} is not on the allow-list`);
  if (policy.allowPrivateAddresses) return;
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  const privateOne = addresses.find(isPrivateAddress);
  if (privateOne) throw refused(url, `${host} resolves to the private address ${privateOne}`);
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch (error) {
    throw new ChronikError('FETCH_FAILED', `${host}: name not resolved (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      action: 'skip-url',
      cause: error,
    });
  }
}

/** Loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified and mapped forms of those. */
export function isPrivateAddress(address: string): boolean {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isPrivateAddress(mapped[1]!);
  if (isIP(lower) === 4) {
    const [a, b] = lower.split('.').map(Number) as [number, number];
    return (
      a === 0 || a === 10 || a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(lower) === 6) {
    return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
  }
  return false;
}

function refused(url: string, why: string): ChronikError {
  return new ChronikError('URL_REFUSED', `${url}: refused, ${why}`, { action: 'skip-url' });
}
