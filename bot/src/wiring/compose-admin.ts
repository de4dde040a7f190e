/**
 * Wiring of the admin features (docs/broadcast.md): who is an admin, the coverage scan, and
 * broadcasts (store, pacer, dispatcher, the outbox's campaign transport). Used by the service
 * (with a dispatcher) and by the `headshot coverage` / `headshot broadcast` commands
 * (without one: the running service sends what the command queued).
 */
import crypto from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config';
import { AdminPolicy } from '../core/admin/admin-policy';
import { BroadcastDispatcher } from '../core/broadcast/broadcast-dispatcher';
import { BroadcastService } from '../core/broadcast/broadcast-service';
import { FollowUpAudience } from '../core/broadcast/follow-ups';
import { RefreshAudience, RefreshReminders } from '../core/broadcast/refresh-reminders';
import type { RefreshSetting } from '../core/settings/tenant-settings';
import { PhotoAges } from '../core/coverage/photo-age';
import { SharpPictureTools } from '../photo/picture-tools';
import { SqlPhotoSightings } from '../store/sql-photo-sightings';
import { CoverageService } from '../core/coverage/coverage-service';
import { systemClock, type Clock } from '../core/clock';
import type { ConversationStore } from '../core/conversations/conversation-ports';
import type { Locale } from '../core/locale';
import type { AuditLog } from '../core/audit/audit-ports';
import type { SharePointProfiles } from '../core/status/evidence-ports';
import { withReminderTexts } from '../core/broadcast/reminder-texts';
import type { ReminderText } from '../core/settings/tenant-settings';
import { resolveLocale } from '../i18n/i18n';
import type { Logger } from '../logger';
import { GraphAdminDirectory } from '../m365/graph-admin-directory';
import { GraphAudienceSource, GraphUserPages } from '../m365/graph-audience';
import { GraphBatchRunner } from '../m365/graph-batch';
import { GraphPhotoEvidenceReader } from '../m365/graph-photo-evidence';
import { GraphWorkingHoursReader } from '../m365/graph-working-hours';
import type { SqlDb } from '../store/sql/sql-db';
import type { BroadcastStores } from '../core/broadcast/broadcast-store';
import { sqlBroadcastStores } from '../store/broadcast/sql-broadcast-stores';
import { SqlCoverageStore } from '../store/sql-coverage-store';
import { TeamsCampaignTransport } from '../teams/proactive/campaign-transport';
import { countedTransport, type Metrics } from '../metrics';
import type { CampaignTransport } from '../core/broadcast/broadcast-types';
import { TeamsCoverageSink } from '../teams/proactive/coverage-sink';
import { newDraftId } from '../teams/admin-replies';
import type { TeamsOutbox } from '../outbox/teams-outbox';
import type { Mode } from './mode';

/** What admin wiring needs. */
export interface AdminWiringArgs {
  config: Readonly<Config>;
  /** Counts broadcast deliveries when given (the service; the CLI only queues). */
  metrics?: Metrics;
  db: SqlDb;
  graph: Client;
  mode: Mode;
  conversations: ConversationStore;
  clock: Clock;
  logger: Logger;
  /** SharePoint profiles, when configured: the coverage scan asks them for placeholders. */
  sharePoint?: SharePointProfiles;
  /** Sends reminders and updates cards: the service builds a dispatcher on it; absent (the CLI), none is built. */
  outbox?: TeamsOutbox;
  /** Campaigns created, stopped and finished are audited here. */
  audit: AuditLog;
  /** The refresh reminder setting (tenant settings): read on every tick. */
  refreshSetting?: () => Promise<RefreshSetting>;
  /** The tenant's own reminder words per language (tenant settings), read as each reminder is sent. */
  reminderTexts?: () => Promise<Partial<Record<Locale, ReminderText>>>;
}

/** The admin features. */
export interface AdminWiring {
  admins: AdminPolicy;
  coverage: CoverageService;
  coverageStore: SqlCoverageStore;
  broadcasts: BroadcastService;
  broadcastStores: BroadcastStores;
  dispatcher?: BroadcastDispatcher;
  /** Photo age: told of every photo Headshot applies (coverage scans keep it too). */
  photoAges: PhotoAges;
  /** Starts the refresh campaign of the newest coverage scan when the tenant setting is on (timers.ts). */
  startRefreshReminders: () => Promise<void>;
}

/** Builds the admin features. */
export function composeAdmin(a: AdminWiringArgs): AdminWiring {
  const owner = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const admins = new AdminPolicy(a.config.admins, new GraphAdminDirectory(a.graph, a.mode.appClientId));
  const coverageStore = new SqlCoverageStore(a.db);
  const broadcastStores = sqlBroadcastStores(a.db);
  // Scans wait out Graph throttling: the same batching engine and settings as the status scan.
  const scanRunner = new GraphBatchRunner(a.graph, { maxAttempts: 8, maxRetryAfterSeconds: 60 });
  const evidence = new GraphPhotoEvidenceReader(scanRunner, scanRunner);
  const pictures = new SharpPictureTools();
  const sightings = new SqlPhotoSightings(a.db);
  const photoAges = new PhotoAges({
    store: sightings,
    small: evidence,
    hash: (bytes) => pictures.hash(bytes),
    clock: a.clock,
  });
  const coverage = new CoverageService({
    users: new GraphUserPages(a.graph),
    evidence,
    ages: photoAges,
    // A profile's placeholder only shows in a legacy SharePoint; the modern one (SharePoint Online since MC653734,
    // and what SHAREPOINT_PICTURES=auto assumes for a whole tenant) shows the Microsoft 365 photo over it.
    sharePoint:
      a.sharePoint && a.config.sharePoint.pictures === 'legacy'
        ? {
            showsPlaceholder: async (upn) => {
              const profile = await a.sharePoint?.getProfile(upn);
              return profile ? profile.placeholder : null;
            },
          }
        : undefined,
    store: coverageStore,
    clock: a.clock,
    newId: () => crypto.randomUUID(),
    owner,
    minPhotoSide: a.config.coverage.minPhotoSide,
    sink: a.outbox ? new TeamsCoverageSink(a.outbox) : undefined,
    onError: (err) => a.logger.warn({ err: { message: (err as Error)?.message ?? String(err) } }, 'coverage scan'),
  });
  const b = a.config.broadcast;
  const withMetrics = (t: CampaignTransport): CampaignTransport => {
    const counted = a.metrics ? countedTransport(t, a.metrics) : t;
    return a.reminderTexts ? withReminderTexts(counted, a.reminderTexts) : counted;
  };
  // Audiences from the directory and coverage scans, and follow-ups from the store.
  // And refresh reminders from the newest scan and photo ages.
  const audience = new RefreshAudience(
    new FollowUpAudience(new GraphAudienceSource(a.graph, coverageStore), broadcastStores),
    { coverage: coverageStore, sightings, jobs: broadcastStores.jobs, clock: a.clock },
  );
  const dispatcher = a.outbox
    ? new BroadcastDispatcher({
        store: broadcastStores,
        transport: withMetrics(new TeamsCampaignTransport(a.outbox)),
        audience,
        clock: a.clock,
        owner,
        localeOf: async (m) => (await a.conversations.get(m.userId))?.locale ?? resolveLocale(m.preferredLanguage),
        settings: {
          ratePerSecond: b.ratePerSecond * b.headroom,
          windowGuardMs: b.windowGuardMs,
          probeMs: b.probeSeconds * 1000,
          maxRemindersPerPerson: b.maxRemindersPerPerson,
          // On a virtual clock (the local tenant's, a test's) time can jump: a held reminder is looked at every second.
          quietHoursRecheckMs: a.clock === systemClock ? undefined : 1_000,
          concurrency: b.concurrency,
          maxAttempts: b.maxAttempts,
          maxThrottles: 50,
          leaseMs: b.leaseSeconds * 1000,
          progressEveryMs: b.progressSeconds * 1000,
          baseBackoffMs: b.backoffMs,
          maxBackoffMs: 60_000,
        },
        workingHours: b.quietHours
          ? new GraphWorkingHoursReader(scanRunner, (count) =>
              a.logger.warn({ count }, 'broadcast: mailbox settings unreadable, reminders not held for working hours'),
            )
          : undefined,
        audit: a.audit,
        onError: (what, err) =>
          a.logger.warn({ what, err: { message: (err as Error)?.message ?? String(err) } }, 'broadcast'),
      })
    : undefined;
  const broadcasts = new BroadcastService({
    store: broadcastStores,
    coverage: coverageStore,
    admins,
    dispatcher,
    clock: a.clock,
    newId: newDraftId,
    ratePerSecond: b.ratePerSecond,
    audience,
    audit: a.audit,
    maxRemindersPerPerson: b.maxRemindersPerPerson,
  });
  const refreshSetting = a.refreshSetting;
  const refresh = refreshSetting
    ? new RefreshReminders({
        setting: refreshSetting,
        coverage: coverageStore,
        create: (scanId, months) => broadcasts.createRefresh(scanId, months),
      })
    : undefined;
  return {
    admins,
    coverage,
    coverageStore,
    broadcasts,
    broadcastStores,
    dispatcher,
    photoAges,
    startRefreshReminders: async () => refresh?.check(),
  };
}
