/**
 * The Admin page's Time to visible section in headless Debian chromium, against the real service on the local
 * tenant's virtual clock: after 30 hours of follow-through checks (one change visible everywhere, one never in
 * legacy SharePoint), the table per system, why Teams is not measured, the late change with its reason, a Dutch
 * run, and axe finding no violations.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { thirtyHoursOfFollowThrough } from '../support/follow-through';
import { startHarness, type Harness } from '../support/headshot';
import { axeViolations, openTab, screenshot } from '../support/tab-browser';
import { byRole } from '../support/ax';

jest.setTimeout(120_000);

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness({ FOLLOW_THROUGH: '1' }, { clock: 'tenant' });
  await h.control('POST', '/_control/reset');
  await h.service.tick();
  await thirtyHoursOfFollowThrough(h);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function openVisibility(
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

test('an admin reads how long each system took, why Teams is not measured, and which change is late and why', async () => {
  const { page, panel } = await openVisibility('en', 'Time to visible');
  await panel.getByRole('heading', { level: 2, name: 'Time to visible' }).waitFor();
  await panel.getByText(/^Time to visible: photo changes Headshot made from .* \(2 followed\)$/).waitFor();
  const table = panel.getByRole('table', { name: 'Time to visible per system' });
  expect(await table.getByRole('columnheader').allTextContents()).toEqual([
    'System',
    'Shown',
    'Median',
    '95th percentile',
    'Still checked',
    'Not shown after the checks',
    'Not applicable',
    "Can't check",
  ]);
  const row = async (name: string) =>
    await table
      .getByRole('row', { name: new RegExp(`^${name}`) })
      .getByRole('cell')
      .allTextContents();
  expect(await row('Entra ID')).toEqual(['2', '1 min', '1 min', '0', '0', '0', '0']);
  expect(await row('Exchange Online')).toEqual(['1', '1 min', '1 min', '0', '0', '1', '0']);
  expect(await row('SharePoint and Delve')).toEqual(['1', '30 h', '30 h', '1', '0', '0', '0']);
  await panel.getByText(/^Teams is not measured: no API tells what a Teams client has cached\./).waitFor();
  const late = panel.getByRole('list', { name: 'Not visible everywhere 24 hours after the change: 1' });
  await late.waitFor();
  const item = late.getByRole('listitem').first();
  expect(await item.textContent()).toContain('Grady Archie (gradya@example.com)');
  expect(await item.textContent()).toContain(
    "SharePoint and Delve: Without an Exchange Online mailbox, SharePoint can't copy",
  );
  await (await byRole(panel, 'button', { name: 'Refresh' })).click();
  await page.getByText('Time to visible loaded.').waitFor({ state: 'attached' });
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'tab-admin-visibility-en');
  await page.context().close();
});

test('in Dutch, the same report in the admin’s words', async () => {
  const { page, panel } = await openVisibility('nl', 'Tijd tot zichtbaar');
  await panel.getByText(/^Tijd tot zichtbaar: fotowijzigingen door Headshot van .* \(2 gevolgd\)$/).waitFor();
  await panel.getByRole('columnheader', { name: 'Mediaan' }).waitFor();
  await panel.getByText('Teams wordt niet gemeten', { exact: false }).waitFor();
  await panel.getByText('eigen wijziging, nog gecontroleerd', { exact: false }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'tab-admin-visibility-nl');
  await page.context().close();
});
