/**
 * The composition root: reads configuration, builds the adapters and wires them
 * by hand. `npm start` runs this file; tests call startHeadshot() directly.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { startLocalTenant, DEMO_APP, DEMO_TEAMS_APP_ID, DEMO_TENANT_ID, type LocalTenant } from '../../emulator';
import { loadConfig, ConfigError, type Config } from './config';
import type { Clock } from './core/ports';
import { PhotoService } from './core/photo/photo-service';
import { createLogger, type Logger } from './logger';
import { SharpImageProcessor } from './photo/sharp-image-processor';
import { openDatabase, type Db } from './store/database';
import { SqliteRequestRepository } from './store/sqlite-request-repository';
import { SqliteConversationStore } from './store/sqlite-conversation-store';
import { SqliteAuditLog } from './store/sqlite-audit-log';
import { getOrCreateSetting, randomSecret } from './store/sqlite-settings';
import { createGraphClient } from './m365/graph-client';
import { GraphProfilePhotos } from './m365/graph-profile-photos';
import { GuardedAttachmentFetcher } from './m365/attachment-fetcher';
import type { TokenSource } from './m365/token-source';
import { createTokenSource } from './m365/token-source-selection';
import { createBotFrameworkAuthentication } from './m365/bot-framework-auth';
import { CountingAuditLog, Metrics } from './metrics';
import { countProactiveSends } from './teams/counted-sends';
import { UploadRateLimiter } from './core/photo/upload-rate-limiter';
import { SsoValidator } from './api/sso-auth';
import { GraphRoleResolver } from './m365/graph-roles';
import { GraphDirectory } from './m365/graph-directory';
import { GraphAdminDirectory } from './m365/graph-admin-directory';
import { AdminPolicy } from './core/admin/admin-policy';
import { HeadshotBot } from './teams/headshot-bot';
import { editorLinksFor } from './teams/editor-links';
import { TeamsNotifier } from './teams/teams-notifier';
import { sendCard } from './teams/turn';
import { messageCard } from './teams/cards/message-card';
import { resolveLocale } from './i18n/i18n';
import { UploadTickets } from './api/upload-tickets';
import { AD_PHOTO_AUDIENCE } from './api/status-routes';
import { composeStatus } from './status-composition';
import { createServer } from './api/server';
import { startPlayground, type Playground } from './playground';
import { composeApprovals } from './approval-composition';
import type { ApprovalService } from './core/approval/approval-service';
import { LocalTenantClock } from './m365/local-tenant-clock';
import { composeAdmin, type AdminWiring } from './admin-composition';
import { DownloadTickets, adminDownloadLinks } from './api/download-tickets';
import { SqliteTenantSettingsStore } from './store/sqlite-tenant-settings';
import { composeTab } from './tab-composition';

/** Overrides for tests and tools. */
export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Use this already running local tenant instead of starting one (local mode). */
  localTenantUrl?: string;
  /** How long close() waits for background approval work before closing the database (default 5 s). */
  shutdownGraceMs?: number;
}

/** A running Headshot service. */
export interface RunningHeadshot {
  url: string;
  config: Readonly<Config>;
  localTenant?: LocalTenant;
  localTenantUrl?: string;
  playground?: Playground;
  photos: PhotoService;
  approvals: ApprovalService;
  /** Coverage and broadcasts (docs/broadcast.md). */
  admin: AdminWiring;
  db: Db;
  /** The HTTP server (route enumeration in tests). */
  server: Server;
  /** Counters behind GET /metrics. */
  metrics: Metrics;
  /** One scheduler tick now (tests, after moving the local tenant's clock): reminders, escalations, expiry, writes. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/** Starts the service (and, in local mode, the local tenant unless one is given). */
export async function startHeadshot(config: Readonly<Config>, options: StartOptions = {}): Promise<RunningHeadshot> {
  const logger = options.logger ?? createLogger(config.logLevel);

  let localTenant: LocalTenant | undefined;
  let localTenantUrl = options.localTenantUrl;
  if (config.mode === 'local' && !localTenantUrl) {
    localTenant = await startLocalTenant({ port: config.localTenantPort, host: '127.0.0.1', teamsRateLimits: true });
    localTenantUrl = localTenant.url;
  }
  // Local mode follows the local tenant's virtual clock, so that moving it moves reminders and expiry too.
  const tenantClock =
    config.mode === 'local' && !options.clock && localTenantUrl ? new LocalTenantClock(localTenantUrl) : undefined;
  await tenantClock?.sync();
  const clock = options.clock ?? tenantClock ?? systemClock;

  const db = openDatabase(path.join(config.dataDir, 'headshot.sqlite'));
  const requests = new SqliteRequestRepository(db);
  const conversations = new SqliteConversationStore(db);
  const metrics = new Metrics();
  const auditStore = new SqliteAuditLog(db);
  const audit = new CountingAuditLog(auditStore, metrics);
  // The admin's tab settings (legacy SharePoint push, reminder texts), read on every use.
  const tenantSettings = new SqliteTenantSettingsStore(db);

  const tokens: TokenSource = createTokenSource(config, { tenantId: DEMO_TENANT_ID, ...DEMO_APP }, localTenantUrl);
  const graph = createGraphClient({
    baseUrl: config.mode === 'local' ? (localTenantUrl as string) : config.graphBaseUrl,
    tokens,
  });

  // Local mode: no app id, no token checks (the Playground sends none). m365 mode: only Bot Framework channel
  // tokens for our app id get in, and replies are signed with a token from `tokens` (bot-framework-auth.ts).
  const noAuth: ConfigurationBotFrameworkAuthenticationOptions = {};
  const adapter = new CloudAdapter(
    config.mode === 'local'
      ? new ConfigurationBotFrameworkAuthentication(noAuth)
      : createBotFrameworkAuthentication({
          appId: config.bot.appId as string,
          tenantId: config.bot.tenantId as string,
          openIdMetadataUrl: config.botAuth.openIdMetadataUrl,
          tokenIssuer: config.botAuth.tokenIssuer,
          connectorScope: config.botAuth.connectorScope,
          authorityHost: config.authorityHost,
          tokens,
        }),
  );
  countProactiveSends(adapter, metrics);
  adapter.onTurnError = async (context, error) => {
    logger.error(
      { err: { message: error.message, name: error.name }, activityId: context.activity.id },
      'unhandled turn error',
    );
    await sendCard(
      context,
      messageCard(resolveLocale(context.activity.locale), {
        kind: 'error',
        messageKey: 'errors.internal',
        params: { correlationId: context.activity.id ?? '' },
      }),
    ).catch(() => undefined);
  };

  const notifier = new TeamsNotifier(adapter, config.bot.appId ?? '', conversations, logger);
  const { status, policy, sharePoint } = composeStatus({
    config,
    graph,
    tokens,
    localTenantUrl,
    audit,
    clock,
    legacyPush: () => tenantSettings.get().legacyPush,
  });
  const photos = new PhotoService({
    images: new SharpImageProcessor({
      maxBytes: config.photo.maxBytes,
      maxPixels: config.photo.maxPixels,
      minSide: config.photo.minSide,
      background: config.photo.background,
      concurrency: config.photo.concurrency,
      queueLimit: config.photo.queueLimit,
    }),
    photos: new GraphProfilePhotos(graph),
    requests,
    audit,
    clock,
    newId: () => crypto.randomUUID(),
    requestTtlMs: config.requestTtlHours * 3_600_000,
    notifier,
    policy,
    // With the tenant's legacy push on, every apply also writes SharePoint (a failure is audited, never undoes it).
    afterApply: (request) => status.afterApply(request.userId, request.userId, request.id),
  });

  const approvals = composeApprovals({
    config,
    db,
    graph,
    requests,
    audit,
    conversations,
    photos,
    clock,
    logger,
    adapter,
    localTenantUrl,
    localTeamsAppId: DEMO_TEAMS_APP_ID,
  });

  const admin = composeAdmin({
    config,
    metrics,
    db,
    graph,
    tokens,
    conversations,
    clock,
    logger,
    tenantId: config.mode === 'local' ? DEMO_TENANT_ID : (config.bot.tenantId as string),
    appClientId: config.mode === 'local' ? DEMO_APP.clientId : (config.bot.appId as string),
    sharePoint,
    localTenantUrl,
    localTeamsAppId: DEMO_TEAMS_APP_ID,
    dispatch: true,
    reminderTexts: () => tenantSettings.get().reminderTexts,
  });

  const ticketSecret = config.uploadTicketSecret ?? getOrCreateSetting(db, 'upload_ticket_secret', randomSecret);
  // Admin CSV downloads: signed links naming the admin and the file, valid 10 minutes.
  const downloadTickets = new DownloadTickets(ticketSecret, 10 * 60, () => clock.now());
  const tickets = new UploadTickets(ticketSecret, 30 * 60, () => clock.now());
  // Links to the AD-ready photo: signed like upload tickets, for another audience, valid 10 minutes.
  const adPhotoTickets = new UploadTickets(ticketSecret, 10 * 60, () => clock.now(), AD_PHOTO_AUDIENCE);
  const botTokens = config.mode === 'm365' ? tokens : undefined;
  const uploadLimiter = new UploadRateLimiter({
    perMinute: config.uploadRate.perMinute,
    burst: config.uploadRate.burst,
    now: () => clock.now().getTime(),
  });
  let publicBaseUrl = config.publicBaseUrl ?? '';
  const adminLinks = adminDownloadLinks(downloadTickets, () => publicBaseUrl);

  const bot = new HeadshotBot({
    photos,
    approvals,
    status,
    conversations,
    uploadLimiter,
    fetcher: new GuardedAttachmentFetcher({
      allowedHosts: config.download.allowedHosts,
      allowLoopback: config.download.allowLoopback,
      maxBytes: config.photo.maxBytes,
      timeoutMs: config.download.timeoutMs,
    }),
    uploadLink: async (user) => `${publicBaseUrl}/upload#ticket=${await tickets.issue(user)}`,
    // The editor opens as a dialog; elsewhere the personal tab's deep link (TEAMS_APP_ID, else the manifest id
    // package-app.ts uses), and in local mode the page itself, since there is no Teams to open a tab in.
    editorLinks: (user) =>
      editorLinksFor({
        publicBaseUrl,
        teamsAppId: config.mode === 'm365' ? (config.approvals.teamsAppId ?? config.bot.appId) : undefined,
        locale: user.locale,
      }),
    adPhotoLink: async (user) => ({
      url: `${publicBaseUrl}/api/status/ad-photo?ticket=${await adPhotoTickets.issue(user)}`,
      minutes: 10,
    }),
    botToken: botTokens ? () => botTokens.getToken('https://api.botframework.com/.default') : undefined,
    allowedTenantId: config.mode === 'm365' && config.bot.appType === 'SingleTenant' ? config.bot.tenantId : undefined,
    maxUploadMegabytes: Math.round(config.photo.maxBytes / 1048576),
    admin: {
      broadcasts: admin.broadcasts,
      coverage: admin.coverage,
      coverageStore: admin.coverageStore,
      downloadLink: (user, resource) => adminLinks(user.userId, resource),
      coverageMaxAgeMs: (config.coverage.refreshHours || 24) * 3_600_000,
      now: () => clock.now(),
    },
    clock,
    logger,
  });

  const access = composeAccess(config, graph, localTenantUrl);
  const server = createServer({
    adapter,
    bot,
    logger,
    upload: { photos, tickets, maxBytes: config.photo.maxBytes, rateLimiter: uploadLimiter },
    status: { status, tickets, adPhotoTickets },
    adminDownloads: { tickets: downloadTickets, broadcasts: admin.broadcasts, coverage: admin.coverageStore },
    health: () => ({ mode: config.mode }),
    access,
    // The tab's API needs the SSO check (always configured in local mode; in m365 mode from SSO_AUDIENCE or the app id).
    tab: access.sso
      ? composeTab({
          config,
          db,
          graph,
          photos,
          approvals,
          status,
          admin,
          roles: access.roles,
          audit,
          auditStore,
          settings: tenantSettings,
          uploadLimiter,
          clock,
          downloadLink: adminLinks,
          local:
            config.mode === 'local' && localTenantUrl
              ? { tenantUrl: localTenantUrl, clientId: DEMO_APP.clientId, teamsAppId: DEMO_TEAMS_APP_ID }
              : undefined,
        })
      : undefined,
    ops: {
      metrics,
      metricsToken: config.metrics.token,
      checks: {
        database: async () => void db.prepare('SELECT 1').get(),
        graphToken: async () => void (await tokens.getToken('https://graph.microsoft.com/.default')),
      },
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}`;
  if (!publicBaseUrl) publicBaseUrl = url;

  // Finish what a previous process left half done, then keep expiring stale previews.
  const resumed = await photos.resumeInterrupted().catch((err: Error) => {
    logger.error({ err: { message: err.message } }, 'resuming interrupted requests failed');
    return 0;
  });
  if (resumed > 0) logger.info({ resumed }, 'resumed interrupted photo requests');
  const sweeper = setInterval(() => {
    photos.expireDue().catch((err: Error) => logger.warn({ err: { message: err.message } }, 'expiry sweep failed'));
  }, 60_000);
  sweeper.unref();
  // Approvals: finish writes a crash interrupted, then the durable scheduler (due times live in SQLite).
  await approvals
    .resume()
    .catch((err: Error) => logger.error({ err: { message: err.message } }, 'resuming approvals failed'));
  // Coverage: take over scans a dead process left; refresh a stale one on the schedule. Broadcasts: the dispatcher.
  admin.coverage.resumeAbandoned();
  admin.dispatcher?.start(config.broadcast.pollMs);
  const refreshCoverage = (): void => {
    if (config.coverage.refreshHours <= 0) return;
    const latest = admin.coverage.view();
    const age = latest ? clock.now().getTime() - Date.parse(latest.finishedAt ?? latest.startedAt) : Infinity;
    if (latest?.state !== 'running' && age > config.coverage.refreshHours * 3_600_000) admin.coverage.start('schedule');
  };
  const tick = async (): Promise<void> => {
    await tenantClock?.sync();
    await approvals.tick();
    await photos.expireDue();
    refreshCoverage();
  };
  let ticking: Promise<void> | undefined;
  const scheduler = setInterval(() => {
    ticking ??= tick()
      .catch((err: Error) => logger.warn({ err: { message: err.message } }, 'approval tick failed'))
      .finally(() => (ticking = undefined));
  }, config.approvals.tickSeconds * 1000);
  scheduler.unref();

  const metricsLog =
    config.metrics.logSeconds > 0
      ? setInterval(() => logger.info({ metrics: metrics.snapshot() }, 'metrics'), config.metrics.logSeconds * 1000)
      : undefined;
  metricsLog?.unref();

  let playground: Playground | undefined;
  if (config.playground)
    playground = await startPlayground({ botEndpoint: `${url}/api/messages`, port: config.playgroundPort, logger });

  return {
    url,
    config,
    localTenant,
    localTenantUrl,
    playground,
    photos,
    approvals,
    admin,
    db,
    server,
    metrics,
    tick,
    async close() {
      clearInterval(sweeper);
      clearInterval(scheduler);
      clearInterval(metricsLog);
      await playground?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Work still running after the grace is abandoned like in a crash: the next start finishes it.
      await approvals.worker.work.drain(options.shutdownGraceMs ?? 5_000);
      // Broadcasts: with a grace, sends in flight are recorded and claimed jobs go back to the queue; without, a crash.
      await admin.dispatcher?.stop(options.shutdownGraceMs ?? 5_000);
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        admin.coverage.idle(),
        new Promise((r) => (graceTimer = setTimeout(r, options.shutdownGraceMs ?? 5_000))),
      ]);
      clearTimeout(graceTimer);
      db.close();
      await localTenant?.close();
    },
  };
}

/** The tab's SSO check and role answers (tab-sso routes): the tenant's Entra ID, or the local tenant's. */
function composeAccess(
  config: Readonly<Config>,
  graph: ReturnType<typeof createGraphClient>,
  localTenantUrl: string | undefined,
): { sso?: SsoValidator; roles: GraphRoleResolver } {
  const admins = new AdminPolicy(config.admins, new GraphAdminDirectory(graph, config.bot.appId ?? DEMO_APP.clientId));
  const roles = new GraphRoleResolver(new GraphDirectory(graph), admins);
  const audiences =
    config.mode === 'local' ? [`api://localhost/${DEMO_APP.clientId}`, DEMO_APP.clientId] : config.sso.audiences;
  if (audiences.length === 0) return { roles };
  const authorityHost = config.mode === 'local' ? (localTenantUrl as string) : config.authorityHost;
  const tenantId = config.mode === 'local' ? DEMO_TENANT_ID : (config.bot.tenantId as string);
  return { sso: new SsoValidator({ authorityHost, tenantId, audiences }), roles };
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const running = await startHeadshot(config, { logger });
  const lines = [
    '',
    `Headshot is running in ${config.mode} mode.`,
    `  Bot endpoint:   ${running.url}/api/messages`,
    `  Health:         ${running.url}/healthz`,
    `  Upload page:    ${running.url}/upload (open it from the bot's "Open the upload page" button)`,
    `  Personal tab:   ${running.url}/tab/index.html${
      config.mode === 'local' ? ' (outside Teams: sign in as one of the demo people)' : ''
    }`,
  ];
  if (running.localTenantUrl) lines.push(`  Local tenant:   ${running.localTenantUrl} (control API under /_control)`);
  if (running.playground)
    lines.push(
      `  Chat with it:   ${running.playground.url}  (Microsoft 365 Agents Playground; type "update my photo")`,
    );
  else if (config.mode === 'local') lines.push('  Playground:     off (PLAYGROUND=0)');
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`Headshot failed to start: ${err.message}\n`);
    process.exit(1);
  });
}
