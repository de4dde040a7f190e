/**
 * The ports the core names. Adapters in photo/, m365/ and store/ implement them;
 * no SDK type crosses these interfaces.
 */

/** Supported locales of the product. */
export type Locale = 'en' | 'fi' | 'nl' | 'pl';

/** Source of the current time; the local tenant and tests move it. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

// ---------------------------------------------------------------- images

/** Raster formats the pipeline accepts, detected from the bytes. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif' | 'heic';

/** Clockwise quarter turns the user asked for, applied after EXIF orientation. */
export type QuarterTurn = 0 | 90 | 180 | 270;

/** A square crop in the pixel space of the source image after EXIF orientation and then `rotate`. */
export interface CropRect {
  left: number;
  top: number;
  size: number;
}

/** A quality warning: accepted, but the user should know. */
export interface PhotoWarning {
  code: 'small' | 'dark' | 'bright' | 'low_contrast' | 'blurry' | 'off_centre';
  params?: Record<string, string | number>;
}

/** Options for one run of the pipeline. */
export interface PrepareOptions {
  /** A crop the user chose; absent means automatic (subject kept in frame). */
  crop?: CropRect;
  /** Clockwise quarter turns after EXIF orientation and before the crop; absent means 0. */
  rotate?: QuarterTurn;
}

/** A square JPEG of a known side. */
export interface SquareJpeg {
  /** Width and height in pixels. */
  side: number;
  jpeg: Uint8Array;
}

/** What the pipeline made of one upload. Every image is a baseline sRGB JPEG without metadata, made from one 648 master. */
export interface PreparedPhoto {
  /** 648x648 JPEG, at most 4 MB and normally under 500 KB: what Graph (Entra ID, Exchange, Teams) receives. */
  master: Uint8Array;
  /** 96x96 JPEG for cards, a few KB (Teams messages stop at about 100 KB). */
  preview: Uint8Array;
  /** SharePoint legacy profile thumbnails (`_SThumb`, `_MThumb`, `_LThumb`); sides configurable, default 48, 72, 200. */
  thumbnails: { s: SquareJpeg; m: SquareJpeg; l: SquareJpeg };
  /** 96x96 JPEG of at most 10 KB for on-premises AD `thumbnailPhoto` (Exchange takes it from Entra ID only at <= 10 KB). */
  adThumbnail: Uint8Array;
  /** Square JPEGs at Teams avatar sizes, smallest first; the tab masks them round. */
  avatars: SquareJpeg[];
  source: PhotoSourceInfo;
  warnings: PhotoWarning[];
}

/** What came in: format, size after orientation, bytes, and the orientation found. */
export interface PhotoSourceInfo {
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  /** EXIF orientation found, 1-8 (1 when absent or invalid, and for HEIC, whose decoder applies the file's own rotation). */
  orientation: number;
}

/** The image pipeline. */
export interface ImageProcessor {
  /** Validates and normalises one upload; throws AppError (photo.*) on bad input or when busy. */
  prepare(input: Uint8Array, options?: PrepareOptions): Promise<PreparedPhoto>;
}

// ---------------------------------------------------------------- Microsoft 365

/** A person in the directory, as the product needs them. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail?: string;
  userType: 'Member' | 'Guest';
  preferredLanguage?: string;
  onPremisesSyncEnabled: boolean;
  accountEnabled: boolean;
}

/** Reads people from the directory (Graph). */
export interface Directory {
  /** The user by object id or UPN; null when there is none. */
  getUser(idOrUpn: string): Promise<DirectoryUser | null>;
  /** The user's manager; null when they have none. */
  getManager(userId: string): Promise<DirectoryUser | null>;
}

/** Metadata of the photo Microsoft 365 holds for a user. */
export interface PhotoMeta {
  width: number;
  height: number;
  etag?: string;
}

/** Reads and writes profile photos (Graph `/users/{id}/photo`). */
export interface ProfilePhotos {
  /** The current photo's metadata, or null when the user has none (ImageNotFound). */
  getMeta(userId: string): Promise<PhotoMeta | null>;
  /** The current photo's bytes at the largest size, or null when there is none. */
  get(userId: string): Promise<Uint8Array | null>;
  /** Writes a JPEG as the user's photo. Throws AppError (m365.*) on failure. */
  put(userId: string, jpeg: Uint8Array): Promise<void>;
  /** Removes the user's photo (undo back to "no photo"); succeeds when there is none. Throws AppError (m365.*) on failure. */
  remove(userId: string): Promise<void>;
}

// ---------------------------------------------------------------- photo status

/** Where a user's mailbox lives: Exchange Online, nowhere (unlicensed, guest), or on-premises Exchange. */
export type MailboxKind = 'online' | 'none' | 'onPremises';

/** The tenant photo policy (Graph beta `photoUpdateSettings`). */
export interface PhotoPolicy {
  /** `onPremises`: photos are managed in on-premises AD and cloud updates are disabled for everyone. */
  source: 'cloud' | 'onPremises';
  allowedRoles: string[];
}

/** Reads the tenant photo policy. */
export interface PhotoPolicySource {
  /** The current policy; throws AppError (m365.*) when it cannot be read. */
  get(): Promise<PhotoPolicy>;
}

/** An error seen while gathering evidence: the part is unknown, the rest still counts. */
export interface ObservedError {
  code: string;
  retryable: boolean;
  retryAfterSeconds?: number;
}

/** A piece of evidence that was read, or the error that kept it from being read. */
export type Observed<T> = { ok: true; value: T } | { ok: false; error: ObservedError };

/** The photo Graph serves for a user: its metadata and a small rendition for comparing and previews. */
export interface GraphPhoto extends PhotoMeta {
  /** The 48x48 JPEG Graph serves, or null when the photo is smaller than that. */
  small: Uint8Array | null;
}

/** What one Graph `$batch` tells about a user's photo. */
export interface GraphPhotoEvidence {
  /** null when there is no such user. */
  user: Observed<DirectoryUser | null>;
  /** null when the user has no photo (ImageNotFound). */
  photo: Observed<GraphPhoto | null>;
  mailbox: Observed<MailboxKind>;
}

/** Counts of one batched run, for benchmarks and logs. */
export interface BatchStats {
  /** HTTP requests sent (`$batch` POSTs). */
  httpRequests: number;
  /** Inner requests sent, retries included. */
  innerRequests: number;
  /** Inner (and outer) answers with status 429. */
  throttled: number;
  /** Inner requests sent again after 429, 503 or 504. */
  retried: number;
}

/** The photo metadata of many users, read in batches. */
export interface PhotoScan {
  /** By user id, in the order asked; null when the user has no photo. */
  photos: Map<string, Observed<PhotoMeta | null>>;
  stats: BatchStats;
}

/** Reads photo evidence from Microsoft Graph with a small, fixed number of requests. */
export interface PhotoEvidenceReader {
  /** User, photo metadata, 48 px photo and mailbox kind of one user, in one `$batch`. */
  read(idOrUpn: string): Promise<GraphPhotoEvidence>;
  /** Photo metadata of many users: `$batch`es of 20, at most 4 at a time, each inner 429 retried after its own Retry-After. */
  scan(userIds: readonly string[]): Promise<PhotoScan>;
}

/** The picture facts of a SharePoint Online user profile. */
export interface SharePointProfile {
  accountName: string;
  /** PictureURL (points to the M thumbnail in legacy tenants), or null when unset. */
  pictureUrl: string | null;
  /** SPS-PictureTimestamp: when SharePoint last stored a picture; null when never. */
  pictureTimestamp: Date | null;
  /** SPS-PicturePlaceholderState: true when SharePoint shows the placeholder. */
  placeholder: boolean;
  /** SPS-PictureExchangeSyncState: 1 copied from Exchange, 0 uploaded in SharePoint (no mailbox); null when unset. */
  exchangeSyncState: 0 | 1 | null;
}

/** The three legacy thumbnails, as JPEG. */
export interface SharePointThumbnails {
  small: Uint8Array;
  medium: Uint8Array;
  large: Uint8Array;
}

/** SharePoint Online user profiles and their pictures (SharePoint REST). */
export interface SharePointProfiles {
  /** The user's profile by UPN; null when SharePoint has none. */
  getProfile(upn: string): Promise<SharePointProfile | null>;
  /** The small picture SharePoint shows for the user (`userphoto.aspx`; the placeholder image when it has none). */
  getShownPicture(upn: string): Promise<Uint8Array>;
  /** Writes the S/M/L thumbnails to the profile pictures library and points the profile at them. */
  setPicture(upn: string, thumbnails: SharePointThumbnails, at: Date): Promise<void>;
}

/** A picture reduced to what comparing and previewing need. */
export interface PictureFingerprint {
  /** 64-bit difference hash (dHash of a 9x8 grey image) as 16 hex digits: close hashes, same picture. */
  hash: string;
  width: number;
  height: number;
  /** A JPEG of at most 48x48 for cards. */
  preview: Uint8Array;
}

/** Image work the status use case needs (sharp behind it; the core never sees sharp). */
export interface PictureTools {
  /** Hash, size and a small preview of a picture; throws AppError (photo.corrupt) when it cannot be read. */
  fingerprint(bytes: Uint8Array): Promise<PictureFingerprint>;
  /** Square JPEGs of the picture at each side, in order. */
  squares(bytes: Uint8Array, sides: readonly number[]): Promise<Uint8Array[]>;
  /** A 96x96 JPEG of at most `maxBytes` for on-premises AD's thumbnailPhoto. */
  adThumbnail(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array>;
}

/** Fetches an attachment the user sent, guarding against request forgery. */
export interface AttachmentFetcher {
  /** Downloads the bytes at `url` if its host is allowed, within size and time limits. */
  fetch(url: string, options?: { bearerToken?: string }): Promise<Uint8Array>;
}

/** Reaches a user in their chat when they are not waiting for an answer there. */
export interface PhotoNotifier {
  /** Sends the preview of a request to the user's chat; false when there is no conversation to send to. */
  previewReady(request: PhotoRequest, preview: Uint8Array): Promise<boolean>;
  /** Tells the user how a request ended (after a restart, or when it expired); false when unreachable. */
  requestEnded(
    request: PhotoRequest,
    preview: Uint8Array | null,
    error?: { code: string; params: Record<string, string | number> },
  ): Promise<boolean>;
}

// ---------------------------------------------------------------- persistence

/**
 * States of a photo request (request-lifecycle.ts has the machine).
 * End states: applied, failed, cancelled, expired, superseded, rejected.
 */
export type RequestState =
  | 'previewed'
  | 'pending_approval'
  | 'approved'
  | 'rejected'
  | 'applying'
  | 'applied'
  | 'failed'
  | 'cancelled'
  | 'expired'
  | 'superseded';

/** How the photo reached us. */
export type PhotoSource = 'teams-file' | 'inline-image' | 'upload-page' | 'tab' | 'undo';

/** Which use case owns a request: absent is self-service (confirm writes at once). */
export type RequestFlow = 'approval' | 'undo';

/** One person's attempt to change their photo. */
export interface PhotoRequest {
  id: string;
  userId: string;
  tenantId: string;
  locale: Locale;
  state: RequestState;
  source: PhotoSource;
  warnings: PhotoWarning[];
  /** The upload's PreparedPhoto['source']; `orientation` is absent on requests stored before it was recorded. */
  sourceInfo: Omit<PhotoSourceInfo, 'orientation'> & { orientation?: number };
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  /** Set in failed: the error code that ended it. */
  errorCode?: string;
  /** `approval` once sent for approval; `undo` for a request restoring a previous photo; absent for self-service. */
  flow?: RequestFlow;
  /** For `undo`: the applied request whose previous photo this one restores. */
  undoOf?: string;
  /** Increments on every transition; guards against lost updates. */
  version: number;
}

/** The photo bytes kept with a request until it ends. */
export interface PendingPhoto {
  master: Uint8Array;
  preview: Uint8Array;
}

/** Stores photo requests, their photos and undo history. */
export interface RequestRepository {
  /**
   * Inserts a new request with its photo, superseding the user's open previews, in one transaction.
   * Returns the ids of the requests it superseded.
   */
  create(request: PhotoRequest, photo: PendingPhoto): string[];
  /** The request, or null. */
  get(id: string): PhotoRequest | null;
  /** The pending photo of a request, or null once it was cleared. */
  getPhoto(id: string): PendingPhoto | null;
  /**
   * Moves a request from one state to another if and only if it is still in `from`.
   * Returns the updated request, or null when another transition got there first.
   */
  transition(id: string, from: RequestState, to: RequestState, at: Date, errorCode?: string): PhotoRequest | null;
  /** Requests in a state, oldest first (used to resume work after a restart). */
  listByState(state: RequestState): PhotoRequest[];
  /** Ids of previewed requests whose time ran out by `now`. */
  listExpired(now: Date): string[];
  /** The user's newest request still waiting for confirmation, or null. */
  openForUser(userId: string): PhotoRequest | null;
  /** The user's newest request (any state; undo requests left out), or null. */
  latestForUser(userId: string): PhotoRequest | null;
  /** Keeps the photo a user had before an apply, for undo. */
  savePrevious(userId: string, requestId: string, photo: Uint8Array | null, at: Date): void;
  /** The photo kept before `requestId` was applied (`photo: null`: the user had none), or null when nothing was kept. */
  getPrevious(requestId: string): { photo: Uint8Array | null; savedAt: Date } | null;
  /** The user's most recently applied request, or null. */
  latestApplied(userId: string): PhotoRequest | null;
  /**
   * Inserts an undo request (state `applying`, flow `undo`) with the photo to restore (an empty master means
   * "remove the photo"); false when another undo of the same request is already under way or done.
   */
  createUndo(request: PhotoRequest, photo: PendingPhoto): boolean;
}

/** A stored conversation with a user, opaque to the core (serialised by the Teams edge). */
export interface StoredConversation {
  userId: string;
  tenantId: string;
  conversationId: string;
  serviceUrl: string;
  locale: Locale;
  /** The channel's reference object, serialised. */
  reference: string;
  updatedAt: Date;
}

/** Conversation references for proactive messages. */
export interface ConversationStore {
  /** Inserts or replaces the user's personal conversation. */
  save(conversation: StoredConversation): void;
  /** The user's personal conversation, or null. */
  get(userId: string): StoredConversation | null;
}

/** Installs Headshot for a user (Graph `teamwork/installedApps`), so that the bot may open a chat with them. */
export interface AppInstaller {
  /** Installs the app for the user; succeeds when it was installed already. Throws AppError (m365.*). */
  install(userId: string): Promise<void>;
}

/** One audit entry: who did what to whom. */
export interface AuditEntry {
  at: Date;
  actorId: string;
  action: string;
  subjectId?: string;
  requestId?: string;
  outcome: 'ok' | 'refused' | 'failed';
  detail?: Record<string, string | number | boolean | null>;
}

/** Append-only audit log. */
export interface AuditLog {
  /** Appends one entry. */
  append(entry: AuditEntry): void;
  /** Entries about a subject or by an actor, newest first. */
  list(filter: { subjectId?: string; actorId?: string; requestId?: string; limit?: number }): AuditEntry[];
}
