/**
 * PictureTools on sharp: perceptual hashes and small previews for photo status, square
 * thumbnails for SharePoint, and the 96x96 under-10 KB JPEG on-premises AD takes.
 */
import sharp, { type OutputInfo } from 'sharp';
import { AppError } from '../core/errors';
import type { PictureFingerprint, PictureTools } from '../core/ports';

/** Side of the previews on status cards. */
export const STATUS_PREVIEW_SIDE = 48;
/** Side of an AD thumbnailPhoto by convention. */
export const AD_THUMBNAIL_SIDE = 96;

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

/** PictureTools with sharp (small images only; no limiter needed). */
export class SharpPictureTools implements PictureTools {
  async fingerprint(bytes: Uint8Array): Promise<PictureFingerprint> {
    try {
      const input = Buffer.from(bytes);
      const meta = await sharp(input).metadata();
      const base = () => sharp(input).rotate().flatten({ background: '#ffffff' });
      const [{ data, info }, preview] = await Promise.all([
        base().greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true }),
        base().resize(STATUS_PREVIEW_SIDE, STATUS_PREVIEW_SIDE, { fit: 'cover' }).jpeg({ quality: 70 }).toBuffer(),
      ]);
      const oriented = meta.autoOrient ?? { width: meta.width ?? 0, height: meta.height ?? 0 };
      return {
        hash: differenceHash(new Uint8Array(data), info.channels),
        width: oriented.width,
        height: oriented.height,
        preview: new Uint8Array(preview),
      };
    } catch (err) {
      throw unreadable(err);
    }
  }

  async squares(bytes: Uint8Array, sides: readonly number[]): Promise<Uint8Array[]> {
    try {
      const input = Buffer.from(bytes);
      return await Promise.all(
        sides.map(
          async (side) =>
            new Uint8Array(
              await sharp(input)
                .rotate()
                .flatten({ background: '#ffffff' })
                .resize(side, side, { fit: 'cover' })
                .jpeg({ quality: 85 })
                .toBuffer(),
            ),
        ),
      );
    } catch (err) {
      throw unreadable(err);
    }
  }

  async adThumbnail(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
    let square: { data: Buffer; info: OutputInfo };
    try {
      square = await sharp(Buffer.from(bytes))
        .rotate()
        .flatten({ background: '#ffffff' })
        .resize(AD_THUMBNAIL_SIDE, AD_THUMBNAIL_SIDE, { fit: 'cover' })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
    } catch (err) {
      throw unreadable(err);
    }
    const raw = { raw: { width: square.info.width, height: square.info.height, channels: square.info.channels } };
    // Highest quality that fits: a 96x96 portrait is usually 3-5 KB at 85.
    for (let quality = 85; quality >= 25; quality -= 10) {
      const jpeg = await sharp(square.data, raw).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
      if (jpeg.length <= maxBytes) return new Uint8Array(jpeg);
    }
    throw new AppError('internal', `no 96x96 JPEG of this picture fits in ${maxBytes} bytes`);
  }
}
