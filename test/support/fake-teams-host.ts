/**
 * A stand-in for Teams (or Outlook, or the Microsoft 365 app) around the personal tab, for
 * browser tests: an HTML page that iframes the tab and answers the teams-js postMessage
 * protocol as a host does (teams-js 2.x, `dist/esm/.../internal/communication.js`):
 *
 *   tab -> host  { id, uuidAsString, func, args, apiVersionTag, ... }
 *   host -> tab  { id, uuidAsString, args }            (the answer to one request)
 *   host -> tab  { func: 'themeChange', args: [theme] } (a push)
 *
 * Answered: `initialize` (frame context, client type, runtime config), `getContext` (host name,
 * locale, theme), `authentication.getAuthToken` (a token the test minted at the local tenant).
 * Everything else is logged and left unanswered, as hosts do for what they do not support.
 *
 * The page is served from the real Teams origin (`https://teams.microsoft.com`) through a
 * Playwright route (no network): the tab's CSP `frame-ancestors` and teams-js' own list of
 * valid host origins both check the host's origin, and a loopback origin would pass neither.
 * With `silent`, the host never answers, like a page that frames the tab without being a host.
 */
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';

/** The origin the fake host pretends to be (in the tab's frame-ancestors and teams-js' valid origins). */
const FAKE_HOST_ORIGIN = 'https://teams.microsoft.com';

/** How the fake host behaves. */
export interface FakeHostOptions {
  /** `app.host.name` in the context: Teams (default), Outlook or Office. */
  hostName?: 'Teams' | 'Outlook' | 'Office';
  /** `app.locale`, e.g. `fi-FI` (default en-US). */
  locale?: string;
  /** `app.theme` (default 'default'). */
  theme?: 'default' | 'dark' | 'contrast';
  /** What `authentication.getAuthToken` answers; an Error makes it fail. */
  token?: string | Error;
  /** The frame context `initialize` reports: 'content' (a tab, default) or 'task' (a dialog). */
  frameContext?: 'content' | 'task';
  /** Never answer anything (a foreign frame): the tab must fall back to standalone. */
  silent?: boolean;
}

/** The tab, framed by the fake host. */
export interface FramedTab {
  /** The host page. */
  page: Page;
  /** The tab inside it. */
  tab: FrameLocator;
  /** The teams-js functions the tab called, in order. */
  calls(): Promise<string[]>;
  /** Pushes a theme change, as the host does when the person switches theme. */
  pushTheme(theme: 'default' | 'dark' | 'contrast'): Promise<void>;
}

function hostHtml(tabUrl: string, options: FakeHostOptions): string {
  const config = {
    tabOrigin: new URL(tabUrl).origin,
    silent: options.silent === true,
    frameContext: options.frameContext ?? 'content',
    hostName: options.hostName ?? 'Teams',
    locale: options.locale ?? 'en-US',
    theme: options.theme ?? 'default',
    token: typeof options.token === 'string' ? options.token : null,
    tokenError: options.token instanceof Error ? options.token.message : null,
  };
  // The JSON goes into a <script type="application/json">: escape "<" so it cannot close the element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake ${config.hostName}</title>
<style>body{margin:0}iframe{border:0;width:100%;height:100vh}</style></head>
<body>
<iframe id="tab" title="Headshot" src="${tabUrl.replace(/"/g, '&quot;')}"></iframe>
<script type="application/json" id="config">${json}</script>
<script>
const cfg = JSON.parse(document.getElementById('config').textContent);
const frame = document.getElementById('tab');
window.hostCalls = [];
const runtime = {
  apiVersion: 4,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  isLegacyTeams: false,
  supports: { app: { lifecycle: {} }, appInstallDialog: {}, dialog: { card: { bot: {} }, url: { bot: {} }, update: {} },
    pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teams: { fullTrust: {} } },
};
window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow) return;
  const m = event.data;
  if (!m || typeof m.func !== 'string') return;
  window.hostCalls.push(m.func);
  if (cfg.silent) return;
  const reply = (args) => event.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, event.origin);
  switch (m.func) {
    case 'initialize':
      reply([cfg.frameContext, 'web', JSON.stringify(runtime), '2.58.0']);
      break;
    case 'getContext':
      reply([{ hostName: cfg.hostName, locale: cfg.locale, theme: cfg.theme, frameContext: cfg.frameContext,
        hostClientType: 'web', appSessionId: 'fake-session', entityId: 'headshot', tid: 'fake' }]);
      break;
    case 'authentication.getAuthToken':
      reply(cfg.token ? [true, cfg.token] : [false, cfg.tokenError || 'resourceDisabled']);
      break;
    default:
      break;
  }
});
window.pushTheme = (theme) => frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, cfg.tabOrigin);
</script>
</body></html>`;
}

let hostPages = 0;

/** Opens `tabUrl` inside the fake host in a new page of `context` (which may stay loopback-only otherwise). */
export async function openInFakeHost(
  context: BrowserContext,
  tabUrl: string,
  options: FakeHostOptions = {},
): Promise<FramedTab> {
  hostPages += 1;
  const hostUrl = `${FAKE_HOST_ORIGIN}/_headshot-test/host-${hostPages}`;
  // Registered after the context's loopback-only route, so it wins for this one URL; nothing leaves the machine.
  await context.route(hostUrl, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostHtml(tabUrl, options) }),
  );
  // Chromium's Local Network Access checks stop a public origin from framing a loopback page unless permitted.
  await context.grantPermissions(['local-network-access'], { origin: FAKE_HOST_ORIGIN });
  const page = await context.newPage();
  await page.goto(hostUrl);
  return {
    page,
    tab: page.frameLocator('#tab'),
    calls: () => page.evaluate('window.hostCalls.slice()') as Promise<string[]>,
    pushTheme: async (theme) => {
      await page.evaluate(`window.pushTheme(${JSON.stringify(theme)})`);
    },
  };
}
