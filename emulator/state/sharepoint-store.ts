import type { SeedUser } from '../seed/org-seed';

/** Where the local tenant serves SharePoint: the My Site Host (`https://<tenant>-my.sharepoint.com`) lives under this path. */
export const SHAREPOINT_PREFIX = '/sp';

/** The profile pictures folder of the My Site Host's "User Photos" library (English root web). */
const PROFILE_PICTURES_FOLDER = 'User Photos/Profile Pictures';

/** Thumbnail suffixes and their widths (PnP ProfilePictureUploader: S 48, M 72, L 200). */
export const THUMBNAIL_SIDES = { S: 48, M: 72, L: 200 } as const;

/** A thumbnail size code. */
export type ThumbnailSize = keyof typeof THUMBNAIL_SIDES;

/** Profile properties about the picture. */
export const PICTURE_PROPERTIES = [
  'PictureURL',
  'SPS-PictureTimestamp',
  'SPS-PicturePlaceholderState',
  'SPS-PictureExchangeSyncState',
] as const;

/**
 * The file-name stem SharePoint gives a user's thumbnails: the account name with each of
 * `\ @ . " # % & * : < > ? { } |` replaced by `_` (seed article on profile picture sync).
 */
export function thumbnailStem(upn: string): string {
  return upn.replace(/[\\@."#%&*:<>?{}|]/g, '_');
}

/** The claims account name SharePoint uses for a cloud user. */
function membershipClaim(upn: string): string {
  return `i:0#.f|membership|${upn.toLowerCase()}`;
}

/** The UPN inside a claims account name (or the name itself when it is a plain UPN). */
export function upnOfAccountName(accountName: string): string {
  const bar = accountName.lastIndexOf('|');
  return bar >= 0 ? accountName.slice(bar + 1) : accountName;
}

/** A file in the profile pictures folder. */
export interface LibraryFile {
  name: string;
  /** e.g. `/sp/User Photos/Profile Pictures/alexw_example_com_MThumb.jpg` (decoded). */
  serverRelativeUrl: string;
  bytes: Buffer;
  modifiedAt: string;
  /** Etag of the Exchange photo the tenant made it from; null when it was uploaded through REST. */
  sourceEtag: string | null;
}

/** One SharePoint user profile. */
export interface SharePointProfile {
  userId: string;
  upn: string;
  accountName: string;
  /** Property values as SharePoint stores them (strings). A PictureURL starting with `/` is server-relative. */
  properties: Map<string, string>;
  /** Virtual time of the last copy attempt from Exchange (legacy sync), or null. */
  lastExchangeSyncMs: number | null;
}

/** SharePoint Online user profiles and the My Site Host's profile pictures folder. */
export class SharePointStore {
  private readonly profiles = new Map<string, SharePointProfile>();
  private readonly byUpn = new Map<string, SharePointProfile>();
  private readonly files = new Map<string, LibraryFile>();

  /** Server-relative URL of the profile pictures folder. */
  folderUrl(): string {
    return `${SHAREPOINT_PREFIX}/${PROFILE_PICTURES_FOLDER}`;
  }

  /** Server-relative URL of one of the user's thumbnails. */
  thumbnailUrl(upn: string, size: ThumbnailSize): string {
    return `${this.folderUrl()}/${thumbnailStem(upn)}_${size}Thumb.jpg`;
  }

  /** Creates the profile a user gets at first sign-in: placeholder picture, nothing synced. */
  create(user: SeedUser): SharePointProfile {
    const profile: SharePointProfile = {
      userId: user.id,
      upn: user.upn,
      accountName: membershipClaim(user.upn),
      properties: new Map([
        ['AccountName', membershipClaim(user.upn)],
        ['UserName', user.upn],
        ['PreferredName', user.displayName],
        ['WorkEmail', user.mail ?? ''],
        ['PictureURL', ''],
        ['SPS-PictureTimestamp', ''],
        ['SPS-PicturePlaceholderState', '1'],
        ['SPS-PictureExchangeSyncState', '0'],
      ]),
      lastExchangeSyncMs: null,
    };
    this.profiles.set(user.id.toLowerCase(), profile);
    this.byUpn.set(user.upn.toLowerCase(), profile);
    return profile;
  }

  /** The profile of a user, by object id or UPN. */
  profile(idOrUpn: string): SharePointProfile | undefined {
    const key = idOrUpn.toLowerCase();
    return this.profiles.get(key) ?? this.byUpn.get(key);
  }

  /** Writes a file (replacing one of the same name). */
  putFile(name: string, bytes: Buffer, at: string, sourceEtag: string | null): LibraryFile {
    const file: LibraryFile = {
      name,
      serverRelativeUrl: `${this.folderUrl()}/${name}`,
      bytes,
      modifiedAt: at,
      sourceEtag,
    };
    this.files.set(file.serverRelativeUrl.toLowerCase(), file);
    return file;
  }

  /** The file at a server-relative URL (case-insensitive, as SharePoint is). */
  file(serverRelativeUrl: string): LibraryFile | undefined {
    return this.files.get(serverRelativeUrl.toLowerCase());
  }

  /** The user's thumbnails that exist. */
  thumbnailsOf(upn: string): LibraryFile[] {
    return (['S', 'M', 'L'] as const)
      .map((s) => this.file(this.thumbnailUrl(upn, s)))
      .filter((f): f is LibraryFile => f !== undefined);
  }

  /** Forgets every profile and file. */
  clear(): void {
    this.profiles.clear();
    this.byUpn.clear();
    this.files.clear();
  }
}
