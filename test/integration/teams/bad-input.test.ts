/**
 * Bad input through the real endpoint: every case gets a valid, localised card
 * that says what went wrong, and nothing is written to Microsoft 365.
 */
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import type { Locale } from '../../../bot/src/core/locale';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { startHarness, type Harness } from '../../support/headshot';
import { cardActions, cardTexts, fileAttachment, type TeamsChat } from '../../support/teams-chat';
import { image } from '../../support/photos';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ PHOTO_MAX_BYTES: String(2 * 1024 * 1024), DOWNLOAD_TIMEOUT_MS: '1500' });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('POST', '/_control/reset');
});

const writes = async () =>
  (await h.control<{ value: unknown[] }>('GET', `/_control/requests?method=PUT&path=${encodeURIComponent('/photo')}`))
    .value;

/** The one card the bot answered with; checks it is valid and carries the message of `key` in `locale`. */
async function expectErrorCard(chat: TeamsChat, locale: Locale, key: string): Promise<string> {
  // A new message, or the answer to the clicked button in its place.
  const cards = [...(await chat.newCards()), ...chat.newAnswers()];
  expect(cards.length).toBeGreaterThanOrEqual(1);
  for (const c of cards) expectValidCard(c.card);
  const texts = cards.flatMap((c) => cardTexts(c.card)).join('\n');
  // The message is rendered with params, so compare the part before the first placeholder.
  const template = t(locale, key, {});
  const stem = template.split('…')[0].slice(0, 25);
  expect(texts).toContain(stem);
  return texts;
}

const cases: { locale: Locale; tag: string }[] = [
  { locale: 'en', tag: 'en-US' },
  { locale: 'fi', tag: 'fi-FI' },
  { locale: 'nl', tag: 'nl-NL' },
  { locale: 'pl', tag: 'pl-PL' },
];

describe.each(cases)('bad input in $locale', ({ locale, tag }) => {
  const chat = () => h.chat({ aadObjectId: DEMO_USERS.alex, locale: tag });

  test('text the bot does not understand gets "I didn\'t understand" and what it can do, not the update card', async () => {
    const c = chat();
    await c.say('the weather is nice today');
    const cards = await c.newCards();
    expect(cards).toHaveLength(1);
    expectValidCard(cards[0].card);
    const texts = cardTexts(cards[0].card);
    expect(texts[0]).toBe(t(locale, 'cards.help.not_understood'));
    for (const key of ['update', 'status', 'cancel', 'undo']) expect(texts).toContain(t(locale, `cards.help.${key}`));
    // Alex is no admin: no admin commands, and no "how to send a photo" card.
    expect(texts).not.toContain(t(locale, 'cards.help.coverage'));
    expect(texts).not.toContain(t(locale, 'cards.how_to.title'));
  });

  test('"help" lists what the bot can do in the language; an admin also gets the admin commands', async () => {
    const word = { en: 'help', fi: 'apua', nl: 'help', pl: 'pomoc' }[locale];
    const alex = chat();
    await alex.say(word);
    const forAlex = (await alex.newCards()).flatMap((x) => cardTexts(x.card));
    expect(forAlex[0]).toBe(t(locale, 'cards.help.title'));
    expect(forAlex).toContain(t(locale, 'cards.help.status'));
    expect(forAlex).not.toContain(t(locale, 'cards.help.broadcast'));
    const patti = h.chat({ aadObjectId: DEMO_USERS.patti, locale: tag });
    await patti.say(word);
    const forPatti = (await patti.newCards()).flatMap((x) => cardTexts(x.card));
    expect(forPatti).toEqual(
      expect.arrayContaining([t(locale, 'cards.help.coverage'), t(locale, 'cards.help.broadcast')]),
    );
  });

  test('a PDF sent as a file is refused by its bytes, whatever its name', async () => {
    const c = chat();
    await c.sendFile(new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), 'photo.jpg');
    const texts = await expectErrorCard(c, locale, 'errors.photo.unsupported_format');
    expect(texts).toContain('pdf');
  });

  test('an SVG is refused', async () => {
    const c = chat();
    await c.sendFile(image('sharp-fixtures/check.svg'), 'me.svg');
    await expectErrorCard(c, locale, 'errors.photo.unsupported_format');
  });

  test('an empty file is refused', async () => {
    const c = chat();
    await c.sendFile(new Uint8Array(0), 'empty.jpg');
    await expectErrorCard(c, locale, 'errors.photo.empty');
  });

  test('a truncated JPEG is refused', async () => {
    const c = chat();
    await c.sendFile(image('sharp-fixtures/truncated.jpg'), 'cut.jpg');
    await expectErrorCard(c, locale, 'errors.photo.corrupt');
  });
});

test('a file over the size limit is refused before it is decoded', async () => {
  const c = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const big = new Uint8Array(3 * 1024 * 1024);
  big.set(image('exif-orientation-examples/Landscape_1.jpg'));
  await c.sendFile(big, 'big.jpg');
  const texts = await expectErrorCard(c, 'en', 'errors.download.too_large');
  expect(texts).toContain(t('en', 'errors.download.too_large', { maxMegabytes: 2 }));
});

test('a card or link attachment that is not a file gets "send a photo"', async () => {
  const c = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  await c.sendAttachments([{ contentType: 'application/vnd.microsoft.card.hero', content: { title: 'hi' } }]);
  await expectErrorCard(c, 'en', 'errors.input.not_a_photo');
});

test('a photo too small for a profile picture is refused with its size', async () => {
  const c = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'pl-PL' });
  await c.sendFile(image('pngsuite/png/basn2c08.png'), 'tiny.png');
  const texts = await expectErrorCard(c, 'pl', 'errors.photo.too_small');
  expect(texts).toContain(t('pl', 'errors.photo.too_small', { width: 32, height: 32, minSide: 96 }));
});

describe('download URLs', () => {
  const chat = () => h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });

  test('a download that fails (404) says so', async () => {
    const c = chat();
    await c.sendAttachments([fileAttachment(`${h.tenant.url}/_files/does-not-exist/x.jpg`, 'x.jpg')]);
    await expectErrorCard(c, 'en', 'errors.download.failed');
  });

  test.each([
    ['cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a public host not on the list', 'https://evil.example.com/photo.jpg'],
    ['a private address', 'http://10.1.2.3/photo.jpg'],
    ['a non-http scheme', 'file:///etc/passwd'],
  ])('%s is never fetched', async (_name, url) => {
    const c = chat();
    await c.sendAttachments([fileAttachment(url, 'photo.jpg')]);
    await expectErrorCard(c, 'en', 'errors.download.host_not_allowed');
  });

  test('a redirect from an allowed host to a forbidden one is checked again and refused', async () => {
    const c = chat();
    const to = encodeURIComponent('http://169.254.169.254/latest/meta-data/');
    await c.sendAttachments([fileAttachment(`${h.tenant.url}/_files/redirect?to=${to}`, 'photo.jpg')]);
    await expectErrorCard(c, 'en', 'errors.download.host_not_allowed');
  });

  test('a download that takes too long times out', async () => {
    const c = chat();
    const res = await fetch(`${h.tenant.url}/_control/files?name=slow.jpg`, {
      method: 'POST',
      body: Buffer.from(image('exif-orientation-examples/Landscape_1.jpg')),
    });
    const { id } = (await res.json()) as { id: string };
    await c.sendAttachments([fileAttachment(`${h.tenant.url}/_files/slow/${id}/slow.jpg?delayMs=5000`, 'slow.jpg')]);
    await expectErrorCard(c, 'en', 'errors.download.timeout');
  });
});

describe('card payloads', () => {
  test("confirming someone else's request is refused, audited, and writes nothing", async () => {
    const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
    await alex.sendFile(image('exif-orientation-examples/Landscape_1.jpg'), 'me.jpg');
    const [preview] = await alex.newCards();
    const requestId = cardActions(preview.card).find((a) => a.verb === 'photo.confirm')?.data?.requestId;

    const megan = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
    await megan.execute(preview.activity, 'photo.confirm', { requestId });
    await expectErrorCard(megan, 'fi', 'errors.request.not_yours');
    expect(await writes()).toHaveLength(0);
    const audit = await h.service.db.all(
      `SELECT actor_id, outcome FROM audit_log WHERE action = 'photo.confirm' AND request_id = ?`,
      [requestId as string],
    );
    expect(audit).toEqual([{ actor_id: DEMO_USERS.megan, outcome: 'refused' }]);
  });

  test.each([
    ['an unknown verb', { verb: 'photo.delete_everything' }, 'errors.input.invalid'],
    [
      'a request id that is not one',
      { verb: 'photo.confirm', requestId: "'; DROP TABLE photo_requests; --" },
      'errors.input.invalid',
    ],
    [
      'a request that does not exist',
      { verb: 'photo.confirm', requestId: '00000000-0000-4000-8000-000000000000' },
      'errors.request.not_found',
    ],
  ])('%s is refused', async (_name, data, key) => {
    const c = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'nl-NL' });
    await c.click({ id: 'card-1', type: 'message' }, data);
    await expectErrorCard(c, 'nl', key);
    expect(await writes()).toHaveLength(0);
  });
});

test('an activity without a user or tenant is refused', async () => {
  const c = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const status = await c.post({
    type: 'message',
    id: 'x',
    channelId: 'msteams',
    serviceUrl: h.tenant.url,
    text: 'update my photo',
    from: { id: '29:someone' },
    recipient: { id: '28:bot' },
    conversation: { id: c.conversationId },
  });
  expect(status).toBe(200);
  await expectErrorCard(c, 'en', 'errors.auth.unauthenticated');
});

test.each([
  ['an empty object', '{}'],
  ['an activity without a type', '{"text":"update my photo"}'],
  ['not JSON', 'update my photo'],
  ['a message without a conversation', '{"type":"message","text":"update my photo","from":{"id":"29:x"}}'],
  ['a conversation without an id', '{"type":"message","text":"hi","conversation":{}}'],
  ['a conversation id that is not text', '{"type":"message","text":"hi","conversation":{"id":{"x":1}}}'],
  ['a __proto__ body', '{"__proto__":{"type":"message","conversation":{"id":"a:1"}},"type":"message"}'],
  ['a deeply nested body', `{"type":"message","value":${'['.repeat(20_000)}${']'.repeat(20_000)}}`],
])('%s posted to /api/messages is a 400, not a crash', async (_name, body) => {
  const before = h.logLines.length;
  const res = await fetch(`${h.service.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(res.status).toBe(400);
  await res.arrayBuffer();
  // Refused at the door: it never reached the bot, so nothing failed inside a turn.
  expect(h.logLines.slice(before).join('\n')).not.toContain('turn error');
});
