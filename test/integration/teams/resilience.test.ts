/**
 * Faults and races: restarts, throttling, double clicks and expiry, through the
 * real endpoint and the real local tenant.
 */
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { useHarness } from '../../support/headshot';
import { cardActions, cardTexts, type TeamsChat } from '../../support/teams-chat';
import { image } from '../../support/photos';

const h = useHarness();

const PHOTO_PATH = '^/v1\\.0/users/[^/]+/photo/\\$value$';

const photoPuts = async (userId: string) =>
  (
    await h.control<{ value: { status: number }[] }>(
      'GET',
      `/_control/requests?method=PUT&path=${encodeURIComponent(`/users/${userId}/photo/`)}`,
    )
  ).value.map((r) => r.status);

async function preview(chat: TeamsChat) {
  await chat.sendFile(image('exif-orientation-examples/Portrait_1.jpg'), 'me.jpg');
  const [card] = await chat.newCards();
  const requestId = cardActions(card.card).find((a) => a.verb === 'photo.confirm')?.data?.requestId as string;
  expect(requestId).toBeDefined();
  return { activity: card.activity, requestId };
}

/** What the person sees change: new messages, and cards the bot's answers put in place of the clicked ones. */
const allTexts = async (chat: TeamsChat) => {
  const cards = [...(await chat.newCards()), ...chat.newAnswers()];
  cards.forEach((c) => expectValidCard(c.card));
  return cards.flatMap((c) => cardTexts(c.card)).join('\n');
};

test('a restart between preview and confirm loses nothing: confirm still works', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const p = await preview(chat);
  await h.restart();
  await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  expect(await allTexts(chat)).toContain(t('en', 'cards.applied.title'));
  expect(await photoPuts(DEMO_USERS.alex)).toEqual([200]);
});

test('a Graph 429 with Retry-After is retried after the wait, and the photo is written exactly once', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const p = await preview(chat);
  await h.control('POST', '/_control/faults', {
    method: 'PUT',
    path: PHOTO_PATH,
    status: 429,
    retryAfterSeconds: 1,
    times: 1,
  });
  const started = Date.now();
  await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  expect(await allTexts(chat)).toContain(t('en', 'cards.applied.title'));
  expect(await photoPuts(DEMO_USERS.alex)).toEqual([429, 200]);
});

test('Microsoft 365 busy for longer than the retries: the user is told in plain words, can try again, and it then works', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  const p = await preview(chat);
  await h.control('POST', '/_control/faults', {
    method: 'PUT',
    path: PHOTO_PATH,
    status: 503,
    retryAfterSeconds: 0,
    times: 10,
  });
  await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  const cards = await chat.newCards();
  const busy = cards.find((c) => cardActions(c.card).some((a) => a.verb === 'photo.confirm'));
  expect(busy).toBeDefined();
  expectValidCard(busy?.card);
  expect(cardTexts(busy?.card).join('\n')).toContain(
    t('fi', 'errors.m365.unavailable', { retryAfterSeconds: 30 }).slice(0, 20),
  );
  expect((await photoPuts(DEMO_USERS.megan)).every((s) => s === 503)).toBe(true);

  await h.control('DELETE', '/_control/faults');
  await chat.execute(busy?.activity ?? p.activity, 'photo.confirm', { requestId: p.requestId });
  expect(await allTexts(chat)).toContain(t('fi', 'cards.applied.title'));
  expect((await photoPuts(DEMO_USERS.megan)).filter((s) => s === 200)).toHaveLength(1);
});

test('a double click on confirm writes the photo once; the second click is told it is already done', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
  const p = await preview(chat);
  // Slow Graph down so both clicks are in flight together.
  await h.control('POST', '/_control/faults', { method: 'PUT', path: PHOTO_PATH, latencyMs: 500, times: 5 });
  await Promise.all([
    chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId }),
    chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId }),
  ]);
  const texts = await allTexts(chat);
  expect(texts).toContain(t('nl', 'cards.applied.title'));
  expect(texts).toMatch(
    new RegExp(
      [t('nl', 'errors.request.in_progress'), t('nl', 'errors.request.already_applied')]
        .map((s) => s.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
    ),
  );
  expect(await photoPuts(DEMO_USERS.adele)).toEqual([200]);
});

test('a confirm after the preview expired is refused, and a new photo starts over', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'pl-PL' });
  const p = await preview(chat);
  h.clock.advance(25 * 3600 * 1000);
  await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  expect(await allTexts(chat)).toContain(t('pl', 'errors.request.expired', { hours: 24 }));
  expect(await photoPuts(DEMO_USERS.isaiah)).toEqual([]);

  const again = await preview(chat);
  await chat.execute(again.activity, 'photo.confirm', { requestId: again.requestId });
  expect(await allTexts(chat)).toContain(t('pl', 'cards.applied.title'));
});

test('a new photo supersedes the open preview: the old preview can no longer be confirmed', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const first = await preview(chat);
  const second = await preview(chat);
  await chat.execute(first.activity, 'photo.confirm', { requestId: first.requestId });
  expect(await allTexts(chat)).toContain(t('en', 'errors.request.closed', { state: 'superseded' }).slice(0, 20));
  await chat.execute(second.activity, 'photo.confirm', { requestId: second.requestId });
  expect(await allTexts(chat)).toContain(t('en', 'cards.applied.title'));
  expect(await photoPuts(DEMO_USERS.alex)).toEqual([200]);
});

test('the logs of a whole flow hold no tokens and no photo bytes', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  await chat.say('update my photo');
  const [howTo] = await chat.newCards();
  const link = cardActions(howTo.card).find((a) => a.type === 'Action.OpenUrl')?.url as string;
  const ticket = link.split('#ticket=')[1];
  const p = await preview(chat);
  await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId });
  const logs = h.logLines.join('');
  expect(logs.length).toBeGreaterThan(0);
  expect(logs).not.toContain(ticket);
  expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/); // no JWT of any kind
  expect(logs).not.toContain('/9j/'); // base64 JPEG
  expect(logs).not.toMatch(/Bearer\s+\S{20,}/);
});
