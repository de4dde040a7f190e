/**
 * The one place that decides local or Microsoft 365 (design.md: "two ways to run, one code path").
 * Everything that differs between the two is resolved here into plain values and adapters; the
 * rest of the wiring, and the product, only read the result.
 *
 * - local: the local tenant (Graph, token issuer, SharePoint under `/sp`, Bot Connector) on
 *   loopback, the demo organisation's tenant and app ids, the demo app's certificate, no checks of
 *   incoming Bot Framework tokens (the Playground sends none) but the bot's token on every connector
 *   call, the demo sign-in.
 * - m365: the tenant's Entra ID, Graph, SharePoint and the Teams Bot Connector, with the app's
 *   credentials; Bot Framework channel tokens checked on every activity.
 */
import type { CloudAdapter } from 'botbuilder';
import { DEMO_APP, DEMO_TEAMS_APP_ID, DEMO_TENANT_ID } from '../../../emulator';
import type { Config } from '../config';
import type { StoredConversation } from '../core/conversations/conversation-ports';
import { localCertificate } from '../local/local-certificate';
import { createBotFrameworkAuthentication, createLocalBotAuthentication } from '../m365/bot-framework-auth';
import type { TokenSource } from '../m365/token-source';
import { createTokenSource } from '../m365/token-source-selection';

/** What local or Microsoft 365 mode means for the wiring. */
export interface Mode {
  kind: 'local' | 'm365';
  /** Local mode: the local tenant's URL. */
  localTenantUrl?: string;
  /** The tenant served. */
  tenantId: string;
  /** Headshot's app (client) id: its service principal holds the admin app role; SSO audience. */
  appClientId: string;
  /** Headshot's bot id (`28:<id>` in Teams). */
  botAppId: string;
  /** Headshot's id in the tenant's app catalog, to install it for people; absent: nobody is installed for. */
  catalogAppId?: string;
  /** The app id in the personal tab's deep link (m365; local mode has no Teams to open a tab in). */
  deepLinkAppId?: string;
  graphBaseUrl: string;
  /** Tokens for Graph, SharePoint and the Bot Connector. */
  tokens: TokenSource;
  /** A bearer for the Bot Connector (the local tenant's connector asks for one too). */
  connectorToken?: () => Promise<string>;
  /** SharePoint's My Site Host and the token resource for it, when SharePoint is in use. */
  sharePoint?: { mySiteUrl: string; resource: string };
  /** The tab's SSO check: authority, tenant and the audiences accepted (none: the tab API is off). */
  sso: { authorityHost: string; tenantId: string; audiences: string[] };
  /** Single-tenant deployments serve activities from their own tenant only. */
  allowedTenantId?: string;
  /** Local mode: the demo sign-in (people and tokens from the local tenant). */
  localSignIn?: { tenantUrl: string; clientId: string };
  /**
   * The Bot Connector for chats Headshot opens itself: local, the local tenant; m365, TEAMS_SERVICE_URL, else a
   * conversation's service URL (`hint`, then the newest stored): Teams serves a tenant from one region.
   */
  serviceUrl(
    hint: StoredConversation | null | undefined,
    newest: () => Promise<string | undefined>,
  ): Promise<string | undefined>;
  /** How activities on /api/messages are authenticated and replies signed. */
  botAuthentication(): BotFrameworkAuthentication;
}

/** The Bot Connector's token audience in the public cloud (and in the local tenant). */
const BOT_CONNECTOR_SCOPE = 'https://api.botframework.com';

/** What CloudAdapter authenticates with. */
type BotFrameworkAuthentication = NonNullable<ConstructorParameters<typeof CloudAdapter>[0]>;

/**
 * Resolves the mode of `config`. `localTenantUrl` is the local tenant in use (local mode: the one the service
 * started, or the one a command talks to); `now` the service's time, which in local mode follows the local
 * tenant's virtual clock (token lifetimes are on that clock).
 */
export function resolveMode(config: Readonly<Config>, localTenantUrl?: string, now?: () => number): Mode {
  if (config.mode === 'local') {
    const url = localTenantUrl ?? config.graphBaseUrl;
    const tokens = createTokenSource(
      config,
      { tenantId: DEMO_TENANT_ID, ...DEMO_APP, assertion: localCertificate(url, DEMO_APP.clientId), now },
      url,
    );
    const mySiteUrl = config.sharePoint.mySiteUrl ?? `${url}/sp`;
    return {
      kind: 'local',
      localTenantUrl: url,
      tenantId: DEMO_TENANT_ID,
      appClientId: DEMO_APP.clientId,
      botAppId: config.bot.appId ?? 'headshot-bot',
      catalogAppId: config.approvals.teamsAppId ?? DEMO_TEAMS_APP_ID,
      graphBaseUrl: url,
      tokens,
      connectorToken: () => tokens.getToken(`${BOT_CONNECTOR_SCOPE}/.default`),
      // The local tenant accepts its My Site URL as the token audience.
      sharePoint: { mySiteUrl, resource: config.sharePoint.resource ?? mySiteUrl },
      sso: {
        authorityHost: url,
        tenantId: DEMO_TENANT_ID,
        audiences: [`api://localhost/${DEMO_APP.clientId}`, DEMO_APP.clientId],
      },
      localSignIn: { tenantUrl: url, clientId: DEMO_APP.clientId },
      serviceUrl: async () => url,
      // The Playground sends no tokens; replies to the local tenant's connector carry the bot's, as in Teams.
      botAuthentication: () =>
        createLocalBotAuthentication({ tokens, connectorScope: BOT_CONNECTOR_SCOPE, signFor: url }),
    };
  }
  const appId = config.bot.appId as string;
  const tenantId = config.bot.tenantId as string;
  const tokens = createTokenSource(config, { tenantId: DEMO_TENANT_ID, ...DEMO_APP });
  const mySiteUrl = config.sharePoint.mySiteUrl;
  return {
    kind: 'm365',
    tenantId,
    appClientId: appId,
    botAppId: appId,
    catalogAppId: config.approvals.teamsAppId,
    deepLinkAppId: config.approvals.teamsAppId ?? appId,
    graphBaseUrl: config.graphBaseUrl,
    tokens,
    connectorToken: () => tokens.getToken(`${config.botAuth.connectorScope}/.default`),
    sharePoint: mySiteUrl
      ? { mySiteUrl, resource: config.sharePoint.resource ?? new URL(mySiteUrl).origin }
      : undefined,
    sso: { authorityHost: config.authorityHost, tenantId, audiences: config.sso.audiences },
    allowedTenantId: config.bot.appType === 'SingleTenant' ? tenantId : undefined,
    serviceUrl: async (hint, newest) => config.broadcast.serviceUrl ?? hint?.serviceUrl ?? (await newest()),
    botAuthentication: () =>
      createBotFrameworkAuthentication({
        appId,
        tenantId,
        openIdMetadataUrl: config.botAuth.openIdMetadataUrl,
        tokenIssuer: config.botAuth.tokenIssuer,
        connectorScope: config.botAuth.connectorScope,
        authorityHost: config.authorityHost,
        tokens,
      }),
  };
}
