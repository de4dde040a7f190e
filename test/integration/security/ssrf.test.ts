/**
 * Attachment downloads cannot be turned against the service's own network: hosts are
 * allow-listed, every resolved address is checked, the connection is pinned to the checked
 * address (no DNS rebinding), redirects are re-checked and the token is not forwarded, and
 * size and time are bounded. Name resolution is injected: no DNS is used.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  GuardedAttachmentFetcher,
  isPrivateAddress,
  type ResolvedAddress,
} from '../../../bot/src/m365/attachment-fetcher';

const HOST = 'files.contoso.sharepoint.com';
let server: https.Server;
let port: number;
let ca: string;
const seen: { path: string; authorization?: string }[] = [];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${HOST}`,
      '-addext',
      `subjectAltName=DNS:${HOST},DNS:other.sharepoint.com`,
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  ca = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: ca }, (req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    if (req.url === '/photo.jpg') return res.end(Buffer.alloc(1000, 7));
    if (req.url === '/big') return res.end(Buffer.alloc(5000, 7));
    if (req.url === '/to-metadata') {
      res.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' });
      return res.end();
    }
    if (req.url === '/to-other') {
      res.writeHead(302, { location: `https://other.sharepoint.com:${port}/photo.jpg` });
      return res.end();
    }
    if (req.url === '/to-evil') {
      res.writeHead(302, { location: 'https://evil.example.com/x' });
      return res.end();
    }
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 3000);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
  fs.rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** m365-mode fetcher whose "public internet" is this test's loopback server (only 127.0.0.1 counts as public). */
function fetcher(
  resolve: (host: string) => Promise<ResolvedAddress[]>,
  extra: { maxBytes?: number; timeoutMs?: number } = {},
) {
  return new GuardedAttachmentFetcher({
    allowedHosts: ['.sharepoint.com'],
    allowLoopback: false,
    maxBytes: extra.maxBytes ?? 4096,
    timeoutMs: extra.timeoutMs ?? 2000,
    resolve,
    isBlockedAddress: (address, family) => address !== '127.0.0.1' && isPrivateAddress(address, family),
    ca,
  });
}

const to =
  (...addresses: string[]) =>
  async (): Promise<ResolvedAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

test('an allowed host whose address passes the check is downloaded over https', async () => {
  const bytes = await fetcher(to('127.0.0.1')).fetch(`https://${HOST}:${port}/photo.jpg`);
  expect(bytes.byteLength).toBe(1000);
});

test('DNS rebinding: the connection goes to the address that was checked, resolved once per hop', async () => {
  let calls = 0;
  // First answer passes the check; any later answer points inside. With a second resolution the download would fail.
  const rebinding = async (): Promise<ResolvedAddress[]> => [
    { address: calls++ === 0 ? '127.0.0.1' : '10.0.0.7', family: 4 },
  ];
  const bytes = await fetcher(rebinding).fetch(`https://${HOST}:${port}/photo.jpg`);
  expect(bytes.byteLength).toBe(1000);
  expect(calls).toBe(1);
});

test.each([
  ['a private address', ['10.1.2.3']],
  ['the cloud metadata address (link-local)', ['169.254.169.254']],
  ['loopback over IPv6', ['::1']],
  ['an IPv4-mapped private address', ['::ffff:192.168.1.10']],
  ['a mix of public and private', ['127.0.0.1', '172.16.0.1']],
  ['nothing', []],
])('a name resolving to %s is refused before connecting', async (_name, addrs) => {
  const before = seen.length;
  await expect(fetcher(to(...addrs)).fetch(`https://${HOST}:${port}/photo.jpg`)).rejects.toMatchObject({
    code: 'download.host_not_allowed',
  });
  expect(seen.length).toBe(before);
});

test.each([
  ['plain http', `http://${HOST}/photo.jpg`],
  ['a host not on the list', 'https://evil.example.com/photo.jpg'],
  ['a look-alike host', 'https://sharepoint.com.evil.example/photo.jpg'],
  ['an IP literal', 'https://10.0.0.1/photo.jpg'],
  ['credentials in the URL', `https://user:pw@${HOST}/photo.jpg`],
])('%s is refused', async (_name, url) => {
  await expect(fetcher(to('127.0.0.1')).fetch(url)).rejects.toMatchObject({ code: 'download.host_not_allowed' });
});

test('a redirect is checked again: to link-local or to a host not on the list is refused', async () => {
  await expect(fetcher(to('127.0.0.1')).fetch(`https://${HOST}:${port}/to-metadata`)).rejects.toMatchObject({
    code: 'download.host_not_allowed',
  });
  await expect(fetcher(to('127.0.0.1')).fetch(`https://${HOST}:${port}/to-evil`)).rejects.toMatchObject({
    code: 'download.host_not_allowed',
  });
});

test('the bot token goes to the first host only, never along a redirect', async () => {
  seen.length = 0;
  const bytes = await fetcher(to('127.0.0.1')).fetch(`https://${HOST}:${port}/to-other`, {
    bearerToken: 'secret-token',
  });
  expect(bytes.byteLength).toBe(1000);
  expect(seen).toEqual([
    { path: '/to-other', authorization: 'Bearer secret-token' },
    { path: '/photo.jpg', authorization: undefined },
  ]);
});

test('size and time are bounded', async () => {
  await expect(fetcher(to('127.0.0.1'), { maxBytes: 4096 }).fetch(`https://${HOST}:${port}/big`)).rejects.toMatchObject(
    {
      code: 'download.too_large',
    },
  );
  await expect(
    fetcher(to('127.0.0.1'), { timeoutMs: 300 }).fetch(`https://${HOST}:${port}/slow`),
  ).rejects.toMatchObject({
    code: 'download.timeout',
  });
});

test('the default policy blocks private, loopback, link-local and mapped addresses, and lets public ones through', () => {
  for (const a of [
    '10.0.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '192.168.0.1',
    '172.31.255.255',
    '100.64.0.1',
    '0.0.0.0',
  ])
    expect(isPrivateAddress(a, 4)).toBe(true);
  for (const a of ['::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1']) expect(isPrivateAddress(a, 6)).toBe(true);
  for (const a of ['13.107.136.10', '52.112.0.1']) expect(isPrivateAddress(a, 4)).toBe(false);
  expect(isPrivateAddress('2603:1000::1', 6)).toBe(false);
});
