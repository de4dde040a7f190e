/**
 * JPEG encoding of the outputs from the raw master.
 */
import sharp, { type Sharp, type JpegOptions } from 'sharp';
import { AppError } from '../core/errors';
import type { Deadline } from './deadline';
import { rawInput, type RawRgb } from './normalise';

/** Graph's upload limit. */
export const MASTER_MAX_BYTES = 4 * 1024 * 1024;
/** What legacy Exchange paths take (decimal KB: the stricter reading). */
export const MASTER_TARGET_BYTES = 500_000;
/** Qualities tried in turn until the master fits the target. */
export const MASTER_QUALITY_STEPS = [85, 80, 75, 70, 65, 60, 50] as const;

/** Side of the card preview (the on-premises AD thumbnail convention). */
export const PREVIEW_SIDE = 96;
/** Small enough to embed in a card many times over (Teams messages stop at ~100 KB). */
export const PREVIEW_TARGET_BYTES = 8_000;
export const PREVIEW_QUALITY_STEPS = [80, 70, 60, 50, 40] as const;

/**
 * Baseline (not progressive) JPEG, 4:2:0 chroma (invisible at these sizes).
 * `mozjpeg: true` would force progressive scans, so its parts are set one by one,
 * and only for the preview: on the 648 master, trellis quantisation costs ~35 ms
 * (5x the encode) to save ~18% of a file that is already ~90 KB against a 500 KB target.
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

async function encodeWithin(
  pipeline: () => Sharp,
  qualities: readonly number[],
  targetBytes: number,
  trellis: boolean,
  deadline: Deadline,
): Promise<Buffer> {
  let best: Buffer | undefined;
  for (const quality of qualities) {
    deadline.check();
    best = await pipeline().timeout({ seconds: deadline.sharpSeconds() }).jpeg(jpegOptions(quality, trellis)).toBuffer();
    if (best.length <= targetBytes) return best;
  }
  // Still over target at the lowest quality: keep the smallest we made.
  if (!best) throw new RangeError('no quality steps');
  return best;
}

/**
 * The 648x648 master as JPEG: <= `targetBytes` when at all possible, never over 4 MB.
 * (At 648 px, 4:2:0 and q85 even pure noise is ~280 KB, so stepping down is a safety net.)
 */
export async function encodeMaster(master: RawRgb, deadline: Deadline, targetBytes = MASTER_TARGET_BYTES): Promise<Buffer> {
  const jpeg = await encodeWithin(() => sharp(master.data, rawInput(master)), MASTER_QUALITY_STEPS, targetBytes, false, deadline);
  if (jpeg.length > MASTER_MAX_BYTES) {
    throw new AppError('internal', `Master JPEG is ${jpeg.length} bytes, over ${MASTER_MAX_BYTES}`);
  }
  return jpeg;
}

/** The 96x96 card preview, made from the master's pixels. */
export function encodePreview(master: RawRgb, deadline: Deadline): Promise<Buffer> {
  return encodeWithin(
    () => sharp(master.data, rawInput(master)).resize(PREVIEW_SIDE, PREVIEW_SIDE, { fit: 'fill', kernel: 'lanczos3' }),
    PREVIEW_QUALITY_STEPS,
    PREVIEW_TARGET_BYTES,
    true,
    deadline,
  );
}
