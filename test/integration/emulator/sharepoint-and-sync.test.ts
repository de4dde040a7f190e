/**
 * The local tenant's SharePoint Online (user profiles, the profile pictures library,
 * userphoto.aspx) and how photos move between stores: AD thumbnails and directory sync,
 * legacy SharePoint's 24-hour copy on profile view, Teams caches, photo throttling.
 */
import { useLegacySharePoint } from '../../support/status-reports';
import sharp from 'sharp';
import { DEMO_APP, DEMO_USERS } from '../../../emulator';
import { call, squareJpeg, TenantClient } from '../../support/local-tenant';

let t: TenantClient;
let sp: string;
let jpeg: Buffer;

/** A token from the demo app's client secret (SharePoint refuses these for app-only calls). */
const secretToken = async (scope: string): Promise<string> => {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: DEMO_APP.clientId,
    client_secret: DEMO_APP.clientSecret,
    scope,
  });
  const a = await call(`${t.url}/${t.tenant.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  return a.json.access_token as string;
};
const spToken = (scope: string): Promise<string> => t.certificateToken(scope);
const props = (accept: string, upn: string, token = sp) =>
  call(
    `${t.url}/sp/_api/SP.UserProfiles.PeopleManager/GetPropertiesFor(accountName=@v)?@v=${encodeURIComponent(`'i:0#.f|membership|${upn}'`)}`,
    {
      headers: { Authorization: `Bearer ${token}`, Accept: accept },
    },
  );
const state = async (id: string) => (await t.control('GET', `/_control/users/${id}/photo-state`)).json;

beforeAll(async () => {
  t = await TenantClient.start();
  sp = await spToken('https://example.sharepoint.com/.default');
  jpeg = await squareJpeg(648);
});
afterAll(() => t.close());
// These tests are about SharePoint's REST surface and the legacy copy; the demo organisation's own SharePoint is modern.
beforeEach(async () => {
  await t.control('POST', '/_control/reset');
  await useLegacySharePoint(t);
});

describe('SharePoint REST', () => {
  test('GetPropertiesFor in verbose and nometadata JSON, with the picture properties of a synced profile', async () => {
    const verbose = await props('application/json;odata=verbose', 'meganb@example.com');
    expect(verbose.status).toBe(200);
    expect(verbose.json.d.__metadata.type).toBe('SP.UserProfiles.PersonProperties');
    const kv = new Map(
      (verbose.json.d.UserProfileProperties.results as Array<{ Key: string; Value: string }>).map((p) => [
        p.Key,
        p.Value,
      ]),
    );
    expect(kv.get('PictureURL')).toBe(`${t.url}/sp/User%20Photos/Profile%20Pictures/meganb_example_com_MThumb.jpg`);
    expect([kv.get('SPS-PicturePlaceholderState'), kv.get('SPS-PictureExchangeSyncState')]).toEqual(['0', '1']);
    expect(Number(kv.get('SPS-PictureTimestamp'))).toBeGreaterThan(0);

    const plain = await props('application/json;odata=nometadata', 'alexw@example.com');
    expect(plain.json).toMatchObject({ AccountName: 'i:0#.f|membership|alexw@example.com', PictureUrl: null });
    expect(plain.json.UserProfileProperties).toEqual(
      expect.arrayContaining([{ Key: 'SPS-PicturePlaceholderState', Value: '1', ValueType: 'Edm.String' }]),
    );
    expect((await props('application/json;odata=nometadata', 'nobody@example.com')).json).toEqual({
      'odata.null': true,
    });
  });

  test('tokens: SharePoint audiences only; reading needs a read role, writing a write role', async () => {
    expect((await props('application/json', 'alexw@example.com', 'not-a-token')).status).toBe(401);
    expect((await props('application/json', 'alexw@example.com', await t.appToken())).status).toBe(401); // a Graph token
    // SharePoint Online: "Unsupported app only token." for an app-only token from a client secret.
    const fromSecret = await props(
      'application/json',
      'alexw@example.com',
      await secretToken('https://example-my.sharepoint.com/.default'),
    );
    expect(fromSecret.status).toBe(401);
    expect(fromSecret.json.error_description).toBe('Unsupported app only token.');
    const readOnly = (
      await t.control('POST', '/_control/tokens/app', {
        roles: ['Sites.Read.All'],
        audience: 'https://example-my.sharepoint.com',
        credential: 'certificate',
      })
    ).json.access_token as string;
    expect((await props('application/json', 'alexw@example.com', readOnly)).status).toBe(200);
    const write = await call(`${t.url}/sp/_api/SP.UserProfiles.PeopleManager/SetSingleValueProfileProperty`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${readOnly}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        accountName: 'i:0#.f|membership|alexw@example.com',
        propertyName: 'PictureURL',
        propertyValue: 'x',
      }),
    });
    expect(write.status).toBe(403);
    expect(write.json['odata.error'].message.value).toMatch(/Access denied/);
  });

  test('upload to User Photos/Profile Pictures, download with $value, set the profile properties', async () => {
    const folder = encodeURIComponent('/sp/User Photos/Profile Pictures');
    const add = (overwrite: boolean) =>
      call(
        `${t.url}/sp/_api/web/GetFolderByServerRelativeUrl('${folder}')/Files/add(url='alexw_example_com_MThumb.jpg',overwrite=${overwrite})`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${sp}`, 'Content-Type': 'application/octet-stream' },
          body: jpeg,
        },
      );
    const added = await add(true);
    expect(added.json).toMatchObject({
      Name: 'alexw_example_com_MThumb.jpg',
      ServerRelativeUrl: '/sp/User Photos/Profile Pictures/alexw_example_com_MThumb.jpg',
      Length: String(jpeg.length),
    });
    expect((await add(false)).status).toBe(400);
    const back = await call(
      `${t.url}/sp/_api/web/GetFileByServerRelativeUrl('${encodeURIComponent('/sp/User Photos/Profile Pictures/alexw_example_com_MThumb.jpg')}')/$value`,
      { headers: { Authorization: `Bearer ${sp}` } },
    );
    expect(back.bytes.equals(jpeg)).toBe(true);

    const set = (propertyName: string, propertyValue: string) =>
      call(`${t.url}/sp/_api/SP.UserProfiles.PeopleManager/SetSingleValueProfileProperty`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${sp}`,
          'Content-Type': 'application/json',
          Accept: 'application/json;odata=nometadata',
        },
        body: JSON.stringify({ accountName: 'i:0#.f|membership|alexw@example.com', propertyName, propertyValue }),
      });
    expect(
      (await set('PictureURL', `${t.url}/sp/User%20Photos/Profile%20Pictures/alexw_example_com_MThumb.jpg`)).json,
    ).toEqual({ 'odata.null': true });
    expect((await set('SPS-PicturePlaceholderState', '0')).status).toBe(200);
    expect((await set('SPS-NoSuchProperty', '1')).status).toBe(400);
    // SharePoint now shows the uploaded picture (the M file stands in for S here: the test uploaded only M).
    const shown = await call(`${t.url}/sp/_layouts/15/userphoto.aspx?size=M&accountname=alexw@example.com`, {
      headers: { Authorization: `Bearer ${sp}` },
    });
    expect(shown.bytes.equals(jpeg)).toBe(true);
  });
});

describe('how photos move', () => {
  test("legacy SharePoint copies Exchange's photo into 48/72/200 px thumbnails at most once per 24 h, on profile view", async () => {
    expect(
      (
        await t.graph(await t.appToken(), 'PUT', `/v1.0/users/${DEMO_USERS.megan}/photo/$value`, {
          bytes: jpeg,
          contentType: 'image/jpeg',
        })
      ).status,
    ).toBe(200);
    const before = await state(DEMO_USERS.megan);
    expect(before.sharePoint.files[0].sourceEtag).not.toBe(before.exchange.etag);
    expect((await t.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.megan}`)).json).toMatchObject({
      result: 'too_soon',
    });
    await t.control('POST', '/_control/clock/advance', { seconds: 24 * 3600 });
    expect((await t.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.megan}`)).json).toMatchObject({
      result: 'synced',
    });
    const after = await state(DEMO_USERS.megan);
    expect(after.sharePoint.files.map((f: { sourceEtag: string }) => f.sourceEtag)).toEqual([
      after.exchange.etag,
      after.exchange.etag,
      after.exchange.etag,
    ]);
    const token = await spToken('https://example.sharepoint.com/.default');
    for (const [size, side] of [
      ['S', 48],
      ['M', 72],
      ['L', 200],
    ] as const) {
      const shown = await call(`${t.url}/sp/_layouts/15/userphoto.aspx?size=${size}&accountname=meganb@example.com`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect((await sharp(shown.bytes).metadata()).width).toBe(side);
    }
  });

  test('a modern tenant shows the Graph photo; guests and mailbox-less users never get a copy from Exchange', async () => {
    await t.control('PUT', '/_control/sharepoint/pictures', { pictures: 'modern' });
    await t.graph(await t.appToken(), 'PUT', `/v1.0/users/${DEMO_USERS.alex}/photo/$value`, {
      bytes: jpeg,
      contentType: 'image/jpeg',
    });
    const shown = await call(`${t.url}/sp/_layouts/15/userphoto.aspx?size=S&accountname=alexw@example.com`, {
      headers: { Authorization: `Bearer ${sp}` },
    });
    expect((await sharp(shown.bytes).metadata()).width).toBe(48);
    await t.control('PUT', '/_control/sharepoint/pictures', { pictures: 'legacy' });
    expect((await t.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.jordan}`)).json).toEqual({
      result: 'guest',
    });
    expect((await t.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.lynne}`)).json).toEqual({
      result: 'no_mailbox',
    });
  });

  test('Graph writes Exchange and Entra ID for mailbox users, Entra ID only for others; Graph reads Exchange for mailbox users', async () => {
    const app = await t.appToken();
    await t.graph(app, 'PUT', `/v1.0/users/${DEMO_USERS.alex}/photo/$value`, {
      bytes: jpeg,
      contentType: 'image/jpeg',
    });
    await t.graph(app, 'PUT', `/v1.0/users/${DEMO_USERS.lynne}/photo/$value`, {
      bytes: jpeg,
      contentType: 'image/jpeg',
    });
    const alex = await state(DEMO_USERS.alex);
    const lynne = await state(DEMO_USERS.lynne);
    expect([alex.graph.source, alex.exchange?.bytes, alex.entra?.bytes]).toEqual([
      'exchange',
      jpeg.length,
      jpeg.length,
    ]);
    expect([lynne.graph.source, lynne.exchange, lynne.entra?.bytes]).toEqual(['entra', null, jpeg.length]);
  });

  test('AD thumbnails: the seed 9 KB one reached Exchange once; a later one reaches Entra ID only; over 100 KB is refused', async () => {
    const isaiah = await state(DEMO_USERS.isaiah);
    expect(isaiah.ad).toMatchObject({ bytes: 9216, width: 96, exchangeImport: 'imported' });
    expect(isaiah.exchange.bytes).toBe(9216);
    const next = await sharp(jpeg).resize(96, 96).jpeg({ quality: 60 }).toBuffer();
    const put = (body: Buffer, id: string = DEMO_USERS.isaiah) =>
      call(`${t.url}/_control/users/${id}/ad-thumbnail`, { method: 'PUT', body });
    expect((await put(next)).status).toBe(200);
    expect((await t.control('POST', '/_control/directory-sync')).json.value).toEqual([
      { userId: DEMO_USERS.isaiah, entra: 'updated', exchange: 'already_used' },
    ]);
    const after = await state(DEMO_USERS.isaiah);
    expect([after.entra.bytes, after.exchange.bytes]).toEqual([next.length, 9216]);
    expect((await put(Buffer.alloc(100 * 1024 + 1))).status).toBe(413);
    expect((await put(next, DEMO_USERS.alex)).status).toBe(400); // not synced from AD
  });

  test("Entra Connect's schedule: an AD change reaches Entra ID at the next cycle of the virtual clock, every 30 minutes", async () => {
    expect((await t.control('GET', '/_control/directory-sync/schedule')).json).toEqual({ everyMinutes: 30 });
    await state(DEMO_USERS.isaiah); // a request after the reset: the schedule's first cycle is now
    const next = await sharp(jpeg).resize(96, 96).jpeg({ quality: 60 }).toBuffer();
    await t.control('POST', '/_control/clock/advance', { seconds: 10 * 60 });
    expect(
      (await call(`${t.url}/_control/users/${DEMO_USERS.isaiah}/ad-thumbnail`, { method: 'PUT', body: next })).status,
    ).toBe(200);
    await t.control('POST', '/_control/clock/advance', { seconds: 19 * 60 });
    expect((await state(DEMO_USERS.isaiah)).ad.syncedAt).toBeNull();
    await t.control('POST', '/_control/clock/advance', { seconds: 2 * 60 });
    const synced = await state(DEMO_USERS.isaiah);
    expect(synced.ad).toMatchObject({ exchangeImport: 'imported' });
    expect(synced.ad.syncedAt).not.toBeNull();
    // Entra ID has the new AD photo; Exchange keeps the seed's (its one import is used).
    expect([synced.entra.bytes, synced.exchange.bytes]).toEqual([next.length, 9216]);
    // A change right after a cycle waits for the next; with the schedule off, only an explicit run carries it.
    expect((await t.control('PUT', '/_control/directory-sync/schedule', { everyMinutes: null })).json).toEqual({
      everyMinutes: null,
    });
    const third = await sharp(jpeg).resize(96, 96).jpeg({ quality: 40 }).toBuffer();
    await call(`${t.url}/_control/users/${DEMO_USERS.isaiah}/ad-thumbnail`, { method: 'PUT', body: third });
    await t.control('POST', '/_control/clock/advance', { seconds: 3600 });
    expect((await state(DEMO_USERS.isaiah)).entra.bytes).toBe(next.length);
    expect((await t.control('PUT', '/_control/directory-sync/schedule', { everyMinutes: 0 })).status).toBe(400);
  });

  test('Teams shows what it cached until its cache is due or the user signs in again', async () => {
    const before = (await state(DEMO_USERS.megan)).teams.photo.etag;
    await t.graph(await t.appToken(), 'PUT', `/v1.0/users/${DEMO_USERS.megan}/photo/$value`, {
      bytes: jpeg,
      contentType: 'image/jpeg',
    });
    expect((await state(DEMO_USERS.megan)).teams.photo.etag).toBe(before);
    await t.control('POST', '/_control/clock/advance', { seconds: 3 * 24 * 3600 });
    expect((await state(DEMO_USERS.megan)).teams.photo.etag).not.toBe(before);
  });

  test('optional throttling of photo endpoints: 429 with Retry-After per app, other endpoints untouched, off after reset', async () => {
    await t.control('PUT', '/_control/throttling', { photoRequestsPerSecond: 2 });
    const app = await t.appToken();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}/photo`)),
    );
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(3);
    expect(throttled[0]?.json.error.code).toBe('ApplicationThrottled');
    expect(Number(throttled[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.graph(app, 'GET', `/v1.0/users/${DEMO_USERS.megan}`)).status).toBe(200);
    await t.control('POST', '/_control/reset');
    expect((await t.control('GET', '/_control/throttling')).json).toEqual({
      photoRequestsPerSecond: null,
      throttled: 0,
    });
  });
});
