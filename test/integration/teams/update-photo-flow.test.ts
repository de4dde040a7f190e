/**
 * "Update my photo" end to end: the real bot endpoint over HTTP, the real local
 * tenant over HTTP (Graph, Bot Connector, file hosting), real sharp, real SQLite.
 */
import sharp from 'sharp';
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import type { Locale } from '../../../bot/src/core/locale';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { useHarness } from '../../support/headshot';
import { cardActions, cardTexts, type AdaptiveCardJson, type TeamsChat } from '../../support/teams-chat';
import { image } from '../../support/photos';

const h = useHarness();

interface PhotoInfo {
  hasPhoto: boolean;
  width?: number;
  height?: number;
  contentType?: string;
}

const photoInfo = (userId: string) => h.control<PhotoInfo>('GET', `/_control/users/${userId}/photo-info`);
const photoWrites = async (userId: string) =>
  (
    await h.control<{ value: { method: string; path: string; status: number }[] }>(
      'GET',
      `/_control/requests?method=PUT&path=${encodeURIComponent(`/users/${userId}/photo`)}`,
    )
  ).value;

/** Sends `bytes` as a Teams file and returns the preview card the bot answered with. */
async function sendPhotoAndGetPreview(chat: TeamsChat, bytes: Uint8Array, name = 'me.jpg') {
  expect(await chat.sendFile(bytes, name)).toBe(200);
  const cards = await chat.newCards();
  expect(cards).toHaveLength(1);
  const [{ activity, card }] = cards;
  expectValidCard(card);
  const confirm = cardActions(card).find((a) => a.verb === 'photo.confirm');
  expect(confirm?.data?.requestId).toEqual(expect.any(String));
  return { activity, card, requestId: confirm?.data?.requestId as string };
}

const people: { locale: Locale; tag: string; userId: string; phrase: string }[] = [
  { locale: 'en', tag: 'en-US', userId: DEMO_USERS.alex, phrase: 'update my photo' },
  { locale: 'fi', tag: 'fi-FI', userId: DEMO_USERS.megan, phrase: 'päivitä kuvani' },
  { locale: 'nl', tag: 'nl-NL', userId: DEMO_USERS.adele, phrase: 'mijn foto bijwerken' },
  { locale: 'pl', tag: 'pl-PL', userId: DEMO_USERS.isaiah, phrase: 'zmień moje zdjęcie' },
];

test('one welcome for an install (installationUpdate and conversationUpdate), and another when the chat is opened again', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.grady, locale: 'en-US' });
  expect(await chat.install()).toBe(200);
  expect(await chat.join()).toBe(200);
  const first = await chat.newCards();
  expect(first.map((c) => cardTexts(c.card)[0])).toEqual([t('en', 'cards.welcome.title')]);
  // The Agents Playground reopening the same conversation sends conversationUpdate again: a new visit.
  expect(await chat.join()).toBe(200);
  const again = await chat.newCards();
  expect(again.map((c) => cardTexts(c.card)[0])).toEqual([t('en', 'cards.welcome.title')]);
});

test.each([
  ['en-US', 'en', 'Hi!'],
  ['fi-FI', 'fi', 'moi'],
  ['nl-NL', 'nl', 'Hallo'],
  ['pl-PL', 'pl', 'Cześć'],
] as const)('a greeting (%s) gets the welcome, not "I didn\'t understand"', async (tag, locale, greeting) => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.lynne, locale: tag });
  expect(await chat.say(greeting)).toBe(200);
  const cards = await chat.newCards();
  expect(cards.map((c) => cardTexts(c.card)[0])).toEqual([t(locale, 'cards.welcome.title')]);
  expectValidCard(cards[0]!.card);
});

describe.each(people)('the whole flow in $locale', ({ locale, tag, userId, phrase }) => {
  test('install, ask, send a photo, preview, confirm: the photo is written once, every card in the language', async () => {
    const chat = h.chat({ aadObjectId: userId, locale: tag });
    const before = await photoInfo(userId);

    expect(await chat.install()).toBe(200);
    const [welcome] = await chat.newCards();
    expectValidCard(welcome.card);
    expect(cardTexts(welcome.card)).toContain(t(locale, 'cards.welcome.title'));

    expect(await chat.say(phrase)).toBe(200);
    const [howTo] = await chat.newCards();
    expectValidCard(howTo.card);
    expect(cardTexts(howTo.card)).toContain(t(locale, 'cards.how_to.title'));
    const upload = cardActions(howTo.card).find((a) => a.type === 'Action.OpenUrl');
    expect(upload?.url).toMatch(new RegExp(`^${h.service.url}/upload#ticket=`));

    const { card, requestId } = await sendPhotoAndGetPreview(chat, image('exif-orientation-examples/Portrait_6.jpg'));
    expect(cardTexts(card)).toContain(t(locale, 'cards.common.use_this_photo'));
    const preview =
      (card.body as unknown[]).length > 0
        ? JSON.stringify(card).match(/data:image\/jpeg;base64,([A-Za-z0-9+/=]+)/)
        : null;
    expect(preview).not.toBeNull();
    const previewMeta = await sharp(Buffer.from((preview as RegExpMatchArray)[1], 'base64')).metadata();
    expect([previewMeta.width, previewMeta.height, previewMeta.format]).toEqual([96, 96, 'jpeg']);
    expect(JSON.stringify(card).length).toBeLessThan(28 * 1024);
    expect(await photoInfo(userId)).toEqual(before); // a preview changes nothing in Microsoft 365

    const [previewActivity] = (await chat.all()).filter((a) => JSON.stringify(a).includes(requestId));
    expect(await chat.execute(previewActivity, 'photo.confirm', { requestId })).toBe(200);
    const after = await chat.newCards();
    const applied = after.find((c) => cardTexts(c.card).includes(t(locale, 'cards.applied.title')));
    expect(applied).toBeDefined();
    expectValidCard(applied?.card);

    const info = await photoInfo(userId);
    expect(info).toMatchObject({ hasPhoto: true, width: 648, height: 648, contentType: 'image/jpeg' });
    expect((await photoWrites(userId)).filter((w) => w.status === 200)).toHaveLength(1);

    // The preview card was replaced in place: its buttons are gone.
    const replaced = (await chat.all()).find((a) => a.id === previewActivity.id);
    const replacedCard = replaced?.attachments?.[0]?.content;
    expectValidCard(replacedCard);
    expect(cardActions(replacedCard).filter((a) => a.verb === 'photo.confirm')).toHaveLength(0);
  });
});

test('a photo pasted inline (image/*, contentUrl) works like a file', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const res = await fetch(`${h.tenant.url}/_control/files?name=inline.png`, {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: Buffer.from(await sharp(image('exif-orientation-examples/Landscape_1.jpg')).png().toBuffer()),
  });
  const file = (await res.json()) as { contentUrl: string };
  expect(
    await chat.sendAttachments([{ contentType: 'image/png', contentUrl: file.contentUrl, name: 'image.png' }]),
  ).toBe(200);
  const [preview] = await chat.newCards();
  expectValidCard(preview.card);
  expect(cardActions(preview.card).map((a) => a.verb)).toEqual(
    expect.arrayContaining(['photo.confirm', 'photo.choose_another', 'photo.cancel']),
  );
});

test('the upload page posts a photo; the preview arrives in the chat and confirm works there', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
  const { link, ticket } = await chat.uploadLink('mijn foto bijwerken');

  const page = await fetch(link.split('#')[0]);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain('frame-ancestors');
  expect(await page.text()).toContain('/tab/upload.js');

  const res = await fetch(`${h.service.url}/api/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ticket}`, 'content-type': 'application/octet-stream' },
    body: Buffer.from(image('exif-orientation-examples/Landscape_3.jpg')),
  });
  const answer = (await res.json()) as {
    requestId: string;
    deliveredToChat: boolean;
    message: string;
    preview: string;
  };
  expect([res.status, answer]).toMatchObject([200, { deliveredToChat: true }]);
  expect(answer.message).toBe(t('nl', 'upload.sent_to_chat'));
  expect(answer.preview).toMatch(/^data:image\/jpeg;base64,/);

  const [preview] = await chat.newCards();
  expectValidCard(preview.card);
  expect(cardTexts(preview.card)).toContain(t('nl', 'cards.common.use_this_photo'));
  await chat.execute(preview.activity, 'photo.confirm', { requestId: answer.requestId });
  expect((await photoInfo(DEMO_USERS.adele)).hasPhoto).toBe(true);
});

test('choose another and cancel close the preview and write nothing', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const first = await sendPhotoAndGetPreview(chat, image('exif-orientation-examples/Landscape_1.jpg'));
  await chat.execute(first.activity, 'photo.choose_another', { requestId: first.requestId });
  const [howTo] = await chat.newCards();
  expect(cardTexts(howTo.card)).toContain(t('en', 'cards.how_to.title'));

  const second = await sendPhotoAndGetPreview(chat, image('exif-orientation-examples/Landscape_2.jpg'));
  await chat.execute(second.activity, 'photo.cancel', { requestId: second.requestId });
  // Said once: the preview turns into the closed card that says so, and no second card repeats it.
  expect(await chat.newCards()).toEqual([]);
  const closed = (await chat.all()).find((a) => a.id === second.activity.id);
  const closedCard = closed?.attachments?.[0]?.content as AdaptiveCardJson;
  expect(cardTexts(closedCard)).toContain(t('en', 'cards.closed.cancelled'));
  expect(cardActions(closedCard)).toEqual([]);

  // Pressing confirm on the cancelled preview (a stale card) changes nothing.
  await chat.execute(second.activity, 'photo.confirm', { requestId: second.requestId });
  // The stale card's answer says why, in its place; nothing new in the chat.
  expect(await chat.newCards()).toEqual([]);
  const refused = chat.newAnswers().at(-1) as { card: AdaptiveCardJson };
  expectValidCard(refused.card);
  expect(cardTexts(refused.card).join(' ')).toContain(t('en', 'errors.request.closed', { state: 'cancelled' }));
  expect((await photoInfo(DEMO_USERS.alex)).hasPhoto).toBe(false);
  expect(await photoWrites(DEMO_USERS.alex)).toHaveLength(0);
});

test('"photo status" tells whether Microsoft 365 has a photo (the full report: test/integration/status)', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  await chat.say('kuvan tila');
  const [status] = await chat.newCards();
  expectValidCard(status.card);
  expect(cardTexts(status.card).join(' ')).toContain(t('fi', 'status.photo_facts', { width: 648, height: 648 }));
});
