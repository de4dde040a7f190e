/** What photo status reads: Graph photo evidence, SharePoint profiles, and picture comparison. */
import type { DirectoryUser, MailboxKind } from '../directory/directory-ports';
import type { PhotoMeta } from '../photo/profile-photo-ports';

/** An error seen while gathering evidence: the part is unknown, the rest still counts. */
interface ObservedError {
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

/** What a follow-up check asks Graph about one person. */
export interface FollowUpAsk {
  userId: string;
  /** The user and their mailbox kind (the first check). */
  subject: boolean;
  /** The 48x48 photo Graph serves. */
  photo: boolean;
}

/** What Graph answered for one person; a part not asked is absent. */
export interface FollowUpAnswer {
  /** null when there is no such user. */
  user?: Observed<DirectoryUser | null>;
  mailbox?: Observed<MailboxKind>;
  /** The 48x48 JPEG; null when the user has no photo. */
  photo?: Observed<Uint8Array | null>;
}

/** Reads what follow-up checks need for many people at once, in Graph `$batch`es of 20. */
export interface FollowUpReader {
  /** By user id. */
  readMany(asks: readonly FollowUpAsk[]): Promise<Map<string, FollowUpAnswer>>;
}
