/**
 * Downloads what a user sent (Teams file download URLs, inline image content URLs)
 * without letting a message make the server fetch anything else: the host must be
 * allowed, every redirect is checked again, addresses are checked after DNS, and
 * size and time are bounded.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../core/errors';
import type { AttachmentFetcher } from '../core/ports';

/** Options of the fetcher. */
export interface AttachmentFetcherOptions {
  /** Allowed host names; an entry starting with '.' allows every subdomain. */
  allowedHosts: readonly string[];
  /** Local mode: allow loopback hosts over http (and nothing else that is not listed). */
  allowLoopback: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
}

const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(addr, prefix, 'ipv4');
for (const [addr, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['::ffff:0:0', 96],
] as const) {
  blocked.addSubnet(addr, prefix, 'ipv6');
}

const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '[::1]' || host === '::1' || (net.isIPv4(host) && host.startsWith('127.'));

/** True when `host` matches an allow-list entry (exact, or a suffix entry starting with '.'). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((a) => {
    const e = a.toLowerCase();
    return e.startsWith('.') ? h.endsWith(e) && h.length > e.length : h === e;
  });
}

/** AttachmentFetcher on fetch, with the request-forgery guards described above. */
export class GuardedAttachmentFetcher implements AttachmentFetcher {
  constructor(private readonly options: AttachmentFetcherOptions) {}

  async fetch(url: string, opts: { bearerToken?: string } = {}): Promise<Uint8Array> {
    const { timeoutMs, maxRedirects = 3 } = this.options;
    const signal = AbortSignal.timeout(timeoutMs);
    let current = url;
    try {
      for (let hop = 0; hop <= maxRedirects; hop++) {
        const target = await this.check(current);
        const res = await fetch(target, {
          redirect: 'manual',
          signal,
          // The bot's token goes only to the first, allowed host, never along a redirect.
          headers: opts.bearerToken && hop === 0 ? { authorization: `Bearer ${opts.bearerToken}` } : {},
        });
        if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
          await res.body?.cancel();
          current = new URL(res.headers.get('location') as string, target).toString();
          continue;
        }
        if (!res.ok) {
          await res.body?.cancel();
          throw new AppError('download.failed', `download answered ${res.status}`, { params: { status: res.status } });
        }
        return await this.readBounded(res);
      }
      throw new AppError('download.failed', 'too many redirects');
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (signal.aborted) {
        throw new AppError('download.timeout', 'download timed out', {
          params: { seconds: Math.max(1, Math.round(timeoutMs / 1000)) },
        });
      }
      throw new AppError('download.failed', 'download failed', { cause: err });
    }
  }

  /** Validates one URL; returns it parsed. Throws download.host_not_allowed. */
  private async check(raw: string): Promise<URL> {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new AppError('download.host_not_allowed', 'not a URL', { params: { host: '?' } });
    }
    const host = u.hostname;
    const refuse = () => new AppError('download.host_not_allowed', `host ${host} not allowed`, { params: { host } });
    if (u.username || u.password) throw refuse();
    if (this.options.allowLoopback && isLoopbackHost(host) && (u.protocol === 'http:' || u.protocol === 'https:')) {
      return u;
    }
    if (u.protocol !== 'https:' || !hostAllowed(host, this.options.allowedHosts)) throw refuse();
    // An allowed name must not resolve to a private, loopback or link-local address.
    const addrs = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await dns.lookup(host, { all: true });
    if (addrs.some((a) => blocked.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4'))) throw refuse();
    return u;
  }

  private async readBounded(res: Response): Promise<Uint8Array> {
    const { maxBytes } = this.options;
    const declared = Number(res.headers.get('content-length'));
    const tooLarge = (received: number) =>
      new AppError('download.too_large', 'download over the limit', {
        params: {
          maxMegabytes: Math.round(maxBytes / 1048576),
          receivedMegabytes: Math.round((received / 1048576) * 10) / 10,
        },
      });
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel();
      throw tooLarge(declared);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (!res.body) return new Uint8Array();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(total);
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }
}
