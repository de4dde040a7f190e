/**
 * The tab's Approvals page in headless Debian chromium against the real service and local tenant:
 * a manager sees a direct report's old and new photo side by side, rejects (a reason is required,
 * the server's localised refusal is shown), approves (the local tenant then holds the new photo),
 * all of it also with the keyboard only and in Finnish; axe finds no violations.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import type { ApprovalItemView, PhotoRequestView, TenantSettingsView } from '../../bot/src/api/tab-contract';
import { t as botT } from '../../bot/src/i18n/i18n';
import { DEMO_USERS } from '../../emulator';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { startHarness, type Harness } from '../support/headshot';
import { apiAs } from '../support/tab-api';
import { image } from '../support/photos';
import { axeViolations, openTab, screenshot } from '../support/tab-browser';
import { byRole, countByRole } from '../support/ax';

jest.setTimeout(90_000);

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

/** `userId` sends a photo from the tab API and submits it. */
async function submitPhoto(userId: string, file: string): Promise<PhotoRequestView> {
  const created = await api<PhotoRequestView>(
    userId,
    'POST',
    '/api/me/photo-requests?cropLeft=0&cropTop=0&cropSize=1200',
    image(file),
  );
  return api<PhotoRequestView>(userId, 'POST', `/api/me/photo-requests/${created.requestId}/submit`);
}

async function setRequiredFor(requiredFor: TenantSettingsView['approvalPolicy']['requiredFor']): Promise<void> {
  const view = await api<TenantSettingsView>(DEMO_USERS.patti, 'PUT', '/api/admin/settings', {
    approvalPolicy: { requiredFor },
  });
  expect(view.approvalPolicy.requiredFor).toBe(requiredFor);
}

async function graphPhoto(userId: string): Promise<{ bytes: number; etag: string } | null> {
  const state = await h.control<{ graph: { photo: { bytes: number; etag: string } | null } }>(
    'GET',
    `/_control/users/${userId}/photo-state`,
  );
  return state.graph.photo;
}

/** Opens the tab's Approvals page signed in (through the demo sign-in screen) as `displayName`. */
async function openApprovals(displayName: string, locale?: string): Promise<Page> {
  const context = await loopbackOnlyContext(browser);
  return openTab(context, h.service.url, { page: 'approvals', as: displayName, locale });
}

/** The entry of `name`'s request. */
function entry(page: Page, name: string): Locator {
  return page.getByRole('article', { name });
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** Presses Tab until `target` has the focus (a keyboard user's way there). */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((node) => node.matches(':focus'))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('the keyboard never reached the control');
}

test('a manager sees old and new photo, must give a reason to reject, and rejects', async () => {
  // Alex has a photo (applied while no approval was needed), then asks for a new one under "everyone".
  await setRequiredFor('nobody');
  expect((await submitPhoto(DEMO_USERS.alex, 'exif-orientation-examples/Portrait_1.jpg')).state).toBe('applied');
  await setRequiredFor('everyone');
  const request = await submitPhoto(DEMO_USERS.alex, 'exif-orientation-examples/Landscape_1.jpg');
  expect(request.state).toBe('pending_approval');

  const page = await openApprovals('Megan Bowen', 'en');
  await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
  const pending = page.locator('section[data-section="pending"]');
  await pending.getByRole('heading', { level: 2, name: 'Waiting for your decision' }).waitFor();
  const alex = pending.getByRole('article', { name: 'Alex Wilber' });
  await alex.waitFor();

  const oldPhoto = alex.getByRole('img', { name: 'Current profile photo of Alex Wilber' });
  const newPhoto = alex.getByRole('img', { name: 'New profile photo Alex Wilber asked for' });
  expect(await oldPhoto.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
  expect(await newPhoto.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
  expect(await oldPhoto.getAttribute('src')).not.toBe(await newPhoto.getAttribute('src'));
  await alex.getByText(/^Asked on .* · Decide by /).waitFor();
  await screenshot(page, 'tab-approvals-en');
  await expectNoAxeViolations(page);

  // Reject without a reason: the server's localised refusal, next to the reason field.
  const reason = alex.getByRole('textbox', { name: 'Reason (needed to reject; Alex Wilber will see it)' });
  await (await byRole(alex, 'button', { name: /^Reject/ })).click();
  await alex.getByText(botT('en', 'errors.approval.reason_required')).waitFor();
  expect(await reason.getAttribute('aria-invalid')).toBe('true');
  expect(await reason.evaluate((node) => node.matches(':focus'))).toBe(true);

  // The counter follows what is typed; the reason is capped at 500 characters.
  await reason.fill('Please use a photo where your face is visible.');
  await alex.getByText('46 of 500 characters').waitFor();
  expect(await reason.getAttribute('maxlength')).toBe('500');
  await (await byRole(alex, 'button', { name: /^Reject/ })).click();

  const decided = page.locator(`li[data-request-id="${request.requestId}"][data-state="rejected"]`);
  await decided.waitFor();
  await decided.getByText('Decided by Megan Bowen on', { exact: false }).waitFor();
  await decided.getByText('Please use a photo where your face is visible.', { exact: false }).first().waitFor();
  expect(await countByRole(decided, 'button')).toBe(0);
  const answer = (await api<ApprovalItemView[]>(DEMO_USERS.megan, 'GET', '/api/approvals?scope=decided')).find(
    (i) => i.requestId === request.requestId,
  );
  expect(answer).toMatchObject({ state: 'rejected', reason: 'Please use a photo where your face is visible.' });
  await page.locator('#live').getByText(answer!.message).waitFor();
  await screenshot(page, 'tab-approvals-rejected-en');
  await page.context().close();
});

test('keyboard only, in Finnish: approve one (the local tenant gets the photo) and reject another', async () => {
  await setRequiredFor('everyone');
  expect(await graphPhoto(DEMO_USERS.adele)).toBeNull();
  const adele = await submitPhoto(DEMO_USERS.adele, 'exif-orientation-examples/Portrait_1.jpg');
  const isaiah = await submitPhoto(DEMO_USERS.isaiah, 'exif-orientation-examples/Landscape_1.jpg');
  expect([adele.state, isaiah.state]).toEqual(['pending_approval', 'pending_approval']);

  // Megan's directory language is Finnish: no locale in the link.
  const page = await openApprovals('Megan Bowen');
  await page.getByRole('heading', { level: 1, name: 'Hyväksynnät' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Odottaa päätöstäsi' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('fi');
  const adeleEntry = entry(page, 'Adele Vance');
  const isaiahEntry = entry(page, 'Isaiah Langer');
  await adeleEntry.waitFor();
  await isaiahEntry.waitFor();
  await isaiahEntry.getByRole('img', { name: 'Uusi profiilikuva, jota Isaiah Langer pyytää' }).waitFor();
  await screenshot(page, 'tab-approvals-fi');
  await expectNoAxeViolations(page);

  // Approve Adele's with the keyboard.
  await page.locator('body').focus();
  await tabTo(page, await byRole(adeleEntry, 'button', { name: /^Hyväksy/ }));
  await page.keyboard.press('Enter');
  await page.locator(`li[data-request-id="${adele.requestId}"]:not([data-state="pending_approval"])`).waitFor();
  const deadline = Date.now() + 20_000;
  while (!(await graphPhoto(DEMO_USERS.adele)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(await graphPhoto(DEMO_USERS.adele)).toMatchObject({ bytes: expect.any(Number) });

  // Reject Isaiah's with the keyboard: reason field, then the Reject button.
  const reason = isaiahEntry.getByRole('textbox');
  await tabTo(page, reason);
  await page.keyboard.type('Kuva on sivuttain.');
  await tabTo(page, await byRole(isaiahEntry, 'button', { name: /^Hylkää/ }), 5);
  await page.keyboard.press('Space');
  const rejected = page.locator(`li[data-request-id="${isaiah.requestId}"][data-state="rejected"]`);
  await rejected.waitFor();
  await rejected.getByText('Kuva on sivuttain.', { exact: false }).first().waitFor();
  // The focus lands on the decided entry, so the keyboard user is not thrown to the top.
  expect(await rejected.locator('h3').evaluate((node) => node.matches(':focus'))).toBe(true);
  await screenshot(page, 'tab-approvals-decided-fi');
  await page.context().close();
});

test('a request closed meanwhile shows the server’s answer; a refusal is shown and the list refreshes', async () => {
  await setRequiredFor('everyone');
  const first = await submitPhoto(DEMO_USERS.alex, 'exif-orientation-examples/Portrait_1.jpg');
  const second = await submitPhoto(DEMO_USERS.isaiah, 'exif-orientation-examples/Portrait_1.jpg');
  expect([first.state, second.state]).toEqual(['pending_approval', 'pending_approval']);
  const page = await openApprovals('Megan Bowen', 'en');
  const alex = page.locator(`li[data-request-id="${first.requestId}"]`);
  await (await byRole(alex, 'button', { name: /^Approve/ })).waitFor();

  // Alex withdraws the request while Megan looks at it: her click gets the request as it now is.
  await api(DEMO_USERS.alex, 'POST', `/api/me/photo-requests/${first.requestId}/cancel`);
  const answered = page.waitForResponse((res) => res.url().includes(`/api/approvals/${first.requestId}/decision`));
  await (await byRole(alex, 'button', { name: /^Approve/ })).click();
  const answer = (await (await answered).json()) as ApprovalItemView;
  expect(answer).toMatchObject({ state: 'cancelled', canDecide: false });
  const closed = page.locator(`li[data-request-id="${first.requestId}"][data-state="cancelled"]`);
  await closed.getByText(answer.message).waitFor();
  expect(await countByRole(closed, 'button')).toBe(0);
  await page.locator('#live').getByText(answer.message).waitFor();

  // A refusal (here a 409 as the contract allows, made by the test): its message, then a fresh list.
  await page.route(`**/api/approvals/${second.requestId}/decision`, (route) =>
    route.fulfill({
      status: 409,
      json: { error: { code: 'approval.no_approver', message: 'Someone else has already decided on this photo.' } },
    }),
  );
  const isaiah = page.locator(`li[data-request-id="${second.requestId}"]`);
  const refreshed = page.waitForRequest((req) => req.url().endsWith('/api/approvals?scope=pending'));
  await (await byRole(isaiah, 'button', { name: /^Approve/ })).click();
  await page.getByRole('alert').filter({ hasText: 'Someone else has already decided on this photo.' }).waitFor();
  await refreshed;
  // The refreshed list no longer holds Alex's withdrawn request among the pending ones.
  await page
    .locator(`section[data-section="pending"] li[data-request-id="${first.requestId}"]`)
    .waitFor({ state: 'detached' });
  await page.locator(`section[data-section="decided"] li[data-request-id="${first.requestId}"]`).waitFor();
  await page.context().close();
});

test('the list refreshes itself every 15 seconds while shown, and stops when the page is left', async () => {
  await setRequiredFor('everyone');
  const context = await loopbackOnlyContext(browser);
  const page = await openTab(context, h.service.url, { page: 'photo', as: 'Megan Bowen', locale: 'en' });
  // Timers made from here on run on the test's clock: the page's refresh timer among them.
  await page.clock.install();
  const firstLoad = page.waitForResponse((res) => res.url().endsWith('/api/approvals?scope=pending'));
  await page.getByRole('link', { name: 'Approvals' }).click();
  await page.getByRole('heading', { level: 2, name: 'Waiting for your decision' }).waitFor();
  await firstLoad;

  const request = await submitPhoto(DEMO_USERS.adele, 'exif-orientation-examples/Landscape_1.jpg');
  const item = page.locator(`li[data-request-id="${request.requestId}"]`);
  await page.clock.fastForward(5_000);
  expect(await item.count()).toBe(0);
  await page.clock.fastForward(10_500);
  await (await byRole(item, 'button', { name: /^Approve/ })).waitFor();

  // Leave the page: no more calls to the approvals list.
  let calls = 0;
  page.on('request', (req) => {
    if (req.url().includes('/api/approvals?')) calls += 1;
  });
  await page.getByRole('link', { name: 'My photo' }).click();
  await page.clock.fastForward(60_000);
  await page.waitForTimeout(300);
  expect(calls).toBe(0);
  await context.close();
});
