import { USER_ADMINISTRATOR_ROLE } from '../../../emulator/seed/demo-seed';
import sharp from 'sharp';
import { DEMO_USERS } from '../../../emulator';
import { squareJpeg, TenantClient } from '../../support/local-tenant';

let t: TenantClient;
let app: string;
let jpeg648: Buffer;
let jpeg504: Buffer;
beforeAll(async () => {
  t = await TenantClient.start();
  app = await t.appToken();
  [jpeg648, jpeg504] = await Promise.all([squareJpeg(648), squareJpeg(504)]);
});
afterAll(() => t.close());
beforeEach(() => t.control('POST', '/_control/reset'));

const photo = (id: string, suffix = ''): string => `/v1.0/users/${id}/photo${suffix}`;
const put = (token: string, id: string, bytes: Buffer, contentType = 'image/jpeg') =>
  t.graph(token, 'PUT', photo(id, '/$value'), { bytes, contentType });

describe('profile photos', () => {
  test('Megan has a 648 px photo from the seed; Alex has none (404 ImageNotFound on every read)', async () => {
    const megan = await t.graph(app, 'GET', photo(DEMO_USERS.megan));
    expect(megan.status).toBe(200);
    expect(megan.json).toMatchObject({
      '@odata.mediaContentType': 'image/jpeg',
      id: '648X648',
      width: 648,
      height: 648,
    });
    expect(megan.json['@odata.mediaEtag']).toMatch(/^W\/".+"$/);
    for (const path of [
      photo(DEMO_USERS.alex),
      photo(DEMO_USERS.alex, '/$value'),
      `/v1.0/users/${DEMO_USERS.alex}/photos`,
      `/v1.0/users/${DEMO_USERS.alex}/photos/48x48/$value`,
    ]) {
      const a = await t.graph(app, 'GET', path);
      expect(a.status).toBe(404);
      expect(a.json.error).toMatchObject({ code: 'ImageNotFound', message: "The photo wasn't found." });
    }
  });

  test('PUT a 648 px JPEG: 200 empty, then every Graph size is served at its exact dimensions', async () => {
    const a = await put(app, DEMO_USERS.alex, jpeg648);
    expect(a.status).toBe(200);
    expect(a.bytes.length).toBe(0);

    const meta = await t.graph(app, 'GET', photo(DEMO_USERS.alex));
    expect(meta.json).toMatchObject({ id: '648X648', width: 648, height: 648 });
    expect(meta.json['@odata.context']).toContain(`users('${DEMO_USERS.alex}')/photo/$entity`);

    const value = await t.graph(app, 'GET', photo(DEMO_USERS.alex, '/$value'));
    expect(value.headers.get('content-type')).toBe('image/jpeg');
    expect(await sharp(value.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 648, height: 648 });

    const list = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.alex}/photos`);
    expect((list.json.value as Array<{ id: string }>).map((p) => p.id)).toEqual([
      '48X48',
      '64X64',
      '96X96',
      '120X120',
      '240X240',
      '360X360',
      '432X432',
      '504X504',
      '648X648',
    ]);

    const small = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.alex}/photos/96x96/$value`);
    expect(small.status).toBe(200);
    expect(await sharp(small.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 96, height: 96 });
    const sizeMeta = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.alex}/photos/240X240`);
    expect(sizeMeta.json).toMatchObject({ id: '240X240', width: 240, height: 240 });

    const info = await t.control('GET', `/_control/users/${DEMO_USERS.alex}/photo-info`);
    expect(info.json).toMatchObject({
      hasPhoto: true,
      width: 648,
      height: 648,
      bytes: jpeg648.length,
      contentType: 'image/jpeg',
      etag: meta.json['@odata.mediaEtag'],
    });
  });

  test('a 504 px upload has no 648 size', async () => {
    expect((await put(app, DEMO_USERS.adele, jpeg504)).status).toBe(200);
    const list = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.adele}/photos`);
    const ids = (list.json.value as Array<{ id: string }>).map((p) => p.id);
    expect(ids).not.toContain('648X648');
    expect(ids[ids.length - 1]).toBe('504X504');
    expect((await t.graph(app, 'GET', photo(DEMO_USERS.adele))).json).toMatchObject({ id: '504X504', width: 504 });
    const missing = await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.adele}/photos/648x648/$value`);
    expect(missing.status).toBe(404);
    expect((await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.adele}/photos/100x100`)).status).toBe(404);
  });

  test('over 4 MB is 413 Request Entity Too Large and nothing is stored', async () => {
    const big = Buffer.concat([jpeg648, Buffer.alloc(4 * 1024 * 1024 + 1 - jpeg648.length)]);
    const a = await put(app, DEMO_USERS.alex, big);
    expect(a.status).toBe(413);
    expect(a.json.error).toMatchObject({ code: 'RequestBodyTooLarge', message: 'Request Entity Too Large' });
    expect((await t.control('GET', `/_control/users/${DEMO_USERS.alex}/photo-info`)).json.hasPhoto).toBe(false);
  });

  test('exactly 4 MB is accepted when it is a valid image', async () => {
    const exact = Buffer.concat([jpeg648, Buffer.alloc(4 * 1024 * 1024 - jpeg648.length)]);
    expect((await put(app, DEMO_USERS.alex, exact)).status).toBe(200);
  });

  test('bad content type, undecodable bytes and too-small images are 400 with specific codes', async () => {
    const type = await put(app, DEMO_USERS.alex, jpeg648, 'text/plain');
    expect(type.status).toBe(400);
    expect(type.json.error.message).toContain('text/plain');
    const junk = await put(app, DEMO_USERS.alex, Buffer.from('definitely not an image'));
    expect(junk.status).toBe(400);
    expect(junk.json.error.code).toBe('ImageTypeNotSupported');
    const gif = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#888' } })
      .gif()
      .toBuffer();
    expect((await put(app, DEMO_USERS.alex, gif)).json.error.code).toBe('ImageTypeNotSupported');
    const tiny = await sharp({ create: { width: 40, height: 100, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    const small = await put(app, DEMO_USERS.alex, tiny, 'image/png');
    expect(small.status).toBe(400);
    expect(small.json.error.code).toBe('ValidationWidthTooSmall');
  });

  test('PNG uploads are accepted and served as JPEG', async () => {
    const png = await sharp(jpeg648).png().toBuffer();
    expect((await put(app, DEMO_USERS.alex, png, 'image/png')).status).toBe(200);
    const value = await t.graph(app, 'GET', photo(DEMO_USERS.alex, '/$value'));
    expect((await sharp(value.bytes).metadata()).format).toBe('jpeg');
  });

  test('DELETE /photo/$value is 204 and the photo is gone; DELETE /photo is not a route (405)', async () => {
    expect((await t.graph(app, 'DELETE', photo(DEMO_USERS.megan))).status).toBe(405);
    const a = await t.graph(app, 'DELETE', `${photo(DEMO_USERS.megan)}/$value`);
    expect(a.status).toBe(204);
    expect((await t.graph(app, 'GET', photo(DEMO_USERS.megan))).status).toBe(404);
  });

  test('guests, mailbox-less and on-premises-mailbox users still have working photos', async () => {
    for (const id of [DEMO_USERS.jordan, DEMO_USERS.lynne, DEMO_USERS.grady, DEMO_USERS.isaiah]) {
      expect((await put(app, id, jpeg504)).status).toBe(200);
      expect((await t.graph(app, 'GET', photo(id))).json.id).toBe('504X504');
    }
  });

  test('photo writes need ProfilePhoto.ReadWrite.All or User.ReadWrite.All (app), User.ReadWrite for oneself (delegated)', async () => {
    const readOnlyApp = await t.appTokenWithRoles(['User.Read.All']);
    const denied = await put(readOnlyApp, DEMO_USERS.alex, jpeg648);
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('Authorization_RequestDenied');
    expect((await put(await t.appTokenWithRoles(['User.ReadWrite.All']), DEMO_USERS.alex, jpeg648)).status).toBe(200);

    const alex = await t.userToken(DEMO_USERS.alex, ['User.ReadWrite']);
    expect(
      (await t.graph(alex, 'PUT', '/v1.0/me/photo/$value', { bytes: jpeg504, contentType: 'image/jpeg' })).status,
    ).toBe(200);
    expect((await t.graph(alex, 'GET', '/v1.0/me/photo')).json.id).toBe('504X504');
    expect((await put(alex, DEMO_USERS.adele, jpeg648)).status).toBe(403);
    const readOnlyUser = await t.userToken(DEMO_USERS.alex, ['User.Read']);
    expect((await put(readOnlyUser, DEMO_USERS.alex, jpeg648)).status).toBe(403);
  });

  test('unknown user is 404 Request_ResourceNotFound', async () => {
    const a = await put(app, 'ghost@example.com', jpeg648);
    expect(a.status).toBe(404);
    expect(a.json.error.code).toBe('Request_ResourceNotFound');
  });

  test('percent-encoded $value is understood', async () => {
    expect((await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}/photo/%24value`)).status).toBe(200);
  });
});

describe('tenant photo policy (beta photoUpdateSettings)', () => {
  const settings = '/beta/admin/people/photoUpdateSettings';

  test('reads as cloud by default with PeopleSettings.Read.All', async () => {
    const a = await t.graph(app, 'GET', settings);
    expect(a.status).toBe(200);
    expect(a.json).toEqual({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#admin/people/photoUpdateSettings/$entity',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      source: 'cloud',
      allowedRoles: [],
    });
    expect((await t.graph(await t.appTokenWithRoles(['User.Read.All']), 'GET', settings)).status).toBe(403);
    expect((await t.graph(app, 'GET', '/v1.0/admin/people/photoUpdateSettings')).status).toBe(400);
  });

  test('source onPremises blocks photo PUT and DELETE with 403, even for a fully privileged app', async () => {
    expect((await t.graph(app, 'PATCH', settings, { json: { source: 'onPremises' } })).status).toBe(403);
    const admin = await t.appTokenWithRoles(['PeopleSettings.ReadWrite.All']);
    const patched = await t.graph(admin, 'PATCH', settings, { json: { source: 'onPremises' } });
    expect(patched.json.source).toBe('onPremises');
    // Saved at once, in force only after the propagation delay (up to 24 hours).
    expect((await t.graph(app, 'GET', settings)).json.source).toBe('onPremises');
    expect((await put(app, DEMO_USERS.alex, jpeg648)).status).toBe(200);
    await t.control('POST', '/_control/clock/advance', { seconds: 24 * 3600 });
    app = await t.appToken(); // a day later: the old token has expired
    const blocked = await put(app, DEMO_USERS.alex, jpeg648);
    expect(blocked.status).toBe(403);
    expect(blocked.json.error.code).toBe('Authorization_RequestDenied');
    expect(blocked.json.error.message).toMatch(/on-premises/);
    expect((await t.graph(app, 'DELETE', `${photo(DEMO_USERS.megan)}/$value`)).status).toBe(403);
    expect((await t.graph(app, 'GET', photo(DEMO_USERS.megan))).status).toBe(200);

    await t.control('PUT', '/_control/photo-policy', { source: 'cloud' });
    expect((await put(app, DEMO_USERS.alex, jpeg648)).status).toBe(200);
  });

  test('allowedRoles (Entra role template ids) restricts delegated self-service to holders of a directory role', async () => {
    // An app role is not a directory role: naming one lets nobody through.
    await t.control('PUT', '/_control/photo-policy', { allowedRoles: ['HeadshotAdmin'] });
    const pattiFirst = await t.userToken(DEMO_USERS.patti, ['User.ReadWrite']);
    expect(
      (await t.graph(pattiFirst, 'PUT', '/v1.0/me/photo/$value', { bytes: jpeg648, contentType: 'image/jpeg' })).status,
    ).toBe(403);
    await t.control('PUT', '/_control/photo-policy', { allowedRoles: [USER_ADMINISTRATOR_ROLE] });
    const alex = await t.userToken(DEMO_USERS.alex, ['User.ReadWrite']);
    expect(
      (await t.graph(alex, 'PUT', '/v1.0/me/photo/$value', { bytes: jpeg648, contentType: 'image/jpeg' })).status,
    ).toBe(403);
    const patti = await t.userToken(DEMO_USERS.patti, ['User.ReadWrite']);
    expect(
      (await t.graph(patti, 'PUT', '/v1.0/me/photo/$value', { bytes: jpeg648, contentType: 'image/jpeg' })).status,
    ).toBe(200);
  });
});
