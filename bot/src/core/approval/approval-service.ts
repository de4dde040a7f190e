/**
 * Manager approvals, the use cases people start: send a confirmed photo for approval,
 * decide (approve, reject with a reason), cancel, look at a request. What happens later
 * (writing, reminders, escalation, expiry, card updates) is the ApprovalWorker's.
 */
import { rulesNeedingApproval } from '../photo/photo-guidelines';
import { AppError } from '../errors';
import type { AuditEntry, AuditLog } from '../audit/audit-ports';
import type { Clock } from '../clock';
import type { Directory } from '../directory/directory-ports';
import type { ProfilePhotos } from '../photo/profile-photo-ports';
import type { PhotoRequest, RequestRepository } from '../photo/request-ports';
import type { PhotoService } from '../photo/photo-service';
import type {
  ApprovalNotifier,
  ApprovalRepository,
  ApprovalSummary,
  ApprovalView,
  ApprovalViewer,
  CardCopy,
  DecisionResult,
  DecisionVerb,
  PhotoRenditions,
} from './approval-ports';
import { ApproverResolver, type ApprovalRequirement } from './approver-resolver';
import { ApprovalWorker, type TickReport } from './approval-worker';

/** Longest rejection reason kept (the card's input allows the same). */
export const MAX_REASON_LENGTH = 500;

/** Side of the photo previews on approval cards. */
const PREVIEW_SIDE = 96;

/** What the approval service needs from the world. */
export interface ApprovalServiceDeps {
  requests: RequestRepository;
  photos: PhotoService;
  approvals: ApprovalRepository;
  resolver: ApproverResolver;
  directory: Directory;
  /** The photo Microsoft 365 holds now (its bytes are hashed for the audit log). */
  profilePhotos: ProfilePhotos;
  renditions: PhotoRenditions;
  notifier?: ApprovalNotifier;
  audit: AuditLog;
  clock: Clock;
  /** SHA-256 of bytes, hex. */
  hash: (bytes: Uint8Array) => string;
  onError?: (job: string, err: unknown) => void;
}

/** The outcome of sending a confirmed photo: approval needed (and the request is now pending), or not. */
export type SubmitOutcome = { routed: false } | { routed: true; request: PhotoRequest; view: ApprovalView };

/** What a decision click answers with: the current card view, and whether this click decided. */
export interface DecisionOutcome {
  result: Exclude<DecisionResult['outcome'], 'refused'>;
  view: ApprovalView;
}

/** Approvals of new profile photos. */
export class ApprovalService {
  readonly worker: ApprovalWorker;

  constructor(private readonly deps: ApprovalServiceDeps) {
    this.worker = new ApprovalWorker(deps);
  }

  /** Whether the user's next photo needs approval, and from whom (for the how-to card). */
  requirementFor(userId: string, options: { force?: boolean } = {}): Promise<ApprovalRequirement> {
    return this.deps.resolver.requirementFor(userId, this.deps.clock.now(), options);
  }

  /**
   * Called when the requester confirms a previewed photo. When the policy asks for approval, moves the request
   * to pending_approval (one transaction, audited) and sends the approvers their card; otherwise `routed: false`
   * and the caller applies the photo as before. A second click answers with the pending request.
   */
  async submit(requestId: string, actorId: string, options: { force?: boolean } = {}): Promise<SubmitOutcome> {
    const { requests, approvals, audit, clock, hash } = this.deps;
    const request = await requests.get(requestId);
    if (!request || request.userId !== actorId) return { routed: false }; // confirm() refuses, and audits, as before
    if (request.state === 'pending_approval') return this.routed(request);
    if (request.state !== 'previewed' || request.expiresAt.getTime() <= clock.now().getTime()) return { routed: false };

    // The photo guidelines may ask for approval of this photo even where the policy does not.
    const requirement = await this.requirementFor(request.userId, {
      force: options.force === true || rulesNeedingApproval(request.warnings).length > 0,
    });
    if (!requirement.required) {
      // The new photo goes live without approval: older requests still waiting must never overwrite it.
      for (const id of await approvals.supersedePending(request.userId, clock.now())) void this.worker.sync(id);
      return { routed: false };
    }
    if (requirement.approvers.length === 0) {
      await audit.append({
        at: clock.now(),
        actorId,
        action: 'approval.request',
        subjectId: actorId,
        requestId,
        outcome: 'refused',
        detail: { reason: 'no_approver' },
      });
      throw new AppError('approval.no_approver', `nobody can approve for ${actorId}`, { status: 409 });
    }
    const photo = await requests.getPhoto(requestId);
    if (!photo) return { routed: false };
    const [requester, current, oldPreview] = await Promise.all([
      this.deps.directory.getUser(request.userId),
      this.deps.profilePhotos.get(request.userId),
      this.deps.renditions.square(request.userId, PREVIEW_SIDE).catch(() => null),
    ]);
    const now = clock.now();
    const { policy } = requirement;
    const newPhotoHash = hash(photo.master);
    const oldPhotoHash = current ? hash(current) : undefined;
    const entry: AuditEntry = {
      at: now,
      actorId,
      action: 'approval.request',
      subjectId: actorId,
      requestId,
      outcome: 'ok',
      detail: {
        approvers: requirement.approvers.map((a) => a.userId).join(','),
        approverRole: requirement.approvers[0]?.role ?? null,
        oldPhotoHash: oldPhotoHash ?? null,
        newPhotoHash,
      },
    };
    const opened = await approvals.open(
      {
        requestId,
        tenantId: request.tenantId,
        requesterId: request.userId,
        requesterName: requester?.displayName ?? request.userId,
        requestedAt: now,
        remindAt: minutesAfter(now, policy.remindAfterMinutes),
        escalateAt: minutesAfter(now, policy.escalateAfterMinutes),
        expiresAt: minutesAfter(now, policy.expireAfterMinutes),
        oldPhotoHash,
        newPhotoHash,
        oldPreview: oldPreview ?? undefined,
        newPreview: photo.preview,
        approvers: requirement.approvers,
      },
      now,
      entry,
    );
    if (!opened) {
      const again = await requests.get(requestId);
      return again?.state === 'pending_approval' ? this.routed(again) : { routed: false };
    }
    for (const id of opened.superseded) void this.worker.sync(id);
    // Best effort now; the scheduler reaches anyone this misses.
    await this.worker.notifyApprovers(requestId);
    return this.routed(opened.request);
  }

  /**
   * An approver approves or rejects (with a reason), or the requester cancels. Exactly one decision wins, in one
   * transaction; everyone else, and the winner's own retries, get the current view with who decided and when.
   * Someone who may not decide is refused (AppError approval.not_approver) and the attempt is audited.
   */
  async decide(requestId: string, actorId: string, verb: DecisionVerb, reason?: string): Promise<DecisionOutcome> {
    const { approvals, requests, clock } = this.deps;
    const before = await approvals.get(requestId);
    const trimmed = typeof reason === 'string' ? reason.trim().slice(0, MAX_REASON_LENGTH) : '';
    const mayDecide = before
      ? verb === 'cancel'
        ? before.requesterId === actorId
        : before.approvers.some((a) => a.userId === actorId)
      : false;
    if (mayDecide && verb === 'reject' && trimmed === '')
      throw new AppError('approval.reason_required', 'a rejection needs a reason', { status: 400 });
    // Time ran out but no tick has noticed yet: nobody may decide any more.
    if (before && before.expiresAt.getTime() <= clock.now().getTime()) await this.worker.expireNow(requestId);
    const at = clock.now();
    const result = await approvals.decide({
      requestId,
      verb,
      actorId,
      reason: verb === 'reject' ? trimmed : undefined,
      at,
      audit: (r) => decisionAudit(r, { requestId, verb, actorId, at, subjectId: before?.requesterId, reason: trimmed }),
    });
    if (result.outcome === 'refused') {
      throw verb === 'cancel' && result.reason === 'not_allowed'
        ? new AppError('request.not_yours', `${actorId} may not cancel ${requestId}`, { status: 403 })
        : new AppError('approval.not_approver', `${actorId} may not decide on ${requestId}`, { status: 403 });
    }
    if (result.outcome === 'won') {
      if (verb === 'approve') void this.worker.kickApply(requestId);
      else void this.worker.sync(requestId);
    }
    const request = (await requests.get(requestId)) ?? result.request;
    return {
      result: result.outcome,
      view: await this.worker.viewOf(request, (await approvals.get(requestId)) ?? result.approval),
    };
  }

  /**
   * The view of a request for someone looking at its card (a refresh). Only the requester and the approvers may
   * look: anyone else is refused and the attempt audited, so a forged refresh cannot read someone's photos.
   */
  async viewFor(requestId: string, viewerId: string): Promise<{ view: ApprovalView; viewer: ApprovalViewer }> {
    const view = await this.worker.view(requestId);
    const viewer: ApprovalViewer | null = !view
      ? null
      : view.requesterId === viewerId
        ? 'requester'
        : view.approvers.some((a) => a.userId === viewerId)
          ? 'approver'
          : null;
    if (!view || !viewer) {
      await this.deps.audit.append({
        at: this.deps.clock.now(),
        actorId: viewerId,
        action: 'approval.view',
        subjectId: view?.requesterId,
        requestId,
        outcome: 'refused',
        detail: { reason: view ? 'not_participant' : 'not_found' },
      });
      throw new AppError('approval.not_approver', `${viewerId} may not see ${requestId}`, { status: 403 });
    }
    return { view, viewer };
  }

  /** The view of a request for one of its participants, or null (no approval, or not theirs); never audited. */
  async participantView(requestId: string, userId: string): Promise<ApprovalView | null> {
    const view = await this.worker.view(requestId);
    return view && (view.requesterId === userId || view.approvers.some((a) => a.userId === userId)) ? view : null;
  }

  /** Stores a copy of a card sent outside the service (the requester's, in their chat). */
  async addCopy(copy: CardCopy): Promise<void> {
    await this.deps.approvals.addCopy(copy);
  }

  /** Approvals for the CLI and the tab, newest first. */
  async list(
    filter: { approverId?: string; state?: PhotoRequest['state']; limit?: number } = {},
  ): Promise<ApprovalSummary[]> {
    return await this.deps.approvals.list(filter);
  }

  /** Runs what is due (reminders, escalations, expiries, writes, card updates) and waits for it. */
  tick(): Promise<TickReport> {
    return this.worker.tick();
  }

  /** At start-up: finishes writes a crash interrupted, then what is due. */
  resume(): Promise<TickReport> {
    return this.worker.resume();
  }

  /** Resolves when no background work is running. */
  idle(): Promise<void> {
    return this.worker.work.idle();
  }

  private async routed(request: PhotoRequest): Promise<SubmitOutcome> {
    const view = await this.worker.view(request.id);
    return view ? { routed: true, request, view } : { routed: false };
  }
}

function minutesAfter(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}

/** The audit entry of a decision attempt: who, what, when, the photos' hashes and how it ended. */
function decisionAudit(
  result: DecisionResult,
  c: { requestId: string; verb: DecisionVerb; actorId: string; at: Date; subjectId?: string; reason: string },
): AuditEntry | null {
  const base = {
    at: c.at,
    actorId: c.actorId,
    action: `approval.${c.verb}`,
    subjectId: c.subjectId,
    requestId: c.requestId,
  };
  switch (result.outcome) {
    case 'replayed':
      return null;
    case 'refused':
      return {
        ...base,
        outcome: 'refused',
        detail: { reason: result.reason === 'not_found' ? 'not_found' : 'not_approver' },
      };
    case 'lost':
      return {
        ...base,
        outcome: 'refused',
        detail: {
          reason: 'already_decided',
          state: result.request.state,
          decidedBy: result.approval.decidedBy ?? null,
          decidedAt: result.approval.decidedAt?.toISOString() ?? null,
        },
      };
    case 'won':
      return {
        ...base,
        outcome: 'ok',
        detail: {
          oldPhotoHash: result.approval.oldPhotoHash ?? null,
          newPhotoHash: result.approval.newPhotoHash,
          ...(c.verb === 'reject' ? { reason: c.reason } : {}),
        },
      };
  }
}
