/** GraphProfilePhotos through the Graph client against a real local tenant. */
import sharp from 'sharp';
import { DEMO_APP, DEMO_TENANT_ID, DEMO_USERS, startLocalTenant, type LocalTenant } from '../../../emulator';
import { AppError } from '../../../bot/src/core/errors';
import { createGraphClient } from '../../../bot/src/m365/graph-client';
import { GraphProfilePhotos } from '../../../bot/src/m365/graph-profile-photos';
import { LocalClientCredentials } from '../../../bot/src/m365/token-source';

let tenant: LocalTenant;
let photos: GraphProfilePhotos;
beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0 });
  const tokens = new LocalClientCredentials(tenant.url, DEMO_TENANT_ID, DEMO_APP.clientId, DEMO_APP.clientSecret);
  photos = new GraphProfilePhotos(createGraphClient({ baseUrl: tenant.url, tokens, maxRetries: 0 }));
});
afterAll(() => tenant.close());
beforeEach(async () => {
  await fetch(`${tenant.url}/_control/reset`, { method: 'POST' });
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

test('a user without a photo: getMeta and get both say null (ImageNotFound), not an error', async () => {
  expect(await photos.getMeta(DEMO_USERS.alex)).toBeNull();
  expect(await photos.get(DEMO_USERS.alex)).toBeNull();
});

test('a user with a photo: its size and its JPEG bytes', async () => {
  expect(await photos.getMeta(DEMO_USERS.megan)).toMatchObject({ width: 648, height: 648, etag: expect.any(String) });
  const bytes = await photos.get(DEMO_USERS.megan);
  expect(await sharp(Buffer.from(bytes ?? [])).metadata()).toMatchObject({ format: 'jpeg', width: 648, height: 648 });
});

test('put writes a JPEG that get then returns', async () => {
  const jpeg = await sharp({ create: { width: 648, height: 648, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  await photos.put(DEMO_USERS.alex, jpeg);
  expect(await photos.getMeta(DEMO_USERS.alex)).toMatchObject({ width: 648, height: 648 });
  expect(Buffer.from((await photos.get(DEMO_USERS.alex)) ?? [])).toEqual(jpeg);
});

test('a failed byte read keeps its Graph code: an unknown user is user_not_found, not unexpected', async () => {
  expect(await failure(photos.get('11111111-1111-1111-1111-111111111111'))).toMatchObject({
    code: 'm365.user_not_found',
    status: 404,
  });
  expect(await failure(photos.getMeta('11111111-1111-1111-1111-111111111111'))).toMatchObject({
    code: 'm365.user_not_found',
  });
});
