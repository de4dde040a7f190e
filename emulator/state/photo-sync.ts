import { inspectImage, renderSquareJpeg } from '../images/photo-image';
import { placeholderPicture } from '../images/placeholder-picture';
import type { SeedUser, SharePointPictures } from '../seed/org-seed';
import type { VirtualClock } from './clock';
import type { Directory } from './directory';
import type { PhotoStore, StoredPhoto } from './photo-store';
import { THUMBNAIL_SIDES, thumbnailStem, type SharePointStore, type ThumbnailSize } from './sharepoint-store';

/** Exchange Online takes a photo from Entra ID (AD) only if it is this small (KB 3062745). */
const EXCHANGE_AD_PHOTO_LIMIT = 10 * 1024;
/** The most on-premises AD's thumbnailPhoto holds. */
export const AD_THUMBNAIL_LIMIT = 100 * 1024;
/** Legacy SharePoint copies from Exchange at most this often. */
const SHAREPOINT_SYNC_INTERVAL_MS = 24 * 3600 * 1000;
/**
 * Entra Connect's scheduler runs a sync cycle every 30 minutes by default (Microsoft Entra Connect Sync: Scheduler,
 * learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-sync-feature-scheduler).
 */
const DEFAULT_DIRECTORY_SYNC_MINUTES = 30;
/** Default time after which a Teams client's cached photo is refreshed (the service's user cache: 3 days). */
const DEFAULT_TEAMS_REFRESH_SECONDS = 3 * 24 * 3600;

/** What became of an AD thumbnail's one chance to reach Exchange Online. */
export type ExchangeImport = 'imported' | 'rejected_too_large' | 'skipped_has_photo' | 'no_mailbox';

/** A hybrid user's on-premises `thumbnailPhoto`. */
export interface AdThumbnail {
  bytes: Buffer;
  width: number;
  height: number;
  changedAtMs: number;
  /** When directory sync last carried this value to Entra ID; null until it has. */
  syncedAtMs: number | null;
}

/** One user's result of a directory sync run. */
export interface DirectorySyncResult {
  userId: string;
  entra: 'updated';
  exchange: ExchangeImport | 'already_used';
}

/** Why a profile view did or did not copy the photo. */
export type ProfileViewResult =
  | { result: 'synced'; at: string }
  | { result: 'too_soon'; nextSyncAt: string }
  | { result: 'no_exchange_photo' | 'no_mailbox' | 'guest' | 'modern' };

/** What a Teams client shows: the photo as of its last cache refresh. */
export interface TeamsView {
  photo: StoredPhoto | null;
  refreshedAtMs: number;
}

/** What the model needs from the tenant. */
export interface PhotoSyncContext {
  readonly clock: VirtualClock;
  readonly directory: Directory;
  /** Entra ID's photos. */
  readonly photos: PhotoStore;
  /** Exchange Online mailbox photos. */
  readonly exchangePhotos: PhotoStore;
  readonly sharePoint: SharePointStore;
}

const thumbnailCache = new Map<string, Buffer>();

/** The decoded server-relative path of a PictureURL (absolute or server-relative), or null when unset. */
export function serverRelativePath(pictureUrl: string | undefined): string | null {
  if (pictureUrl === undefined || pictureUrl === '') return null;
  try {
    return decodeURIComponent(new URL(pictureUrl, 'http://local').pathname);
  } catch {
    return null;
  }
}

/** Renders one SharePoint thumbnail, cached by source etag (seeds share portraits). */
async function thumbnail(photo: StoredPhoto, side: number): Promise<Buffer> {
  const key = `${photo.etag}|${side}`;
  const hit = thumbnailCache.get(key);
  if (hit !== undefined) return hit;
  const bytes = await renderSquareJpeg(photo.bytes, side);
  if (thumbnailCache.size > 2000) thumbnailCache.delete(thumbnailCache.keys().next().value as string);
  thumbnailCache.set(key, bytes);
  return bytes;
}

/**
 * How a photo moves between the stores of Microsoft 365, as domain.md describes it:
 * Graph writes Exchange + Entra ID for mailbox users (Entra ID only otherwise) and reads
 * Exchange for mailbox users; hybrid users' AD thumbnails reach Entra ID at every directory
 * sync and Exchange once, only if 10 KB or less; legacy SharePoint copies Exchange's photo at
 * most once per 24 h when the user views their own profile; Teams shows what it cached.
 */
export class PhotoSync {
  sharePointPictures: SharePointPictures = 'legacy';
  teamsRefreshSeconds = DEFAULT_TEAMS_REFRESH_SECONDS;
  /** Minutes between scheduled directory sync cycles on the virtual clock; null: only when asked (control API). */
  directorySyncMinutes: number | null = DEFAULT_DIRECTORY_SYNC_MINUTES;
  /** When the schedule's last cycle ran (virtual ms); null until the first request after a reset. */
  private lastCycleMs: number | null = null;
  private readonly ad = new Map<string, AdThumbnail>();
  private readonly exchangeImport = new Map<string, ExchangeImport>();
  private readonly teams = new Map<string, TeamsView>();

  constructor(private readonly t: PhotoSyncContext) {}

  /** Forgets AD thumbnails, Teams caches and import history; sets the SharePoint kind. */
  reset(pictures: SharePointPictures): void {
    this.sharePointPictures = pictures;
    this.teamsRefreshSeconds = DEFAULT_TEAMS_REFRESH_SECONDS;
    this.directorySyncMinutes = DEFAULT_DIRECTORY_SYNC_MINUTES;
    this.lastCycleMs = null;
    this.ad.clear();
    this.exchangeImport.clear();
    this.teams.clear();
  }

  // ------------------------------------------------------------ Graph

  /** Whether Graph's photo calls for this user are backed by an Exchange Online mailbox. */
  hasOnlineMailbox(user: SeedUser): boolean {
    return user.userType === 'Member' && user.mailbox === 'online';
  }

  /** The store Graph reads the user's photo from. */
  graphStore(user: SeedUser): PhotoStore {
    return this.hasOnlineMailbox(user) ? this.t.exchangePhotos : this.t.photos;
  }

  /** The photo Graph serves for the user. */
  graphPhoto(user: SeedUser): StoredPhoto | undefined {
    return this.graphStore(user).get(user.id);
  }

  /** A Graph photo write: Exchange and Entra ID for mailbox users, Entra ID only otherwise. */
  write(user: SeedUser, photo: Omit<StoredPhoto, 'etag'>): StoredPhoto {
    const stored = this.t.photos.put(user.id, photo);
    if (this.hasOnlineMailbox(user)) return this.t.exchangePhotos.put(user.id, photo);
    return stored;
  }

  /** A Graph photo delete: from both stores. */
  remove(user: SeedUser): boolean {
    const a = this.t.photos.delete(user.id);
    const b = this.t.exchangePhotos.delete(user.id);
    return a || b;
  }

  // ------------------------------------------------------------ on-premises AD

  /** Sets (or replaces) a hybrid user's AD thumbnailPhoto; directory sync carries it on. */
  async setAdThumbnail(user: SeedUser, bytes: Buffer): Promise<AdThumbnail> {
    const info = await inspectImage(bytes);
    if (info === null || info.format !== 'jpeg') throw new Error('thumbnailPhoto must be a JPEG');
    const thumb: AdThumbnail = {
      bytes,
      width: info.width,
      height: info.height,
      changedAtMs: this.t.clock.nowMs(),
      syncedAtMs: null,
    };
    this.ad.set(user.id.toLowerCase(), thumb);
    return thumb;
  }

  /** The user's AD thumbnail, if any. */
  adThumbnail(user: SeedUser): AdThumbnail | undefined {
    return this.ad.get(user.id.toLowerCase());
  }

  /** What became of the user's one chance to have the AD photo imported into Exchange. */
  exchangeImportOf(user: SeedUser): ExchangeImport | undefined {
    return this.exchangeImport.get(user.id.toLowerCase());
  }

  /**
   * The scheduled sync cycles the virtual clock has passed since the last one: one delta cycle carries every AD
   * change made up to the newest cycle time (a change after it waits for the next). Called before each request.
   */
  catchUp(): DirectorySyncResult[] {
    if (this.directorySyncMinutes === null) return [];
    const now = this.t.clock.nowMs();
    const interval = this.directorySyncMinutes * 60_000;
    if (this.lastCycleMs === null || now < this.lastCycleMs) {
      this.lastCycleMs = now;
      return [];
    }
    if (now - this.lastCycleMs < interval) return [];
    const cycleAt = now - ((now - this.lastCycleMs) % interval);
    this.lastCycleMs = cycleAt;
    return this.directorySync(cycleAt);
  }

  /**
   * One Entra Connect run: every changed AD thumbnail of a synced user replaces Entra ID's photo;
   * Exchange Online takes it only at the user's first sync, and only if it is 10 KB or less. `cycleAt`: the
   * scheduled cycle's time (changes after it wait for the next); default now.
   */
  directorySync(cycleAt?: number): DirectorySyncResult[] {
    const results: DirectorySyncResult[] = [];
    const now = this.t.clock.nowMs();
    const cutoff = cycleAt ?? now;
    for (const user of this.t.directory.users) {
      const key = user.id.toLowerCase();
      const thumb = this.ad.get(key);
      if (!user.onPremisesSyncEnabled || thumb === undefined || thumb.syncedAtMs !== null) continue;
      if (thumb.changedAtMs > cutoff) continue;
      const photo = {
        bytes: thumb.bytes,
        contentType: 'image/jpeg' as const,
        width: thumb.width,
        height: thumb.height,
        updatedAt: this.t.clock.iso(),
      };
      this.t.photos.put(user.id, photo);
      thumb.syncedAtMs = now;
      let exchange: DirectorySyncResult['exchange'] = 'already_used';
      if (!this.exchangeImport.has(key)) {
        if (!this.hasOnlineMailbox(user)) exchange = 'no_mailbox';
        else if (this.t.exchangePhotos.get(user.id) !== undefined) exchange = 'skipped_has_photo';
        else if (thumb.bytes.length > EXCHANGE_AD_PHOTO_LIMIT) exchange = 'rejected_too_large';
        else {
          this.t.exchangePhotos.put(user.id, photo);
          exchange = 'imported';
        }
        this.exchangeImport.set(key, exchange);
      }
      results.push({ userId: user.id, entra: 'updated', exchange });
    }
    return results;
  }

  // ------------------------------------------------------------ SharePoint

  /** Creates every user's SharePoint profile and runs the first legacy copy for mailbox users (as at their first sign-in). */
  async seedSharePoint(): Promise<void> {
    for (const user of this.t.directory.users) {
      this.t.sharePoint.create(user);
      if (this.sharePointPictures === 'legacy' && user.userType === 'Member') await this.copyFromExchange(user);
    }
  }

  /**
   * The user opens their own profile: legacy SharePoint copies the Exchange photo into S/M/L
   * thumbnails and sets the picture properties, at most once per 24 hours.
   */
  async profileView(user: SeedUser): Promise<ProfileViewResult> {
    if (user.userType === 'Guest') return { result: 'guest' };
    if (this.sharePointPictures === 'modern') return { result: 'modern' };
    if (!this.hasOnlineMailbox(user)) return { result: 'no_mailbox' };
    const profile = this.t.sharePoint.profile(user.id) ?? this.t.sharePoint.create(user);
    const now = this.t.clock.nowMs();
    if (profile.lastExchangeSyncMs !== null && now - profile.lastExchangeSyncMs < SHAREPOINT_SYNC_INTERVAL_MS) {
      return {
        result: 'too_soon',
        nextSyncAt: new Date(profile.lastExchangeSyncMs + SHAREPOINT_SYNC_INTERVAL_MS).toISOString(),
      };
    }
    return (await this.copyFromExchange(user))
      ? { result: 'synced', at: this.t.clock.iso() }
      : { result: 'no_exchange_photo' };
  }

  /** Copies Exchange's photo into the library and profile; false when there was nothing to copy. */
  private async copyFromExchange(user: SeedUser): Promise<boolean> {
    if (!this.hasOnlineMailbox(user)) return false;
    const profile = this.t.sharePoint.profile(user.id) ?? this.t.sharePoint.create(user);
    profile.lastExchangeSyncMs = this.t.clock.nowMs();
    const photo = this.t.exchangePhotos.get(user.id);
    if (photo === undefined) return false;
    const at = this.t.clock.iso();
    for (const size of ['S', 'M', 'L'] as const) {
      this.t.sharePoint.putFile(
        `${thumbnailStem(user.upn)}_${size}Thumb.jpg`,
        await thumbnail(photo, THUMBNAIL_SIDES[size]),
        at,
        photo.etag,
      );
    }
    profile.properties.set('PictureURL', this.t.sharePoint.thumbnailUrl(user.upn, 'M'));
    profile.properties.set('SPS-PictureTimestamp', String(Math.floor(this.t.clock.nowSeconds())));
    profile.properties.set('SPS-PicturePlaceholderState', '0');
    profile.properties.set('SPS-PictureExchangeSyncState', '1');
    return true;
  }

  /**
   * The picture SharePoint shows for the user (what `userphoto.aspx` serves): modern tenants show
   * Graph's photo; legacy tenants the library thumbnail PictureURL names, or the placeholder.
   */
  async sharePointShows(
    user: SeedUser,
    size: ThumbnailSize,
  ): Promise<{ bytes: Buffer; placeholder: boolean; sourceEtag: string | null }> {
    const side = THUMBNAIL_SIDES[size];
    if (this.sharePointPictures === 'modern' && user.userType === 'Member') {
      const photo = this.graphPhoto(user);
      if (photo !== undefined)
        return { bytes: await thumbnail(photo, side), placeholder: false, sourceEtag: photo.etag };
    }
    const profile = this.t.sharePoint.profile(user.id);
    const pictureUrlPath = serverRelativePath(profile?.properties.get('PictureURL'));
    if (
      this.sharePointPictures === 'legacy' &&
      profile !== undefined &&
      profile.properties.get('SPS-PicturePlaceholderState') !== '1' &&
      pictureUrlPath !== null
    ) {
      const file = this.t.sharePoint.file(pictureUrlPath.replace(/_[SML]Thumb\.jpg$/i, `_${size}Thumb.jpg`));
      if (file !== undefined) return { bytes: file.bytes, placeholder: false, sourceEtag: file.sourceEtag };
    }
    return { bytes: await placeholderPicture(side), placeholder: true, sourceEtag: null };
  }

  // ------------------------------------------------------------ Teams

  /** Starts every user's Teams cache with the photo Graph serves now. */
  seedTeams(): void {
    for (const user of this.t.directory.users) this.teamsSignIn(user);
  }

  /** What Teams shows for the user, refreshing the cache when it is due. */
  teamsShows(user: SeedUser): TeamsView {
    const key = user.id.toLowerCase();
    const view = this.teams.get(key);
    if (view === undefined || this.t.clock.nowMs() - view.refreshedAtMs >= this.teamsRefreshSeconds * 1000)
      return this.teamsSignIn(user);
    return view;
  }

  /** The user signs out of Teams and in again: the cache is refreshed now. */
  teamsSignIn(user: SeedUser): TeamsView {
    const view: TeamsView = { photo: this.graphPhoto(user) ?? null, refreshedAtMs: this.t.clock.nowMs() };
    this.teams.set(user.id.toLowerCase(), view);
    return view;
  }
}
