/**
 * Types and ports of manager approvals (docs/approvals.md). Adapters in m365/, store/ and
 * teams/ implement the ports; no SDK type crosses them.
 */
import type { AuditEntry } from '../audit/audit-ports';
import type { DirectoryUser } from '../directory/directory-ports';
import type { Locale } from '../locale';
import type { PhotoWarning } from '../photo/pipeline-ports';
import type { PhotoRequest, RequestState } from '../photo/request-ports';

// ---------------------------------------------------------------- policy

/** Whose new photos need approval. */
export type ApprovalRequiredFor = 'nobody' | 'everyone' | 'groups';

/** The admin's approval policy. */
export interface ApprovalPolicy {
  requiredFor: ApprovalRequiredFor;
  /** With `groups`: members of any of these groups (direct membership) need approval. */
  groupIds: string[];
  /** Who approves for people without a manager (and the last escalation step). */
  approversGroupId?: string;
  /** A reminder goes to the approvers when nobody decided after this long. */
  remindAfterMinutes: number;
  /** Then the request is escalated to the skip-level manager or the approvers group. */
  escalateAfterMinutes: number;
  /** Then it expires: how long a request lives. */
  expireAfterMinutes: number;
  updatedAt?: Date;
  updatedBy?: string;
}

/** The policy when an admin never set one: no approvals; a day to remind, two to escalate, a week to expire. */
export const DEFAULT_APPROVAL_POLICY: Readonly<ApprovalPolicy> = Object.freeze({
  requiredFor: 'nobody',
  groupIds: [],
  remindAfterMinutes: 24 * 60,
  escalateAfterMinutes: 48 * 60,
  expireAfterMinutes: 7 * 24 * 60,
});

/** Stores the approval policy. */
export interface ApprovalPolicyStore {
  /** The current policy (the default when none was set). */
  get(): Promise<ApprovalPolicy>;
  /** Replaces the policy; returns what was stored. */
  set(policy: ApprovalPolicy, at: Date, by: string): Promise<ApprovalPolicy>;
}

// ---------------------------------------------------------------- Microsoft 365

/** Groups in the directory (Graph `memberOf`, `/groups/{id}/members`). */
export interface GroupDirectory {
  /** Ids of the groups the user is a direct member of. */
  memberOf(userId: string): Promise<string[]>;
  /** The users among the group's members; empty when there is no such group. */
  members(groupId: string): Promise<DirectoryUser[]>;
  /** The group's display name, or null when there is no such group. */
  displayName(groupId: string): Promise<string | null>;
}

/** Renditions of the photo Microsoft 365 holds (Graph `/users/{id}/photos/{size}/$value`). */
export interface PhotoRenditions {
  /** The current photo as a square JPEG of `side` pixels; null when there is no photo or no such size. */
  square(userId: string, side: number): Promise<Uint8Array | null>;
}

// ---------------------------------------------------------------- the approval record

/** Why someone may decide. */
export type ApproverRole = 'manager' | 'skip_level' | 'approvers_group';

/** Someone who may decide on a request. */
export interface Approver {
  userId: string;
  displayName: string;
  /** BCP 47 tag from the directory; the card's language when Headshot has no chat with them yet. */
  preferredLanguage?: string;
  role: ApproverRole;
  addedAt: Date;
  /** When their first card was sent; absent while they have not been reached. */
  notifiedAt?: Date;
}

/** How a request left pending_approval. */
export type ApprovalDecision = 'approved' | 'rejected' | 'cancelled' | 'expired' | 'superseded';

/** A request sent for approval, as stored next to the photo request. */
export interface Approval {
  requestId: string;
  requesterId: string;
  requesterName: string;
  requestedAt: Date;
  remindAt?: Date;
  escalateAt?: Date;
  expiresAt: Date;
  remindedAt?: Date;
  escalatedAt?: Date;
  decision?: ApprovalDecision;
  decidedBy?: string;
  decidedByName?: string;
  decidedAt?: Date;
  reason?: string;
  /** SHA-256 (hex) of the photo Microsoft 365 held when the request was made; absent when there was none. */
  oldPhotoHash?: string;
  /** SHA-256 (hex) of the 648x648 JPEG the request writes. */
  newPhotoHash: string;
  /** 96x96 JPEGs for the card. */
  oldPreview?: Uint8Array;
  newPreview: Uint8Array;
  /** Approved but Microsoft 365 was busy: when to try writing again. */
  nextAttemptAt?: Date;
  attempts: number;
  /** Increments whenever what the cards show changes outside the request's own version (reminder, escalation). */
  revision: number;
  /** The request version and revision the cards last showed, and the state the requester was last told about. */
  syncedVersion: number;
  syncedRevision: number;
  notifiedState: RequestState;
  approvers: Approver[];
}

/** One copy of an approval card in someone's chat. */
export interface CardCopy {
  requestId: string;
  userId: string;
  /** The Teams user id (MRI) of the chat's user, for `refresh.userIds`. */
  teamsUserId?: string;
  locale: Locale;
  conversationId: string;
  activityId: string;
  /** The channel's conversation reference, serialised (opaque to the core). */
  reference: string;
  sentAt: Date;
}

/** What the store needs to open an approval. */
export interface NewApproval extends Omit<
  Approval,
  | 'decision'
  | 'decidedBy'
  | 'decidedByName'
  | 'decidedAt'
  | 'reason'
  | 'nextAttemptAt'
  | 'attempts'
  | 'revision'
  | 'remindedAt'
  | 'escalatedAt'
  | 'syncedVersion'
  | 'syncedRevision'
  | 'notifiedState'
> {
  tenantId: string;
}

/** A decision verb and who may use it: approvers approve and reject; the requester cancels. */
export type DecisionVerb = 'approve' | 'reject' | 'cancel';

/** What a decision attempt came to. */
export type DecisionResult =
  | { outcome: 'won'; request: PhotoRequest; approval: Approval }
  /** Someone (or something: expiry, cancel) got there first; `approval` says who and when. */
  | { outcome: 'lost'; request: PhotoRequest; approval: Approval }
  /** The same person sent the same verb again (Teams retries an invoke): nothing changed. */
  | { outcome: 'replayed'; request: PhotoRequest; approval: Approval }
  | { outcome: 'refused'; reason: 'not_found' | 'not_allowed' };

/** A row of the approvals list (CLI, the tab later). */
export interface ApprovalSummary {
  request: PhotoRequest;
  approval: Approval;
}

/** Stores approvals. Every state change is one transaction with its audit entry. */
export interface ApprovalRepository {
  /**
   * Moves the request previewed -> pending_approval, stores the approval and its approvers, and supersedes the
   * requester's older pending approvals, in one transaction with `audit`. Null when the request was no longer
   * previewed (a second click); otherwise the request and the ids it superseded.
   */
  open(
    approval: NewApproval,
    at: Date,
    audit: AuditEntry,
  ): Promise<{ request: PhotoRequest; superseded: string[] } | null>;
  /** The approval of a request, or null when it was never sent for approval. */
  get(requestId: string): Promise<Approval | null>;
  /**
   * One decision, as a compare-and-set on the request's state, keyed by (request, verb, actor): the key, the
   * state change, the decider, time and reason, and the audit entry commit together or not at all.
   */
  decide(input: {
    requestId: string;
    verb: DecisionVerb;
    actorId: string;
    reason?: string;
    at: Date;
    /** The audit entry for the result, appended in the same transaction (null: none, for a replay). */
    audit: (result: DecisionResult) => AuditEntry | null;
  }): Promise<DecisionResult>;
  /** pending_approval -> expired, if still pending, with `audit` in the same transaction; the request or null. */
  expire(requestId: string, at: Date, audit: AuditEntry): Promise<PhotoRequest | null>;
  /** Supersedes the user's pending approvals (a newer photo went live without approval); their ids. */
  supersedePending(userId: string, at: Date): Promise<string[]>;
  /** Claims a due reminder (clears it); false when it was not due or someone else claimed it. */
  claimReminder(requestId: string, at: Date): Promise<boolean>;
  /**
   * Claims a due escalation (or, `early`, one not yet due: nobody could be reached) and adds the new approvers; false
   * when not due or already claimed.
   */
  claimEscalation(requestId: string, at: Date, approvers: Approver[], early?: boolean): Promise<boolean>;
  /** Records that an approver's card was sent. */
  markNotified(requestId: string, userId: string, at: Date): Promise<void>;
  /** After a busy Microsoft 365: when to try writing again. */
  scheduleRetry(requestId: string, at: Date): Promise<void>;
  /** Stores a copy of a card (the requester's or an approver's). */
  addCopy(copy: CardCopy): Promise<void>;
  /** Every copy of a request's card, oldest first. */
  copies(requestId: string): Promise<CardCopy[]>;
  /** Requests due for expiry, escalation, reminder; approved ones ready to write; ones a crash left applying. */
  due(now: Date): Promise<{ expire: string[]; escalate: string[]; remind: string[]; apply: string[] }>;
  /** Approval requests in `applying` (after a restart: interrupted writes). */
  applying(): Promise<string[]>;
  /** Pending approvals with an approver not reached yet. */
  unnotified(): Promise<string[]>;
  /** Approvals whose cards or notifications lag behind their state. */
  unsynced(): Promise<string[]>;
  /** Records what the cards (version, revision) and the notifications (state) now show; versions only move forward. */
  markSynced(
    requestId: string,
    synced: { version?: number; revision?: number; notifiedState?: RequestState },
  ): Promise<void>;
  /** Approvals, newest first, optionally only those `approverId` may decide now, or in one state. */
  list(filter: { approverId?: string; state?: RequestState; limit?: number }): Promise<ApprovalSummary[]>;
}

// ---------------------------------------------------------------- what people see

/** Everything a card about one approval shows; the Teams edge turns it into JSON. */
export interface ApprovalView {
  requestId: string;
  state: RequestState;
  requesterId: string;
  requesterName: string;
  approvers: Array<Pick<Approver, 'userId' | 'displayName' | 'role'>>;
  requestedAt: Date;
  expiresAt: Date;
  remindedAt?: Date;
  escalatedAt?: Date;
  decision?: ApprovalDecision;
  decidedByName?: string;
  decidedAt?: Date;
  reason?: string;
  errorCode?: string;
  warnings: PhotoWarning[];
  oldPreview?: Uint8Array;
  newPreview: Uint8Array;
  /** The requester can still undo it (it is their latest applied change). */
  canUndo: boolean;
  /** Teams user ids of everyone with a copy, for `refresh.userIds`. */
  teamsUserIds: string[];
}

/** Who looks at a card. */
export type ApprovalViewer = 'requester' | 'approver';

/** Something a person is told outside the card. */
export type ApprovalNotice =
  | { kind: 'escalated'; view: ApprovalView; newApprovers: string[] }
  | { kind: 'applied'; view: ApprovalView }
  | { kind: 'rejected'; view: ApprovalView }
  | { kind: 'expired'; view: ApprovalView }
  | { kind: 'failed'; view: ApprovalView };

/** Reaches requesters and approvers in their chats. */
/** An approver the card cannot reach, and why. */
export interface Unreachable {
  unreachable: 'blocked' | 'not_installed';
}

export interface ApprovalNotifier {
  /**
   * Sends the approval card to an approver's chat; when Headshot has no chat with them, installs the app for
   * them first. The stored copy; `unreachable` when they certainly cannot get it (they blocked the bot, or do
   * not have the app and it cannot be installed for them); null when it failed for now (the scheduler tries again).
   */
  sendToApprover(view: ApprovalView, approver: Approver, tenantId: string): Promise<CardCopy | Unreachable | null>;
  /** Replaces every copy with the card of the current view; counts what failed (tried again on the next tick). */
  updateCopies(view: ApprovalView, copies: CardCopy[]): Promise<{ updated: number; failed: number }>;
  /** Tells someone about a step; false when they cannot be reached. */
  tell(userId: string, tenantId: string, notice: ApprovalNotice): Promise<boolean>;
}
