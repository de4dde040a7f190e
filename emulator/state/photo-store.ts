import { createHash } from 'node:crypto';
import { renderSquareJpeg } from '../images/photo-image';

/** The square sizes Graph serves a profile photo in, smallest first. */
const GRAPH_PHOTO_SIZES: readonly number[] = [48, 64, 96, 120, 240, 360, 432, 504, 648];

/** A user's stored photo: the uploaded original plus sizes rendered on demand. */
export interface StoredPhoto {
  bytes: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  /** Graph-style weak etag, e.g. `W/"3f2a..."`. */
  etag: string;
  /** ISO time of the upload on the virtual clock. */
  updatedAt: string;
}

/** Photos by user id, with the size renditions Graph would serve. */
export class PhotoStore {
  private readonly photos = new Map<string, StoredPhoto>();
  private readonly renditions = new Map<string, Buffer>();

  /** The user's photo, if any. */
  get(userId: string): StoredPhoto | undefined {
    return this.photos.get(userId.toLowerCase());
  }

  /** Stores a new original (already validated) and drops cached renditions. */
  put(userId: string, photo: Omit<StoredPhoto, 'etag'>): StoredPhoto {
    const etag = `W/"${createHash('sha256').update(photo.bytes).digest('hex').slice(0, 40)}"`;
    const stored: StoredPhoto = { ...photo, etag };
    this.photos.set(userId.toLowerCase(), stored);
    this.dropRenditions(userId);
    return stored;
  }

  /** Removes the user's photo; returns whether there was one. */
  delete(userId: string): boolean {
    this.dropRenditions(userId);
    return this.photos.delete(userId.toLowerCase());
  }

  /** Removes every photo. */
  clear(): void {
    this.photos.clear();
    this.renditions.clear();
  }

  /** Graph sizes that do not exceed the uploaded picture (its shorter side). */
  availableSizes(photo: StoredPhoto): number[] {
    const side = Math.min(photo.width, photo.height);
    return GRAPH_PHOTO_SIZES.filter((s) => s <= side);
  }

  /** The largest available size (what `GET /photo` describes). */
  largestSize(photo: StoredPhoto): number {
    const sizes = this.availableSizes(photo);
    return sizes[sizes.length - 1] ?? Math.min(photo.width, photo.height);
  }

  /** JPEG bytes of one size; the original itself when it already is exactly that square JPEG. */
  async rendition(userId: string, photo: StoredPhoto, size: number): Promise<Buffer> {
    if (photo.contentType === 'image/jpeg' && photo.width === size && photo.height === size) return photo.bytes;
    const key = `${userId.toLowerCase()}|${photo.etag}|${size}`;
    const hit = this.renditions.get(key);
    if (hit !== undefined) return hit;
    const bytes = await renderSquareJpeg(photo.bytes, size);
    this.renditions.set(key, bytes);
    return bytes;
  }

  private dropRenditions(userId: string): void {
    const prefix = `${userId.toLowerCase()}|`;
    for (const key of [...this.renditions.keys()]) {
      if (key.startsWith(prefix)) this.renditions.delete(key);
    }
  }
}
