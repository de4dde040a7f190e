/**
 * The composition root: builds the adapters for the resolved mode (mode.ts) and wires the
 * service by hand, like Company Communicator's Startup.cs. `npm start` reaches it through
 * main.ts; tests call startHeadshot() directly.
 */
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { CloudAdapter } from 'botbuilder';
import type { Config } from '../config';
import { systemClock, type Clock } from '../core/clock';
import { ReminderOpenings } from '../core/broadcast/funnel';
import { SqlFunnelStore } from '../store/broadcast/sql-funnel';
import { PhotoService } from '../core/photo/photo-service';
import type { ApprovalService } from '../core/approval/approval-service';
import { UploadRateLimiter } from '../core/photo/upload-rate-limiter';
import type { AdminPolicy } from '../core/admin/admin-policy';
import { createLogger, type Logger } from '../logger';
import { faceCheckOf } from '../core/coverage/photo-age';
import type { SqlDb } from '../store/sql/sql-db';
import { SqlRequestRepository } from '../store/sql-request-repository';
import { SqlRequestCardStore } from '../store/sql-request-cards';
import { SqlConversationStore } from '../store/sql-conversation-store';
import { SqlAuditLog } from '../store/sql-audit-log';
import { SqlTenantSettingsStore } from '../store/sql-tenant-settings';
import { getOrCreateSetting, randomSecret } from '../store/sql-settings';
import { openConfiguredStore } from './compose-store';
import { createGraphClient } from '../m365/graph-client';
import { GraphProfilePhotos } from '../m365/graph-profile-photos';
import { GuardedAttachmentFetcher } from '../m365/attachment-fetcher';
import { BotConnectorClient } from '../m365/bot-connector-client';
import { GraphAppInstaller } from '../m365/graph-app-installer';
import { GraphRoleResolver } from '../m365/graph-roles';
import { GraphDirectory } from '../m365/graph-directory';
import { CountingAuditLog, Metrics } from '../metrics';
import { TeamsOutbox } from '../outbox/teams-outbox';
import { HeadshotBot } from '../teams/headshot-bot';
import { editorLinksFor } from '../teams/editor-links';
import { TeamsPhotoNotifier } from '../teams/proactive/photo-notifier';
import { TeamsRequestCards } from '../teams/proactive/request-cards';
import { sendCard } from '../teams/turn';
import { messageCard } from '../teams/cards/message-card';
import { resolveLocale } from '../i18n/i18n';
import { SsoValidator } from '../api/sso-auth';
import { SignedLinks, adPhotoLink, adminDownloadLink, localSignInLink, uploadLink } from '../api/signed-links';
import { isPlaygroundConnector } from '../local/playground';
import { adminDownloadLinks } from '../api/download-links';
import { createServer } from '../api/server';
import { startLocal, type LocalParts } from '../local/local-parts';
import { composeStatus } from './compose-status';
import { composeApprovals } from './compose-approvals';
import { composeAdmin, type AdminWiring } from './compose-admin';
import { composeTab } from './compose-tab';
import { resolveMode, type Mode } from './mode';
import { startBackground } from './timers';
import { composeFollowThrough } from './compose-follow-through';
import { composeImport, configuredPipeline, startImportWorker, type ImportWiring } from './compose-import';
import type { FollowUpStore } from '../core/status/follow-through-types';

/** Overrides for tests and tools. */
export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Use this already running local tenant instead of starting one (local mode). */
  localTenantUrl?: string;
  /** How long close() waits for background work before closing the database (default 5 s). */
  shutdownGraceMs?: number;
}

/** A running Headshot service. */
export interface RunningHeadshot extends LocalParts {
  url: string;
  config: Readonly<Config>;
  photos: PhotoService;
  approvals: ApprovalService;
  /** Coverage and broadcasts (docs/broadcast.md). */
  admin: AdminWiring;
  /** Follow-ups of photo changes (the time-to-visible report). */
  followUps: FollowUpStore;
  /** Bulk import (docs/import.md). */
  imports: ImportWiring;
  /** The store (SQLite or PostgreSQL). */
  db: SqlDb;
  /** The HTTP server (route enumeration in tests). */
  server: Server;
  /** Counters behind GET /metrics. */
  metrics: Metrics;
  /** One scheduler tick now (tests, after moving the local tenant's clock): reminders, escalations, expiry, writes. */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the service (and, in local mode, the local tenant unless one is given). */
export async function startHeadshot(config: Readonly<Config>, options: StartOptions = {}): Promise<RunningHeadshot> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Local mode: the local tenant (started here unless given), whose virtual clock the service follows.
  const local = config.mode === 'local' ? await startLocal(config, options) : undefined;
  const clock = options.clock ?? local?.clock ?? systemClock;
  const mode = resolveMode(config, local?.localTenantUrl, () => clock.now().getTime());

  let db: SqlDb;
  try {
    db = await openConfiguredStore(config);
  } catch (err) {
    await local?.localTenant?.close();
    throw err;
  }
  const requests = new SqlRequestRepository(db);
  const conversations = new SqlConversationStore(db);
  const metrics = new Metrics();
  const auditStore = new SqlAuditLog(db);
  const audit = new CountingAuditLog(auditStore, metrics);
  // The admin's tab settings (legacy SharePoint push, reminder texts), read on every use.
  const tenantSettings = new SqlTenantSettingsStore(db);
  const graph = createGraphClient({ baseUrl: mode.graphBaseUrl, tokens: mode.tokens });

  const adapter = new CloudAdapter(mode.botAuthentication());
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
  // Everything proactive (previews from the upload page, outcomes, approval cards, reminders, progress cards).
  const outbox = new TeamsOutbox({
    connector: new BotConnectorClient({ token: mode.connectorToken }),
    conversations,
    installer: mode.catalogAppId ? new GraphAppInstaller(graph, mode.catalogAppId) : undefined,
    serviceUrl: (hint) => mode.serviceUrl(hint, () => conversations.newestServiceUrl()),
    botAppId: mode.botAppId,
    tenantId: mode.tenantId,
    now: () => clock.now(),
    metrics,
  });

  // Every preview card sent, so that it closes in place when its request is over.
  // People who come back after a reminder (the bot, the tab): the "opened" step of campaign funnels.
  const reminderOpenings = new ReminderOpenings(
    new SqlFunnelStore(db),
    () => clock.now(),
    (err) => logger.warn({ err: { message: (err as Error)?.message ?? String(err) } }, 'reminder opened'),
  );
  const previewCards = new TeamsRequestCards(new SqlRequestCardStore(db), outbox, logger, () => clock.now());

  const { status, policy, sharePoint, evidence } = composeStatus({
    config,
    graph,
    mode,
    audit,
    clock,
    legacyPush: async () => (await tenantSettings.get()).legacyPush,
    applied: async (userId, photo, at) =>
      follow.afterApplyAgain(userId, photo, at, (await conversations.get(userId))?.locale),
  });
  // Follow-through: after every photo write, check each system until it shows the new photo.
  const follow = composeFollowThrough({
    config,
    db,
    evidence,
    sharePoint,
    status: () => status,
    outbox,
    clock,
    logger,
  });
  // The pipeline, with the face check's detector (a worker thread, stopped with the service).
  const { images, faces } = configuredPipeline(config);
  const photos = new PhotoService({
    images,
    photos: new GraphProfilePhotos(graph),
    requests,
    audit,
    clock,
    newId: () => crypto.randomUUID(),
    requestTtlMs: config.requestTtlHours * 3_600_000,
    notifier: new TeamsPhotoNotifier(outbox, logger, previewCards),
    cards: previewCards,
    policy,
    guidelines: async () => (await tenantSettings.get()).faceRules,
    // With the tenant's legacy push on, every apply also writes SharePoint (a failure is audited, never undoes it).
    // And the photo's age starts now (refresh reminders); a failure there only leaves the age unknown.
    afterApply: async (request, photo) => {
      await status.afterApply(request.userId, request.userId, request.id);
      await follow.afterApply(request, photo);
      await admin.photoAges
        .applied(request.userId, photo, faceCheckOf(request))
        .catch((err: unknown) =>
          logger.warn({ err: { message: (err as Error)?.message ?? String(err) } }, 'photo age'),
        );
    },
  });
  const approvals = composeApprovals({ db, graph, requests, audit, conversations, photos, clock, logger, outbox });
  // Bulk import: the service checks uploads and writes every import (docs/import.md).
  const imports = composeImport({
    config,
    db,
    graph,
    tenantId: mode.tenantId,
    images,
    audit,
    clock,
    policy,
    guidelines: async () => (await tenantSettings.get()).faceRules,
    photos,
    approvals,
  });
  const admin = composeAdmin({
    config,
    metrics,
    db,
    graph,
    mode,
    conversations,
    clock,
    logger,
    sharePoint,
    outbox,
    audit,
    reminderTexts: async () => (await tenantSettings.get()).reminderTexts,
    refreshSetting: async () => (await tenantSettings.get()).refreshReminders,
  });

  const ticketSecret =
    config.uploadTicketSecret ?? (await getOrCreateSetting(db, 'upload_ticket_secret', randomSecret));
  // Signed links: the upload page (30 minutes), the AD-ready photo and admin CSV downloads (10 minutes each).
  const now = (): Date => clock.now();
  const tickets = new SignedLinks(ticketSecret, uploadLink(), now);
  const adPhotoTickets = new SignedLinks(ticketSecret, adPhotoLink(), now);
  const downloadTickets = new SignedLinks(ticketSecret, adminDownloadLink(), now);
  const signInTickets = mode.localSignIn ? new SignedLinks(ticketSecret, localSignInLink(), now) : undefined;
  const uploadLimiter = new UploadRateLimiter({
    perMinute: config.uploadRate.perMinute,
    burst: config.uploadRate.burst,
    now: () => clock.now().getTime(),
  });
  const scanLimiter = new UploadRateLimiter({
    perMinute: config.uploadRate.perMinute * 2,
    burst: config.uploadRate.burst * 2,
    now: () => clock.now().getTime(),
  });
  let publicBaseUrl = config.publicBaseUrl ?? '';
  const adminLinks = adminDownloadLinks(downloadTickets, () => publicBaseUrl);

  const bot = new HeadshotBot({
    photos,
    approvals,
    status,
    conversations,
    previewCards,
    reminderOpenings,
    uploadLimiter,
    fetcher: new GuardedAttachmentFetcher({
      allowedHosts: config.download.allowedHosts,
      allowLoopback: config.download.allowLoopback,
      maxBytes: config.photo.maxBytes,
      timeoutMs: config.download.timeoutMs,
    }),
    uploadLink: async (user) => `${publicBaseUrl}/upload#ticket=${await tickets.issue(user)}`,
    // The editor opens as a dialog; elsewhere the personal tab's deep link, and in local mode the page itself.
    editorLinks: async (user, serviceUrl) =>
      editorLinksFor({
        publicBaseUrl,
        teamsAppId: mode.deepLinkAppId,
        locale: user.locale,
        signInTicket: await signInTickets?.issue(user),
        dialogs: !(config.mode === 'local' && isPlaygroundConnector(serviceUrl)),
      }),
    adPhotoLink: async (user) => ({
      url: `${publicBaseUrl}/api/status/ad-photo?ticket=${await adPhotoTickets.issue(user)}`,
      minutes: adPhotoTickets.ttlSeconds / 60,
    }),
    botToken: mode.connectorToken,
    allowedTenantId: mode.allowedTenantId,
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

  const access = {
    ...composeAccess(graph, mode, admin.admins, local?.clock ?? systemClock),
    onCaller: (id: string) => reminderOpenings.seen(id),
  };
  const server = createServer({
    adapter,
    bot,
    logger,
    upload: { photos, tickets, maxBytes: config.photo.maxBytes, rateLimiter: uploadLimiter },
    status: { status, tickets, adPhotoTickets },
    adminDownloads: {
      tickets: downloadTickets,
      broadcasts: admin.broadcasts,
      coverage: admin.coverageStore,
      faceChecks: (userIds) => admin.photoAges.faceChecks(userIds),
      imports: imports.service,
    },
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
          followUps: follow.store,
          roles: access.roles,
          audit,
          auditStore,
          settings: tenantSettings,
          uploadLimiter,
          scanLimiter,
          clock,
          downloadLink: adminLinks,
          mode,
          signInLinks: signInTickets,
          imports,
        })
      : undefined,
    ops: {
      metrics,
      metricsToken: config.metrics.token,
      checks: {
        database: () => db.ping(),
        graphToken: async () => void (await mode.tokens.getToken('https://graph.microsoft.com/.default')),
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

  const background = await startBackground({
    config,
    photos,
    approvals,
    admin,
    followThrough: follow.followThrough,
    metrics,
    clock,
    syncClock: local?.clock ? () => local.clock!.sync() : undefined,
    logger,
  });
  const importWorker = startImportWorker(imports, { pollMs: config.import.pollMs, logger });
  const playground = await local?.startPlayground(`${url}/api/messages`, logger);

  return {
    url,
    config,
    localTenant: local?.localTenant,
    localTenantUrl: local?.localTenantUrl,
    playground,
    photos,
    approvals,
    admin,
    followUps: follow.store,
    imports,
    db,
    server,
    metrics,
    tick: background.tick,
    async close() {
      await playground?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await importWorker.stop(options.shutdownGraceMs ?? 5_000);
      await background.stop(options.shutdownGraceMs ?? 5_000);
      await faces?.close();
      await db.close();
      await local?.localTenant?.close();
    },
  };
}

/** The tab's SSO check and role answers (tab-sso routes): the tenant's Entra ID, or the local tenant's. */
function composeAccess(
  graph: ReturnType<typeof createGraphClient>,
  mode: Mode,
  admins: AdminPolicy,
  /** The token issuer's time: the machine's, or the local tenant's virtual clock (not a test's business clock). */
  issuerClock: Clock,
): { sso?: SsoValidator; roles: GraphRoleResolver } {
  const roles = new GraphRoleResolver(new GraphDirectory(graph), admins);
  if (mode.sso.audiences.length === 0) return { roles };
  // Token times on the issuer's clock: the local tenant signs tokens at its own (virtual) time.
  return { sso: new SsoValidator({ ...mode.sso, now: () => issuerClock.now() }), roles };
}
