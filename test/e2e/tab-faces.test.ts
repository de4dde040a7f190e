/**
 * The photo guidelines in the tab's editor, in headless Debian chromium against the real service with the face
 * check on: the faces the service found are outlined over the cropper, the square starts around the face, and
 * the face hints follow the crop as it moves (the browser runs the service's rules, it never detects).
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MY_PHOTO_STRINGS } from '../../tab/src/pages/my-photo/my-photo-strings';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { startHarness, type Harness } from '../support/headshot';
import { byRole } from '../support/ax';
import { eventually, openTab, screenshot } from '../support/tab-browser';

const EN = MY_PHOTO_STRINGS.en;
const FI = MY_PHOTO_STRINGS.fi;
const ASTRONAUT = path.resolve(__dirname, '../fixtures/faces/astronaut.jpg');
const GROUP = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');

jest.setTimeout(90_000);

let h: Harness;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  h = await startHarness({ FACE_CHECK: '1' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

beforeEach(async () => {
  context = await loopbackOnlyContext(browser, { viewport: { width: 1100, height: 900 } });
});

afterEach(async () => {
  await context.close();
});

const hints = (page: Page) =>
  page.locator('.quality-hints li').evaluateAll((items) => items.map((i) => i.getAttribute('data-hint')));

async function choose(page: Page, file: string): Promise<void> {
  const scanned = page.waitForResponse((r) => r.url().includes('/api/me/photo-faces'));
  await page.setInputFiles('#photo-file', file);
  await page.locator('.cropper-container').waitFor();
  expect((await scanned).status()).toBe(200);
}

test('a portrait: the face is outlined, the square starts around it, moving the square away brings the hints', async () => {
  const page = await openTab(context, h.service.url, { as: 'Alex Wilber' });
  await page.locator('#drop-zone').waitFor();
  await choose(page, ASTRONAUT);
  await page.locator('.face-box').first().waitFor();
  expect(await page.locator('.face-box').count()).toBe(1);
  await page
    .locator('#face-status')
    .filter({ hasText: EN['face.found'].replace('{{faces}}', '1') })
    .waitFor();
  // The box sits over the astronaut's face: inside the image's upper middle.
  const [box, image] = await Promise.all([
    page.locator('.face-box').boundingBox(),
    page.locator('.cropper-canvas').boundingBox(),
  ]);
  expect(box!.x).toBeGreaterThan(image!.x + image!.width * 0.25);
  expect(box!.x + box!.width).toBeLessThan(image!.x + image!.width * 0.65);
  expect(box!.y).toBeLessThan(image!.y + image!.height * 0.4);
  // Around the face, nothing to say about it.
  await eventually(
    () => hints(page),
    (h) => !h.some((x) => x?.startsWith('face') || x === 'no_face' || x === 'multiple_faces'),
  );
  await screenshot(page, 'tab-faces-portrait');

  // Smaller and moved right with the keys: the square cuts the face, and the hint says so.
  await (await byRole(page, 'button', { name: EN['editor.zoomIn'] })).click();
  await page.locator('.crop-area').focus();
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  await eventually(
    () => hints(page),
    (h) => h.includes('face_cut_off') || h.includes('face_not_centred'),
  );
  await screenshot(page, 'tab-faces-moved');
  await page.close();
});

test('a group photo in Finnish: three faces outlined; the whole photo in the square says there is more than one face', async () => {
  const page = await openTab(context, h.service.url, { as: 'Megan Bowen', locale: 'fi' });
  await page.locator('#drop-zone').waitFor();
  await choose(page, GROUP);
  await page.locator('.face-box').nth(2).waitFor();
  expect(await page.locator('.face-box').count()).toBe(3);
  await (await byRole(page, 'button', { name: FI['editor.reset'] })).click();
  await eventually(
    () => hints(page),
    (h) => h.includes('multiple_faces'),
  );
  await page
    .locator('.quality-hints li[data-hint="multiple_faces"]')
    .filter({ hasText: FI['face.multiple_faces'] })
    .waitFor();
  await screenshot(page, 'tab-faces-group-fi');
  await page.close();
});
