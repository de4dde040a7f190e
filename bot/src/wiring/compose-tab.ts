/**
 * Wiring of the personal tab's API (tab-contract.ts) for the service: the same
 * services the bot uses, plus the tab's own adapters (people, demo sign-in, tenant settings).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config';
import type { AuditLog } from '../core/audit/audit-ports';
import type { Clock } from '../core/clock';
import type { ApprovalService } from '../core/approval/approval-service';
import type { PhotoService } from '../core/photo/photo-service';
import type { StatusService } from '../core/status/status-service';
import type { UploadRateLimiter } from '../core/photo/upload-rate-limiter';
import type { TenantSettingsStore } from '../core/settings/tenant-settings';
import type { AdminWiring } from './compose-admin';
import type { Mode } from './mode';
import type { RoleResolver } from '../core/admin/role-resolver';
import type { TabRouteDeps } from '../api/tab-routes';
import type { AdminDownloadResource } from '../core/admin/download-resource';
import type { SqlAuditLog } from '../store/sql-audit-log';
import type { SqlDb } from '../store/sql/sql-db';
import { SqlApprovalPolicyStore } from '../store/sql-approval-policy';
import { GraphBatchRunner } from '../m365/graph-batch';
import { GraphDirectory } from '../m365/graph-directory';
import { displayNamesOf } from '../m365/graph-names';
import { GraphGroups } from '../m365/graph-groups';
import { GraphPeople } from '../m365/graph-people';
import { GraphProfilePhotos } from '../m365/graph-profile-photos';
import { LocalTenantSignIn } from '../local/local-sign-in';
import { reminderCard } from '../teams/cards/reminder-card';
import { approvalCardFor } from '../teams/approval-replies';
import { MASTER_SIDE } from '../photo/normalise';
import { DEFAULT_AVATAR_SIDES } from '../photo/sharp-image-processor';

import type { FollowUpStore } from '../core/status/follow-through-types';
import { timeToVisibleOf } from '../core/status/time-to-visible';
import type { ImportWiring } from './compose-import';
/** What the tab's wiring needs. */
export interface TabWiringArgs {
  config: Readonly<Config>;
  db: SqlDb;
  graph: Client;
  photos: PhotoService;
  approvals: ApprovalService;
  status: StatusService;
  admin: AdminWiring;
  /** Admin answers for role checks and `isAdmin` (the same the routes' rules use). */
  roles: RoleResolver;
  audit: AuditLog;
  /** The audit log's own store (paging). */
  auditStore: SqlAuditLog;
  settings: TenantSettingsStore;
  /** Follow-through's store (the time-to-visible report). */
  followUps: FollowUpStore;
  uploadLimiter: UploadRateLimiter;
  /** Face scans of the tab's editor: twice the photo allowance (a scan comes before each upload). */
  scanLimiter: UploadRateLimiter;
  clock: Clock;
  downloadLink: (userId: string, resource: AdminDownloadResource) => Promise<{ url: string; minutes: number }>;
  mode: Mode;
  /** Local mode: the tickets of the bot's signed sign-in links. */
  signInLinks?: { verify(ticket: string): Promise<{ userId: string }> };
  /** Bulk import (docs/import.md). */
  imports: ImportWiring;
}

/** Builds the tab API's dependencies. */
export function composeTab(a: TabWiringArgs): TabRouteDeps {
  const directory = new GraphDirectory(a.graph);
  // Names for the audit log and the settings footer: few retries, an admin is waiting for the page.
  const nameRunner = new GraphBatchRunner(a.graph, { maxAttempts: 3, maxRetryAfterSeconds: 5 });
  const people = new GraphPeople(a.graph);
  const admins = { isAdmin: (userId: string) => a.roles.isAdmin(userId) };
  const policy = new SqlApprovalPolicyStore(a.db);
  return {
    session: {
      config: {
        mode: a.config.mode,
        localSignIn: a.mode.localSignIn !== undefined,
        teamsAppId: a.mode.catalogAppId ?? '',
        maxUploadBytes: a.config.photo.maxBytes,
        maxPixels: a.config.photo.maxPixels,
        minSide: a.config.photo.minSide,
        masterSide: MASTER_SIDE,
        avatarSides: [...DEFAULT_AVATAR_SIDES],
      },
      local: a.mode.localSignIn
        ? new LocalTenantSignIn({
            ...a.mode.localSignIn,
            people,
            directory,
            admins,
          })
        : undefined,
      signInLinks: a.mode.localSignIn ? a.signInLinks : undefined,
    },
    me: {
      directory,
      reports: people,
      groups: new GraphGroups(a.graph),
      approversGroupId: async () => (await policy.get()).approversGroupId,
      admins,
      approvals: a.approvals,
      status: a.status,
      photos: new GraphProfilePhotos(a.graph),
    },
    photoRequests: {
      photos: a.photos,
      approvals: a.approvals,
      maxBytes: a.config.photo.maxBytes,
      rateLimiter: a.uploadLimiter,
      scanLimiter: a.scanLimiter,
      approverCard: (view, locale) => approvalCardFor(view, locale, 'approver') as unknown as Record<string, unknown>,
    },
    approvals: { approvals: a.approvals },
    admin: {
      coverage: a.admin.coverage,
      faceCheckSummary: () => a.admin.photoAges.faceCheckSummary(),
      broadcasts: a.admin.broadcasts,
      downloadLink: a.downloadLink,
      auditPage: (options) => a.auditStore.page(options),
      reminderTexts: async () => (await a.settings.get()).reminderTexts,
      reminderCard: (locale, message) => reminderCard(locale, message) as unknown as Record<string, unknown>,
      groups: new GraphGroups(a.graph),
      names: (ids) => displayNamesOf(nameRunner, ids),
      timeToVisible: () => timeToVisibleOf(a.followUps, a.clock.now()),
      teamsCacheDays: a.config.status.teamsCacheDays,
      followThroughEnabled: a.config.status.followThrough.enabled,
    },
    settings: {
      settings: a.settings,
      policy,
      audit: a.audit,
      clock: a.clock,
      sharePointPictures: a.config.sharePoint.pictures,
      sharePointAvailable: a.status.sharePointAvailable,
      faceCheckEnabled: a.config.photo.faceCheck.enabled,
      names: (ids) => displayNamesOf(nameRunner, ids),
    },
    imports: {
      imports: a.imports.service,
      limits: a.imports.limits,
      uploadDir: a.imports.uploadDir,
      // A zip is at most what it unpacks to.
      maxUploadBytes: a.config.import.maxBytes,
      folders: a.config.mode === 'local',
      downloadLink: a.downloadLink,
    },
  };
}
