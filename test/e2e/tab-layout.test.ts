/**
 * Every screen of the tab at phone width (360 px) and desktop width (1400 px), in Teams' light, dark and
 * high-contrast themes: no sideways scrolling, no axe violation, no unnamed control, and a screenshot of
 * each in test-results/ (tab-layout-<view>-<width>-<theme>.png).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, loopbackOnlyContext } from '../support/browser';
import { startHarness, type Harness } from '../support/headshot';
import { axeViolations, openTab, screenshot } from '../support/tab-browser';

jest.setTimeout(120_000);

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const WIDTHS = [360, 1400] as const;
const THEMES = ['light', 'dark', 'contrast'] as const;
type Theme = (typeof THEMES)[number];

/** What the browser tells the page: Teams' theme follows it outside a host (forced colours for high contrast). */
async function contextFor(width: number, theme: Theme): Promise<BrowserContext> {
  const context = await loopbackOnlyContext(browser, {
    viewport: { width, height: 900 },
    colorScheme: theme === 'light' ? 'light' : 'dark',
    forcedColors: theme === 'contrast' ? 'active' : 'none',
  });
  return context;
}

/** The views: what to open, and what to wait for before measuring. */
const VIEWS: Array<{ name: string; open: (context: BrowserContext) => Promise<Page> }> = [
  {
    name: 'sign-in',
    open: async (context) => {
      const page = await openTab(context, h.service.url);
      await page.locator('ul.people').waitFor();
      return page;
    },
  },
  {
    name: 'photo',
    open: async (context) => {
      const page = await openTab(context, h.service.url, { as: 'Alex Wilber' });
      await page.locator('table.status-table').waitFor();
      return page;
    },
  },
  {
    name: 'approvals',
    open: async (context) => {
      const page = await openTab(context, h.service.url, { page: 'approvals', as: 'Megan Bowen' });
      await page.locator('main h2').first().waitFor();
      return page;
    },
  },
  ...(['coverage', 'reminders', 'audit', 'settings'] as const).map((section) => ({
    name: `admin-${section}`,
    open: async (context: BrowserContext) => {
      const page = await openTab(context, h.service.url, {
        page: 'admin',
        as: 'Patti Fernandez',
        query: { section },
      });
      await page.locator(`[role="tabpanel"][data-section="${section}"]:not([hidden])`).waitFor();
      return page;
    },
  })),
];

describe.each(VIEWS)('$name', ({ name, open }) => {
  test.each(THEMES)('fits 360 and 1400 px with no axe violation, %s', async (theme) => {
    for (const width of WIDTHS) {
      const context = await contextFor(width, theme);
      const page = await open(context);
      await page.waitForLoadState('networkidle');
      const scroll = await page.evaluate(() => {
        // Runs in the page (tests compile without the DOM types).
        const root = (
          globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
        ).document.documentElement;
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
      });
      await screenshot(page, `tab-layout-${name}-${width}-${theme}`);
      expect({ width, theme, ...scroll }).toEqual({
        width,
        theme,
        scrollWidth: scroll.clientWidth,
        clientWidth: width,
      });
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    }
  });
});
