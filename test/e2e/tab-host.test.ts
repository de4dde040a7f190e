/**
 * The personal tab framed by a host, in headless Debian chromium: a fake Teams / Outlook that
 * answers the teams-js protocol (fake-teams-host.ts) gives locale, theme and the SSO token, and
 * the tab follows them without the demo sign-in; a frame that never answers leaves the tab to
 * fall back to standalone within its timeout, still usable.
 */
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { DEMO_USERS } from '../../emulator';
import { MY_PHOTO_STRINGS } from '../../tab/src/pages/my-photo/my-photo-strings';
import { COMMON_STRINGS } from '../../tab/src/shell/common-strings';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { openInFakeHost, type FramedTab } from '../support/fake-teams-host';
import { IMAGES } from '../support/photos';
import { startHarness, type Harness } from '../support/headshot';
import { axeViolations, eventually, screenshot, ssoToken, tabUrl } from '../support/tab-browser';
import { byRole } from '../support/ax';

jest.setTimeout(90_000);

let h: Harness;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  h = await startHarness();
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

test('in Teams: the host’s locale, theme and token; theme changes are followed live', async () => {
  // Alex's own language is English: the host's Finnish wins.
  const token = await ssoToken(h.tenant.url, DEMO_USERS.alex);
  const host = await openInFakeHost(context, tabUrl(h.service.url), {
    hostName: 'Teams',
    locale: 'fi-FI',
    theme: 'dark',
    token,
  });
  const me = host.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me');
  await host.tab.getByRole('heading', { level: 1, name: MY_PHOTO_STRINGS.fi.title }).waitFor();
  const answer = await me;
  expect(answer.status()).toBe(200);
  expect(answer.request().headers()['authorization']).toBe(`Bearer ${token}`);
  expect(answer.request().headers()['accept-language']).toBe('fi');

  const html = host.tab.locator('html');
  expect(await html.getAttribute('lang')).toBe('fi');
  expect(await html.getAttribute('data-theme')).toBe('dark');
  expect(await html.getAttribute('data-host')).toBe('teams');
  expect(await host.tab.locator('ul.people').count()).toBe(0);
  expect(await host.tab.locator('#switch-person').isHidden()).toBe(true);
  await host.tab.locator('table.status-table').waitFor();
  await screenshot(host.page, 'tab-host-teams-fi-dark');

  await host.pushTheme('contrast');
  await eventually(
    () => html.getAttribute('data-theme'),
    (theme) => theme === 'contrast',
  );
  await screenshot(host.page, 'tab-host-teams-contrast');

  const calls = await eventually(
    () => host.calls(),
    (c) => c.includes('appInitialization.success'),
  );
  expect(calls).toEqual(
    expect.arrayContaining(['initialize', 'getContext', 'registerHandler', 'authentication.getAuthToken']),
  );
});

test('in Outlook: Polish, light, signed in by the host', async () => {
  const token = await ssoToken(h.tenant.url, DEMO_USERS.megan);
  const host = await openInFakeHost(context, tabUrl(h.service.url), { hostName: 'Outlook', locale: 'pl-PL', token });
  await host.tab.getByRole('heading', { level: 1, name: MY_PHOTO_STRINGS.pl.title }).waitFor();
  const html = host.tab.locator('html');
  expect(await html.getAttribute('data-host')).toBe('outlook');
  expect(await html.getAttribute('data-theme')).toBe('default');
  await host.tab.locator('table.status-table').waitFor();
  // Megan approves photos: the navigation offers her the Approvals page too.
  await host.tab.getByRole('navigation').getByRole('link', { name: COMMON_STRINGS.pl['nav.photo'] }).waitFor();
  expect(await host.tab.getByRole('link', { name: COMMON_STRINGS.pl['nav.photo'] }).getAttribute('aria-current')).toBe(
    'page',
  );
  expect(await axeViolations(host.page)).toEqual([]);
});

/** Focuses the element in the framed tab and presses Enter (pointer actions fail in cross-origin frames here). */
async function press(host: FramedTab, selector: string): Promise<void> {
  await host.tab.locator(selector).focus();
  await host.page.keyboard.press('Enter');
}

test('in a Teams dialog: once the photo is applied, Done closes the dialog', async () => {
  const token = await ssoToken(h.tenant.url, DEMO_USERS.adele);
  const host = await openInFakeHost(context, tabUrl(h.service.url, { query: { dialog: '1' } }), {
    token,
    frameContext: 'task',
  });
  await host.tab.locator('#drop-zone').waitFor();
  await host.tab.locator('#photo-file').setInputFiles(path.join(IMAGES, 'exif-orientation-examples/Portrait_3.jpg'));
  await host.tab.locator('.cropper-container').waitFor();
  await press(host, '#editor-submit');
  await press(host, '#use-photo');
  await host.tab.locator('.request-state[data-state="applied"]').waitFor();
  await press(host, `fluent-button:text-is("${MY_PHOTO_STRINGS.en['request.done']}")`);
  await eventually(
    () => host.calls(),
    (calls) => calls.includes('tasks.completeTask'),
  );
});

test('a host that refuses the token: a localised message and a way to try again', async () => {
  const host = await openInFakeHost(context, tabUrl(h.service.url), {
    locale: 'nl-NL',
    token: new Error('resourceDisabled'),
  });
  await host.tab.getByText(COMMON_STRINGS.nl.hostAuthFailed).waitFor();
  await (await byRole(host.tab, 'button', { name: COMMON_STRINGS.nl.tryAgain })).waitFor();
});

test('a frame that never answers: standalone within the timeout, and the page still works', async () => {
  const started = Date.now();
  const host = await openInFakeHost(context, tabUrl(h.service.url), { silent: true });
  await host.tab.getByRole('heading', { level: 1, name: COMMON_STRINGS.en.signInTitle }).waitFor({ timeout: 10_000 });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await host.tab.locator('html').getAttribute('data-host')).toBe('standalone');
  expect(await host.calls()).toContain('initialize');

  // Keys, not a mouse click: Playwright's pointer actions fail inside a cross-origin frame here ("Object not disposable").
  await (await byRole(host.tab, 'button', { name: 'Alex Wilber', exact: true })).focus();
  await host.page.keyboard.press('Enter');
  await host.tab.getByRole('heading', { level: 1, name: MY_PHOTO_STRINGS.en.title }).waitFor();
  await host.tab.locator('table.status-table').waitFor();
  await screenshot(host.page, 'tab-host-silent-standalone');
});
