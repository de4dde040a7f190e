/**
 * Wiring of manager approvals (docs/approvals.md), for the service. Defaults are documented here and in config.ts.
 */
import crypto from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { AuditLog } from '../core/audit/audit-ports';
import type { Clock } from '../core/clock';
import type { ConversationStore } from '../core/conversations/conversation-ports';
import type { PhotoService } from '../core/photo/photo-service';
import { ApprovalService } from '../core/approval/approval-service';
import { ApproverResolver } from '../core/approval/approver-resolver';
import type { Logger } from '../logger';
import { GraphDirectory } from '../m365/graph-directory';
import { GraphGroups } from '../m365/graph-groups';
import { GraphPhotoRenditions } from '../m365/graph-photo-renditions';
import { GraphProfilePhotos } from '../m365/graph-profile-photos';
import type { Db } from '../store/database';
import { SqliteApprovalPolicyStore } from '../store/sqlite-approval-policy';
import { SqliteApprovalRepository } from '../store/sqlite-approval-repository';
import type { SqliteRequestRepository } from '../store/sqlite-request-repository';
import type { TeamsOutbox } from '../outbox/teams-outbox';
import { TeamsApprovalNotifier } from '../teams/proactive/approval-notifier';

/** What approval wiring needs. */
export interface ApprovalWiringArgs {
  db: Db;
  graph: Client;
  requests: SqliteRequestRepository;
  audit: AuditLog;
  conversations: ConversationStore;
  photos: PhotoService;
  clock: Clock;
  logger: Logger;
  /** Where approval cards go; absent: nobody is notified (cards are updated by the service's next tick). */
  outbox?: TeamsOutbox;
}

/** Builds the approval service on SQLite, Graph and the Bot Framework adapter. */
export function composeApprovals(a: ApprovalWiringArgs): ApprovalService {
  const store = new SqliteApprovalRepository(a.db, a.requests, a.audit);
  const directory = new GraphDirectory(a.graph);
  const notifier = a.outbox
    ? new TeamsApprovalNotifier({ outbox: a.outbox, conversations: a.conversations, clock: a.clock, logger: a.logger })
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
