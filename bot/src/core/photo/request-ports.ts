/** Photo requests: their store, the photos they keep, and telling the user about them. */
import type { Locale } from '../locale';
import type { PhotoSourceInfo, PhotoWarning } from './pipeline-ports';

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

/** What a request's cards say once it is over: how it ended, or `undone` for an applied change someone undid. */
export type RequestOutcome = 'applied' | 'cancelled' | 'superseded' | 'expired' | 'failed' | 'undone';

/** The cards a request was shown on (Teams: its preview cards), closed in place once it is over. */
export interface RequestCards {
  /**
   * Shows `outcome` on every card of the request that does not show it yet (with the photo's preview when at
   * hand); resolves to how many cards now show it. Best effort: a card that cannot change is left as it is.
   */
  close(request: PhotoRequest, outcome: RequestOutcome, preview?: Uint8Array | null): Promise<number>;
}

/** One card a request was shown on: where it is (a serialised conversation reference and the message's id). */
export interface RequestCardCopy {
  requestId: string;
  userId: string;
  activityId: string;
  reference: string;
  sentAt: Date;
  /** `open` while the card still has its buttons; else the outcome it shows. */
  shows: 'open' | RequestOutcome;
}

/** Stores the cards of photo requests until nothing can change them any more. */
export interface RequestCardStore {
  /** Keeps a new card (shows `open`), and forgets the user's cards that can no longer change. */
  add(copy: Omit<RequestCardCopy, 'shows'>): Promise<void>;
  /** The cards of a request, oldest first. */
  list(requestId: string): Promise<RequestCardCopy[]>;
  /** Records that a card now shows `outcome`. */
  mark(requestId: string, activityId: string, outcome: RequestOutcome): Promise<void>;
  /** Forgets the user's closed cards of other requests (only the newest applied change can be undone). */
  forgetOthers(userId: string, requestId: string): Promise<void>;
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
export type PhotoSource = 'teams-file' | 'inline-image' | 'upload-page' | 'tab' | 'undo' | 'import';

/** Which use case owns a request: absent is self-service (confirm writes at once). */
type RequestFlow = 'approval' | 'undo';

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
  sourceInfo: Omit<PhotoSourceInfo, 'orientation'> & {
    orientation?: number;
    /** How the face check went (absent when faces were not checked, and on requests stored before face checks). */
    faceCheck?: 'checked' | 'unavailable';
  };
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
  create(request: PhotoRequest, photo: PendingPhoto): Promise<string[]>;
  /** The request, or null. */
  get(id: string): Promise<PhotoRequest | null>;
  /** The pending photo of a request, or null once it was cleared. */
  getPhoto(id: string): Promise<PendingPhoto | null>;
  /**
   * Moves a request from one state to another if and only if it is still in `from`.
   * Returns the updated request, or null when another transition got there first.
   */
  transition(
    id: string,
    from: RequestState,
    to: RequestState,
    at: Date,
    errorCode?: string,
  ): Promise<PhotoRequest | null>;
  /** Requests in a state, oldest first (used to resume work after a restart). */
  listByState(state: RequestState): Promise<PhotoRequest[]>;
  /** Ids of previewed requests whose time ran out by `now`. */
  listExpired(now: Date): Promise<string[]>;
  /** The user's newest request still waiting for confirmation, or null. */
  openForUser(userId: string): Promise<PhotoRequest | null>;
  /** The user's newest request (any state; undo requests left out), or null. */
  latestForUser(userId: string): Promise<PhotoRequest | null>;
  /** Keeps the photo a user had before an apply, for undo. */
  savePrevious(userId: string, requestId: string, photo: Uint8Array | null, at: Date): Promise<void>;
  /** The photo kept before `requestId` was applied (`photo: null`: the user had none), or null when nothing was kept. */
  getPrevious(requestId: string): Promise<{ photo: Uint8Array | null; savedAt: Date } | null>;
  /** The user's most recently applied request, or null. */
  latestApplied(userId: string): Promise<PhotoRequest | null>;
  /**
   * Inserts an undo request (state `applying`, flow `undo`) with the photo to restore (an empty master means
   * "remove the photo"); false when another undo of the same request is already under way or done.
   */
  createUndo(request: PhotoRequest, photo: PendingPhoto): Promise<boolean>;
}
