/**
 * Photo status and SharePoint, through the real bot endpoint and the real local tenant:
 * the legacy 24-hour copy on profile view, "send my photo to SharePoint now", a modern
 * tenant, a user without a mailbox, and SharePoint failing.
 */
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { startHarness, type Harness } from '../../support/headshot';
import { image } from '../../support/photos';
import {
  advanceClocks,
  askStatus,
  fixedStatus,
  photoState,
  putGraphPhoto,
  syncClocks,
  useLegacySharePoint,
  verbsOf,
} from '../../support/status-reports';

let h: Harness;
const newPhoto = image('exif-orientation-examples/Landscape_1.jpg');

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('POST', '/_control/reset');
  // Most of this file is about legacy SharePoint; the demo organisation's own is modern (see the modern tests).
  await useLegacySharePoint(h);
  await syncClocks(h);
});

test('legacy SharePoint shows the old picture until Megan views her profile after 24 hours', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  const before = await askStatus(chat, 'fi');
  expect(before.rows.sharepoint.state).toBe('in_sync');
  expect(before.rows.exchange.state).toBe('in_sync');

  await putGraphPhoto(h, DEMO_USERS.megan, newPhoto);
  const stale = await askStatus(chat, 'fi');
  expect(stale.rows.exchange.state).toBe('in_sync');
  expect(stale.rows.sharepoint.state).toBe('stale');
  expect(stale.rows.sharepoint.text).toContain(t('fi', 'status.evidence.different_picture'));
  expect(stale.rows.sharepoint.text).toMatch(
    /kerran vuorokaudessa.*\n(.*\n)*→ SharePoint kopioi kuvan uudelleen vasta/,
  );
  expect(verbsOf(stale.card)).toContain('status.fix_sharepoint');

  // Viewing the profile within 24 hours of the last copy changes nothing.
  expect(await h.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.megan}`)).toMatchObject({
    result: 'too_soon',
  });
  expect((await askStatus(chat, 'fi')).rows.sharepoint.state).toBe('stale');

  // A day later, nothing changes by itself either...
  await advanceClocks(h, 25);
  expect((await askStatus(chat, 'fi')).rows.sharepoint.state).toBe('stale');
  // ...until she opens her profile.
  expect(await h.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.megan}`)).toMatchObject({
    result: 'synced',
  });
  const synced = await askStatus(chat, 'fi');
  expect(synced.rows.sharepoint.state).toBe('in_sync');
  expect(synced.rows.sharepoint.text).toContain(t('fi', 'status.evidence.same_picture'));
  expect(verbsOf(synced.card)).not.toContain('status.fix_sharepoint');
});

test('"send my photo to SharePoint now" writes the S/M/L thumbnails and profile properties: in sync at once', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'en-US' });
  await putGraphPhoto(h, DEMO_USERS.megan, newPhoto);
  const stale = await askStatus(chat, 'en');
  expect(stale.rows.sharepoint.state).toBe('stale');

  expect(await chat.execute(stale.activity, 'status.fix_sharepoint', {})).toBe(200);
  const { status, messages } = await fixedStatus(chat, stale.activity, 'en');
  expect(messages.join(' ')).toContain(t('en', 'status.done.fix_sharepoint'));
  expect(status.rows.sharepoint.state).toBe('in_sync');

  const sp = (await photoState(h, DEMO_USERS.megan)).sharePoint;
  expect(sp.files.map((f) => f.name).sort()).toEqual([
    'meganb_example_com_LThumb.jpg',
    'meganb_example_com_MThumb.jpg',
    'meganb_example_com_SThumb.jpg',
  ]);
  expect(sp.files.every((f) => f.sourceEtag === null)).toBe(true); // written through REST by Headshot, not copied by SharePoint
  expect(sp.properties).toMatchObject({
    'SPS-PicturePlaceholderState': '0',
    PictureURL: expect.stringMatching(/\/sp\/User%20Photos\/Profile%20Pictures\/meganb_example_com_MThumb\.jpg$/),
  });
  expect(Number(sp.properties?.['SPS-PictureTimestamp'])).toBeGreaterThan(Date.now() / 1000 - 600);
});

test('a user without a mailbox: SharePoint keeps its own upload (sync state 0) and the fix puts the photo there', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.lynne, locale: 'fi-FI' });
  await putGraphPhoto(h, DEMO_USERS.lynne, newPhoto);
  const state = await photoState(h, DEMO_USERS.lynne);
  expect([state.graph.source, state.exchange, state.entra?.bytes]).toEqual(['entra', null, newPhoto.byteLength]);

  const status = await askStatus(chat, 'fi');
  expect(status.rows.entra.state).toBe('in_sync');
  expect(status.rows.exchange.state).toBe('not_applicable');
  expect(status.rows.exchange.text).toContain(t('fi', 'status.reason.no_mailbox'));
  expect(status.rows.sharepoint.state).toBe('placeholder');
  expect(status.rows.sharepoint.text).toContain(t('fi', 'status.reason.sharepoint_own_upload'));

  // Viewing her profile cannot help: there is no Exchange to copy from.
  expect(await h.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.lynne}`)).toMatchObject({
    result: 'no_mailbox',
  });
  await chat.execute(status.activity, 'status.fix_sharepoint', {});
  const { status: fixed } = await fixedStatus(chat, status.activity, 'fi');
  expect(fixed.rows.sharepoint.state).toBe('in_sync');
  expect((await photoState(h, DEMO_USERS.lynne)).sharePoint.properties).toMatchObject({
    'SPS-PictureExchangeSyncState': '0',
    'SPS-PicturePlaceholderState': '0',
  });
});

test('a modern tenant: SharePoint shows the Graph photo at once, and no SharePoint fix is offered', async () => {
  await h.control('PUT', '/_control/sharepoint/pictures', { pictures: 'modern' });
  const chat = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
  await putGraphPhoto(h, DEMO_USERS.adele, newPhoto);
  // The service judges the experience from what SharePoint serves (SHAREPOINT_PICTURES=auto): the same picture.
  const status = await askStatus(chat, 'nl');
  expect(status.rows.sharepoint.state).toBe('in_sync');
  expect(status.rows.sharepoint.text).toContain(t('nl', 'status.reason.sharepoint_modern'));
  expect(verbsOf(status.card)).not.toContain('status.fix_sharepoint');
});

test.each(['en', 'fi', 'nl', 'pl'] as const)(
  "the demo organisation's own SharePoint is modern, and Headshot tells without being told (%s)",
  async (locale) => {
    await h.control('POST', '/_control/reset');
    await syncClocks(h);
    expect(await h.control('GET', '/_control/sharepoint/pictures')).toEqual({ pictures: 'modern' });
    const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale });
    await putGraphPhoto(h, DEMO_USERS.megan, newPhoto);
    const status = await askStatus(chat, locale);
    expect(status.rows.sharepoint.state).toBe('in_sync');
    expect(status.rows.sharepoint.text).toContain(t(locale, 'status.reason.sharepoint_modern'));
    expect(status.rows.sharepoint.text).not.toContain(t(locale, 'status.reason.sharepoint_legacy_sync_never'));
    expect(verbsOf(status.card)).not.toContain('status.fix_sharepoint');
  },
);

test('SharePoint failing with 503 gives "unknown" for SharePoint and a report for the rest', async () => {
  await h.control('POST', '/_control/faults', { path: '^/sp/', status: 503, retryAfterSeconds: 0, times: 20 });
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'pl-PL' });
  const status = await askStatus(chat, 'pl');
  expect(status.rows.sharepoint.state).toBe('unknown');
  expect(status.rows.sharepoint.text).toContain(t('pl', 'status.reason.service_failed'));
  expect([
    status.rows.entra.state,
    status.rows.exchange.state,
    status.rows.teams.state,
    status.rows.policy.state,
  ]).toEqual(['in_sync', 'in_sync', 'in_sync', 'in_sync']);
});

test("the tab asks GET /api/status with its upload ticket and gets the same report as JSON, in the ticket's language", async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'nl-NL' });
  const { ticket } = await chat.uploadLink('mijn foto bijwerken');
  const res = await fetch(`${h.service.url}/api/status`, { headers: { authorization: `Bearer ${ticket}` } });
  expect(res.status).toBe(200);
  const json = (await res.json()) as { systems: Array<{ system: string; state: string; text: { system: string } }> };
  expect(json.systems.map((s) => s.state)).toEqual(['in_sync', 'in_sync', 'in_sync', 'in_sync', 'in_sync']);
  expect(json.systems[2]?.text.system).toBe(t('nl', 'status.system.sharepoint'));
  expect((await fetch(`${h.service.url}/api/status`)).status).toBe(401);
});

test.each(['en', 'fi', 'nl', 'pl'] as const)(
  'Alex has an Exchange Online mailbox: the SharePoint row never says he has none, before or after "send to SharePoint now" (%s)',
  async (locale) => {
    const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale });
    const noMailbox = t(locale, 'status.reason.sharepoint_own_upload');
    await putGraphPhoto(h, DEMO_USERS.alex, newPhoto);
    const before = await askStatus(chat, locale);
    expect(before.rows.exchange.state).toBe('in_sync');
    expect(before.rows.sharepoint.text).not.toContain(noMailbox);
    // A fresh legacy profile: nothing copied from Exchange yet (sync state 0 on a new profile).
    expect(before.rows.sharepoint.text).toContain(t(locale, 'status.reason.sharepoint_legacy_sync_never'));
    expect(verbsOf(before.card)).toContain('status.fix_sharepoint');
    expect(await chat.execute(before.activity, 'status.fix_sharepoint', {})).toBe(200);
    const { status } = await fixedStatus(chat, before.activity, locale);
    expect(status.rows.sharepoint.state).toBe('in_sync');
    expect(status.rows.sharepoint.text).not.toContain(noMailbox);
  },
);
