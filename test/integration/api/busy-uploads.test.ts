/**
 * A full photo pipeline refuses an upload before reading it: 503 photo.busy with Retry-After, in the
 * caller's language, while the request body has barely started (a refusal that waited for the whole
 * body would never come here: the test sends 64 KB of a declared 2 MB and stops).
 */
import http from 'node:http';
import sharp from 'sharp';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { SignedLinks, uploadLink } from '../../../bot/src/api/signed-links';
import { t } from '../../../bot/src/i18n/i18n';
import { startHarness, type Harness } from '../../support/headshot';
import { flatPng } from '../../support/images';
import { tokenFor } from '../../support/tab-api';

const SECRET = 'busy-uploads-ticket-secret-0123456789abcdef';

let h: Harness;
let big: Buffer;
beforeAll(async () => {
  h = await startHarness({ UPLOAD_TICKET_SECRET: SECRET, PHOTO_CONCURRENCY: '1', PHOTO_QUEUE_LIMIT: '0' });
  // 49 MP, interlaced (decoded whole before anything else): it holds the one slot for about a second.
  big = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: { r: 120, g: 130, b: 140 } } })
    .png({ progressive: true })
    .toBuffer();
});
afterAll(() => h?.close());

/** Starts a photo through the pipeline and waits until it holds the slot; resolves when it is done. */
async function occupyPipeline(): Promise<{ done: Promise<unknown> }> {
  const done = h.service.photos
    .receive({ userId: DEMO_USERS.megan, tenantId: DEMO_TENANT_ID, locale: 'en', bytes: big, source: 'tab' })
    .catch(() => undefined);
  for (let i = 0; i < 200 && !h.service.photos.busyNow(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(h.service.photos.busyNow()).not.toBeNull();
  // In an object: an async function returning the promise itself would wait for it.
  return { done };
}

/** Posts 64 KB of a declared 2 MB body and answers with what the service said, without sending the rest. */
function partialUpload(
  path: string,
  authorization: string,
): Promise<{ status: number; retryAfter?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${h.service.url}${path}`);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: 'POST',
        headers: { authorization, 'content-type': 'application/octet-stream', 'content-length': String(2_000_000) },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, body });
          req.destroy();
        });
      },
    );
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.setTimeout(5_000, () => reject(new Error('no answer before the body was complete')));
    req.write(Buffer.alloc(64 * 1024));
  });
}

test('the upload page: refused with 503 and Retry-After before the body is read', async () => {
  const ticket = await new SignedLinks(SECRET, uploadLink(), () => h.clock.now()).issue({
    userId: DEMO_USERS.alex,
    tenantId: DEMO_TENANT_ID,
    locale: 'fi',
  });
  const { done } = await occupyPipeline();
  const answer = await partialUpload('/api/uploads', `Bearer ${ticket}`);
  expect(answer.status).toBe(503);
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  const error = (JSON.parse(answer.body) as { error: { code: string; message: string } }).error;
  expect(error.code).toBe('photo.busy');
  expect(error.message).toBe(t('fi', 'errors.photo.busy', { retryAfterSeconds: Number(answer.retryAfter) }));
  await done;
});

test('the tab: refused the same way before the body is read', async () => {
  const token = await tokenFor(h, DEMO_USERS.alex);
  // The token's keys are fetched once before the pipeline fills, so the refusal below is not waiting on them.
  expect((await fetch(`${h.service.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  const { done } = await occupyPipeline();
  const answer = await partialUpload('/api/me/photo-requests', `Bearer ${token}`);
  expect(answer.status).toBe(503);
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'photo.busy' } });
  await done;
});

test('once the pipeline has room, uploads are read and prepared again', async () => {
  expect(h.service.photos.busyNow()).toBeNull();
  const token = await tokenFor(h, DEMO_USERS.alex);
  const res = await fetch(`${h.service.url}/api/me/photo-requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: await flatPng(800, 800, [90, 100, 110]),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ state: 'previewed' });
});
