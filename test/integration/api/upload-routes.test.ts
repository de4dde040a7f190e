/**
 * The upload page's API (`POST /api/uploads`) through the real service over HTTP, with
 * a real local tenant: upload tickets, size limits, input checks and what the page shows.
 */
import http from 'node:http';
import sharp from 'sharp';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { SignedLinks, uploadLink, type TicketSubject } from '../../../bot/src/api/signed-links';
import { FRAME_ANCESTORS } from '../../../bot/src/api/security-headers';
import type { Locale } from '../../../bot/src/core/locale';
import { t } from '../../../bot/src/i18n/i18n';
import { startHarness, type Harness } from '../../support/headshot';
import { image } from '../../support/photos';

const SECRET = 'test-upload-ticket-secret-0123456789abcdef';
const MAX_BYTES = 1_048_576; // 1 MB, so "too large" needs little data
const photo = image('exif-orientation-examples/Landscape_1.jpg'); // 347 KB

let h: Harness;
let tickets: SignedLinks<TicketSubject>;

beforeAll(async () => {
  h = await startHarness({ UPLOAD_TICKET_SECRET: SECRET, PHOTO_MAX_BYTES: String(MAX_BYTES) });
  tickets = new SignedLinks(SECRET, uploadLink(30 * 60), () => h.clock.now());
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('POST', '/_control/reset');
  // One service for the file: start each test with no requests and no chats stored.
  await h.service.db.run(`DELETE FROM photo_requests`);
  await h.service.db.run(`DELETE FROM conversations`);
});

const subject = (userId: string = DEMO_USERS.adele, locale: Locale = 'nl'): TicketSubject => ({
  userId,
  tenantId: DEMO_TENANT_ID,
  locale,
});

interface ApiError {
  error: { code: string; message: string };
}

/** What `POST /api/uploads` answers: the page's view of a request, or an error. */
interface UploadAnswer extends Partial<ApiError> {
  requestId?: string;
  state?: string;
  preview?: string;
  deliveredToChat?: boolean;
  message?: string;
}

async function upload(
  body: Uint8Array,
  headers: Record<string, string> = {},
  query = '',
): Promise<{ status: number; headers: Headers; json: UploadAnswer }> {
  const res = await fetch(`${h.service.url}/api/uploads${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...headers },
    body: Buffer.from(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as UploadAnswer };
}

const bearer = async (s: TicketSubject = subject()) => ({ authorization: `Bearer ${await tickets.issue(s)}` });
const requestsFor = async (userId: string) =>
  (await h.service.db.all(`SELECT id, state, source FROM photo_requests WHERE user_id = ?`, [userId])) as {
    id: string;
    state: string;
    source: string;
  }[];
const graphPhotoWrites = async () =>
  (await h.control<{ value: unknown[] }>('GET', `/_control/requests?method=PUT&path=${encodeURIComponent('/photo/')}`))
    .value;

/** Sends a raw HTTP request whose body is written by `write`; resolves with the answer (status, JSON body). */
function rawPost(
  path: string,
  headers: Record<string, string | number>,
  write: (req: http.ClientRequest) => void,
): Promise<{ status: number; json: UploadAnswer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.service.url}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: (text ? JSON.parse(text) : {}) as UploadAnswer });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    write(req);
  });
}

describe('the upload ticket', () => {
  test('none: 401 with a JSON error in the caller’s language', async () => {
    const res = await upload(photo, { 'accept-language': 'fi-FI,fi;q=0.9' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json as ApiError).toEqual({
      error: { code: 'auth.unauthenticated', message: t('fi', 'errors.auth.unauthenticated') },
    });
    expect(res.json.error?.message).not.toBe(t('en', 'errors.auth.unauthenticated'));
  });

  test.each([
    ['a Basic header', () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
    ['garbage', () => ({ authorization: 'Bearer not.a.ticket' })],
  ])('%s: 401', async (_name, headers) => {
    const res = await upload(photo, headers());
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe('auth.unauthenticated');
  });

  test('tampered (someone else’s user id with the original signature): 401, nothing stored', async () => {
    const ticket = await tickets.issue(subject(DEMO_USERS.adele));
    const [header, payload, signature] = ticket.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: DEMO_USERS.patti })).toString('base64url');
    const res = await upload(photo, { authorization: `Bearer ${header}.${forged}.${signature}` });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe('auth.unauthenticated');
    expect(await requestsFor(DEMO_USERS.patti)).toEqual([]);
    expect(await requestsFor(DEMO_USERS.adele)).toEqual([]);
  });

  test('signed with another secret: 401', async () => {
    const other = new SignedLinks('another-secret-that-is-long-enough-0123456789', uploadLink(30 * 60), () =>
      h.clock.now(),
    );
    const res = await upload(photo, { authorization: `Bearer ${await other.issue(subject())}` });
    expect(res.status).toBe(401);
    expect(await requestsFor(DEMO_USERS.adele)).toEqual([]);
  });

  test('valid until 30 minutes after issue, refused after that (the service clock decides)', async () => {
    const headers = await bearer();
    h.clock.advance(29 * 60_000);
    expect((await upload(photo, headers)).status).toBe(200);
    h.clock.advance(2 * 60_000);
    const res = await upload(photo, { ...headers, 'accept-language': 'en' });
    expect(res.status).toBe(401);
    // The ticket's locale is not trusted once the ticket is not: the caller's language is used.
    expect(res.json.error).toEqual({ code: 'auth.unauthenticated', message: t('en', 'errors.auth.unauthenticated') });
  });
});

describe('size limits', () => {
  test('a declared Content-Length over the limit is refused with 413 before the body is read', async () => {
    const headers = await bearer(subject(DEMO_USERS.adele, 'pl'));
    const res = await rawPost(
      '/api/uploads',
      { ...headers, 'content-type': 'application/octet-stream', 'content-length': MAX_BYTES + 1 },
      (req) =>
        // Only the headers go out: the answer must come without the body ever being sent.
        req.flushHeaders(),
    );
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('photo.too_large_bytes');
    expect(res.json.error?.message).toBe(
      t('pl', 'errors.photo.too_large_bytes', { maxMegabytes: 1, receivedMegabytes: 1 }),
    );
    expect(await requestsFor(DEMO_USERS.adele)).toEqual([]);
  });

  test('a chunked body that grows over the limit is refused with 413, and the connection stays usable', async () => {
    const headers = await bearer();
    // One keep-alive connection: the next request can only be answered if the server read and dropped the rest.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await new Promise<{ status: number; json: ApiError }>((resolve, reject) => {
        const req = http.request(
          `${h.service.url}/api/uploads`,
          {
            method: 'POST',
            agent,
            headers: { ...headers, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ApiError,
              }),
            );
          },
        );
        req.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const pump = () => {
          while (sent < 1.5 * MAX_BYTES) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expect(answer.status).toBe(413);
      expect(answer.json.error.code).toBe('photo.too_large_bytes');
      expect(await requestsFor(DEMO_USERS.adele)).toEqual([]);

      const next = await new Promise<number>((resolve, reject) => {
        const req = http.get(`${h.service.url}/healthz`, { agent, timeout: 3000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () =>
          req.destroy(new Error('the connection is stuck: the rest of the upload was never read')),
        );
        req.on('error', reject);
      });
      expect(next).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

describe('input', () => {
  test.each([
    '?cropLeft=abc&cropTop=0&cropSize=100',
    '?cropLeft=0&cropTop=0',
    '?cropLeft=-1&cropTop=0&cropSize=100',
    '?cropLeft=0&cropTop=0&cropSize=0',
  ])('a bad crop query (%s) is 400 input.invalid and nothing is stored', async (query) => {
    const res = await upload(photo, await bearer(), query);
    expect(res.status).toBe(400);
    expect(res.json.error).toEqual({ code: 'input.invalid', message: t('nl', 'errors.input.invalid') });
    expect(await requestsFor(DEMO_USERS.adele)).toEqual([]);
  });

  test('a crop outside the image is refused by the pipeline', async () => {
    const res = await upload(photo, await bearer(), '?cropLeft=5000&cropTop=0&cropSize=200');
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('input.invalid');
  });

  test('a body that is not a photo is refused in the ticket’s language', async () => {
    const res = await upload(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), await bearer());
    expect(res.status).toBe(422);
    expect(res.json.error?.code).toBe('photo.unsupported_format');
    expect(res.json.error?.message).toBe(
      t('nl', 'errors.photo.unsupported_format', { received: 'svg', expected: 'JPEG, PNG, WebP, GIF, TIFF, AVIF' }),
    );
  });
});

describe('a good upload', () => {
  test('for a user with no chat yet: 200, a preview, deliveredToChat false and the upload.no_chat message', async () => {
    const res = await upload(
      photo,
      await bearer(subject(DEMO_USERS.adele, 'nl')),
      '?cropLeft=100&cropTop=50&cropSize=400',
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ state: 'previewed', deliveredToChat: false, message: t('nl', 'upload.no_chat') });
    const m = /^data:image\/jpeg;base64,(.+)$/.exec(res.json.preview as string);
    expect(await sharp(Buffer.from(m?.[1] ?? '', 'base64')).metadata()).toMatchObject({
      format: 'jpeg',
      width: 96,
      height: 96,
    });
    // Stored for the ticket's user, as an upload-page request; nothing written to Microsoft 365 yet.
    expect(await requestsFor(DEMO_USERS.adele)).toEqual([
      { id: res.json.requestId, state: 'previewed', source: 'upload-page' },
    ]);
    expect(await graphPhotoWrites()).toEqual([]);
  });

  test('for a user who has the bot installed: the preview also goes to the chat', async () => {
    const chat = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'pl-PL' });
    expect(await chat.install()).toBe(200);
    await chat.newCards();
    const res = await upload(photo, await bearer(subject(DEMO_USERS.isaiah, 'pl')));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ deliveredToChat: true, message: t('pl', 'upload.sent_to_chat') });
    const cards = await chat.newCards();
    expect(res.json.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(cards)).toContain(res.json.requestId as string);
  });
});

describe('a chat that cannot be reached', () => {
  test('the page is told the preview did not reach the chat, and no error card is sent anywhere', async () => {
    const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
    expect(await chat.install()).toBe(200);
    await chat.newCards();
    // The stored chat now points at a connector that is not there (a closed port).
    await h.service.db.run(
      `UPDATE conversations SET reference = json_set(reference, '$.serviceUrl', 'http://127.0.0.1:9') WHERE user_id = ?`,
      [DEMO_USERS.alex],
    );
    const res = await upload(photo, await bearer(subject(DEMO_USERS.alex, 'en')));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ state: 'previewed', deliveredToChat: false, message: t('en', 'upload.no_chat') });
    expect(await chat.newCards()).toEqual([]);
  });
});

describe('security headers', () => {
  test.each(['/upload', '/healthz'])('%s is served with CSP frame-ancestors, nosniff and no-referrer', async (path) => {
    const res = await fetch(`${h.service.url}${path}`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const ancestors = /(?:^|;\s*)frame-ancestors ([^;]+)/.exec(csp)?.[1].split(/\s+/);
    expect(ancestors).toEqual(FRAME_ANCESTORS);
    expect(ancestors).toEqual(
      expect.arrayContaining([
        "'self'",
        'https://teams.microsoft.com',
        'https://*.cloud.microsoft',
        'https://outlook.office.com',
      ]),
    );
    expect(ancestors).not.toContain('*');
    expect(csp).toMatch(/(?:^|;\s*)default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  test.each([
    ['GET', '/nope'],
    ['GET', '/api/messages'],
    ['DELETE', '/api/me'],
    ['PUT', '/healthz'],
  ])("the router's own refusal of %s %s carries them too", async (method, path) => {
    const res = await fetch(`${h.service.url}${path}`, { method });
    await res.arrayBuffer();
    expect([404, 405]).toContain(res.status);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  test('an API error answer carries them too', async () => {
    const res = await upload(photo);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors');
  });
});
