/**
 * The tab's Admin page in headless Debian chromium against the real service and local tenant:
 * coverage after a scan (numbers, chart, table, CSV), a reminder campaign from the form to done,
 * the audit log, settings that persist, the API's refusal for someone who is not an admin,
 * a Dutch run, and axe finding no violations.
 */
import type { Browser, Page } from 'playwright-core';
import type { CoverageJson, TenantSettingsView } from '../../bot/src/api/tab-contract';
import { DEMO_USERS } from '../../emulator';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { startHarness, type Harness } from '../support/headshot';
import { apiAs } from '../support/tab-api';
import { axeViolations, openTab, screenshot } from '../support/tab-browser';

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
  await page.getByRole('button', { name: 'Alex Wilber', exact: true }).click();
  const answer = await refused;
  expect(answer.status()).toBe(403);
  const { error } = (await answer.json()) as { error: { code: string; message: string } };
  await page.getByRole('alert').filter({ hasText: error.message }).waitFor();
  expect(await page.locator('main h2').count()).toBe(0);
  expect(await page.locator('main button, main table, main form, main svg').count()).toBe(0);
  await screenshot(page, 'tab-admin-refused-en');
  await context.close();
});

test('an admin scans coverage, sends a reminder to the end, reads the audit log and changes settings', async () => {
  const page = await openAdmin('Patti Fernandez');
  await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
  // The sections come in after the heading: wait for the last one before reading them.
  await page.locator('main h2').nth(3).waitFor();
  const h2 = await page.locator('main h2').allTextContents();
  expect(h2).toEqual(['Photo coverage', 'Photo reminders', 'Audit log', 'Settings']);

  // Coverage: a scan, its numbers in a chart and a table.
  const coverage = page.locator('section[data-section="coverage"]');
  await coverage.getByText('No coverage check has run yet.', { exact: false }).waitFor();
  await coverage.getByRole('button', { name: 'Check now' }).click();
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
  await coverage.getByRole('button', { name: 'Download CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await screenshot(page, 'tab-admin-coverage-en');

  // A reminder: the form says what is missing next to the field, then sends.
  const form = page.getByRole('form', { name: 'Send a photo reminder' });
  await form.getByRole('radio', { name: 'My own text' }).check();
  await form.getByRole('button', { name: 'Send reminder' }).click();
  const custom = form.getByRole('textbox', { name: 'Your text (used when you choose your own text)' });
  await form.getByText('Write your text, or choose the standard reminder.').waitFor();
  expect(await custom.getAttribute('aria-invalid')).toBe('true');
  expect(await custom.evaluate((node) => node.matches(':focus'))).toBe(true);
  await form.getByRole('radio', { name: 'The standard reminder, in each person’s language' }).check();
  await form.getByRole('radio', { name: 'People by photo state, from the latest check' }).check();
  await form.getByRole('button', { name: 'Send reminder' }).click();
  await form.getByText('Choose at least one photo state.').waitFor();
  await form.getByRole('radio', { name: 'Everyone' }).check();
  const created = page.waitForResponse(
    (res) => new URL(res.url()).pathname === '/api/admin/campaigns' && res.request().method() === 'POST',
  );
  await form.getByRole('button', { name: 'Send reminder' }).click();
  expect((await created).status()).toBe(200);
  const campaign = page.locator('li[data-campaign-id]').first();
  await campaign.waitFor();
  await page.locator('li[data-campaign-id][data-state="done"]').waitFor({ timeout: 60_000 });
  const progress = campaign.locator('progress');
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

  // Settings: change two things, only those are sent, and they are there after a reload.
  const settings = page.getByRole('form', { name: 'Settings' });
  const remind = settings.getByRole('spinbutton', { name: 'Remind approvers after (minutes)' });
  const before = Number(await remind.inputValue());
  await remind.fill(String(before + 17));
  const finnish = settings.getByRole('group', { name: 'Finnish' });
  await finnish.getByRole('textbox', { name: 'Title' }).fill('Päivitä profiilikuvasi');
  const put = page.waitForRequest((req) => req.method() === 'PUT' && req.url().endsWith('/api/admin/settings'));
  await settings.getByRole('button', { name: 'Save settings' }).click();
  expect((await put).postDataJSON()).toEqual({
    approvalPolicy: { remindAfterMinutes: before + 17 },
    reminderTexts: { fi: { title: 'Päivitä profiilikuvasi', text: null } },
  });
  await settings.getByText('Settings saved.').waitFor();
  const saved = await api<TenantSettingsView>(DEMO_USERS.patti, 'GET', '/api/admin/settings');
  expect(saved.approvalPolicy.remindAfterMinutes).toBe(before + 17);
  expect(saved.reminderTexts.fi.title).toBe('Päivitä profiilikuvasi');

  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Settings' }).waitFor();
  const again = page.getByRole('form', { name: 'Settings' });
  expect(await again.getByRole('spinbutton', { name: 'Remind approvers after (minutes)' }).inputValue()).toBe(
    String(before + 17),
  );
  expect(await again.getByRole('group', { name: 'Finnish' }).getByRole('textbox', { name: 'Title' }).inputValue()).toBe(
    'Päivitä profiilikuvasi',
  );

  // The audit log shows what happened, newest first, with times in the user's locale.
  const audit = page.locator('section[data-section="audit"]');
  const rows = audit.locator('tbody tr');
  await rows.first().waitFor();
  expect(await rows.count()).toBeGreaterThan(0);
  const headers = await audit.locator('thead th').allTextContents();
  expect(headers).toEqual(['Time', 'By', 'Action', 'Subject', 'Outcome']);
  const firstTime = await rows.first().locator('time').getAttribute('datetime');
  expect(new Date(firstTime ?? '').getTime()).not.toBeNaN();
  await screenshot(page, 'tab-admin-en');
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});

test('a scheduled reminder is stopped only after a confirmation, and its report downloads', async () => {
  const page = await openAdmin('Patti Fernandez');
  const form = page.getByRole('form', { name: 'Send a photo reminder' });
  await form.getByRole('radio', { name: 'Everyone' }).check();
  await form.getByRole('radio', { name: 'Send later' }).check();
  const when = form.getByLabel('Date and time (when you send later)');
  await when.fill('2001-01-01T09:00');
  await form.getByRole('button', { name: 'Send reminder' }).click();
  await form.getByText('Choose a time in the future.').waitFor();
  const later = new Date(Date.now() + 3 * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  await when.fill(
    `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}T${pad(later.getHours())}:00`,
  );
  const created = page.waitForResponse(
    (res) => new URL(res.url()).pathname === '/api/admin/campaigns' && res.request().method() === 'POST',
  );
  await form.getByRole('button', { name: 'Send reminder' }).click();
  const { id, state } = (await (await created).json()) as { id: string; state: string };
  expect(state).toBe('scheduled');
  const card = page.locator(`li[data-campaign-id="${id}"]`);
  await card.getByText(/^Scheduled\. Starts on /).waitFor();

  // Stop: first a question; "No" keeps it, "Yes" stops it.
  await card.getByRole('button', { name: 'Stop sending' }).click();
  const question = card.getByRole('group', { name: /^Stop sending this reminder\?/ });
  expect(await question.getByRole('button', { name: 'Yes, stop sending' }).evaluate((n) => n.matches(':focus'))).toBe(
    true,
  );
  await question.getByRole('button', { name: 'No, keep sending' }).click();
  expect(await card.getAttribute('data-state')).toBe('scheduled');
  await card.getByRole('button', { name: 'Stop sending' }).click();
  const cancelled = page.waitForResponse((res) => res.url().endsWith(`/api/admin/campaigns/${id}/cancel`));
  await question.getByRole('button', { name: 'Yes, stop sending' }).click();
  expect((await cancelled).status()).toBe(200);
  await page.locator(`li[data-campaign-id="${id}"][data-state="cancelled"]`).waitFor();
  await page.locator('#live').getByText('The reminder was stopped.').waitFor();
  expect(await card.getByRole('button', { name: 'Stop sending' }).count()).toBe(0);

  const download = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Download the report' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await page.context().close();
});

test('in Dutch, with a refused setting: the server’s words next to the button', async () => {
  const page = await openAdmin('Patti Fernandez', 'nl');
  await page.getByRole('heading', { level: 1, name: 'Beheer' }).waitFor();
  await page.locator('main h2').nth(3).waitFor();
  expect(await page.locator('main h2').allTextContents()).toEqual([
    'Fotodekking',
    'Fotoherinneringen',
    'Auditlogboek',
    'Instellingen',
  ]);
  // Approval for "the groups below" with no group: the server refuses it, in Dutch, and nothing is stored.
  const settings = page.getByRole('form', { name: 'Instellingen' });
  await settings.getByRole('radio', { name: 'Leden van de groepen hieronder' }).check();
  await settings.getByRole('textbox', { name: /^Groepen die goedkeuring nodig hebben/ }).fill('');
  const answer = page.waitForResponse(
    (res) => res.url().endsWith('/api/admin/settings') && res.request().method() === 'PUT',
  );
  await settings.getByRole('button', { name: 'Instellingen opslaan' }).click();
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
