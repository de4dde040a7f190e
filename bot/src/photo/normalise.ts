/**
 * Decodes an upload once into the 648x648 sRGB master (raw pixels), from which
 * every output is made: oriented by EXIF, transparency flattened onto the
 * background, colour converted to sRGB (CMYK and ICC-tagged inputs too), square
 * cropped. Raw pixels carry no metadata, so nothing of the input's EXIF, GPS,
 * ICC or XMP can reach an output.
 */
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { CropRect, QuarterTurn } from '../core/photo/pipeline-ports';
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

/** The master, and the square of the rotated source it was cut from. */
export interface RenderedMaster extends RawRgb {
  square: CropRect;
}

/** Raw-input options for a sharp pipeline over `raw`. */
export function rawInput(raw: RawRgb): SharpOptions {
  return { raw: { width: raw.width, height: raw.height, channels: raw.channels } };
}

function finish(
  pipeline: Sharp,
  deadline: Deadline,
): Promise<RawRgb & { cropOffsetLeft: number; cropOffsetTop: number }> {
  return pipeline
    .timeout({ seconds: deadline.sharpSeconds() })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) => {
      if (info.channels !== 3) throw new Error(`Expected 3 channels after normalising but received ${info.channels}`);
      return {
        data,
        width: info.width,
        height: info.height,
        channels: 3 as const,
        cropOffsetLeft: info.cropOffsetLeft ?? 0,
        cropOffsetTop: info.cropOffsetTop ?? 0,
      };
    });
}

/**
 * Orientation (EXIF, then the user's quarter turns), flattening and sRGB conversion: the
 * part every path shares. sharp applies autoOrient() before rotate(), and both before a
 * later extract() or resize(), so crops and sizes are in the rotated image's space.
 */
function normalised(source: SourceImage, background: string, rotate: QuarterTurn): Sharp {
  let pipeline = source.open();
  // libvips flattens a 1-band image with only the first background component
  // (magenta would become white), so grey+alpha is made RGB first. Such inputs
  // are never JPEG, so losing shrink-on-load here costs nothing.
  if (source.greyWithAlpha) pipeline = pipeline.pipelineColourspace('srgb');
  pipeline = pipeline.autoOrient();
  if (rotate !== 0) pipeline = pipeline.rotate(rotate);
  return pipeline.flatten({ background }).toColourspace('srgb');
}

/** Width and height of the source after EXIF orientation and `rotate`. */
export function rotatedSize(source: { width: number; height: number }, rotate: QuarterTurn): [number, number] {
  return rotate === 90 || rotate === 270 ? [source.height, source.width] : [source.width, source.height];
}

/**
 * The 648x648 master. Without a crop, sharp's `attention` strategy picks the
 * square (one pass, with shrink-on-load). With a crop, see `renderCrop`.
 */
export async function renderMaster(
  source: SourceImage,
  crop: CropRect | undefined,
  background: string,
  deadline: Deadline,
  rotate: QuarterTurn = 0,
): Promise<RenderedMaster> {
  if (crop) return { ...(await renderCrop(source, crop, background, deadline, rotate)), square: crop };
  const pipeline = normalised(source, background, rotate).resize(MASTER_SIDE, MASTER_SIDE, {
    fit: 'cover',
    position: 'attention',
  });
  const { cropOffsetLeft, cropOffsetTop, ...master } = await finish(pipeline, deadline);
  // sharp reports where it cut, as negative offsets in the resized image: back to source pixels.
  const [width, height] = rotatedSize(source, rotate);
  const size = Math.min(width, height);
  const scale = size / MASTER_SIDE;
  const place = (offset: number, room: number): number => Math.min(Math.max(0, Math.round(-offset * scale)), room);
  return {
    ...master,
    square: { left: place(cropOffsetLeft, width - size), top: place(cropOffsetTop, height - size), size },
  };
}

/** A downscaled copy of the upright image, and the size of the image it stands for. */
export interface LookImage extends RawRgb {
  fullWidth: number;
  fullHeight: number;
}

/**
 * The whole image after EXIF orientation and `rotate`, at most `longSide` px on its long side (never
 * enlarged), for the face detector. JPEG shrink-on-load makes this cheap.
 */
export async function lookImage(
  source: SourceImage,
  background: string,
  rotate: QuarterTurn,
  longSide: number,
  deadline: Deadline,
): Promise<LookImage> {
  const [fullWidth, fullHeight] = rotatedSize(source, rotate);
  const pixels = await finish(
    normalised(source, background, rotate).resize(longSide, longSide, { fit: 'inside', withoutEnlargement: true }),
    deadline,
  );
  return { ...pixels, fullWidth, fullHeight };
}

/**
 * How much a crop must shrink before JPEG shrink-on-load pays for a second pass.
 * sharp decodes a JPEG at 1/2 (or less) only when the total shrink is >= 3; below
 * that, one pass is faster (measured on a 12 MP photo: 1000 px crop 86 ms in one
 * pass vs 291 ms in two; 2600 px crop 211 ms vs 88 ms).
 */
const TWO_PASS_MIN_SHRINK = 3;

/**
 * A user crop in oriented (and rotated) pixel space. autoOrient() + extract() before resize
 * turns off JPEG shrink-on-load, so for a JPEG crop that shrinks a lot we resize
 * the whole oriented image first (with shrink-on-load) to the scale that makes the
 * crop 648 px, then cut the crop out of those raw pixels. Otherwise one pass.
 */
async function renderCrop(
  source: SourceImage,
  crop: CropRect,
  background: string,
  deadline: Deadline,
  rotate: QuarterTurn,
): Promise<RawRgb> {
  const shrink = crop.size / MASTER_SIDE;
  if (source.format !== 'jpeg' || shrink < TWO_PASS_MIN_SHRINK) {
    const pipeline = normalised(source, background, rotate)
      .extract({ left: crop.left, top: crop.top, width: crop.size, height: crop.size })
      .resize(MASTER_SIDE, MASTER_SIDE, { fit: 'fill' });
    return finish(pipeline, deadline);
  }
  const scale = 1 / shrink;
  const [rotatedWidth, rotatedHeight] = rotatedSize(source, rotate);
  const width = Math.max(1, Math.round(rotatedWidth * scale));
  const height = Math.max(1, Math.round(rotatedHeight * scale));
  const scaled = await finish(normalised(source, background, rotate).resize(width, height, { fit: 'fill' }), deadline);
  deadline.check();
  const left = Math.min(Math.round(crop.left * scale), width - 1);
  const top = Math.min(Math.round(crop.top * scale), height - 1);
  const side = Math.max(1, Math.min(MASTER_SIDE, width - left, height - top));
  const pipeline = sharp(scaled.data, rawInput(scaled))
    .extract({ left, top, width: side, height: side })
    .resize(MASTER_SIDE, MASTER_SIDE, { fit: 'fill' });
  return finish(pipeline, deadline);
}
