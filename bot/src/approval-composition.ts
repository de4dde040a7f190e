/**
 * Wiring of manager approvals (docs/approvals.md), for the service (main.ts) and the
 * `headshot approvals` command. Defaults are documented here and in config.ts.
 */
import crypto from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { CloudAdapter } from 'botbuilder';
import type { Config } from './config';
import type { AuditLog, Clock, ConversationStore } from './core/ports';
import type { PhotoService } from './core/photo/photo-service';
import { ApprovalService } from './core/approval/approval-service';
import { ApproverResolver } from './core/approval/approver-resolver';
import type { Logger } from './logger';
import { GraphDirectory } from './m365/graph-directory';
import { GraphGroups } from './m365/graph-groups';
import { GraphPhotoRenditions } from './m365/graph-photo-renditions';
import { GraphProfilePhotos } from './m365/graph-profile-photos';
import { GraphTeamsApps } from './m365/graph-teams-apps';
import type { Db } from './store/database';
import { SqliteApprovalPolicyStore } from './store/sqlite-approval-policy';
import { SqliteApprovalRepository } from './store/sqlite-approval-repository';
import type { SqliteRequestRepository } from './store/sqlite-request-repository';
import { TeamsApprovalNotifier } from './teams/approval-notifier';

/** What approval wiring needs. */
export interface ApprovalWiringArgs {
  config: Readonly<Config>;
  db: Db;
  graph: Client;
  requests: SqliteRequestRepository;
  audit: AuditLog;
  conversations: ConversationStore;
  photos: PhotoService;
  clock: Clock;
  logger: Logger;
  /** Absent (the CLI): nobody is notified; cards are updated by the service's next tick. */
  adapter?: CloudAdapter;
  /** Local mode: the local tenant's URL, which also serves the Bot Connector for chats Headshot opens. */
  localTenantUrl?: string;
  /** Local mode: Headshot's id in the local tenant's app catalog (used when TEAMS_APP_ID is not set). */
  localTeamsAppId?: string;
}

/** Builds the approval service on SQLite, Graph and the Bot Framework adapter. */
export function composeApprovals(a: ApprovalWiringArgs): ApprovalService {
  const store = new SqliteApprovalRepository(a.db, a.requests, a.audit);
  const directory = new GraphDirectory(a.graph);
  const teamsAppId = a.config.approvals.teamsAppId ?? (a.config.mode === 'local' ? a.localTeamsAppId : undefined);
  const notifier = a.adapter
    ? new TeamsApprovalNotifier({
        adapter: a.adapter,
        botAppId: a.config.bot.appId ?? '',
        conversations: a.conversations,
        chats: teamsAppId ? new GraphTeamsApps(a.graph, teamsAppId) : undefined,
        connectorFor: (requester) => (a.config.mode === 'local' ? a.localTenantUrl : requester?.serviceUrl),
        clock: a.clock,
        logger: a.logger,
      })
    : undefined;
  return new ApprovalService({
    requests: a.requests,
    photos: a.photos,
    approvals: store,
    resolver: new ApproverResolver(directory, new GraphGroups(a.graph), new SqliteApprovalPolicyStore(a.db)),
    directory,
    profilePhotos: new GraphProfilePhotos(a.graph),
    renditions: new GraphPhotoRenditions(a.graph),
    notifier,
    audit: a.audit,
    clock: a.clock,
    hash: (bytes) => crypto.createHash('sha256').update(bytes).digest('hex'),
    onError: (job, err) =>
      a.logger.warn({ job, err: { message: (err as Error)?.message ?? String(err) } }, 'approval job failed'),
  });
}
