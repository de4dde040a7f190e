/**
 * Decodes an upload once into the 648x648 sRGB master (raw pixels), from which
 * every output is made: oriented by EXIF, transparency flattened onto the
 * background, colour converted to sRGB (CMYK and ICC-tagged inputs too), square
 * cropped. Raw pixels carry no metadata, so nothing of the input's EXIF, GPS,
 * ICC or XMP can reach an output.
 */
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { CropRect } from '../core/ports';
import type { Deadline } from './deadline';
import type { SourceImage } from './source';

/** Side of the master: the largest size Microsoft 365 serves. */
export const MASTER_SIDE = 648;

/** Raw 8-bit sRGB pixels, 3 channels, row-major. */
export interface RawRgb {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

/** Raw-input options for a sharp pipeline over `raw`. */
export function rawInput(raw: RawRgb): SharpOptions {
  return { raw: { width: raw.width, height: raw.height, channels: raw.channels } };
}

function finish(pipeline: Sharp, deadline: Deadline): Promise<RawRgb> {
  return pipeline
    .timeout({ seconds: deadline.sharpSeconds() })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) => {
      if (info.channels !== 3) throw new Error(`Expected 3 channels after normalising but received ${info.channels}`);
      return { data, width: info.width, height: info.height, channels: 3 as const };
    });
}

/** Orientation, flattening and sRGB conversion: the part every path shares. */
function normalised(source: SourceImage, background: string): Sharp {
  return source.open().autoOrient().flatten({ background }).toColourspace('srgb');
}

/**
 * The 648x648 master. Without a crop, sharp's `attention` strategy picks the
 * square. With a crop, see `renderCrop`.
 */
export function renderMaster(
  source: SourceImage,
  crop: CropRect | undefined,
  background: string,
  deadline: Deadline,
): Promise<RawRgb> {
  if (crop) return renderCrop(source, crop, background, deadline);
  const pipeline = normalised(source, background).resize(MASTER_SIDE, MASTER_SIDE, {
    fit: 'cover',
    position: 'attention',
  });
  return finish(pipeline, deadline);
}

/**
 * A user crop in oriented pixel space. autoOrient() + extract() before resize
 * turns off JPEG shrink-on-load (1.6x slower on a 12 MP photo), so when the crop
 * is shrunk we resize the whole oriented image first (with shrink-on-load) to the
 * scale that makes the crop 648 px, then cut the crop out of those raw pixels.
 * When the crop is enlarged, shrink-on-load cannot help and one pass is cheapest.
 */
async function renderCrop(source: SourceImage, crop: CropRect, background: string, deadline: Deadline): Promise<RawRgb> {
  const scale = MASTER_SIDE / crop.size;
  if (scale >= 1) {
    const pipeline = normalised(source, background)
      .extract({ left: crop.left, top: crop.top, width: crop.size, height: crop.size })
      .resize(MASTER_SIDE, MASTER_SIDE, { fit: 'fill' });
    return finish(pipeline, deadline);
  }
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const scaled = await finish(normalised(source, background).resize(width, height, { fit: 'fill' }), deadline);
  deadline.check();
  const left = Math.min(Math.round(crop.left * scale), width - 1);
  const top = Math.min(Math.round(crop.top * scale), height - 1);
  const side = Math.max(1, Math.min(MASTER_SIDE, width - left, height - top));
  const pipeline = sharp(scaled.data, rawInput(scaled))
    .extract({ left, top, width: side, height: side })
    .resize(MASTER_SIDE, MASTER_SIDE, { fit: 'fill' });
  return finish(pipeline, deadline);
}
