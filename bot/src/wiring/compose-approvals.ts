/**
 * Wiring of manager approvals (docs/approvals.md), for the service. Defaults are documented here and in config.ts.
 */
import crypto from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { CountingAuditLog } from '../metrics';
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
import type { SqlDb } from '../store/sql/sql-db';
import { SqlApprovalPolicyStore } from '../store/sql-approval-policy';
import { SqlApprovalRepository } from '../store/sql-approval-repository';
import type { SqlRequestRepository } from '../store/sql-request-repository';
import type { TeamsOutbox } from '../outbox/teams-outbox';
import { TeamsApprovalNotifier } from '../teams/proactive/approval-notifier';

/** What approval wiring needs. */
export interface ApprovalWiringArgs {
  db: SqlDb;
  graph: Client;
  requests: SqlRequestRepository;
  audit: CountingAuditLog;
  conversations: ConversationStore;
  photos: PhotoService;
  clock: Clock;
  logger: Logger;
  /** Where approval cards go; absent: nobody is notified (cards are updated by the service's next tick). */
  outbox?: TeamsOutbox;
}

/** Builds the approval service on the store, Graph and the Bot Framework adapter. */
export function composeApprovals(a: ApprovalWiringArgs): ApprovalService {
  // Decisions write their audit entry in their own transaction; the metrics count it once committed.
  const store = new SqlApprovalRepository(a.db, a.requests, (entry) => a.audit.count(entry));
  const directory = new GraphDirectory(a.graph);
  const notifier = a.outbox
    ? new TeamsApprovalNotifier({ outbox: a.outbox, conversations: a.conversations, clock: a.clock, logger: a.logger })
    : undefined;
  return new ApprovalService({
    requests: a.requests,
    photos: a.photos,
    approvals: store,
    resolver: new ApproverResolver(directory, new GraphGroups(a.graph), new SqlApprovalPolicyStore(a.db)),
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
