/**
 * PictureTools on sharp: perceptual hashes and small previews for photo status, square
 * thumbnails for SharePoint, and the 96x96 under-10 KB JPEG on-premises AD takes.
 */
import sharp from 'sharp';
import { AppError } from '../core/errors';
import type { PictureFingerprint, PictureTools } from '../core/status/evidence-ports';
import { Deadline } from './deadline';
import { AD_THUMBNAIL_SIDE, AD_THUMBNAIL_TARGET, encodeSquare, smallTarget } from './encode';
import type { RawRgb } from './normalise';

/** Side of the previews on status cards. */
const STATUS_PREVIEW_SIDE = 48;

const unreadable = (cause: unknown): AppError =>
  new AppError('photo.corrupt', 'picture could not be read', { params: { format: 'unknown' }, cause });

/** The 64-bit difference hash of raw grey pixels 9 wide and 8 high (`channels` bytes each). */
export function differenceHash(pixels: Uint8Array, channels = 1): string {
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) {
      const left = pixels[(y * 9 + x) * channels] as number;
      const right = pixels[(y * 9 + x + 1) * channels] as number;
      byte = (byte << 1) | (left < right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** The picture upright on white (EXIF orientation applied, transparency flattened). */
const upright = (input: Buffer) => sharp(input).rotate().flatten({ background: '#ffffff' });

/** The 64-bit difference hash of a picture. */
async function hashOf(input: Buffer): Promise<string> {
  const { data, info } = await upright(input)
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return differenceHash(new Uint8Array(data), info.channels);
}

/** PictureTools with sharp (small images only; no limiter needed). */
export class SharpPictureTools implements PictureTools {
  async fingerprint(bytes: Uint8Array): Promise<PictureFingerprint> {
    try {
      const input = Buffer.from(bytes);
      const meta = await sharp(input).metadata();
      const [hash, preview] = await Promise.all([
        hashOf(input),
        upright(input)
          .resize(STATUS_PREVIEW_SIDE, STATUS_PREVIEW_SIDE, { fit: 'cover' })
          .jpeg({ quality: 70 })
          .toBuffer(),
      ]);
      const oriented = meta.autoOrient ?? { width: meta.width ?? 0, height: meta.height ?? 0 };
      return {
        hash,
        width: oriented.width,
        height: oriented.height,
        preview: new Uint8Array(preview),
      };
    } catch (err) {
      throw unreadable(err);
    }
  }

  /** Only the difference hash of `fingerprint` (photo age needs no preview); throws AppError (photo.corrupt). */
  async hash(bytes: Uint8Array): Promise<string> {
    try {
      return await hashOf(Buffer.from(bytes));
    } catch (err) {
      throw unreadable(err);
    }
  }

  async squares(bytes: Uint8Array, sides: readonly number[]): Promise<Uint8Array[]> {
    // One decode to the largest side; every size is encoded from it, as in the pipeline.
    const master = await rawSquare(bytes, Math.max(...sides));
    const deadline = new Deadline(PICTURE_BUDGET_MS);
    return Promise.all(
      sides.map(async (side) => new Uint8Array(await encodeSquare(master, smallTarget(side), deadline))),
    );
  }

  async adThumbnail(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
    const square = await rawSquare(bytes, AD_THUMBNAIL_SIDE);
    return new Uint8Array(
      await encodeSquare(square, { ...AD_THUMBNAIL_TARGET, maxBytes }, new Deadline(PICTURE_BUDGET_MS)),
    );
  }
}

/** Time budget for re-encoding a photo Microsoft 365 already holds (small: at most 648 px). */
const PICTURE_BUDGET_MS = 10_000;

/** The picture oriented, on white, in sRGB, cropped square at `side` px, as raw RGB. */
async function rawSquare(bytes: Uint8Array, side: number): Promise<RawRgb> {
  try {
    const { data, info } = await sharp(Buffer.from(bytes))
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize(side, side, { fit: 'cover' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: 3 };
  } catch (err) {
    throw unreadable(err);
  }
}
