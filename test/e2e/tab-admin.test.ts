/**
 * The tab's Admin page in headless Debian chromium against the real service and local tenant:
 * coverage after a scan (numbers, chart, table, CSV), a reminder campaign from the form to done,
 * the audit log, settings that persist, the API's refusal for someone who is not an admin,
 * a Dutch run, and axe finding no violations.
 */
import type { Browser, Page } from 'playwright-core';
import type { CoverageJson, TenantSettingsView } from '../../bot/src/api/tab-contract';
import { DEMO_GROUPS, DEMO_USERS } from '../../emulator';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { startHarness, type Harness } from '../support/headshot';
import { apiAs } from '../support/tab-api';
import { axeViolations, openTab, screenshot } from '../support/tab-browser';
import { byRole, countByRole } from '../support/ax';
import { preview } from '../support/approvals';

jest.setTimeout(120_000);

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** The service's API as `userId` (an SSO token minted by the local tenant), for setting the scene. */
function api<T>(userId: string, method: string, path: string, body?: unknown): Promise<T> {
  return apiAs<T>(h, userId, method, path, body);
}

async function openAdmin(displayName: string, locale = 'en'): Promise<Page> {
  const context = await loopbackOnlyContext(browser);
  return openTab(context, h.service.url, { page: 'admin', as: displayName, locale });
}

const CATEGORY_NAMES: Record<keyof CoverageJson['counts'], string> = {
  has_photo: 'Has a photo',
  no_photo: 'No photo',
  placeholder_or_stale: 'Placeholder or outdated photo',
  hybrid_stuck: 'Stuck in on-premises sync',
  not_applicable: 'Not applicable (guests, unlicensed, disabled)',
  unknown: 'Couldn’t check',
};

test('someone who is not an admin gets the API’s refusal and nothing else', async () => {
  // The navigation does not offer Alex the Admin page; opened by its URL, the page meets the API's refusal.
  const context = await loopbackOnlyContext(browser);
  const page = await context.newPage();
  const refused = page.waitForResponse((res) => new URL(res.url()).pathname.startsWith('/api/admin/'));
  await page.goto(`${h.service.url}/tab/index.html?page=admin&locale=en`);
  await (await byRole(page, 'button', { name: 'Alex Wilber', exact: true })).click();
  const answer = await refused;
  expect(answer.status()).toBe(403);
  const { error } = (await answer.json()) as { error: { code: string; message: string } };
  await page.getByRole('alert').filter({ hasText: error.message }).waitFor();
  expect(await page.locator('main h2').count()).toBe(0);
  expect(await page.locator('main fluent-button, main table, main form, main svg').count()).toBe(0);
  await screenshot(page, 'tab-admin-refused-en');
  await context.close();
});

/** Opens the Admin section behind the tab `name` and returns its panel. */
async function openSection(page: Page, name: string) {
  await page.getByRole('tab', { name, exact: true }).click();
  const panel = page.locator('[role="tabpanel"]:not([hidden])');
  await panel.waitFor();
  return panel;
}

test('an admin scans coverage, sends a reminder after confirming it, reads the audit log and changes settings', async () => {
  const page = await openAdmin('Patti Fernandez');
  await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
  // One section at a time, behind tabs; the page is no longer one long scroll.
  const tabs = page.getByRole('tablist', { name: 'Admin sections' });
  await tabs.waitFor();
  expect(await tabs.getByRole('tab').allTextContents()).toEqual([
    'Photo coverage',
    'Photo reminders',
    'Import photos',
    'Time to visible',
    'Audit log',
    'Settings',
  ]);
  expect(await page.locator('[role="tabpanel"]:not([hidden])').count()).toBe(1);

  // Coverage: a scan, its numbers in a chart and a table.
  const coverage = await openSection(page, 'Photo coverage');
  await coverage.getByText('No coverage check has run yet.', { exact: false }).waitFor();
  await (await byRole(coverage, 'button', { name: 'Check now' })).click();
  await coverage.getByText(/^Checked \d+ people on /).waitFor({ timeout: 30_000 });
  const view = await api<CoverageJson>(DEMO_USERS.patti, 'GET', '/api/admin/coverage');
  expect(view.state).toBe('done');
  const chart = coverage.getByRole('img', { name: /^Bar chart of people per category: / });
  const summary = (await chart.getAttribute('aria-label')) ?? '';
  for (const [key, name] of Object.entries(CATEGORY_NAMES)) {
    expect(summary).toContain(`${name}: ${view.counts[key as keyof CoverageJson['counts']]}`);
    const row = coverage.getByRole('row', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')} \\d+$`) });
    expect(await row.getByRole('cell').textContent()).toBe(String(view.counts[key as keyof CoverageJson['counts']]));
  }
  expect(await chart.locator('rect').count()).toBe(6);
  await coverage.getByText(/ of the people who can have a photo have one\.$/).waitFor();

  // The CSV: a signed link the browser downloads.
  const download = page.waitForEvent('download');
  await (await byRole(coverage, 'button', { name: 'Download CSV' })).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await screenshot(page, 'tab-admin-coverage-en');

  // A reminder: the form says what is missing next to the field.
  const reminders = await openSection(page, 'Photo reminders');
  const form = reminders.getByRole('form', { name: 'Send a photo reminder' });
  await (await byRole(form, 'radio', { name: 'My own text' })).click();
  await (await byRole(form, 'button', { name: 'Send reminder' })).click();
  await form.getByText('Write your text, or choose the standard reminder.').waitFor();
  expect(await form.locator('fluent-textarea').getAttribute('aria-invalid')).toBe('true');
  await (await byRole(form, 'radio', { name: 'The standard reminder, in each person’s language' })).click();
  await (await byRole(form, 'radio', { name: 'Members of a group' })).click();
  await (await byRole(form, 'button', { name: 'Send reminder' })).click();
  await form.getByText('Choose a group: type the start of its name and pick it from the list.').waitFor();

  // Nothing goes out before the admin has seen how many people get what, and said yes.
  let created = 0;
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/admin/campaigns') created += 1;
  });
  await (await byRole(form, 'radio', { name: 'Everyone' })).click();
  await (await byRole(form, 'button', { name: 'Send reminder' })).click();
  const confirm = page.locator('fluent-dialog', { hasText: 'Send this reminder now?' });
  await confirm.getByText('It goes to 7 people.').waitFor();
  await confirm.getByText('Add your profile photo').waitFor();
  await screenshot(page, 'tab-admin-confirm-en', { viewport: true });
  // The preview is the real card, drawn by the Adaptive Cards renderer: its heading is a heading under the dialog's
  // title, and its button is part of the picture (not focusable).
  const drawn = confirm.locator('.hs-card-preview .ac-adaptiveCard');
  await drawn.waitFor();
  expect(await drawn.locator('[role="heading"]').first().getAttribute('aria-level')).toBe('3');
  expect(await drawn.locator('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('tabindex')))).toEqual([
    '-1',
    '-1',
  ]);
  expect(await axeViolations(page)).toEqual([]);
  await (await byRole(page, 'button', { name: 'Go back', exact: true })).click();
  await confirm.waitFor({ state: 'detached' });
  expect(created).toBe(0);
  // "Everyone" asks a second time.
  await (await byRole(form, 'button', { name: 'Send reminder' })).click();
  await (await byRole(page, 'button', { name: 'Send', exact: true })).click();
  const twice = page.locator('fluent-dialog', { hasText: 'Send to everyone?' });
  await twice.getByText('everyone in your organisation: 7 people', { exact: false }).waitFor();
  expect(created).toBe(0);
  const answer = page.waitForResponse(
    (res) => new URL(res.url()).pathname === '/api/admin/campaigns' && res.request().method() === 'POST',
  );
  await (await byRole(page, 'button', { name: 'Yes, send to everyone' })).click();
  expect((await answer).status()).toBe(200);
  expect(created).toBe(1);
  const campaign = reminders.locator('li[data-campaign-id]').first();
  await campaign.waitFor();
  await reminders.locator('li[data-campaign-id][data-state="done"]').waitFor({ timeout: 60_000 });
  const progress = campaign.locator('fluent-progress-bar');
  expect(await progress.getAttribute('value')).toBe(await progress.getAttribute('max'));
  expect(await campaign.getByText('Done', { exact: true }).count()).toBe(1);
  const sent = Number(
    await campaign
      .locator('dt', { hasText: /^Sent$/ })
      .locator('xpath=following-sibling::dd')
      .textContent(),
  );
  expect(sent).toBeGreaterThan(0);
  await screenshot(page, 'tab-admin-campaign-en');

  // What people did: once sent, the card shows the funnel, a chart with the same numbers in a table beside it.
  const funnel = campaign.locator('section.hs-funnel');
  await funnel.waitFor();
  const count = (key: string) => funnel.locator(`.hs-funnel-table tr[data-key="${key}"] td`).first();
  expect(await count('delivered').textContent()).toBe(String(sent));
  expect(await count('photo_sent').textContent()).toBe('0');
  expect(await funnel.locator('svg.hs-chart[role="img"]').getAttribute('aria-label')).toContain('Sent a photo: 0');
  // The coverage check above ran before the reminder: the note says which check "shows in Microsoft 365" is from.
  expect(await funnel.getByText('is from the coverage check of', { exact: false }).count()).toBe(1);
  // Alex answers the reminder with a photo (approvals are off); "Update the numbers" counts him.
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const p = await preview(alex);
  expect(await alex.execute(p.activity, 'photo.confirm', { requestId: p.requestId })).toBe(200);
  await h.service.tick(); // the write, if it was left to the background
  await (await byRole(funnel, 'button', { name: 'Update the numbers' })).click();
  await funnel.locator('.hs-funnel-table tr[data-key="photo_sent"] td', { hasText: /^1$/ }).waitFor();
  expect(await count('approved').textContent()).toBe('1');
  expect(await funnel.locator('tr', { hasText: 'Applied, not checked yet' }).locator('td').first().textContent()).toBe(
    '1',
  );
  // Per department, from the directory.
  await (await byRole(funnel, 'button', { name: 'By department' })).click();
  const marketing = funnel.locator('.hs-funnel-departments-table tr[data-department="Marketing"] td');
  await marketing.first().waitFor();
  expect(await marketing.allTextContents()).toEqual(['2', '2', '1', '1', '1', '0']);
  await funnel.scrollIntoViewIfNeeded();
  await screenshot(page, 'tab-admin-funnel-en');
  expect(await axeViolations(page)).toEqual([]);

  // The audit log says, by name and in words, who did what (the new campaign is there without a reload).
  const audit = await openSection(page, 'Audit log');
  const created1 = audit.locator('tbody tr[data-action="campaign.create"]');
  await created1.first().waitFor();
  expect(await created1.first().locator('td').allTextContents()).toEqual([
    expect.any(String),
    'Patti Fernandez',
    'Created a photo reminder',
    'Reminder to Everyone',
    'Done',
  ]);
  const headers = await audit.locator('thead th').allTextContents();
  expect(headers).toEqual(['Time', 'By', 'Action', 'Subject', 'Outcome']);
  expect(await audit.locator('tbody').textContent()).not.toMatch(/00000000-0000-4000-8000/);
  const firstTime = await audit.locator('tbody tr').first().locator('time').getAttribute('datetime');
  expect(new Date(firstTime ?? '').getTime()).not.toBeNaN();

  // Settings: change three things, only those are sent, and they are there after a reload. A photo age out of
  // range is marked at the field and nothing is sent.
  let settings = await openSection(page, 'Settings');
  const remind = settings.getByLabel('Remind approvers after (minutes)');
  const before = Number(await remind.inputValue());
  await remind.fill(String(before + 17));
  await (await byRole(settings, 'textbox', { name: 'Title (Finnish)' })).fill('Päivitä profiilikuvasi');
  const refreshOn = await byRole(settings, 'checkbox', { name: 'Remind people whose photo is old' });
  expect(await refreshOn.evaluate((e) => (e as unknown as { checked: boolean }).checked)).toBe(false);
  await refreshOn.click();
  const age = settings.getByLabel('Photo age, in months');
  expect(await age.inputValue()).toBe('24');
  await age.fill('3');
  await (await byRole(settings, 'button', { name: 'Save settings' })).click();
  await settings.getByText('Enter a whole number of months, 6 to 120.').waitFor();
  expect(await age.getAttribute('aria-invalid')).toBe('true');
  await age.fill('36');
  const put = page.waitForRequest((req) => req.method() === 'PUT' && req.url().endsWith('/api/admin/settings'));
  await (await byRole(settings, 'button', { name: 'Save settings' })).click();
  expect((await put).postDataJSON()).toEqual({
    approvalPolicy: { remindAfterMinutes: before + 17 },
    refreshReminders: { enabled: true, afterMonths: 36 },
    reminderTexts: { fi: { title: 'Päivitä profiilikuvasi', text: null } },
  });
  await settings.getByText('Settings saved.').waitFor();
  await settings.getByText(/by Patti Fernandez\.$/).waitFor();
  const saved = await api<TenantSettingsView>(DEMO_USERS.patti, 'GET', '/api/admin/settings');
  expect(saved.approvalPolicy.remindAfterMinutes).toBe(before + 17);
  expect(saved.reminderTexts.fi.title).toBe('Päivitä profiilikuvasi');
  expect(saved.refreshReminders).toEqual({ enabled: true, afterMonths: 36 });

  // The section is kept in the URL: a reload comes back to Settings.
  await page.reload();
  settings = page.locator('[role="tabpanel"]:not([hidden])');
  await settings.getByLabel('Remind approvers after (minutes)').waitFor();
  expect(await settings.getByLabel('Remind approvers after (minutes)').inputValue()).toBe(String(before + 17));
  expect(await (await byRole(settings, 'textbox', { name: 'Title (Finnish)' })).inputValue()).toBe(
    'Päivitä profiilikuvasi',
  );
  expect(await settings.getByLabel('Photo age, in months').inputValue()).toBe('36');
  await screenshot(page, 'tab-admin-en');
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});

test('a group is picked by its name; a scheduled reminder is stopped only after a confirmation, and its report downloads', async () => {
  const page = await openAdmin('Patti Fernandez');
  const reminders = await openSection(page, 'Photo reminders');
  const form = reminders.getByRole('form', { name: 'Send a photo reminder' });
  await (await byRole(form, 'radio', { name: 'Members of a group' })).click();
  await (await byRole(form, 'textbox', { name: 'Group' })).fill('sal');
  await (await byRole(form, 'button', { name: 'Sales', exact: true })).click();
  await form.getByRole('list', { name: 'Chosen groups' }).getByText('Sales').waitFor();
  await (await byRole(form, 'radio', { name: 'Send later' })).click();
  const when = form.getByLabel('Date and time');
  await when.fill('2001-01-01T09:00');
  await (await byRole(form, 'button', { name: 'Send reminder' })).click();
  await form.getByText('Choose a time in the future.').waitFor();
  const later = new Date(Date.now() + 3 * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  await when.fill(
    `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}T${pad(later.getHours())}:00`,
  );
  const created = page.waitForResponse(
    (res) => new URL(res.url()).pathname === '/api/admin/campaigns' && res.request().method() === 'POST',
  );
  await (await byRole(form, 'button', { name: 'Send reminder' })).click();
  const confirm = page.locator('fluent-dialog', { hasText: 'Schedule this reminder?' });
  await confirm.getByText('It goes to 2 people.').waitFor();
  await (await byRole(page, 'button', { name: 'Schedule', exact: true })).click();
  const { id, state, audience } = (await (await created).json()) as {
    id: string;
    state: string;
    audience: { groupId: string; groupName: string };
  };
  expect([state, audience.groupId, audience.groupName]).toEqual(['scheduled', DEMO_GROUPS.sales, 'Sales']);
  const card = reminders.locator(`li[data-campaign-id="${id}"]`);
  await card.getByText(/^Scheduled\. Starts on /).waitFor();
  await card.getByText('Members of Sales', { exact: false }).waitFor();

  // Stop: first a question; "No" keeps it, "Yes" stops it.
  await (await byRole(card, 'button', { name: 'Stop sending' })).click();
  const question = card.getByRole('group', { name: /^Stop sending this reminder\?/ });
  expect(
    await (await byRole(question, 'button', { name: 'Yes, stop sending' })).evaluate((n) => n.matches(':focus')),
  ).toBe(true);
  await (await byRole(question, 'button', { name: 'No, keep sending' })).click();
  expect(await card.getAttribute('data-state')).toBe('scheduled');
  await (await byRole(card, 'button', { name: 'Stop sending' })).click();
  const cancelled = page.waitForResponse((res) => res.url().endsWith(`/api/admin/campaigns/${id}/cancel`));
  await (await byRole(question, 'button', { name: 'Yes, stop sending' })).click();
  expect((await cancelled).status()).toBe(200);
  await reminders.locator(`li[data-campaign-id="${id}"][data-state="cancelled"]`).waitFor();
  await page.locator('#live').getByText('The reminder was stopped.').waitFor();
  expect(await countByRole(card, 'button', { name: 'Stop sending' })).toBe(0);

  const download = page.waitForEvent('download');
  await (await byRole(card, 'button', { name: 'Download the report' })).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await page.context().close();
});

test('in Dutch, with a refused setting: the server’s words next to the button', async () => {
  const page = await openAdmin('Patti Fernandez', 'nl');
  await page.getByRole('heading', { level: 1, name: 'Beheer' }).waitFor();
  // The sections' tabs come once every section has loaded (the heading can come first on a busy machine).
  await page.getByRole('tab').first().waitFor();
  expect(await page.getByRole('tab').allTextContents()).toEqual([
    'Fotodekking',
    'Fotoherinneringen',
    'Foto’s importeren',
    'Tijd tot zichtbaar',
    'Auditlogboek',
    'Instellingen',
  ]);
  // Approval for "the groups below" with no group: the server refuses it, in Dutch, and nothing is stored.
  const settings = (await openSection(page, 'Instellingen')).getByRole('form', { name: 'Instellingen' });
  await (await byRole(settings, 'radio', { name: 'Leden van de groepen hieronder' })).click();
  const answer = page.waitForResponse(
    (res) => res.url().endsWith('/api/admin/settings') && res.request().method() === 'PUT',
  );
  await (await byRole(settings, 'button', { name: 'Instellingen opslaan' })).click();
  const res = await answer;
  expect(res.status()).toBe(400);
  const { error } = (await res.json()) as { error: { message: string } };
  expect(error.message).not.toBe('');
  await settings.getByRole('alert').filter({ hasText: error.message }).waitFor();
  const stored = await api<TenantSettingsView>(DEMO_USERS.patti, 'GET', '/api/admin/settings');
  expect(stored.approvalPolicy.requiredFor).not.toBe('groups');
  await screenshot(page, 'tab-admin-nl');
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});
