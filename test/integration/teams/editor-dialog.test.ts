/**
 * "Open the editor": the how-to card opens the tab's My photo page as a Teams dialog (task module)
 * through a `task/fetch` invoke, with a link for clients without dialogs. The real bot endpoint over
 * HTTP, the real local tenant's Bot Connector, every card checked against Adaptive Cards 1.5.
 */
import { DEMO_USERS } from '../../../emulator';
import { t } from '../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { useHarness } from '../../support/headshot';
import { cardActions, cardTexts } from '../../support/teams-chat';

const h = useHarness();

const EDITOR_BUTTON = { msteams: { type: 'task/fetch' }, verb: 'photo.editor' };
const photoPage = () => `${h.service.url}/tab/index.html?page=photo`;

test('the how-to card offers the editor as a dialog, keeps the upload page first, and links the page', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  expect(await chat.say('päivitä kuvani')).toBe(200);
  const [howTo] = await chat.newCards();
  expectValidCard(howTo.card);
  expect(cardTexts(howTo.card)).toContain(t('fi', 'cards.how_to.editor'));
  const actions = cardActions(howTo.card);
  expect(actions.find((a) => a.type === 'Action.Submit')).toEqual({
    type: 'Action.Submit',
    title: t('fi', 'cards.common.open_editor'),
    verb: 'photo.editor',
    data: EDITOR_BUTTON,
    url: undefined,
  });
  const links = actions.filter((a) => a.type === 'Action.OpenUrl');
  // Clients that look for "the" link (and older tests) still find the upload page first.
  expect(links[0]?.url).toMatch(new RegExp(`^${h.service.url}/upload#ticket=`));
  // Local mode has no Teams to open a tab in: the link is the page itself, in Megan's language, signed in as her.
  expect(links[1]).toMatchObject({ title: t('fi', 'cards.common.open_photo_tab') });
  expect(links[1]?.url?.startsWith(`${photoPage()}&locale=fi#signin=`)).toBe(true);
});

test('the signed link signs the tab in as the person the bot gave it to; a bad one is refused in their language', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  await chat.say('päivitä kuvani');
  const [howTo] = await chat.newCards();
  const link = cardActions(howTo.card).find((a) => a.title === t('fi', 'cards.common.open_photo_tab'))?.url as string;
  const ticket = new URLSearchParams(new URL(link).hash.slice(1)).get('signin') as string;
  const signIn = (body: unknown, language = 'fi') =>
    fetch(`${h.service.url}/api/local/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: JSON.stringify(body),
    });
  const res = await signIn({ ticket });
  expect(res.status).toBe(200);
  const session = (await res.json()) as { userId: string; token: string };
  expect(session.userId).toBe(DEMO_USERS.megan);
  const me = await fetch(`${h.service.url}/api/me`, { headers: { authorization: `Bearer ${session.token}` } });
  expect(((await me.json()) as { id: string }).id).toBe(DEMO_USERS.megan);

  // Another kind of ticket (the upload page's), a forged one, and an expired one are all refused, with nobody signed in.
  const upload = cardActions(howTo.card).find((a) => a.url?.includes('/upload#ticket='))?.url as string;
  const uploadTicket = new URL(upload).hash.slice('#ticket='.length);
  const forged = `${ticket.slice(0, -4)}AAAA`;
  for (const bad of [uploadTicket, forged]) {
    const refused = await signIn({ ticket: bad });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      t('fi', 'tab.errors.sign_in_link'),
    );
  }
  h.clock.advance(31 * 60_000);
  expect((await signIn({ ticket }, 'pl')).status).toBe(400);
  expect((await signIn({ ticket, userId: DEMO_USERS.megan })).status).toBe(400);
});

test('task/fetch "photo.editor" opens the My photo page in dialog mode, titled in the user language', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  const { status, body } = await chat.task('task/fetch', EDITOR_BUTTON);
  expect(status).toBe(200);
  const url = `${photoPage()}&dialog=1`;
  expect(body).toEqual({
    task: { type: 'continue', value: { title: 'Oma kuva', url, fallbackUrl: url, height: 'large', width: 'large' } },
  });
  expect(t('fi', 'editor.title')).toBe('Oma kuva');
  expect(await chat.newMessages()).toEqual([]); // the dialog is the answer; nothing is posted in the chat
});

test('task/fetch with an unknown verb answers with a localised message instead of failing', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.adele, locale: 'nl-NL' });
  for (const data of [{ verb: 'photo.nope' }, {}, 'not an object']) {
    const { status, body } = await chat.task('task/fetch', data);
    expect(status).toBe(200);
    expect(body).toEqual({ task: { type: 'message', value: t('nl', 'errors.input.invalid') } });
  }
  expect(t('nl', 'errors.input.invalid')).not.toBe(t('en', 'errors.input.invalid'));
});

test('task/submit from the page closes the dialog: an empty 200, and nothing extra in the chat', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.megan, locale: 'fi-FI' });
  for (const data of ['done', { verb: 'photo.editor' }, undefined]) {
    const { status, body } = await chat.task('task/submit', data);
    expect([status, body]).toEqual([200, undefined]);
  }
  expect(await chat.newMessages()).toEqual([]);
});

test('a client without dialogs sends the button as a message: the bot answers with a link to the editor', async () => {
  const chat = h.chat({ aadObjectId: DEMO_USERS.isaiah, locale: 'pl-PL' });
  expect(await chat.say('zmień moje zdjęcie')).toBe(200);
  const [howTo] = await chat.newCards();
  expect(await chat.click(howTo.activity, EDITOR_BUTTON)).toBe(200);
  const cards = await chat.newCards();
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0].card);
  expect(cardTexts(cards[0].card)).toContain(t('pl', 'editor.no_dialog'));
  const [link] = cardActions(cards[0].card);
  expect(link).toMatchObject({ type: 'Action.OpenUrl', title: t('pl', 'cards.common.open_photo_tab') });
  expect(link.url?.startsWith(`${photoPage()}&locale=pl#signin=`)).toBe(true);
});
