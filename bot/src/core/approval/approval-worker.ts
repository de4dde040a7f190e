/**
 * The durable side of approvals: everything that happens after a click or because time
 * passed. Due times and progress live in SQLite; a tick (periodic, or `tick()` in tests)
 * finds what is due and does it; after a restart `resume()` finishes interrupted writes.
 * Every job re-reads its request, and every step is a compare-and-set, so a job that runs
 * twice (two ticks, two processes, a restart) changes nothing the second time.
 */
import { AppError, toAppError } from '../errors';
import type { AuditLog } from '../audit/audit-ports';
import type { Clock } from '../clock';
import type { PhotoRequest, RequestRepository } from '../photo/request-ports';
import type { PhotoService } from '../photo/photo-service';
import type {
  ApprovalNotice,
  ApprovalNotifier,
  ApprovalRepository,
  ApprovalView,
  Approval,
  Approver,
} from './approval-ports';
import type { ApproverResolver } from './approver-resolver';
import { WorkTracker } from './work-tracker';

/** Who the audit log names when Headshot itself acts (timers, retries). */
const SYSTEM_ACTOR = 'headshot';

/** Busy Microsoft 365: first retry after a minute, doubling, at most an hour apart; give up after this many. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 3_600_000;
const MAX_ATTEMPTS = 24;

/** What the worker needs. */
export interface ApprovalWorkerDeps {
  requests: RequestRepository;
  photos: PhotoService;
  approvals: ApprovalRepository;
  resolver: ApproverResolver;
  notifier?: ApprovalNotifier;
  audit: AuditLog;
  clock: Clock;
  /** Background failures (a job is retried by a later tick). */
  onError?: (job: string, err: unknown) => void;
}

/** What one tick did, for logs and tests. */
export interface TickReport {
  expired: number;
  escalated: number;
  reminded: number;
  applied: number;
  synced: number;
}

/** Runs the approval jobs: apply approved photos, remind, escalate, expire, keep every card copy current. */
export class ApprovalWorker {
  readonly work: WorkTracker;

  constructor(private readonly deps: ApprovalWorkerDeps) {
    this.work = new WorkTracker((job, err) => deps.onError?.(job, err));
  }

  /** The card view of a request, or null when it was never sent for approval. */
  async view(requestId: string): Promise<ApprovalView | null> {
    const request = await this.deps.requests.get(requestId);
    const approval = await this.deps.approvals.get(requestId);
    return request && approval ? this.viewOf(request, approval) : null;
  }

  /** The view of a request and its approval. */
  async viewOf(request: PhotoRequest, approval: Approval): Promise<ApprovalView> {
    const teamsUserIds = [
      ...new Set((await this.deps.approvals.copies(request.id)).flatMap((c) => (c.teamsUserId ? [c.teamsUserId] : []))),
    ];
    return {
      requestId: request.id,
      state: request.state,
      requesterId: approval.requesterId,
      requesterName: approval.requesterName,
      approvers: approval.approvers.map(({ userId, displayName, role }) => ({ userId, displayName, role })),
      requestedAt: approval.requestedAt,
      expiresAt: approval.expiresAt,
      remindedAt: approval.remindedAt,
      escalatedAt: approval.escalatedAt,
      decision: approval.decision,
      decidedByName: approval.decidedByName,
      decidedAt: approval.decidedAt,
      reason: approval.reason,
      errorCode: request.errorCode,
      warnings: request.warnings,
      oldPreview: approval.oldPreview,
      newPreview: approval.newPreview,
      canUndo:
        request.state === 'applied' && (await this.deps.requests.latestApplied(request.userId))?.id === request.id,
      teamsUserIds,
    };
  }

  /** Writes an approved photo in the background, then updates the cards. */
  kickApply(requestId: string): Promise<void> {
    return this.work.run(`apply:${requestId}`, async () => void (await this.apply(requestId, false)));
  }

  /** Brings every copy of a request's card (and the requester) up to date, one sync at a time per request. */
  sync(requestId: string): Promise<void> {
    return this.work.serial(`sync:${requestId}`, () => this.syncNow(requestId));
  }

  /** Sends the card to approvers not reached yet (app installed for them when needed). */
  notifyApprovers(requestId: string): Promise<void> {
    return this.work.run(`notify:${requestId}`, () => this.notifyNow(requestId));
  }

  /** After a restart: finishes writes a crash interrupted, then runs a tick. */
  async resume(): Promise<TickReport> {
    for (const id of await this.deps.approvals.applying())
      void this.work.run(`apply:${id}`, async () => void (await this.apply(id, true)));
    await this.work.idle();
    return this.tick();
  }

  /** Does everything that is due now; resolves when it and the work it started are done. */
  async tick(): Promise<TickReport> {
    const now = this.deps.clock.now();
    const due = await this.deps.approvals.due(now);
    const report: TickReport = { expired: 0, escalated: 0, reminded: 0, applied: 0, synced: 0 };
    // Expiry first: an expired request is neither reminded nor escalated.
    for (const id of due.expire) {
      void this.work.run(`expire:${id}`, async () => {
        if (await this.expireNow(id)) report.expired++;
      });
    }
    await this.work.idle();
    for (const id of due.escalate)
      void this.work.run(`escalate:${id}`, async () => void ((await this.escalateNow(id)) && report.escalated++));
    await this.work.idle();
    for (const id of due.remind)
      void this.work.run(`remind:${id}`, async () => void ((await this.remindNow(id)) && report.reminded++));
    for (const id of await this.deps.approvals.unnotified()) void this.notifyApprovers(id);
    for (const id of due.apply) {
      void this.work.run(`apply:${id}`, async () => void ((await this.apply(id, false)) && report.applied++));
    }
    await this.work.idle();
    const unsynced = await this.deps.approvals.unsynced();
    for (const id of unsynced) void this.sync(id);
    await this.work.idle();
    report.synced = unsynced.length - (await this.deps.approvals.unsynced()).length;
    return report;
  }

  /** Expires a request whose time ran out (if still pending) and updates its cards; false when it was not pending. */
  async expireNow(requestId: string): Promise<boolean> {
    const approval = await this.deps.approvals.get(requestId);
    const at = this.deps.clock.now();
    const expired = await this.deps.approvals.expire(requestId, at, {
      at,
      actorId: SYSTEM_ACTOR,
      action: 'approval.expire',
      subjectId: approval?.requesterId,
      requestId,
      outcome: 'ok',
      detail: { approvers: approval?.approvers.map((a) => a.userId).join(',') ?? null },
    });
    if (expired) void this.sync(requestId);
    return expired !== null;
  }

  private async apply(requestId: string, interrupted: boolean): Promise<boolean> {
    const { photos, approvals, requests, clock, audit } = this.deps;
    const before = await requests.get(requestId);
    const approval = await approvals.get(requestId);
    if (!before || !approval) return false;
    // Show "approved, writing" on every copy before the write starts.
    if (!interrupted) await this.sync(requestId);
    if (!interrupted && approval.attempts >= MAX_ATTEMPTS && before.state === 'approved') {
      const at = clock.now();
      if (await requests.transition(requestId, 'approved', 'applying', at))
        await requests.transition(requestId, 'applying', 'failed', at, 'm365.unavailable');
      await audit.append({
        at,
        actorId: SYSTEM_ACTOR,
        action: 'approval.apply',
        subjectId: approval.requesterId,
        requestId,
        outcome: 'failed',
        detail: { code: 'm365.unavailable', attempts: approval.attempts },
      });
      await this.sync(requestId);
      return false;
    }
    let applied = false;
    try {
      applied = (interrupted ? await photos.finishApplying(requestId) : await photos.applyApproved(requestId)) !== null;
    } catch (err) {
      const e = toAppError(err);
      const after = await requests.get(requestId);
      if (e.retryable && after?.state === 'approved') {
        const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** approval.attempts);
        const wait = Math.max(backoff, (e.retryAfterSeconds ?? 0) * 1000);
        await approvals.scheduleRetry(requestId, new Date(clock.now().getTime() + wait));
      }
      if (!(e instanceof AppError) || e.code === 'internal') this.deps.onError?.(`apply:${requestId}`, err);
    }
    await this.sync(requestId);
    return applied;
  }

  private async syncNow(requestId: string): Promise<void> {
    const { requests, approvals, notifier } = this.deps;
    const request = await requests.get(requestId);
    const approval = await approvals.get(requestId);
    if (!request || !approval || !notifier) return;
    const view = await this.viewOf(request, approval);
    if (approval.syncedVersion < request.version || approval.syncedRevision < approval.revision) {
      const { failed } = await notifier.updateCopies(view, await approvals.copies(requestId));
      // A copy that could not be updated (Teams busy, a crash) is tried again by the next tick.
      if (failed === 0)
        await approvals.markSynced(requestId, { version: request.version, revision: approval.revision });
    }
    if (approval.notifiedState !== request.state) {
      const notice = noticeFor(view);
      if (notice) await notifier.tell(approval.requesterId, request.tenantId, notice).catch(() => false);
      await approvals.markSynced(requestId, { notifiedState: request.state });
    }
  }

  private async notifyNow(requestId: string): Promise<void> {
    const { requests, approvals } = this.deps;
    const request = await requests.get(requestId);
    const approval = await approvals.get(requestId);
    if (!request || !approval || request.state !== 'pending_approval') return;
    const waiting = approval.approvers.filter((a) => !a.notifiedAt);
    if (waiting.length === 0) return;
    const { unreachable } = await this.sendCards(request, approval, waiting);
    // Nobody has the card and none of them can get it (they blocked Headshot, or do not have it and it cannot be
    // installed for them): waiting for the escalation timer would leave the request with no one to decide, so the
    // next approvers (skip-level manager, else the approvers group) are asked now.
    const reached = ((await approvals.get(requestId)) ?? approval).approvers.some((a) => a.notifiedAt);
    if (!reached && unreachable === waiting.length) await this.escalateNow(requestId, true);
  }

  /** Sends the card to each of `to`; counts who got it and who certainly cannot (blocked, no app). */
  private async sendCards(
    request: PhotoRequest,
    approval: Approval,
    to: readonly Approver[],
  ): Promise<{ sent: number; unreachable: number }> {
    const { approvals, notifier, clock } = this.deps;
    if (!notifier) return { sent: 0, unreachable: 0 };
    let sent = 0;
    let unreachable = 0;
    for (const approver of to) {
      const copy = await notifier.sendToApprover(
        await this.viewOf(request, (await approvals.get(request.id)) ?? approval),
        approver,
        request.tenantId,
      );
      if (!copy) continue;
      if ('unreachable' in copy) {
        unreachable++;
        continue;
      }
      await approvals.addCopy(copy);
      await approvals.markNotified(request.id, approver.userId, clock.now());
      sent++;
    }
    return { sent, unreachable };
  }

  private async remindNow(requestId: string): Promise<boolean> {
    const { requests, approvals, audit, clock } = this.deps;
    const request = await requests.get(requestId);
    if (request?.state !== 'pending_approval') return false;
    const at = clock.now();
    if (!(await approvals.claimReminder(requestId, at))) return false;
    const approval = (await approvals.get(requestId)) as Approval;
    await audit.append({
      at,
      actorId: SYSTEM_ACTOR,
      action: 'approval.remind',
      subjectId: approval.requesterId,
      requestId,
      outcome: 'ok',
      detail: { approvers: approval.approvers.map((a) => a.userId).join(',') },
    });
    // A fresh copy at the bottom of each approver's chat; the older copies say a reminder was sent.
    await this.sendCards(request, approval, approval.approvers);
    await this.sync(requestId);
    return true;
  }

  /** Escalates when due, or `early` (before the timer) when nobody could be reached. */
  private async escalateNow(requestId: string, early = false): Promise<boolean> {
    const { requests, approvals, resolver, audit, clock, notifier } = this.deps;
    const request = await requests.get(requestId);
    const approval = await approvals.get(requestId);
    if (request?.state !== 'pending_approval' || !approval) return false;
    const at = clock.now();
    const added = await resolver.escalationFor(approval.requesterId, approval.approvers, at);
    if (!(await approvals.claimEscalation(requestId, at, added, early))) return false;
    await audit.append({
      at,
      actorId: SYSTEM_ACTOR,
      action: 'approval.escalate',
      subjectId: approval.requesterId,
      requestId,
      outcome: 'ok',
      detail: { to: added.map((a) => a.userId).join(',') || null, ...(early ? { reason: 'unreachable' } : {}) },
    });
    if (added.length === 0) return true;
    const updated = (await approvals.get(requestId)) as Approval;
    await this.sendCards(request, updated, added);
    const view = await this.viewOf(request, (await approvals.get(requestId)) as Approval);
    const notice: ApprovalNotice = { kind: 'escalated', view, newApprovers: added.map((a) => a.displayName) };
    if (notifier) {
      await notifier.tell(approval.requesterId, request.tenantId, notice).catch(() => false);
      for (const earlier of approval.approvers)
        await notifier.tell(earlier.userId, request.tenantId, notice).catch(() => false);
    }
    await this.sync(requestId);
    return true;
  }
}

/** What the requester is told when a request reaches `view.state` (nothing for steps they took or need not know). */
function noticeFor(view: ApprovalView): ApprovalNotice | null {
  switch (view.state) {
    case 'applied':
      return { kind: 'applied', view };
    case 'rejected':
      return { kind: 'rejected', view };
    case 'expired':
      return { kind: 'expired', view };
    case 'failed':
      return { kind: 'failed', view };
    default:
      return null;
  }
}
