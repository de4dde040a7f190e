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

/** A square crop in the oriented source image's pixel space. */
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
}

/** What the pipeline made of one upload. */
export interface PreparedPhoto {
  /** 648x648 baseline JPEG, sRGB, no metadata: what Graph receives. */
  master: Uint8Array;
  /** 96x96 JPEG for cards. */
  preview: Uint8Array;
  /** What came in, after orientation. */
  source: { format: ImageFormat; width: number; height: number; bytes: number };
  warnings: PhotoWarning[];
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
  requestEnded(request: PhotoRequest, preview: Uint8Array | null, error?: { code: string; params: Record<string, string | number> }): Promise<boolean>;
}

// ---------------------------------------------------------------- persistence

/** States of a photo request. End states: applied, failed, cancelled, expired, superseded. */
export type RequestState =
  | 'previewed'
  | 'applying'
  | 'applied'
  | 'failed'
  | 'cancelled'
  | 'expired'
  | 'superseded';

/** How the photo reached us. */
export type PhotoSource = 'teams-file' | 'inline-image' | 'upload-page';

/** One person's attempt to change their photo. */
export interface PhotoRequest {
  id: string;
  userId: string;
  tenantId: string;
  locale: Locale;
  state: RequestState;
  source: PhotoSource;
  warnings: PhotoWarning[];
  sourceInfo: PreparedPhoto['source'];
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  /** Set in failed: the error code that ended it. */
  errorCode?: string;
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
  /** Keeps the photo a user had before an apply, for undo. */
  savePrevious(userId: string, requestId: string, photo: Uint8Array | null, at: Date): void;
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
  list(filter: { subjectId?: string; actorId?: string; limit?: number }): AuditEntry[];
}
