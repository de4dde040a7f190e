/**
 * The real chat client: the Microsoft 365 Agents Playground in headless Debian
 * chromium, talking to the real service, which talks to the real local tenant.
 * A person types "update my photo", sends a photo (the Playground has no file
 * upload, so the file attachment activity is injected through its own API, as
 * Teams would deliver it), presses "Use this photo", and the photo is changed.
 */
import fs from 'node:fs';
import { freePort } from '../support/free-port';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { DEMO_USERS } from '../../emulator';
import { t } from '../../bot/src/i18n/i18n';
import { startHarness, type Harness } from '../support/headshot';
import { fileAttachment } from '../support/teams-chat';
import { image } from '../support/photos';
import { COMMON_STRINGS } from '../../tab/src/shell/common-strings';
import { MY_PHOTO_STRINGS } from '../../tab/src/pages/my-photo/my-photo-strings';

const EN_PHOTO = MY_PHOTO_STRINGS.en;

const SHOTS = path.resolve(__dirname, '..', '..', 'test-results');

jest.setTimeout(120_000);

let h: Harness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  h = await startHarness({ PLAYGROUND: '1', PLAYGROUND_PORT: String(await freePort()) });
  browser = await launchChromium();
  const context = await loopbackOnlyContext(browser, { viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

test('in the Playground: "update my photo", send a photo, "Use this photo", and the photo is changed', async () => {
  const playground = h.service.playground?.url as string;
  expect(playground).toMatch(/^http:\/\/localhost:\d+$/);
  await page.goto(playground, { waitUntil: 'networkidle' });

  // Opening the Playground installs the app: the welcome card is rendered.
  await page.getByText(t('en', 'cards.welcome.title')).first().waitFor({ timeout: 30_000 });

  const box = page.getByRole('textbox').first();
  await box.click();
  await box.fill('update my photo');
  await page.keyboard.press('Enter');
  await page.getByText(t('en', 'cards.how_to.title')).first().waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(SHOTS, 'playground-how-to.png') });

  // The Playground opens no dialogs: "Open the editor" opens the My photo page, signed in as Alex (no person picker).
  expect(await page.getByText(t('en', 'cards.how_to.editor_page')).count()).toBe(1);
  const [editor] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByText(t('en', 'cards.common.open_editor'), { exact: true }).last().click(),
  ]);
  await editor.getByText(COMMON_STRINGS.en.signedInAs.replace('{{name}}', 'Alex Wilber')).waitFor({ timeout: 15_000 });
  await editor.getByRole('heading', { level: 1, name: EN_PHOTO.title }).waitFor();
  // The ticket is taken out of the address once used.
  expect(new URL(editor.url()).hash).toBe('');
  await editor.screenshot({ path: path.join(SHOTS, 'playground-editor-page.png') });
  await editor.close();

  // Teams would deliver a file sent in the chat like this; the Playground lets us inject it.
  const upload = await fetch(`${h.tenant.url}/_control/files?name=me.jpg`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg' },
    body: Buffer.from(image('exif-orientation-examples/Portrait_5.jpg')),
  });
  const { downloadUrl } = (await upload.json()) as { downloadUrl: string };
  const { config } = (await (await fetch(`${playground}/_internal/v1/config`)).json()) as {
    config: { personalChat: { id: string } };
  };
  const conversationId = encodeURIComponent(config.personalChat.id);
  const template = (await (
    await fetch(`${playground}/_internal/v1/customActivities/template?conversationId=${conversationId}`)
  ).json()) as Record<string, unknown>;
  const send = () =>
    fetch(`${playground}/_internal/v1/customActivities?conversationId=${conversationId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...template,
        type: 'message',
        text: '',
        attachments: [fileAttachment(downloadUrl, 'me.jpg')],
      }),
    });
  expect((await send()).ok).toBe(true);
  await page
    .getByRole('button', { name: t('en', 'cards.common.use_this_photo') })
    .first()
    .waitFor({ timeout: 15_000 });
  // A second photo: the first preview closes in place (the Playground's connector takes the update), one stays live.
  expect((await send()).ok).toBe(true);
  await page.getByText(t('en', 'cards.closed.superseded')).waitFor({ timeout: 15_000 });
  expect(await page.getByRole('button', { name: t('en', 'cards.common.use_this_photo') }).count()).toBe(1);

  const useIt = page.getByRole('button', { name: t('en', 'cards.common.use_this_photo') }).last();
  await useIt.waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(SHOTS, 'playground-preview.png') });
  await useIt.click();

  await page.getByText(t('en', 'cards.applied.title')).first().waitFor({ timeout: 15_000 });
  await page.getByText(t('en', 'cards.closed.applied')).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(SHOTS, 'playground-applied.png') });

  const info = await h.control<{ hasPhoto: boolean; width: number; height: number }>(
    'GET',
    `/_control/users/${DEMO_USERS.alex}/photo-info`,
  );
  expect(info).toMatchObject({ hasPhoto: true, width: 648, height: 648 });
});
