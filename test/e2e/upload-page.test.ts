/**
 * The upload page in headless Debian chromium: opened from the link the bot gave,
 * in the user's language, a real file chosen, the preview shown on the page and
 * sent to the chat; bad files and a broken link get a clear, localised message.
 */
import { byRole } from '../support/ax';
import { STRINGS } from '../../tab/src/upload-strings';
import { axeViolations, screenshot } from '../support/tab-browser';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { DEMO_USERS } from '../../emulator';
import { t } from '../../bot/src/i18n/i18n';
import { startHarness, type Harness } from '../support/headshot';
import { cardActions, cardTexts } from '../support/teams-chat';
import { IMAGES } from '../support/photos';

const SHOTS = path.resolve(__dirname, '..', '..', 'test-results');

jest.setTimeout(60_000);

let h: Harness;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  h = await startHarness();
  browser = await launchChromium();
  context = await loopbackOnlyContext(browser);
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function uploadLink(
  locale: string,
  userId: string,
): Promise<{ link: string; chat: ReturnType<Harness['chat']> }> {
  const chat = h.chat({ aadObjectId: userId, locale });
  // "update my photo" answers with the ways to send one, the upload page among them.
  await chat.say('update my photo');
  const [howTo] = await chat.newCards();
  return { link: cardActions(howTo.card).find((a) => a.type === 'Action.OpenUrl')?.url as string, chat };
}

test('a Polish user uploads a photo on the page: preview on the page and in the chat', async () => {
  const { link, chat } = await uploadLink('pl-PL', DEMO_USERS.isaiah);
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('heading', { name: 'Prześlij nowe zdjęcie profilowe' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('pl');

  await page.setInputFiles('#file', path.join(IMAGES, 'exif-orientation-examples/Portrait_8.jpg'));
  await (await byRole(page, 'button', { name: 'Prześlij' })).click();
  await page.getByText(t('pl', 'upload.sent_to_chat')).waitFor();
  const src = await page.getAttribute('#preview', 'src');
  expect(src).toMatch(/^data:image\/jpeg;base64,/);
  await page.screenshot({ path: path.join(SHOTS, 'upload-page-pl.png') });

  const [preview] = await chat.newCards();
  expect(cardTexts(preview.card)).toContain(t('pl', 'cards.common.use_this_photo'));
});

test('a file that is not a photo gets the localised reason on the page, and is never uploaded', async () => {
  const { link } = await uploadLink('fi-FI', DEMO_USERS.megan);
  const page = await context.newPage();
  let uploads = 0;
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/uploads') uploads += 1;
  });
  await page.goto(link);
  const notAPhoto = path.join(os.tmpdir(), `headshot-not-a-photo-${process.pid}.jpg`);
  fs.writeFileSync(notAPhoto, '%PDF-1.7\nnot a photo\n');
  await page.setInputFiles('#file', notAPhoto);
  // The drop zone names the chosen file in the page's language (no browser "Choose File" control).
  await page.getByText(`Valittu: ${path.basename(notAPhoto)}`).waitFor();
  await (await byRole(page, 'button', { name: 'Lataa' })).click();
  await page.locator('#status.error').waitFor();
  expect(await page.textContent('#status')).toBe(STRINGS.fi.notImage.replace('{{name}}', path.basename(notAPhoto)));
  expect(uploads).toBe(0);
  await screenshot(page, 'upload-page-not-a-photo-fi');
  expect(await axeViolations(page)).toEqual([]);
  fs.rmSync(notAPhoto, { force: true });
});

test('a link without its ticket says how to get a working one, and offers no upload', async () => {
  const page = await context.newPage();
  await page.goto(`${h.service.url}/upload`);
  await page.locator('#status.error').waitFor();
  expect(await page.isDisabled('#file')).toBe(true);
});
