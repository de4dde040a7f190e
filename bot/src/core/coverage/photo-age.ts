/**
 * Photo age, for refresh reminders (docs/broadcast.md): since when a user's current picture has been there. Exact
 * when Headshot applied it; otherwise "at least since" the coverage scan that first saw it. Pictures are told apart
 * by their 64-bit difference hash, not their bytes or ETag: Microsoft 365 re-encodes what it stores, and a photo
 * synced again keeps its age. A scan downloads the 48x48 rendition only of photos whose ETag changed since the last
 * scan, so a tenant's steady state costs no download at all.
 */
import type { Clock } from '../clock';
import { samePicture } from '../status/picture-match';
import { isFaceRule } from '../photo/face-rules';

/** What is known of a user's current picture. */
export interface PhotoSighting {
  userId: string;
  /** Graph's `@odata.mediaEtag` when a scan saw it; null right after Headshot applied it. */
  etag: string | null;
  /** Difference hash of the picture (16 hex digits). */
  hash: string;
  /** When Headshot applied it (`applied`), or when a scan first saw it. */
  firstSeenAt: Date;
  applied: boolean;
  /**
   * The face check of the photo Headshot applied (photo guidelines): the face rules it broke, comma-separated
   * ('' none), or 'unavailable'; null when Headshot did not apply it, or checked no faces then.
   */
  faceCheck: string | null;
}

/** Photos Headshot applied, by what their face check found. */
export interface FaceCheckSummary {
  /** Applied photos with a face check. */
  checked: number;
  /** ... that broke no face rule. */
  clean: number;
  /** ... whose check had no answer. */
  unavailable: number;
  /** Per face rule, how many broke it (a photo may break several). */
  byRule: Record<string, number>;
}

/** Where sightings are kept, one per user. */
export interface PhotoSightingStore {
  /** The sightings of `userIds` (at most 1,000); users without one are left out. */
  get(userIds: readonly string[]): Promise<Map<string, PhotoSighting>>;
  /** Inserts or replaces. */
  put(sightings: readonly PhotoSighting[]): Promise<void>;
  /** How many applied photos have each face check value (null values left out). */
  faceCheckCounts(): Promise<Map<string, number>>;
}

/** The 48x48 photos Graph serves, many at a time. */
export interface SmallPhotoReader {
  /** By user id: the JPEG; users without a photo, or whose photo could not be read, are left out. */
  smallPhotos(userIds: readonly string[]): Promise<Map<string, Uint8Array>>;
}

/** What photo age needs. */
interface PhotoAgeDeps {
  store: PhotoSightingStore;
  small: SmallPhotoReader;
  /** The difference hash of a picture (PictureTools.fingerprint); throws when it cannot be read. */
  hash: (bytes: Uint8Array) => Promise<string>;
  clock: Clock;
}

/** Keeps photo ages as Headshot applies photos and coverage scans see them. */
export class PhotoAges {
  constructor(private readonly d: PhotoAgeDeps) {}

  /**
   * Headshot applied `photo` as the user's picture now (the same picture applied again keeps its age), with what
   * its face check found (PhotoSighting.faceCheck).
   */
  async applied(userId: string, photo: Uint8Array, faceCheck: string | null = null): Promise<void> {
    const hash = await this.d.hash(photo);
    const known = (await this.d.store.get([userId])).get(userId);
    await this.d.store.put([
      known && samePicture(known.hash, hash)
        ? { ...known, etag: null, applied: true, faceCheck }
        : { userId, etag: null, hash, firstSeenAt: this.d.clock.now(), applied: true, faceCheck },
    ]);
  }

  /** The face check column of each user's current photo ('' when Headshot did not apply it or did not check it). */
  async faceChecks(userIds: readonly string[]): Promise<Map<string, string>> {
    const known = await this.d.store.get(userIds);
    return new Map([...known].map(([id, s]) => [id, faceCheckColumn(s)]));
  }

  /** What the face checks of the photos Headshot applied found. */
  async faceCheckSummary(): Promise<FaceCheckSummary> {
    const summary: FaceCheckSummary = { checked: 0, clean: 0, unavailable: 0, byRule: {} };
    for (const [value, count] of await this.d.store.faceCheckCounts()) {
      summary.checked += count;
      if (value === 'unavailable') summary.unavailable += count;
      else if (value === '') summary.clean += count;
      else for (const rule of value.split(',')) summary.byRule[rule] = (summary.byRule[rule] ?? 0) + count;
    }
    return summary;
  }

  /**
   * A coverage scan saw these users' photos (with Graph's ETag). A changed ETag costs one 48x48 download: the same
   * picture keeps its age, a different one is new from now. A photo that cannot be read keeps what was known.
   */
  async seen(photos: ReadonlyArray<{ userId: string; etag?: string }>): Promise<void> {
    if (photos.length === 0) return;
    const known = await this.d.store.get(photos.map((p) => p.userId));
    const changed = photos.filter((p) => !p.etag || known.get(p.userId)?.etag !== p.etag);
    if (changed.length === 0) return;
    const small = await this.d.small.smallPhotos(changed.map((p) => p.userId));
    const now = this.d.clock.now();
    const updates: PhotoSighting[] = [];
    for (const p of changed) {
      const bytes = small.get(p.userId);
      if (!bytes) continue;
      const hash = await this.d.hash(bytes).catch(() => null);
      if (hash === null) continue;
      const before = known.get(p.userId);
      updates.push(
        before && samePicture(before.hash, hash)
          ? { ...before, etag: p.etag ?? null }
          : { userId: p.userId, etag: p.etag ?? null, hash, firstSeenAt: now, applied: false, faceCheck: null },
      );
    }
    await this.d.store.put(updates);
  }
}

/**
 * The CSV's face check of a photo: 'ok', the rules it broke joined by '+', or 'unavailable'; '' when Headshot did
 * not apply the photo now shown (a scan saw another one since) or did not check its faces.
 */
function faceCheckColumn(sighting: PhotoSighting | undefined): string {
  if (!sighting?.applied || sighting.faceCheck === null) return '';
  if (sighting.faceCheck === '') return 'ok';
  return sighting.faceCheck.split(',').join('+');
}

/** The stored face check of an applied request: its face warnings, or null when faces were not checked. */
export function faceCheckOf(request: {
  warnings: ReadonlyArray<{ code: string }>;
  sourceInfo: { faceCheck?: string };
}): string | null {
  const status = request.sourceInfo.faceCheck;
  if (status === 'unavailable') return 'unavailable';
  if (status !== 'checked') return null;
  return request.warnings
    .map((w) => w.code)
    .filter(isFaceRule)
    .join(',');
}
