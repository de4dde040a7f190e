/**
 * The tab's HTTP contract: the JSON the service's `/api/...` routes for the personal tab
 * answer and accept. Types only: the tab (`tab/src`) imports this file with `import type`
 * and nothing else from `bot/` (design.md, "tab/ shares only type-only contracts").
 *
 * Every route below except the `public` ones takes `Authorization: Bearer <SSO token>`:
 * in a host the token from `authentication.getAuthToken()`, in local mode outside a host
 * the token from `POST /api/local/sign-in`. The same SsoValidator checks both. The user is
 * always taken from the token, never from the body or the query. `Accept-Language` picks the
 * language of `message` texts (en, fi, nl, pl).
 *
 * Errors, everywhere: `{ error: { code, message, retryAfterSeconds? } }` (`ApiErrorBody`),
 * with the HTTP status of the AppError; `message` is localised and safe to show.
 *
 * Routes (rule: tab-sso with the roles given, unless marked public):
 *   GET  /api/tab/config                                  public        -> TabConfig
 *   GET  /api/local/people                                public, local mode only (404 otherwise) -> DemoPerson[]
 *   POST /api/local/sign-in        LocalSignInBody        public, local mode only -> LocalSignInResult
 *   GET  /api/me                                          self          -> MeView
 *   GET  /api/me/photo                                    self          -> image/jpeg (404 photo.none when none)
 *   GET  /api/me/status                                   self          -> StatusReportJson
 *   POST /api/me/status/fixes/:fix                        self          -> StatusReportJson (fix_sharepoint | apply_again)
 *   GET  /api/me/ad-photo                                 self          -> image/jpeg (AD-ready 96x96, at most 10 KB)
 *   POST /api/me/photo-requests?cropLeft&cropTop&cropSize&rotate   raw image body -> PhotoRequestView (state previewed)
 *   POST /api/me/photo-faces?rotate                       raw image body -> FaceScanJson (nothing stored)
 *   GET  /api/me/photo-requests/latest                    self          -> PhotoRequestView | 404 request.not_found
 *   GET  /api/me/photo-requests/:requestId                self          -> PhotoRequestView
 *   POST /api/me/photo-requests/:requestId/submit         self          -> PhotoRequestView (pending_approval or applied)
 *   POST /api/me/photo-requests/:requestId/cancel         self          -> PhotoRequestView
 *   GET  /api/approvals?scope=pending|decided             self (approver) -> ApprovalItemView[]
 *   POST /api/approvals/:requestId/decision  DecisionBody self (approver) -> ApprovalItemView
 *   GET  /api/admin/coverage                              admin         -> CoverageJson | null
 *   POST /api/admin/coverage/scans                        admin         -> CoverageJson (the running or started scan)
 *   POST /api/admin/coverage/:scanId/csv-link             admin         -> DownloadLink
 *   GET  /api/admin/campaigns                             admin         -> CampaignProgressJson[]
 *   POST /api/admin/campaigns      CampaignDraftBody      admin         -> CampaignProgressJson
 *   POST /api/admin/campaigns/preview CampaignDraftBody   admin         -> CampaignPreviewJson
 *   GET  /api/admin/campaigns/:campaignId                 admin         -> CampaignProgressJson
 *   POST /api/admin/campaigns/:campaignId/cancel          admin         -> CampaignProgressJson
 *   GET  /api/admin/campaigns/:campaignId/funnel          admin         -> CampaignFunnelJson
 *   POST /api/admin/campaigns/:campaignId/report-link     admin         -> DownloadLink
 *   GET  /api/admin/groups?search=<name prefix>            admin         -> GroupRefJson[] (at most 20, by name)
 *   GET  /api/admin/groups/:groupId                       admin         -> GroupRefJson (404 when there is none)
 *   GET  /api/admin/audit?limit&before                    admin         -> AuditPage
 *   GET  /api/admin/settings                              admin         -> TenantSettingsView
 *   PUT  /api/admin/settings       TenantSettingsUpdate   admin         -> TenantSettingsView
 *   GET  /api/admin/follow-through                        admin         -> TimeToVisibleJson (last 30 days)
 *   GET  /api/admin/imports                               admin         -> ImportProgressJson[] (the 20 newest)
 *   POST /api/admin/imports?name&match&onlyMissing&overwriteChanged&approval  admin, raw zip body -> ImportProgressJson (checking)
 *   POST /api/admin/imports/folder  ImportFolderBody       admin, local mode only (404 otherwise) -> ImportProgressJson
 *   GET  /api/admin/imports/:importId                     admin         -> ImportProgressJson
 *   GET  /api/admin/imports/:importId/items?after&limit   admin         -> ImportItemJson[] (in file order)
 *   POST /api/admin/imports/:importId/apply               admin         -> ImportProgressJson (applying)
 *   POST /api/admin/imports/:importId/cancel              admin         -> ImportProgressJson (cancelled)
 *   POST /api/admin/imports/:importId/undo                admin         -> ImportProgressJson (undoing)
 *   POST /api/admin/imports/:importId/report-link         admin         -> DownloadLink (the CSV report)
 */

import type { CoverageView } from '../core/coverage/coverage-types';
import type { ImportCounts, ImportItem, ImportJob } from '../core/import/import-types';
import type { CampaignProgress, FunnelSummary } from '../core/broadcast/broadcast-types';
import type { CampaignFunnel } from '../core/broadcast/funnel';
import type {
  DemoPerson as CoreDemoPerson,
  LocalSignInResult as CoreLocalSignInResult,
} from '../core/session/local-sign-in';

/** The locales of the product. */
export type TabLocale = 'en' | 'fi' | 'nl' | 'pl';

/** The error body of every refused call. */
export interface ApiErrorBody {
  error: { code: string; message: string; retryAfterSeconds?: number };
}

// ---------------------------------------------------------------- session

/** What the page needs before anyone signs in. */
export interface TabConfig {
  mode: 'local' | 'm365';
  /** Local mode outside a host: the page offers the demo people (`/api/local/people`). */
  localSignIn: boolean;
  /** The Teams app id (manifest `id`), for deep links. */
  teamsAppId: string;
  /** Largest photo upload in bytes. */
  maxUploadBytes: number;
  /** Most pixels (width × height) the server decodes. */
  maxPixels: number;
  /** Smallest side in pixels the server accepts (and smallest crop). */
  minSide: number;
  /** The square side the server writes to Microsoft 365 (648). */
  masterSide: number;
  /** Sides Teams shows avatars at (the live round previews), smallest first. */
  avatarSides: number[];
}

/** One of the local tenant's demo people (local mode only). */
export type DemoPerson = CoreDemoPerson;

/**
 * `POST /api/local/sign-in` body: the person picked from the list, or the ticket of a signed link the bot gave
 * (the `#signin=` fragment of the editor link in clients without dialogs).
 */
export type LocalSignInBody = { userId: string } | { ticket: string };

/** A token issued by the local tenant for a demo person; use it as the bearer token. */
export type LocalSignInResult = CoreLocalSignInResult;

/** The signed-in person and what they may open. */
export interface MeView {
  id: string;
  displayName: string;
  userPrincipalName: string;
  /** The directory's preferred language mapped to a product locale, when set. */
  preferredLocale?: TabLocale;
  /** Approves someone's photos (has direct reports, or is in the approvers group). */
  isApprover: boolean;
  isAdmin: boolean;
  /** The tenant's approval policy applies to this person: a submit goes to approval. */
  approvalRequired: boolean;
  /** The tenant keeps photos on-premises: self-service is blocked (say so, offer nothing to submit). */
  selfServiceBlocked: boolean;
}

// ---------------------------------------------------------------- status

/**
 * A fix the status report offers (`FixAction`). The tab runs `fix_sharepoint` and `apply_again` with
 * `POST /api/me/status/fixes/:fix`; `upload` scrolls to the editor; `ad_photo` downloads
 * `GET /api/me/ad-photo` (self; image/jpeg, the AD-ready 96x96 at most 10 KB).
 */
export type FixName = 'fix_sharepoint' | 'apply_again' | 'upload' | 'ad_photo';

/** One system in the status report, as `reportJson` writes it. */
interface StatusSystemJson {
  system: 'entra' | 'exchange' | 'sharepoint' | 'teams' | 'policy';
  /** Machine state, e.g. in_sync, pending, not_applicable (status-types.ts SYNC_STATES). */
  state: string;
  reasons: string[];
  fixes: FixName[];
  instructions: string[];
  evidence: Record<string, unknown>;
  /** The same words the status card shows, localised. */
  text: { system: string; state: string; reasons: string[]; evidence: string[]; instructions: string[] };
}

/** The status report as `reportJson` writes it. */
export interface StatusReportJson {
  user: { id: string; userPrincipalName: string | null; displayName: string | null; mailbox: string | null };
  checkedAt: string;
  photo: 'unknown' | null | { width: number; height: number; hash: string | null };
  systems: StatusSystemJson[];
  /** Every fix offered, with its localised button title. */
  fixes: Array<{ fix: FixName; title: string }>;
}

// ---------------------------------------------------------------- my photo

/** The crop the page sends with the image (query parameters of POST /api/me/photo-requests). */
export interface CropQuery {
  /** Square crop in the pixel space of the image after EXIF orientation and then `rotate`. */
  cropLeft: number;
  cropTop: number;
  cropSize: number;
  /** Clockwise quarter turns applied after EXIF orientation: 0, 90, 180 or 270 (default 0). */
  rotate?: 0 | 90 | 180 | 270;
}

/** The faces of an image before it is cropped (`POST /api/me/photo-faces`), in its pixels after EXIF orientation and `rotate`. */
export interface FaceScanJson {
  /** `off`: this deployment does not check faces; `unavailable`: no answer in time (the upload still works). */
  status: 'checked' | 'off' | 'unavailable';
  width: number;
  height: number;
  faces: Array<{ x: number; y: number; width: number; height: number; score: number }>;
  /** The square the service would cut around the face; absent without a face. */
  suggested?: { cropLeft: number; cropTop: number; cropSize: number };
}

/** A quality warning, localised. */
export interface WarningJson {
  code: string;
  message: string;
}

/** A request's state, as the page shows it. */
export type PhotoRequestState =
  | 'previewed'
  | 'pending_approval'
  | 'approved'
  | 'applying'
  | 'applied'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'superseded'
  | 'failed';

/** One photo request of the signed-in person. */
export interface PhotoRequestView {
  requestId: string;
  state: PhotoRequestState;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  /** 96 px preview as a `data:image/jpeg;base64,...` URL (absent once the request ended and its photo was cleared). */
  preview?: string;
  /** The Teams avatar renditions, smallest first, as data URLs (only in the answer to the upload). */
  avatars?: Array<{ side: number; src: string }>;
  warnings: WarningJson[];
  source: { format: string; width: number; height: number; bytes: number };
  /** When pending approval: who may decide, and since when it waits. */
  approval?: {
    approvers: Array<{ userId: string; displayName: string; role: string }>;
    requestedAt: string;
    expiresAt: string;
    decidedByName?: string;
    decidedAt?: string;
    /** The approver's reason on reject. */
    reason?: string;
    /** While pending: the Adaptive Card the approvers got, in the caller's language (the tab shows it as a preview). */
    card?: Record<string, unknown>;
  };
  /** Set in failed: the error code, with its localised message. */
  error?: { code: string; message: string };
  /** One localised sentence for the state (what happened and what happens next). */
  message: string;
}

// ---------------------------------------------------------------- approvals

/** `POST /api/approvals/:requestId/decision` body: the same rules as the card (reason required on reject, at most 500 characters). */
export interface DecisionBody {
  decision: 'approve' | 'reject';
  reason?: string;
}

/** One request an approver sees. */
export interface ApprovalItemView {
  requestId: string;
  state: PhotoRequestState;
  requester: { id: string; displayName: string };
  requestedAt: string;
  expiresAt: string;
  /** The requester's current photo (data URL), absent when they have none. */
  oldPhoto?: string;
  /** The proposed photo (data URL), absent once the request ended and its photo was cleared. */
  newPhoto?: string;
  warnings: WarningJson[];
  decidedByName?: string;
  decidedAt?: string;
  reason?: string;
  /** The caller may still decide (pending, and they are one of the approvers). */
  canDecide: boolean;
  /** One localised sentence for the state. */
  message: string;
}

// ---------------------------------------------------------------- admin

/**
 * Coverage: the core's `CoverageView` (plain JSON: ISO strings, counts), with what the face checks of the photos
 * Headshot applied found (photo guidelines; the coverage CSV has the same per person in its `faceCheck` column).
 */
export type CoverageJson = CoverageView & {
  faceChecks?: { checked: number; clean: number; unavailable: number; byRule: Partial<Record<FaceRuleName, number>> };
};

/** A signed, short-lived download link (coverage CSV, campaign report). */
export interface DownloadLink {
  url: string;
  minutes: number;
}

/** A campaign's progress: the core's `CampaignProgress` is already plain JSON. */
export type CampaignProgressJson = Omit<CampaignProgress, 'audience'> & {
  /** `groupName`: a group audience's display name, when the group still exists. */
  audience: CampaignProgress['audience'] & { groupName?: string };
};

/** The funnel in all, as a campaign's progress carries it once sending is over. */
export type FunnelSummaryJson = FunnelSummary;

/** A campaign's funnel (core/broadcast/funnel.ts): counts per step, in all and per department. */
export type CampaignFunnelJson = Omit<CampaignFunnel, 'visibleAsOf'> & {
  /** When the coverage scan behind "visible" started (ISO), or null. */
  visibleAsOf: string | null;
};

/** `POST /api/admin/campaigns` body: the same draft the bot's compose card makes. */
export interface CampaignDraftBody {
  message: { kind: 'reminder' } | { kind: 'custom'; text: string };
  audience:
    | { kind: 'category'; categories: Array<'no_photo' | 'placeholder_or_stale' | 'hybrid_stuck'> }
    | { kind: 'group'; groupId: string }
    | { kind: 'everyone' }
    /** Those campaign `campaignId` reached who have not sent a photo since. */
    | { kind: 'followup'; campaignId: string };
  includeGuests?: boolean;
  includeDisabled?: boolean;
  /** ISO instant; absent: now. */
  sendAt?: string;
  /** Days after sending to remind again those who have not sent a photo by then (at most 3, each 1 to 60). */
  followUpDays?: number[];
}

/** What a draft would do, shown before the admin confirms it: how many it reaches, when, and what they read. */
export interface CampaignPreviewJson {
  /** People the audience reaches now, counted as sending would; null when it cannot be counted now. */
  recipients: number | null;
  /** ISO instant for a later send; null: now. */
  sendAt: string | null;
  /** The reminder in the caller's language (recipients get it in theirs). */
  reminder: { title: string; text: string; button: string; from: string };
  /** The Adaptive Card recipients get, in the caller's language: the tab renders it as Teams does. */
  card: Record<string, unknown>;
}

/** A group as the pickers show it. */
export interface GroupRefJson {
  id: string;
  displayName: string;
}

/** One audit entry. */
export interface AuditEntryJson {
  at: string;
  actorId: string;
  /** The actor's display name, when the actor is a person in the directory. */
  actorName?: string;
  action: string;
  subjectId?: string;
  /** The subject's display name, when the subject is a person in the directory. */
  subjectName?: string;
  requestId?: string;
  outcome: 'ok' | 'refused' | 'failed';
  /** A refusal's reason in the caller's language (what the refused person was told). */
  why?: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** A page of the audit log, newest first; `nextBefore` fetches the next page. */
export interface AuditPage {
  entries: AuditEntryJson[];
  nextBefore: string | null;
}

/** The reminder's words in one language; null fields fall back to the product's text. */
export interface ReminderText {
  title: string | null;
  text: string | null;
}

/** The tenant's settings as the admin page edits them. */
export interface TenantSettingsView {
  approvalPolicy: {
    requiredFor: 'everyone' | 'groups' | 'nobody';
    groupIds: string[];
    approversGroupId: string | null;
    remindAfterMinutes: number;
    escalateAfterMinutes: number;
    expireAfterMinutes: number;
  };
  sharePoint: {
    /** How the tenant's SharePoint shows pictures (configuration, read-only here). */
    pictures: 'auto' | 'legacy' | 'modern';
    /** Write the S/M/L thumbnails and profile properties to SharePoint on every apply. */
    legacyPush: boolean;
    /** SharePoint writes are configured (SHAREPOINT_MYSITE_URL / local tenant); legacyPush needs it. */
    available: boolean;
  };
  /** The reminder's words per language, overriding the product's text where set. */
  reminderTexts: Record<TabLocale, ReminderText>;
  /**
   * "Time for a new photo?" to people whose photo is older than `afterMonths` (6 to 120; default off, 24), sent
   * after each coverage check that finds someone (docs/broadcast.md, refresh reminders).
   */
  refreshReminders: { enabled: boolean; afterMonths: number };
  /**
   * The photo guidelines: per face rule, off, warn (default), approval (the photo goes to the manager's approval
   * even when approvals are otherwise off, with the reason on the approver's card) or refuse.
   */
  faceRules: Record<FaceRuleName, FaceRuleActionName>;
  /** This deployment checks faces (FACE_CHECK); when it does not, the rules have no effect. */
  faceCheckEnabled: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  /** The display name of `updatedBy`, when it is a person in the directory. */
  updatedByName?: string;
}

/** `PUT /api/admin/settings` body: any part; what is absent stays. */
export interface TenantSettingsUpdate {
  approvalPolicy?: Partial<TenantSettingsView['approvalPolicy']>;
  sharePoint?: { legacyPush: boolean };
  reminderTexts?: Partial<Record<TabLocale, ReminderText>>;
  refreshReminders?: { enabled: boolean; afterMonths: number };
  faceRules?: Partial<Record<FaceRuleName, FaceRuleActionName>>;
}

/** The face rules (core/photo/face-rules.ts). */
export type FaceRuleName = 'no_face' | 'multiple_faces' | 'face_too_small' | 'face_cut_off' | 'face_not_centred';
/** What a face rule does. */
export type FaceRuleActionName = 'off' | 'warn' | 'approval' | 'refuse';

// ---------------------------------------------------------------- follow-through

/** One followed system's figures (core/status/time-to-visible.ts), with its localised name and durations. */
interface SystemTimesJson {
  system: 'entra' | 'exchange' | 'sharepoint';
  name: string;
  /** Changes it showed; minutes to show them (null without any), and the same as words ("4 min"). */
  visible: number;
  medianMinutes: number | null;
  p95Minutes: number | null;
  median: string;
  p95: string;
  waiting: number;
  notVisible: number;
  notApplicable: number;
  unknown: number;
}

/** A change not visible everywhere after the late line. */
interface LateChangeJson {
  id: string;
  userId: string;
  userPrincipalName: string | null;
  displayName: string | null;
  kind: 'self_service' | 'approval' | 'undo' | 'apply_again';
  kindText: string;
  changedAt: string;
  changedAtText: string;
  state: 'watching' | 'not_visible' | 'visible' | 'superseded';
  stateText: string;
  /** Each system still waiting, with its reason code (null when not known yet) and the reason in words. */
  waiting: Array<{ system: 'entra' | 'exchange' | 'sharepoint'; name: string; reason: string | null; text: string }>;
}

/** `GET /api/admin/follow-through`: how long each system took to show new photos, over the last 30 days. */
export interface TimeToVisibleJson {
  from: string;
  to: string;
  changes: number;
  /** Whether follow-through runs here (FOLLOW_THROUGH); `text.off` says so when it does not. */
  enabled: boolean;
  lateAfterHours: number;
  systems: SystemTimesJson[];
  /** Teams is never measured (no API tells what a client cached): the sentence saying so. */
  teams: { measured: false; cacheDays: number; text: string };
  late: LateChangeJson[];
  /** The report's own words: its heading, the late list's, and the table's column headers. */
  text: {
    heading: string;
    lateHeading: string;
    lateNone: string;
    off?: string;
    columns: Record<
      'system' | 'shown' | 'median' | 'p95' | 'waiting' | 'notShown' | 'notApplicable' | 'unknown',
      string
    >;
  };
}

/** An import as the Admin page shows it (docs/import.md): the job, its counts, and how the writing goes. */
export interface ImportProgressJson {
  job: Omit<ImportJob, 'sourcePath' | 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };
  counts: ImportCounts;
  toWrite: number;
  perMinute: number;
  throttled: number;
}

/** One row of an import's table, with its words in the caller's language. */
export interface ImportItemJson extends Omit<ImportItem, 'notBefore' | 'jobId'> {
  planText: string;
  outcomeText: string;
  reasonText: string;
  warningTexts: string[];
}

/** `POST /api/admin/imports/folder` (local mode): a folder on the service's machine. */
export interface ImportFolderBody {
  path: string;
  match?: ImportJob['options']['match'];
  onlyMissing?: boolean;
  overwriteChanged?: boolean;
  approval?: boolean;
}
