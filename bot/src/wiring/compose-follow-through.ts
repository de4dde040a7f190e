/**
 * Wiring of follow-through (core/status/follow-through.ts): the store, Graph's batched reads, SharePoint's
 * `userphoto.aspx`, the status report for messages about what still waits, and the Teams messages.
 */
import crypto from 'node:crypto';
import type { Config } from '../config';
import type { Clock } from '../core/clock';
import type { Locale } from '../core/locale';
import type { PhotoRequest } from '../core/photo/request-ports';
import type { SharePointProfiles } from '../core/status/evidence-ports';
import { FollowThrough } from '../core/status/follow-through';
import type { ChangeKind, FollowUpSchedule, FollowUpStore } from '../core/status/follow-through-types';
import type { StatusService } from '../core/status/status-service';
import type { Logger } from '../logger';
import type { GraphPhotoEvidenceReader } from '../m365/graph-photo-evidence';
import type { TeamsOutbox } from '../outbox/teams-outbox';
import { SharpPictureTools } from '../photo/picture-tools';
import { SqlReminderOptOuts } from '../store/broadcast/sql-reminder-optouts';
import { SqlFollowUps } from '../store/sql-follow-ups';
import type { SqlDb } from '../store/sql/sql-db';
import { TeamsFollowUpNotifier } from '../teams/proactive/follow-up-notifier';

/** Follow-ups claimed and checked together: 100 people's first checks fill 15 Graph `$batch`es. */
const BATCH_SIZE = 100;
/** SharePoint pages read at a time (no batch can carry `userphoto.aspx`). */
const SHAREPOINT_CONCURRENCY = 4;

/** What follow-through wiring needs. */
export interface FollowThroughWiringArgs {
  config: Readonly<Config>;
  db: SqlDb;
  evidence: GraphPhotoEvidenceReader;
  sharePoint?: SharePointProfiles;
  /** The status report (late-bound: the status service is built with a hook into follow-through). */
  status: () => StatusService;
  outbox: TeamsOutbox;
  clock: Clock;
  logger: Logger;
}

/** Follow-through, and the hooks the photo and status services call after a write. */
export interface FollowThroughWiring {
  /** Null when FOLLOW_THROUGH is off. */
  followThrough: FollowThrough | null;
  store: FollowUpStore;
  schedule: FollowUpSchedule;
  /** After the photo service applied a request (self-service, approved, undo restoring a photo). */
  afterApply(request: PhotoRequest, photo: Uint8Array): Promise<void>;
  /** After "apply again". */
  afterApplyAgain(userId: string, photo: Uint8Array, at: Date, locale?: Locale): Promise<void>;
}

const KIND_OF_FLOW: Readonly<Record<NonNullable<PhotoRequest['flow']> | 'self', ChangeKind>> = {
  self: 'self_service',
  approval: 'approval',
  undo: 'undo',
};

/** Builds follow-through; with FOLLOW_THROUGH=0 the hooks do nothing. */
export function composeFollowThrough(a: FollowThroughWiringArgs): FollowThroughWiring {
  const { everyHours, limitHours, enabled } = a.config.status.followThrough;
  const schedule: FollowUpSchedule = { everyHours, limitHours };
  const store = new SqlFollowUps(a.db);
  const pictures = new SharpPictureTools();
  // "Stop" in the chat mutes reminders and follow-up messages alike.
  const optOuts = new SqlReminderOptOuts(a.db);
  const warn = (message: string, detail: Record<string, unknown>): void => a.logger.warn(detail, message);
  const followThrough = enabled
    ? new FollowThrough({
        store,
        reader: a.evidence,
        sharePoint: a.sharePoint,
        hash: (bytes) => pictures.hash(bytes),
        report: (userId) => a.status().report(userId),
        messenger: new TeamsFollowUpNotifier(a.outbox, a.logger, schedule),
        muted: async (userId) => (await optOuts.optedOut([userId])).has(userId),
        clock: a.clock,
        schedule,
        owner: `${process.pid}-${crypto.randomBytes(4).toString('hex')}`,
        batchSize: BATCH_SIZE,
        sharePointConcurrency: SHAREPOINT_CONCURRENCY,
        onError: warn,
      })
    : null;
  const watch = async (...args: Parameters<FollowThrough['watch']>): Promise<void> => {
    await followThrough
      ?.watch(...args)
      .catch((err: unknown) => warn('follow-through not started', { err: (err as Error)?.message ?? String(err) }));
  };
  return {
    followThrough,
    store,
    schedule,
    afterApply: (request, photo) =>
      watch(
        {
          id: request.id,
          userId: request.userId,
          kind: KIND_OF_FLOW[request.flow ?? 'self'],
          locale: request.locale,
          changedAt: a.clock.now(),
        },
        photo,
      ),
    afterApplyAgain: (userId, photo, at, locale = 'en') =>
      watch({ id: `again-${crypto.randomUUID()}`, userId, kind: 'apply_again', locale, changedAt: at }, photo),
  };
}
