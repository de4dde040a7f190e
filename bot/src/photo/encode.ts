/**
 * JPEG encoding of the outputs from the raw master: each output is a square of
 * a given side with a byte budget, reached by lowering the quality step by step.
 */
import sharp, { type JpegOptions } from 'sharp';
import { AppError } from '../core/errors';
import type { Deadline } from './deadline';
import { rawInput, type RawRgb } from './normalise';

/** Graph's upload limit. */
export const MASTER_MAX_BYTES = 4 * 1024 * 1024;
/** What legacy Exchange paths take (decimal KB: the stricter reading). */
export const MASTER_TARGET_BYTES = 500_000;
/** Qualities tried in turn until the master fits the target. */
const MASTER_QUALITY_STEPS = [85, 80, 75, 70, 65, 60, 50] as const;

/** Side of the card preview. */
const PREVIEW_SIDE = 96;
/** Small enough to embed in a card many times over (Teams messages stop at ~100 KB; base64 adds a third). */
export const PREVIEW_TARGET_BYTES = 8_000;
const PREVIEW_QUALITY_STEPS = [80, 70, 60, 50, 40, 30, 20, 10] as const;

/** On-premises AD `thumbnailPhoto` convention. */
export const AD_THUMBNAIL_SIDE = 96;
/** Exchange Online takes a photo from Entra ID only at 10 KB or less (KB 3062745); decimal, the stricter reading. */
export const AD_THUMBNAIL_MAX_BYTES = 10_000;
/**
 * From high quality down in steps of 5: the first that fits is kept. A photo fits at
 * 95 (~5 KB); at 96 px with 4:2:0 chroma even random black-and-white pixels fit by 90.
 */
const AD_THUMBNAIL_QUALITY_STEPS = [95, 90, 85, 80, 75, 70, 65, 60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10] as const;

/** Qualities of the SharePoint thumbnails and the avatars. */
const SMALL_QUALITY_STEPS = [85, 75, 65, 50, 35, 20, 10] as const;

/**
 * Byte budget of a SharePoint thumbnail or an avatar of `side` px: 1 KB of JPEG
 * headers plus half a byte per pixel. Photos at q85 use about a quarter of a byte
 * per pixel (200 px: ~11 KB of a 21 KB budget; 48 px: ~1.2 KB of 2.1 KB).
 */
export function smallOutputBudget(side: number): number {
  return 1_000 + Math.ceil(side * side * 0.5);
}

/** One square JPEG to make from the master. */
export interface JpegTarget {
  side: number;
  /** The output must fit this many bytes; the lowest quality that still does not fit is an internal error. */
  maxBytes: number;
  qualities: readonly number[];
  /** mozjpeg's trellis quantisation: ~10-15% smaller, but ~2 ms more even at 96 px; only for the card preview. */
  trellis: boolean;
}

/**
 * Baseline (not progressive) JPEG, 4:2:0 chroma (invisible at these sizes).
 * `mozjpeg: true` would force progressive scans, so its parts are set one by one.
 */
function jpegOptions(quality: number, trellis: boolean): JpegOptions {
  return {
    quality,
    progressive: false,
    chromaSubsampling: '4:2:0',
    optimiseCoding: true,
    ...(trellis ? { trellisQuantisation: true, overshootDeringing: true, quantisationTable: 3 } : {}),
  };
}

/** Encodes `source` at target.side x target.side, lowering the quality until it fits; the smallest made if none fits. */
async function encodeSteps(source: RawRgb, target: JpegTarget, deadline: Deadline): Promise<Buffer> {
  let best: Buffer | undefined;
  for (const quality of target.qualities) {
    deadline.check();
    let pipeline = sharp(source.data, rawInput(source)).timeout({ seconds: deadline.sharpSeconds() });
    if (source.width !== target.side || source.height !== target.side) {
      pipeline = pipeline.resize(target.side, target.side, { fit: 'fill', kernel: 'lanczos3' });
    }
    const jpeg = await pipeline.jpeg(jpegOptions(quality, target.trellis)).toBuffer();
    if (!best || jpeg.length < best.length) best = jpeg;
    if (jpeg.length <= target.maxBytes) return jpeg;
  }
  if (!best) throw new RangeError('no quality steps');
  return best;
}

/** A square JPEG within target.maxBytes; throws `internal` if even the lowest quality does not fit. */
export async function encodeSquare(source: RawRgb, target: JpegTarget, deadline: Deadline): Promise<Buffer> {
  const jpeg = await encodeSteps(source, target, deadline);
  if (jpeg.length > target.maxBytes) {
    throw new AppError(
      'internal',
      `${target.side}px JPEG is ${jpeg.length} bytes at the lowest quality, over ${target.maxBytes}`,
    );
  }
  return jpeg;
}

/**
 * The 648x648 master as JPEG: <= `targetBytes` when at all possible, never over 4 MB.
 * (At 648 px, 4:2:0 and q85 even pure noise is ~280 KB, so stepping down is a safety net.)
 * No trellis here: on the 648 master it costs ~35 ms (5x the encode) to save ~18% of a
 * file that is already ~90 KB against a 500 KB target.
 */
export async function encodeMaster(
  master: RawRgb,
  deadline: Deadline,
  targetBytes = MASTER_TARGET_BYTES,
): Promise<Buffer> {
  const jpeg = await encodeSteps(
    master,
    { side: master.width, maxBytes: targetBytes, qualities: MASTER_QUALITY_STEPS, trellis: false },
    deadline,
  );
  if (jpeg.length > MASTER_MAX_BYTES) {
    throw new AppError('internal', `Master JPEG is ${jpeg.length} bytes, over ${MASTER_MAX_BYTES}`);
  }
  return jpeg;
}

/** The 96x96 card preview. */
export const PREVIEW_TARGET: JpegTarget = {
  side: PREVIEW_SIDE,
  maxBytes: PREVIEW_TARGET_BYTES,
  qualities: PREVIEW_QUALITY_STEPS,
  trellis: true,
};

/** The 96x96 AD thumbnailPhoto. */
export const AD_THUMBNAIL_TARGET: JpegTarget = {
  side: AD_THUMBNAIL_SIDE,
  maxBytes: AD_THUMBNAIL_MAX_BYTES,
  qualities: AD_THUMBNAIL_QUALITY_STEPS,
  trellis: false,
};

/** A SharePoint thumbnail or an avatar of `side` px. */
export function smallTarget(side: number): JpegTarget {
  return { side, maxBytes: smallOutputBudget(side), qualities: SMALL_QUALITY_STEPS, trellis: false };
}
