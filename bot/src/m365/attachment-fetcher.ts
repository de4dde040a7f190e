/**
 * Downloads what a user sent (Teams file download URLs, inline image content URLs)
 * without letting a message make the server fetch anything else: the host must be
 * allowed, every redirect is checked again, addresses are checked after DNS, and
 * size and time are bounded. The connection goes to the address that was checked (a
 * pinned lookup): a name that resolves to a public address for the check and to a private
 * one a moment later (DNS rebinding) cannot steer the request inside.
 */
import dns from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import tls from 'node:tls';
import { AppError } from '../core/errors';
import type { AttachmentFetcher } from '../core/photo/request-ports';

/** Options of the fetcher. */
export interface AttachmentFetcherOptions {
  /** Allowed host names; an entry starting with '.' allows every subdomain. */
  allowedHosts: readonly string[];
  /** Local mode: allow loopback hosts over http (and nothing else that is not listed). */
  allowLoopback: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
  /** Name resolution (default: the system resolver); tests inject one to stay off DNS. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /** Addresses never connected to (default: private, loopback, link-local, multicast, reserved). */
  isBlockedAddress?: (address: string, family: 4 | 6) => boolean;
  /** Extra trusted CA certificates (PEM), for a private CA in front of the allowed hosts, and tests. */
  ca?: string;
}

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
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
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const) {
  blocked.addSubnet(addr, prefix, 'ipv6');
}

/** True for addresses a download must never reach in m365 mode. */
export function isPrivateAddress(address: string, family: 4 | 6): boolean {
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged by the IPv4 address inside it. (A `::ffff:0:0/96`
  // IPv6 rule would instead match every IPv4 address: BlockList maps IPv4 into that range when checking.)
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address) : null;
  if (mapped) return blocked.check(mapped[1] as string, 'ipv4');
  if (family === 6 && /^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(address)) {
    const [hi, lo] = address
      .slice(7)
      .split(':')
      .map((h) => parseInt(h, 16)) as [number, number];
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return blocked.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

const systemResolve = async (host: string): Promise<ResolvedAddress[]> =>
  (await dns.lookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** A lookup that answers `pinned` for any name: the socket connects where the check looked. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
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

/** AttachmentFetcher on node:http(s) with the request-forgery guards described above. */
export class GuardedAttachmentFetcher implements AttachmentFetcher {
  constructor(private readonly options: AttachmentFetcherOptions) {}

  async fetch(url: string, opts: { bearerToken?: string } = {}): Promise<Uint8Array> {
    const { timeoutMs, maxRedirects = 3 } = this.options;
    const signal = AbortSignal.timeout(timeoutMs);
    let current = url;
    try {
      for (let hop = 0; hop <= maxRedirects; hop++) {
        const target = await this.check(current);
        const res = await this.get(target, signal, {
          // The bot's token goes only to the first, allowed host, never along a redirect.
          ...(opts.bearerToken && hop === 0 ? { authorization: `Bearer ${opts.bearerToken}` } : {}),
        });
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.destroy();
          current = new URL(res.headers.location, target.url).toString();
          continue;
        }
        if (status < 200 || status >= 300) {
          res.destroy();
          throw new AppError('download.failed', `download answered ${status}`, { params: { status } });
        }
        return await this.readBounded(res, signal);
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

  /** Validates one URL; returns it with the address to connect to. Throws download.host_not_allowed. */
  private async check(raw: string): Promise<{ url: URL; pinned?: ResolvedAddress }> {
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
      return { url: u };
    }
    if (u.protocol !== 'https:' || !hostAllowed(host, this.options.allowedHosts)) throw refuse();
    // An allowed name must not resolve to a private, loopback or link-local address: every address is checked,
    // and the connection is pinned to the first one, so a second resolution cannot change where it goes.
    const bare = host.replace(/^\[|\]$/g, '');
    const family = net.isIP(bare);
    const addrs: ResolvedAddress[] =
      family !== 0 ? [{ address: bare, family: family as 4 | 6 }] : await (this.options.resolve ?? systemResolve)(host);
    const isBlocked = this.options.isBlockedAddress ?? isPrivateAddress;
    if (addrs.length === 0 || addrs.some((a) => isBlocked(a.address, a.family))) throw refuse();
    return { url: u, pinned: addrs[0] };
  }

  private get(
    target: { url: URL; pinned?: ResolvedAddress },
    signal: AbortSignal,
    headers: Record<string, string>,
  ): Promise<IncomingMessage> {
    const { url, pinned } = target;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'GET',
          headers: { accept: '*/*', 'user-agent': 'Headshot', ...headers },
          signal,
          ...(pinned ? { lookup: pinnedLookup(pinned) } : {}),
          ...(this.options.ca && url.protocol === 'https:' ? { ca: [...tls.rootCertificates, this.options.ca] } : {}),
          agent: false,
        },
        resolve,
      );
      req.once('error', reject);
      req.end();
    });
  }

  private async readBounded(res: IncomingMessage, signal: AbortSignal): Promise<Uint8Array> {
    const { maxBytes } = this.options;
    const declared = Number(res.headers['content-length']);
    const tooLarge = (received: number) =>
      new AppError('download.too_large', 'download over the limit', {
        params: {
          maxMegabytes: Math.round(maxBytes / 1048576),
          receivedMegabytes: Math.round((received / 1048576) * 10) / 10,
        },
      });
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      throw tooLarge(declared);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        total += chunk.byteLength;
        if (total > maxBytes) throw tooLarge(total);
        chunks.push(chunk);
      }
    } finally {
      if (total > maxBytes || signal.aborted) res.destroy();
    }
    return new Uint8Array(Buffer.concat(chunks));
  }
}
