/**
 * Every preview card of a request closes in place once the request is over: a newer photo, confirm, cancel,
 * expiry, undo, and a confirm from the tab. The real bot endpoint, the local tenant's Bot Connector (which counts
 * each message's updates) and the real store.
 */
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { useHarness } from '../../support/headshot';
import { cardActions, cardTexts, type AdaptiveCardJson, type TeamsChat } from '../../support/teams-chat';
import { image } from '../../support/photos';

const h = useHarness();

/** Sends a photo as a Teams file; the preview card's message and request id. */
async function preview(chat: TeamsChat, file = 'exif-orientation-examples/Landscape_1.jpg') {
  expect(await chat.sendFile(image(file), 'me.jpg')).toBe(200);
  const [card] = await chat.newCards();
  const requestId = cardActions(card.card).find((a) => a.verb === 'photo.confirm')?.data?.requestId as string;
  expect(requestId).toEqual(expect.any(String));
  return { activity: card.activity, requestId };
}

/** The message as it stands now: its card and how many times the bot updated it. */
async function now(chat: TeamsChat, id: string): Promise<{ card: AdaptiveCardJson; updates: number }> {
  const message = (await chat.all()).find((a) => a.id === id);
  if (!message) throw new Error(`no message ${id}`);
  return { card: message.attachments?.[0]?.content as AdaptiveCardJson, updates: message.updates ?? 0 };
}

test('a newer photo closes the older preview in place; confirming closes the newest; no card keeps working buttons', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const first = await preview(chat);
  const second = await preview(chat, 'exif-orientation-examples/Landscape_2.jpg');

  const closed = await now(chat, first.activity.id);
  expectValidCard(closed.card);
  expect(cardTexts(closed.card)).toContain(t('en', 'cards.closed.superseded'));
  expect(cardActions(closed.card)).toEqual([]);
  expect(closed.updates).toBe(1);
  expect(cardActions((await now(chat, second.activity.id)).card).length).toBeGreaterThan(0);

  await chat.execute(second.activity, 'photo.confirm', { requestId: second.requestId });
  const applied = await now(chat, second.activity.id);
  expect(cardTexts(applied.card)).toContain(t('en', 'cards.closed.applied'));
  expect(cardActions(applied.card)).toEqual([]);
  // Closed once: by the click's answer (Action.Execute), which the photo service's closing left to it.
  expect(applied.updates).toBe(0);
  // The superseded card is left alone from then on.
  expect((await now(chat, first.activity.id)).updates).toBe(1);
});

test('cancel closes the clicked card once, and says it only there', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  const p = await preview(chat);
  await chat.execute(p.activity, 'photo.cancel', { requestId: p.requestId });
  expect(await chat.newCards()).toEqual([]);
  const closed = await now(chat, p.activity.id);
  expect(cardTexts(closed.card)).toContain(t('fi', 'cards.closed.cancelled'));
  expect(closed.updates).toBe(0);
  expect(chat.newAnswers()).toHaveLength(1);
});

test('a preview card sent before the buttons became Action.Execute still works: its Submit closes it in place, once', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  const p = await preview(chat);
  // What the old card's "Cancel" sent: a message carrying the verb.
  expect(await chat.click(p.activity, { verb: 'photo.cancel', requestId: p.requestId })).toBe(200);
  expect(await chat.newCards()).toEqual([]);
  const closed = await now(chat, p.activity.id);
  expect(cardTexts(closed.card)).toContain(t('fi', 'cards.closed.cancelled'));
  expect(closed.updates).toBe(1);
});

test('"cancel" typed in the chat closes the open preview card too', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
  const p = await preview(chat);
  await chat.say('annuleren');
  const closed = await now(chat, p.activity.id);
  expect(cardTexts(closed.card)).toContain(t('nl', 'cards.closed.cancelled'));
  expect(cardActions(closed.card)).toEqual([]);
});

test('after Undo the applied preview no longer says it is the profile photo', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'pl-PL' });
  const p = await preview(chat);
  await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  const [appliedCard] = (await chat.newCards()).filter((c) =>
    cardTexts(c.card).includes(t('pl', 'cards.applied.title')),
  );
  const undo = cardActions(appliedCard.card).find((a) => a.title === t('pl', 'cards.applied.undo'));
  expect(undo).toBeDefined();
  const answer = await chat.invoke(appliedCard.activity, 'photo.undo', undo?.data ?? {});
  expect(answer.body.statusCode).toBe(200);

  const closed = await now(chat, p.activity.id);
  expectValidCard(closed.card);
  expect(cardTexts(closed.card)).toContain(t('pl', 'cards.closed.undone'));
  expect(cardTexts(closed.card)).not.toContain(t('pl', 'cards.closed.applied'));
  // Applied: the click's answer; undone: an update from the photo service.
  expect(closed.updates).toBe(1);
});

test('an expired preview closes in place, with no second message saying so', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.grady, locale: 'en-US' });
  const p = await preview(chat);
  h.clock.advance(25 * 3600 * 1000);
  await h.service.tick();
  const closed = await now(chat, p.activity.id);
  expect(cardTexts(closed.card)).toContain(t('en', 'cards.closed.expired'));
  expect(cardActions(closed.card)).toEqual([]);
  expect(await chat.newCards()).toEqual([]);
});

test('a preview the upload page sent to the chat closes when a newer photo arrives in the chat', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.lynne, locale: 'en-US' });
  const { ticket } = await chat.uploadLink('update my photo');
  const res = await fetch(`${h.service.url}/api/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ticket}`, 'content-type': 'application/octet-stream' },
    body: Buffer.from(image('exif-orientation-examples/Landscape_3.jpg')),
  });
  expect(res.status).toBe(200);
  const [fromPage] = await chat.newCards();
  expect(cardTexts(fromPage.card)).toContain(t('en', 'cards.common.use_this_photo'));

  await preview(chat);
  const closed = await now(chat, fromPage.activity.id);
  expect(cardTexts(closed.card)).toContain(t('en', 'cards.closed.superseded'));
  expect(cardActions(closed.card)).toEqual([]);
});
