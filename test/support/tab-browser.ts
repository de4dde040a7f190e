/**
 * The personal tab in a browser, for e2e tests of its pages:
 *
 *   const page = await openTab(context, h.service.url, { page: 'approvals', as: 'Megan Bowen' });
 *
 * opens /tab/index.html standalone (the local demo sign-in) and signs in through the UI as the
 * demo person with that display name. Also: an SSO token minted by the local tenant (for a fake
 * host or a direct API call), an axe-core check, and screenshots into test-results/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import type { Harness } from './headshot';
import { byRole, unnamedControls } from './ax';
import { tokenFor } from './tab-api';

/** Where screenshots go (git-ignored). */
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results');

/** How to open the tab. */
export interface OpenTabOptions {
  /** `?page=` (default photo). */
  page?: 'photo' | 'approvals' | 'admin';
  /** Sign in as this demo person (display name, e.g. "Alex Wilber"); absent: stay on the sign-in screen. */
  as?: string;
  /** `?locale=` (e.g. `fi`): the language regardless of the person's preferred one. */
  locale?: string;
  /** More query parameters (e.g. `{ dialog: '1' }`). */
  query?: Record<string, string>;
}

/** The tab's URL on the service at `baseUrl`. */
export function tabUrl(baseUrl: string, options: Omit<OpenTabOptions, 'as'> = {}): string {
  const q = new URLSearchParams({ page: options.page ?? 'photo', ...options.query });
  if (options.locale) q.set('locale', options.locale);
  return `${baseUrl}/tab/index.html?${q.toString()}`;
}

/** Opens the tab in a new page of `context`, signed in through the demo sign-in screen when `as` is given. */
export async function openTab(context: BrowserContext, baseUrl: string, options: OpenTabOptions = {}): Promise<Page> {
  const page = await context.newPage();
  await page.goto(tabUrl(baseUrl, options));
  if (options.as) await signInAs(page, options.as);
  return page;
}

/** Picks the demo person on the sign-in screen and waits for the page to replace it. */
async function signInAs(page: Page, displayName: string): Promise<void> {
  await (await byRole(page, 'button', { name: displayName, exact: true })).click();
  await page.locator('ul.people').waitFor({ state: 'detached' });
  await page.locator('main h1').waitFor();
}

/** An SSO token for the tab minted by the local tenant for a user (what a host's getAuthToken gives). */
export function ssoToken(tenantUrl: string, userId: string): Promise<string> {
  return tokenFor({ tenant: { url: tenantUrl } } as Pick<Harness, 'tenant'>, userId);
}

/**
 * axe-core's violations on the page (WCAG 2.x A/AA), as "rule: target" lines to assert empty, plus every control
 * Chromium exposes without a name.
 *
 * axe-core does not read roles and states that Fluent web components set through ElementInternals (a
 * `<fluent-radio>` is a radio to Chromium, a role-less element to axe, so its `aria-posinset` looks misplaced,
 * and a disabled `<fluent-button>` looks enabled, so its dimmed text fails contrast, which WCAG 1.4.3 exempts
 * for inactive controls). Those elements are left out of axe's run; `unnamedControls` checks them from
 * Chromium's own accessibility tree instead.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('fluent-radio')
    .exclude('fluent-button[disabled]')
    // The same inside the tab's frame when a fake host shows it.
    .exclude(['iframe', 'fluent-radio'])
    .exclude(['iframe', 'fluent-button[disabled]'])
    .analyze();
  const axe = result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary ?? ''})`),
  );
  return [...axe, ...(await unnamedControls(page)).map((c) => `unnamed control: ${c}`)];
}

/** Reads `read()` until `ok` holds (every 100 ms, at most `timeoutMs`); returns the last value or throws with it. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Saves a screenshot as test-results/<name>.png: the full page, or with `viewport` what is on screen (a modal
 * dialog's backdrop covers the screen, not the whole page).
 */
export async function screenshot(page: Page, name: string, options: { viewport?: boolean } = {}): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  // Transitions (a Fluent dialog fading in) run to their end first, so the picture shows what people see.
  await page.screenshot({ path: file, fullPage: !options.viewport, animations: 'disabled' });
  return file;
}
