/**
 * The Admin page's Import in headless Debian chromium against the real service and local tenant: a zip of photos
 * named after the demo people, the match table before anything is written, the confirmation, live progress to the
 * end, the report and undo; a Finnish run with a refused zip; axe finding no violations.
 */
import type { Browser, Page } from 'playwright-core';
import { DEMO_USERS } from '../../emulator';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { startHarness, type Harness } from '../support/headshot';
import { axeViolations, openTab, screenshot } from '../support/tab-browser';
import { byRole } from '../support/ax';
import { photoWrites } from '../support/approvals';
import { PHOTOS, zipOf, zipWithName } from '../support/import-files';

jest.setTimeout(120_000);

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness({ IMPORT_POLL_MS: '50' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function openImport(
  locale: string,
  tabName: string,
): Promise<{ page: Page; panel: ReturnType<Page['locator']> }> {
  const context = await loopbackOnlyContext(browser);
  const page = await openTab(context, h.service.url, { page: 'admin', as: 'Patti Fernandez', locale });
  await page.getByRole('tab', { name: tabName, exact: true }).click();
  const panel = page.locator('[role="tabpanel"]:not([hidden])');
  await panel.waitFor();
  return { page, panel };
}

test('an admin checks a zip, sees who each photo is for, imports after confirming, follows it, and undoes it', async () => {
  const { page, panel } = await openImport('en', 'Import photos');
  const zip = zipOf({
    'Alex Wilber.jpg': PHOTOS[0]!,
    'adelev@example.com.jpg': PHOTOS[1]!,
    'E1004.jpg': PHOTOS[2]!,
    'Someone Else.jpg': PHOTOS[3]!,
  });
  await panel
    .locator('input[type="file"]')
    .setInputFiles({ name: 'team.zip', mimeType: 'application/zip', buffer: zip });
  await (await byRole(panel, 'button', { name: 'Check photos' })).click();
  await panel.getByText('Checked. 3 photos are ready to import; nothing has been written yet.').waitFor();

  const table = panel.getByRole('table', { name: 'Files of the import' });
  const row = (file: string) => table.getByRole('row').filter({ hasText: file });
  await row('Alex Wilber.jpg').getByText('Alex Wilber (alexw@example.com)').waitFor();
  await row('Alex Wilber.jpg').getByText('Name', { exact: true }).waitFor();
  await row('E1004.jpg').getByText('Employee ID').waitFor();
  await row('Someone Else.jpg').getByText('No match').waitFor();
  expect(await photoWrites(h, DEMO_USERS.alex)).toEqual([]);
  await screenshot(page, 'tab-import-checked-en');
  expect(await axeViolations(page)).toEqual([]);

  // Only the rows that need a look.
  await panel.getByText('Show only the files that need a look').click();
  expect(await table.locator('tbody tr').count()).toBe(1);

  await (await byRole(panel, 'button', { name: 'Import 3 photos' })).click();
  const confirm = page.locator('fluent-dialog', { hasText: 'Each person’s previous photo is kept' });
  await confirm.getByText(/Each person’s previous photo is kept/).waitFor();
  await screenshot(page, 'tab-import-confirm-en', { viewport: true });
  await (await byRole(page, 'button', { name: 'Import', exact: true })).click();
  await panel.getByText('Import finished.').waitFor({ timeout: 30_000 });
  await panel.getByText('Written', { exact: true }).waitFor();
  expect(await photoWrites(h, DEMO_USERS.alex)).toEqual([200]);
  expect(await photoWrites(h, DEMO_USERS.isaiah)).toEqual([200]);
  await screenshot(page, 'tab-import-done-en');

  const report = page.waitForResponse((res) => new URL(res.url()).pathname.endsWith('/report-link'));
  await (await byRole(panel, 'button', { name: 'Download report (CSV)' })).click();
  expect((await report).status()).toBe(200);
  await panel.getByText(/Your file is ready/).waitFor();

  await (await byRole(panel, 'button', { name: 'Undo this import' })).click();
  const undo = page.locator('fluent-dialog', { hasText: 'gets back the photo they had before' });
  await undo.getByText(/gets back the photo they had before/).waitFor();
  await (await byRole(page, 'button', { name: 'Undo', exact: true })).click();
  await panel.getByText('Import undone.').waitFor({ timeout: 30_000 });
  expect(await photoWrites(h, DEMO_USERS.alex, 'DELETE')).toEqual([204]);
  await page.context().close();
});

test('in Finnish: a zip with a path outside it is refused at once, in Finnish', async () => {
  const { page, panel } = await openImport('fi', 'Tuo kuvia');
  await panel
    .locator('input[type="file"]')
    .setInputFiles({ name: 'paha.zip', mimeType: 'application/zip', buffer: zipWithName('../x.jpg', PHOTOS[0]!) });
  await (await byRole(panel, 'button', { name: 'Tarkista kuvat' })).click();
  await panel.getByRole('alert').filter({ hasText: 'En lue tätä zip-pakettia' }).waitFor();
  await screenshot(page, 'tab-import-refused-fi');
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});
