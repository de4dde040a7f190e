/**
 * GuardedAttachmentFetcher against small real HTTP servers on 127.0.0.1: which hosts
 * it will talk to, what it sends them, and how it bounds size and time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fc, test } from '@fast-check/jest';
import { AppError } from '../../../bot/src/core/errors';
import {
  GuardedAttachmentFetcher,
  hostAllowed,
  type AttachmentFetcherOptions,
} from '../../../bot/src/m365/attachment-fetcher';

/** A server that records what it was asked and answers with `handle`. */
interface TestServer {
  url: string;
  seen: { url: string; authorization?: string }[];
  close(): Promise<void>;
}

const servers: http.Server[] = [];

async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    handle(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

const LOCAL: AttachmentFetcherOptions = { allowedHosts: [], allowLoopback: true, maxBytes: 1000, timeoutMs: 2000 };
const M365: AttachmentFetcherOptions = {
  allowedHosts: ['.sharepoint.com', 'smba.trafficmanager.net', 'localhost', '127.0.0.1'],
  allowLoopback: false,
  maxBytes: 1000,
  timeoutMs: 2000,
};

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the fetch to fail');
}

const bytes = (n: number, fill = 7) => Buffer.alloc(n, fill);
const okServer = (body: Buffer = bytes(10)) =>
  serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
    res.end(body);
  });

describe('hostAllowed', () => {
  const allowed = ['.sharepoint.com', 'smba.trafficmanager.net', 'Graph.Microsoft.com'];
  test.each([
    ['contoso.sharepoint.com', true],
    ['contoso-my.sharepoint.com', true],
    ['a.b.sharepoint.com', true],
    ['CONTOSO.SharePoint.COM', true],
    ['contoso.sharepoint.com.', true],
    ['smba.trafficmanager.net', true],
    ['graph.microsoft.com', true],
    ['sharepoint.com', false], // a suffix entry allows subdomains only
    ['evilsharepoint.com', false],
    ['contoso.sharepoint.com.evil.example', false],
    ['sharepoint.com.evil.example', false],
    ['contoso.sharepoint.co', false],
    ['evil-smba.trafficmanager.net', false],
    ['x.smba.trafficmanager.net', false], // an exact entry allows that host only
    ['graph.microsoft.com.evil.example', false],
    ['', false],
  ])('%j -> %s', (host, expected) => {
    expect(hostAllowed(host, allowed)).toBe(expected);
  });

  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
  test.prop([fc.array(label, { minLength: 1, maxLength: 3 })])(
    'any subdomain of a suffix entry is allowed',
    (labels) => {
      expect(hostAllowed(`${labels.join('.')}.sharepoint.com`, allowed)).toBe(true);
    },
  );
  test.prop([label])('a name that merely ends in the same letters is not', (prefix) => {
    expect(hostAllowed(`${prefix}sharepoint.com`, allowed)).toBe(false);
    expect(hostAllowed(`${prefix}.sharepoint.com.${prefix}`, allowed)).toBe(false);
  });
  test('nothing is allowed by an empty list', () => {
    expect(hostAllowed('contoso.sharepoint.com', [])).toBe(false);
  });
});

describe('which hosts it talks to', () => {
  test('local mode: a loopback server (127.0.0.1 or localhost) over http', async () => {
    const s = await okServer(bytes(10, 42));
    const fetcher = new GuardedAttachmentFetcher(LOCAL);
    expect(Buffer.from(await fetcher.fetch(`${s.url}/photo.png`))).toEqual(bytes(10, 42));
    expect(Buffer.from(await fetcher.fetch(`${s.url.replace('127.0.0.1', 'localhost')}/photo.png`))).toEqual(
      bytes(10, 42),
    );
    expect(s.seen.map((r) => r.url)).toEqual(['/photo.png', '/photo.png']);
  });

  test('outside local mode, loopback is refused before any connection, even when its name or address is listed', async () => {
    const s = await okServer();
    const fetcher = new GuardedAttachmentFetcher(M365);
    for (const url of [
      `${s.url}/x`,
      s.url.replace('http:', 'https:'),
      s.url.replace('http://127.0.0.1', 'https://localhost'),
    ]) {
      expect(await failure(fetcher.fetch(url))).toMatchObject({ code: 'download.host_not_allowed' });
    }
    expect(s.seen).toEqual([]);
  });

  test.each([
    'https://evilsharepoint.com/photo.png',
    'http://contoso.sharepoint.com/photo.png', // not https
    'https://example.com/photo.png',
    'ftp://contoso.sharepoint.com/photo.png',
    'file:///etc/passwd',
    'not a url',
  ])('%s is refused', async (url) => {
    const e = await failure(new GuardedAttachmentFetcher(M365).fetch(url));
    expect(e.code).toBe('download.host_not_allowed');
  });

  test('local mode does not open up anything but loopback', async () => {
    const fetcher = new GuardedAttachmentFetcher(LOCAL);
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'https://contoso.sharepoint.com/a.png',
    ]) {
      expect(await failure(fetcher.fetch(url))).toMatchObject({ code: 'download.host_not_allowed' });
    }
  });

  test('credentials in the URL are refused', async () => {
    const s = await okServer();
    const e = await failure(new GuardedAttachmentFetcher(LOCAL).fetch(s.url.replace('http://', 'http://user:secret@')));
    expect(e).toMatchObject({ code: 'download.host_not_allowed', params: { host: '127.0.0.1' } });
    expect(s.seen).toEqual([]);
  });
});

describe('redirects', () => {
  test('are followed to another allowed host, and the bearer token is not sent along', async () => {
    const target = await okServer(bytes(5, 1));
    const first = await serve((_req, res) => {
      res.writeHead(302, { location: `${target.url.replace('127.0.0.1', 'localhost')}/final.png` });
      res.end();
    });
    const got = await new GuardedAttachmentFetcher(LOCAL).fetch(`${first.url}/start`, { bearerToken: 'bot-token-123' });
    expect(Buffer.from(got)).toEqual(bytes(5, 1));
    expect(first.seen).toEqual([{ url: '/start', authorization: 'Bearer bot-token-123' }]);
    expect(target.seen).toEqual([{ url: '/final.png', authorization: undefined }]);
  });

  test('a relative redirect on the same host does not carry the token either', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/start') {
        res.writeHead(301, { location: '/next' });
        res.end();
      } else {
        res.end('ok');
      }
    });
    expect(
      Buffer.from(await new GuardedAttachmentFetcher(LOCAL).fetch(`${s.url}/start`, { bearerToken: 't' })).toString(),
    ).toBe('ok');
    expect(s.seen).toEqual([
      { url: '/start', authorization: 'Bearer t' },
      { url: '/next', authorization: undefined },
    ]);
  });

  test.each([
    ['a host that is not allowed', 'http://169.254.169.254/latest/meta-data/'],
    ['a URL with credentials', 'http://admin:pw@127.0.0.1:1/'],
  ])('to %s are checked again and refused', async (_what, location) => {
    const s = await serve((_req, res) => {
      res.writeHead(307, { location });
      res.end();
    });
    expect(await failure(new GuardedAttachmentFetcher(LOCAL).fetch(`${s.url}/start`))).toMatchObject({
      code: 'download.host_not_allowed',
    });
  });

  test('more than maxRedirects is a failure', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(302, { location: '/again' });
      res.end();
    });
    expect(
      await failure(new GuardedAttachmentFetcher({ ...LOCAL, maxRedirects: 2 }).fetch(`${s.url}/start`)),
    ).toMatchObject({ code: 'download.failed' });
    expect(s.seen).toHaveLength(3);
  });
});

describe('answers', () => {
  test('a non-2xx answer is download.failed with its status', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(404);
      res.end('gone');
    });
    expect(await failure(new GuardedAttachmentFetcher(LOCAL).fetch(s.url))).toMatchObject({
      code: 'download.failed',
      params: { status: 404 },
    });
  });

  test('nobody listening is download.failed', async () => {
    const s = await okServer();
    await s.close();
    expect(await failure(new GuardedAttachmentFetcher(LOCAL).fetch(s.url))).toMatchObject({ code: 'download.failed' });
  });
});

describe('size', () => {
  test('exactly maxBytes is accepted', async () => {
    const s = await okServer(bytes(1000));
    expect((await new GuardedAttachmentFetcher(LOCAL).fetch(s.url)).byteLength).toBe(1000);
  });

  test('a declared Content-Length over the limit is refused without reading the body', async () => {
    const s = await serve((_req, res) => {
      // Declares 5 MB and then sends almost nothing: reading it would end in a timeout, not too_large.
      res.writeHead(200, { 'content-length': String(5 * 1048576) });
      res.write(bytes(10));
    });
    const e = await failure(new GuardedAttachmentFetcher({ ...LOCAL, maxBytes: 2 * 1048576 }).fetch(s.url));
    expect(e).toMatchObject({ code: 'download.too_large', params: { maxMegabytes: 2, receivedMegabytes: 5 } });
  });

  test('a chunked body that grows past the limit is cut off once it does', async () => {
    let closedByClient!: () => void;
    const aborted = new Promise<void>((resolve) => (closedByClient = resolve));
    let sent = 0;
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' }); // no Content-Length: chunked
      res.on('close', () => closedByClient());
      const timer = setInterval(() => {
        sent += 400;
        res.write(bytes(400));
      }, 5);
      res.on('close', () => clearInterval(timer));
    });
    const e = await failure(new GuardedAttachmentFetcher(LOCAL).fetch(s.url));
    expect(e.code).toBe('download.too_large');
    await aborted; // the fetcher hung up instead of draining an endless body
    expect(sent).toBeLessThan(100 * 400);
  });

  test('a chunked body within the limit arrives whole', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write(bytes(300, 1));
      setTimeout(() => res.end(bytes(300, 2)), 10);
    });
    expect(Buffer.from(await new GuardedAttachmentFetcher(LOCAL).fetch(s.url))).toEqual(
      Buffer.concat([bytes(300, 1), bytes(300, 2)]),
    );
  });
});

describe('time', () => {
  test('a server that never answers is download.timeout', async () => {
    const s = await serve(() => undefined);
    const started = Date.now();
    const e = await failure(new GuardedAttachmentFetcher({ ...LOCAL, timeoutMs: 300 }).fetch(s.url));
    expect(e).toMatchObject({ code: 'download.timeout', params: { seconds: 1 } }); // never "0 seconds"
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a body that stalls half way is download.timeout', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '500' });
      res.write(bytes(100));
    });
    expect(await failure(new GuardedAttachmentFetcher({ ...LOCAL, timeoutMs: 1000 }).fetch(s.url))).toMatchObject({
      code: 'download.timeout',
      params: { seconds: 1 },
    });
  });
});
