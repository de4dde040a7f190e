/**
 * Cheap quality statistics on the 648 master, turned into warnings (never
 * errors). All figures are on 8-bit luma (Rec. 709 weights on sRGB values).
 *
 * `off_centre` is in subject-position.ts.
 */
import type { PhotoWarning } from '../core/photo/pipeline-ports';

/** Below this short side (px) Microsoft 365 upscales the 648 photo: warn `small`. */
const SMALL_SIDE = 648;
/** Mean luma at or below which a photo is `dark` (normal photos: ~90-160). */
export const DARK_MEAN_LUMA_MAX = 55;
/** Mean luma at or above which a photo is `bright` (washed out). */
export const BRIGHT_MEAN_LUMA_MIN = 215;
/** Luma standard deviation at or below which a photo is `low_contrast` (flat, foggy). */
export const LOW_CONTRAST_STDEV_MAX = 20;
/**
 * Variance of the 4-neighbour Laplacian of luma at or below which a photo is `blurry`.
 * Sharp photos at 648 px: ~950-1050; the same after a 1.5 px Gaussian blur: 22-30; 3 px: ~3.
 * Large flat areas (a plain flag: ~75) lower it, so it sits below those.
 */
export const BLURRY_LAPLACIAN_VARIANCE_MAX = 30;

/** Luma statistics of an image. */
export interface LumaStats {
  mean: number;
  stdev: number;
  /** Variance of the 4-neighbour Laplacian: high for sharp edges and texture, low for blur. */
  laplacianVariance: number;
}

/** Computes luma statistics of 8-bit RGB pixels. Pure. */
export function lumaStats(rgb: Uint8Array, width: number, height: number): LumaStats {
  const n = width * height;
  if (rgb.length < n * 3 || n === 0) throw new RangeError(`Expected ${n * 3} RGB bytes but received ${rgb.length}`);
  const luma = new Float32Array(n);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    const y = 0.2126 * rgb[p] + 0.7152 * rgb[p + 1] + 0.0722 * rgb[p + 2];
    luma[i] = y;
    sum += y;
    sumSq += y * y;
  }
  const mean = sum / n;
  const stdev = Math.sqrt(Math.max(0, sumSq / n - mean * mean));

  let lSum = 0;
  let lSumSq = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const l = luma[i - width] + luma[i + width] + luma[i - 1] + luma[i + 1] - 4 * luma[i];
      lSum += l;
      lSumSq += l * l;
      count++;
    }
  }
  const lMean = count ? lSum / count : 0;
  const laplacianVariance = count ? Math.max(0, lSumSq / count - lMean * lMean) : 0;
  return { mean, stdev, laplacianVariance };
}

/**
 * The quality warnings the statistics call for. `blurry` is not reported on flat images, where it says nothing;
 * `low_contrast` not on dark or bright ones, where darkness or glare is the cause.
 */
export function qualityWarnings(stats: LumaStats): PhotoWarning[] {
  const warnings: PhotoWarning[] = [];
  const round = (n: number): number => Math.round(n * 10) / 10;
  const dark = stats.mean <= DARK_MEAN_LUMA_MAX;
  const bright = stats.mean >= BRIGHT_MEAN_LUMA_MIN;
  if (dark) warnings.push({ code: 'dark', params: { meanLuma: round(stats.mean) } });
  if (bright) warnings.push({ code: 'bright', params: { meanLuma: round(stats.mean) } });
  const flat = stats.stdev <= LOW_CONTRAST_STDEV_MAX;
  // A near-black or near-white photo is flat too, but darkness or glare is the problem to name (and fix):
  // "low contrast, washed out" would send the person the wrong way.
  if (flat && !dark && !bright) warnings.push({ code: 'low_contrast', params: { lumaStdev: round(stats.stdev) } });
  if (!flat && stats.laplacianVariance <= BLURRY_LAPLACIAN_VARIANCE_MAX) {
    warnings.push({ code: 'blurry', params: { sharpness: round(stats.laplacianVariance) } });
  }
  return warnings;
}

/** `small` when the region used for the photo is under 648 px on its short side. */
export function sizeWarning(width: number, height: number): PhotoWarning[] {
  return Math.min(width, height) < SMALL_SIDE ? [{ code: 'small', params: { width, height } }] : [];
}
