/**
 * The tab's photo editor over HTTP against the local tenant: upload with a crop and quarter
 * turns, look at the request, submit it (policy nobody: straight to Microsoft 365), cancel,
 * and someone else's request id refused.
 */
import sharp from 'sharp';
import { DEMO_TENANT_ID, DEMO_USERS } from '../../../emulator';
import { SignedLinks, uploadLink } from '../../../bot/src/api/signed-links';
import type { PhotoRequestView } from '../../../bot/src/api/tab-contract';
import { DEFAULT_AVATAR_SIDES } from '../../../bot/src/photo/sharp-image-processor';
import { t } from '../../../bot/src/i18n/i18n';
import { useHarness } from '../../support/headshot';
import { image } from '../../support/photos';
import { as, clearServiceState, type ErrorBody } from '../../support/tab-state';

const TICKET_SECRET = 'tab-photo-requests-ticket-secret-0123456789';
const h = useHarness({ UPLOAD_TICKET_SECRET: TICKET_SECRET }, {}, async (harness) => clearServiceState(harness));
const landscape = image('exif-orientation-examples/Landscape_1.jpg'); // 1800 x 1200

interface PhotoInfo {
  hasPhoto: boolean;
  width: number | null;
  etag: string | null;
}

const jpegOf = (dataUrl: string | undefined): Buffer => {
  expect(dataUrl).toMatch(/^data:image\/jpeg;base64,/);
  return Buffer.from((dataUrl as string).split(',')[1] as string, 'base64');
};

test('upload with crop and rotate: a previewed request with a 96 px preview and every avatar size', async () => {
  const alex = as(h, DEMO_USERS.alex, 'fi');
  // Rotated 90, the 1800x1200 photo is 1200x1800: a crop 1200 px down only fits after the turn.
  const res = await alex.post<PhotoRequestView>(
    '/api/me/photo-requests?cropLeft=0&cropTop=500&cropSize=1200&rotate=90',
    {
      raw: landscape,
    },
  );
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({
    state: 'previewed',
    source: { format: 'jpeg', width: 1800, height: 1200, bytes: landscape.length },
    message: t('fi', 'tab.request.previewed'),
  });
  const preview = await sharp(jpegOf(res.json.preview)).metadata();
  expect([preview.format, preview.width, preview.height]).toEqual(['jpeg', 96, 96]);
  expect(res.json.avatars?.map((a) => a.side)).toEqual([...DEFAULT_AVATAR_SIDES]);
  for (const a of res.json.avatars ?? []) expect((await sharp(jpegOf(a.src)).metadata()).width).toBe(a.side);
  for (const w of res.json.warnings) expect(w.message).toBe(t('fi', `warnings.${w.code}`));

  // The same crop without the turn is outside the 1800x1200 image: refused before anything is stored.
  const refused = await alex.post<ErrorBody>('/api/me/photo-requests?cropLeft=0&cropTop=500&cropSize=1200', {
    raw: landscape,
  });
  expect(refused.status).toBe(400);
  expect(refused.json.error).toEqual({ code: 'input.invalid', message: t('fi', 'errors.input.invalid') });
  const bad = await alex.post<ErrorBody>('/api/me/photo-requests?rotate=45', { raw: landscape });
  expect([bad.status, bad.json.error.code]).toEqual([400, 'input.invalid']);

  // The latest request is the previewed one (the refused uploads made none).
  const latest = await alex.get<PhotoRequestView>('/api/me/photo-requests/latest');
  expect(latest.json).toMatchObject({ requestId: res.json.requestId, state: 'previewed' });
  expect(latest.json.avatars).toBeUndefined();
  expect(latest.json.preview).toBe(res.json.preview);
});

test('the upload page (/api/uploads) takes the same crop and rotate query', async () => {
  const tickets = new SignedLinks(TICKET_SECRET, uploadLink(30 * 60), () => h.clock.now());
  const ticket = await tickets.issue({ userId: DEMO_USERS.grady, tenantId: DEMO_TENANT_ID, locale: 'en' });
  const send = (query: string) =>
    fetch(`${h.service.url}/api/uploads${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ticket}`, 'content-type': 'application/octet-stream' },
      body: landscape,
    });
  const turned = await send('?cropLeft=0&cropTop=500&cropSize=1200&rotate=270');
  expect(turned.status).toBe(200);
  expect(((await turned.json()) as { state: string }).state).toBe('previewed');
  expect((await send('?cropLeft=0&cropTop=500&cropSize=1200')).status).toBe(400);
  expect((await send('?rotate=45')).status).toBe(400);
});

test('submit with policy nobody: applied, and the local tenant holds the new 648 px photo', async () => {
  const before = await h.control<PhotoInfo>('GET', `/_control/users/${DEMO_USERS.alex}/photo-info`);
  expect(before.hasPhoto).toBe(false);
  const alex = as(h, DEMO_USERS.alex);
  const up = await alex.post<PhotoRequestView>('/api/me/photo-requests', { raw: landscape });
  const submitted = await alex.post<PhotoRequestView>(`/api/me/photo-requests/${up.json.requestId}/submit`);
  expect(submitted.status).toBe(200);
  expect(submitted.json).toMatchObject({
    requestId: up.json.requestId,
    state: 'applied',
    message: t('en', 'tab.request.applied'),
  });
  expect(submitted.json.approval).toBeUndefined();
  const after = await h.control<PhotoInfo>('GET', `/_control/users/${DEMO_USERS.alex}/photo-info`);
  expect(after).toMatchObject({ hasPhoto: true, width: 648 });

  // GET /api/me/photo now serves it; a second submit is refused (already applied).
  const photo = await alex.get('/api/me/photo');
  expect([photo.status, photo.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
  expect((await sharp(photo.bytes).metadata()).width).toBe(648);
  const again = await alex.post<ErrorBody>(`/api/me/photo-requests/${up.json.requestId}/submit`);
  expect([again.status, again.json.error.code]).toEqual([409, 'request.already_applied']);
});

test("someone else's request id is refused for reading, submitting and cancelling; nothing changes", async () => {
  const adele = as(h, DEMO_USERS.adele);
  const up = await adele.post<PhotoRequestView>('/api/me/photo-requests', { raw: landscape });
  const alex = as(h, DEMO_USERS.alex, 'nl');
  for (const [method, path] of [
    ['get', ''],
    ['post', '/submit'],
    ['post', '/cancel'],
  ] as const) {
    const res = await alex[method]<ErrorBody>(`/api/me/photo-requests/${up.json.requestId}${path}`);
    expect([path, res.status, res.json.error]).toEqual([
      path,
      404,
      { code: 'request.not_found', message: t('nl', 'errors.request.not_found') },
    ]);
  }
  const mine = await adele.get<PhotoRequestView>(`/api/me/photo-requests/${up.json.requestId}`);
  expect(mine.json.state).toBe('previewed');
  expect((await h.control<PhotoInfo>('GET', `/_control/users/${DEMO_USERS.adele}/photo-info`)).hasPhoto).toBe(false);
});

test('cancel: the request ends cancelled, its photo cleared; GET /latest without any request is 404', async () => {
  const isaiah = as(h, DEMO_USERS.isaiah, 'pl');
  await h.service.db.run(`DELETE FROM photo_requests WHERE user_id = ?`, [DEMO_USERS.isaiah]);
  const none = await isaiah.get<ErrorBody>('/api/me/photo-requests/latest');
  expect([none.status, none.json.error.code]).toEqual([404, 'request.not_found']);
  const up = await isaiah.post<PhotoRequestView>('/api/me/photo-requests', { raw: landscape });
  const cancelled = await isaiah.post<PhotoRequestView>(`/api/me/photo-requests/${up.json.requestId}/cancel`);
  expect(cancelled.json).toMatchObject({ state: 'cancelled', message: t('pl', 'tab.request.cancelled') });
  expect(cancelled.json.preview).toBeUndefined();
});

test('GET /api/me/photo without a photo: 404 photo.none, localised', async () => {
  const res = await as(h, DEMO_USERS.lynne, 'fi').get<ErrorBody>('/api/me/photo');
  expect(res.status).toBe(404);
  expect(res.json.error).toEqual({ code: 'photo.none', message: t('fi', 'errors.photo.none') });
});
