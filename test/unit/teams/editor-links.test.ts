/** The editor's links (dialog URL, personal tab deep link) and the how-to card that offers them. */
import { t } from '../../../bot/src/i18n/i18n';
import { editorLinksFor, personalTabDeepLink, tabPageUrl } from '../../../bot/src/teams/editor-links';
import { isPlaygroundConnector } from '../../../bot/src/local/playground';
import { howToSendCard } from '../../../bot/src/teams/cards/how-to-send-card';
import { expectValidCard } from '../../support/adaptive-card-validation';
import { cardActions, cardTexts } from '../../support/teams-chat';

const BASE = 'https://headshot.contoso.example';
const APP_ID = '6f1c3a52-9a55-4c0e-8c1e-2b7d1f0a9e11';

test('tab pages live under the public base; dialog mode adds dialog=1', () => {
  expect(tabPageUrl(`${BASE}/`, 'photo')).toBe(`${BASE}/tab/index.html?page=photo`);
  expect(tabPageUrl(BASE, 'approvals')).toBe(`${BASE}/tab/index.html?page=approvals`);
  expect(tabPageUrl(BASE, 'photo', true)).toBe(`${BASE}/tab/index.html?page=photo&dialog=1`);
});

test('the personal tab deep link has the documented shape, every part encoded', () => {
  const link = personalTabDeepLink(APP_ID, 'photo', `${BASE}/tab/index.html?page=photo`, 'Mijn foto & zo+');
  expect(link).toBe(
    `https://teams.microsoft.com/l/entity/${APP_ID}/photo?webUrl=https%3A%2F%2Fheadshot.contoso.example%2Ftab%2Findex.html%3Fpage%3Dphoto&label=Mijn%20foto%20%26%20zo%2B`,
  );
  const parsed = new URL(link);
  expect(parsed.searchParams.get('webUrl')).toBe(`${BASE}/tab/index.html?page=photo`);
  expect(parsed.searchParams.get('label')).toBe('Mijn foto & zo+');
});

test('with a Teams app id the link is the deep link, labelled in the user language; without, the page', () => {
  const teams = editorLinksFor({ publicBaseUrl: BASE, teamsAppId: APP_ID, locale: 'fi' });
  expect(teams.dialogUrl).toBe(`${BASE}/tab/index.html?page=photo&dialog=1`);
  expect(new URL(teams.tabLink).pathname).toBe(`/l/entity/${APP_ID}/photo`);
  expect(new URL(teams.tabLink).searchParams.get('label')).toBe(t('fi', 'editor.title'));
  expect(new URL(teams.tabLink).searchParams.get('webUrl')).toBe(`${BASE}/tab/index.html?page=photo`);
  expect(teams.dialogs).toBe(true);
  const local = editorLinksFor({ publicBaseUrl: 'http://127.0.0.1:3978', locale: 'nl' });
  expect(local.tabLink).toBe('http://127.0.0.1:3978/tab/index.html?page=photo&locale=nl');
  // Signed for the person: the ticket rides in the fragment, which browsers never send to a server.
  const signed = editorLinksFor({ publicBaseUrl: 'http://127.0.0.1:3978', locale: 'pl', signInTicket: 'abc.def' });
  expect(signed.tabLink).toBe('http://127.0.0.1:3978/tab/index.html?page=photo&locale=pl#signin=abc.def');
});

test('the Agents Playground is known by its own Bot Connector: /_connector on a loopback address', () => {
  expect(isPlaygroundConnector('http://localhost:56150/_connector')).toBe(true);
  expect(isPlaygroundConnector('http://127.0.0.1:50123/_connector/')).toBe(true);
  for (const other of [
    'https://smba.trafficmanager.net/emea/',
    'http://127.0.0.1:4979',
    'https://example.com/_connector',
    'not a url',
    undefined,
  ])
    expect(isPlaygroundConnector(other)).toBe(false);
});

test.each(['en', 'fi', 'nl', 'pl'] as const)(
  '%s: where the client opens no dialogs, "Open the editor" opens the page and is the only editor button',
  (locale) => {
    const page = `${BASE}/tab/index.html?page=photo&locale=${locale}#signin=t`;
    const card = howToSendCard(locale, {
      uploadUrl: `${BASE}/upload#ticket=x`,
      editorLink: page,
      editorDialog: false,
      maxMegabytes: 20,
    });
    expectValidCard(card);
    expect(cardTexts(card)).toContain(t(locale, 'cards.how_to.editor_page'));
    expect(cardTexts(card)).not.toContain(t(locale, 'cards.how_to.editor'));
    expect(cardActions(card)).toEqual([
      { type: 'Action.OpenUrl', title: t(locale, 'cards.common.open_editor'), url: page },
      { type: 'Action.OpenUrl', title: t(locale, 'cards.common.open_upload_page'), url: `${BASE}/upload#ticket=x` },
    ]);
  },
);

test.each(['en', 'fi', 'nl', 'pl'] as const)('%s: the how-to card with the editor is a valid 1.5 card', (locale) => {
  const tabLink = editorLinksFor({ publicBaseUrl: BASE, teamsAppId: APP_ID, locale }).tabLink;
  const card = howToSendCard(locale, { uploadUrl: `${BASE}/upload#ticket=x`, editorLink: tabLink, maxMegabytes: 20 });
  expectValidCard(card);
  expect(cardTexts(card)).toContain(t(locale, 'cards.how_to.editor'));
  expect(cardActions(card)).toEqual([
    {
      type: 'Action.Submit',
      title: t(locale, 'cards.common.open_editor'),
      verb: 'photo.editor',
      data: { msteams: { type: 'task/fetch' }, verb: 'photo.editor' },
      url: undefined,
    },
    { type: 'Action.OpenUrl', title: t(locale, 'cards.common.open_upload_page'), url: `${BASE}/upload#ticket=x` },
    { type: 'Action.OpenUrl', title: t(locale, 'cards.common.open_photo_tab'), url: tabLink },
  ]);
});

test('without an editor link the how-to card stays as it was: only the upload page', () => {
  const card = howToSendCard('en', { uploadUrl: `${BASE}/upload#ticket=x`, maxMegabytes: 20 });
  expect(cardActions(card).map((a) => a.type)).toEqual(['Action.OpenUrl']);
  expect(cardTexts(card)).not.toContain(t('en', 'cards.how_to.editor'));
});
