/**
 * Photo status and Exchange Online, through the real bot endpoint and the real local tenant:
 * a hybrid user whose 40 KB AD photo never reaches Exchange (the 10 KB rule and the one-time
 * sync), a guest, an on-premises mailbox and the AD-ready photo download.
 */
import sharp from 'sharp';
import { DEMO_USERS, demoSeed } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { useHarness } from '../../support/headshot';
import { image } from '../../support/photos';
import { cardActions, cardTexts } from '../../support/teams-chat';
import { askStatus, photoState, putGraphPhoto, syncClocks, verbsOf } from '../../support/status-reports';

const h = useHarness({}, {}, async (h) => {
  await syncClocks(h);
});

test('a hybrid user whose 40 KB AD photo never reaches Exchange: status says why, and a photo sent through Headshot fixes it', async () => {
  // Isaiah's thumbnailPhoto in AD is 40 KB: directory sync takes it to Entra ID, Exchange Online refuses it (over 10 KB).
  const seed = demoSeed();
  const isaiah = seed.users.find((u) => u.id === DEMO_USERS.isaiah);
  if (!isaiah) throw new Error('no Isaiah in the demo seed');
  isaiah.onPremisesThumbnailPhoto = { bytes: 40 * 1024 };
  await h.control('POST', '/_control/seed', seed);
  const held = await photoState(h, DEMO_USERS.isaiah);
  expect(held.ad).toMatchObject({ bytes: 40 * 1024, exchangeImport: 'rejected_too_large' });
  expect(held.entra?.bytes).toBe(40 * 1024);
  expect(held.exchange).toBeNull();

  const chat = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'pl-PL' });
  const before = await askStatus(chat, 'pl');
  expect(before.rows.exchange.state).toBe('missing');
  expect(before.rows.exchange.text).toContain(t('pl', 'status.reason.hybrid_one_time_sync'));
  expect(before.rows.exchange.text).toContain('10 KB');
  // Entra ID's copy comes from AD and no API reads it separately: said, not guessed.
  expect(before.rows.entra.state).toBe('unknown');
  expect(before.rows.entra.text).toContain(t('pl', 'status.reason.hybrid_ad_source'));
  expect(verbsOf(before.card)).toContain('photo.start');

  // The fix: a photo through Headshot goes straight to Exchange Online.
  await chat.execute(before.activity, 'photo.start', {});
  await chat.newCards();
  expect(await chat.sendFile(image('exif-orientation-examples/Portrait_1.jpg'), 'me.jpg')).toBe(200);
  const [preview] = await chat.newCards();
  const confirm = cardActions(preview.card).find((a) => a.verb === 'photo.confirm');
  await chat.press(preview.activity, confirm!);
  await chat.newCards();

  const after = await photoState(h, DEMO_USERS.isaiah);
  expect(after.exchange?.width).toBe(648);
  const fixed = await askStatus(chat, 'pl');
  expect(fixed.rows.exchange.state).toBe('in_sync');
  expect(fixed.rows.teams.state).toBe('stale'); // just changed: Teams may show the old one for a while
  expect(fixed.rows.teams.text).toContain(t('pl', 'status.instruction.sign_out_in'));
  // A later AD photo, even a small one, reaches Entra ID only: Exchange's one chance is used up.
  const small = await sharp(image('exif-orientation-examples/Landscape_1.jpg'))
    .resize(96, 96)
    .jpeg({ quality: 70 })
    .toBuffer();
  expect(small.length).toBeLessThanOrEqual(10 * 1024);
  const put = await fetch(`${h.tenant.url}/_control/users/${DEMO_USERS.isaiah}/ad-thumbnail`, {
    method: 'PUT',
    headers: { 'content-type': 'image/jpeg' },
    body: small,
  });
  expect(put.status).toBe(200);
  expect((await h.control<{ value: unknown[] }>('POST', '/_control/directory-sync')).value).toEqual([
    { userId: DEMO_USERS.isaiah, entra: 'updated', exchange: 'already_used' },
  ]);
  const synced = await photoState(h, DEMO_USERS.isaiah);
  expect([synced.entra?.bytes, synced.exchange?.etag]).toEqual([small.length, after.exchange?.etag]);
});

test('a hybrid user can download an AD-ready 96x96 photo under 10 KB for the on-premises admin', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'en-US' });
  const status = await askStatus(chat, 'en');
  expect(status.rows.exchange.state).toBe('in_sync'); // the seed's 9 KB AD photo reached Exchange at the first sync
  expect(status.rows.exchange.text).toContain(t('en', 'status.reason.hybrid_one_time_sync'));
  expect(verbsOf(status.card)).toEqual(expect.arrayContaining(['status.apply_again', 'status.ad_photo']));

  await chat.execute(status.activity, 'status.ad_photo', {});
  const [answer] = await chat.newCards();
  const link = cardActions(answer.card).find((a) => a.type === 'Action.OpenUrl');
  expect(link?.title).toBe(t('en', 'status.ad_photo.download'));
  expect(link?.url).toMatch(new RegExp(`^${h.service.url}/api/status/ad-photo\\?ticket=`));
  const res = await fetch(link?.url as string);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toMatch(/attachment/);
  const jpeg = Buffer.from(await res.arrayBuffer());
  expect(jpeg.length).toBeLessThanOrEqual(10 * 1024);
  expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 96, height: 96 });
  // A link is no good without its signature.
  expect((await fetch(`${h.service.url}/api/status/ad-photo?ticket=forged`)).status).toBe(401);

  // "Apply again" writes the photo Graph holds once more.
  await chat.execute(status.activity, 'status.apply_again', {});
  const texts = (await chat.newCards()).flatMap((c) => cardTexts(c.card));
  expect(texts).toContain(t('en', 'status.done.apply_again'));
  const writes = await h.control<{ value: { status: number }[] }>(
    'GET',
    `/_control/requests?method=PUT&path=${encodeURIComponent(`/users/${DEMO_USERS.isaiah}/photo`)}`,
  );
  expect(writes.value.map((w) => w.status)).toEqual([200]);
});

test('a guest: no mailbox and never in SharePoint; the report says so and asks SharePoint nothing', async () => {
  await h.control('DELETE', '/_control/requests');
  const chat = h.chat({ aadObjectId: DEMO_USERS.jordan, locale: 'nl-NL' });
  const status = await askStatus(chat, 'nl');
  expect(status.rows.exchange.state).toBe('not_applicable');
  expect(status.rows.sharepoint.state).toBe('not_applicable');
  expect(status.rows.sharepoint.text).toContain(t('nl', 'status.reason.guest'));
  expect(status.rows.entra.state).toBe('missing');
  expect((await h.control<{ value: unknown[] }>('GET', '/_control/requests?path=%5E%2Fsp%2F')).value).toEqual([]);
});

test('an on-premises mailbox: Exchange Online is not where the photo lives; the admin instruction and the AD photo are offered', async () => {
  await putGraphPhoto(h, DEMO_USERS.grady, image('exif-orientation-examples/Landscape_2.jpg'));
  const chat = h.chat({ aadObjectId: DEMO_USERS.grady, locale: 'en-US' });
  const status = await askStatus(chat, 'en');
  expect(status.rows.exchange.state).toBe('not_applicable');
  expect(status.rows.exchange.text).toContain(t('en', 'status.reason.mailbox_on_premises'));
  expect(status.rows.exchange.text).toContain(t('en', 'status.instruction.ask_admin_on_prem'));
  expect(status.rows.entra.state).toBe('in_sync');
  expect(verbsOf(status.card)).toContain('status.ad_photo');
});
