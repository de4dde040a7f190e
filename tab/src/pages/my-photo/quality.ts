/** Quality hints while cropping, from the crop's size and a small sample of its pixels. Pure: no DOM. */

/** A hint the page shows live (the server makes its own checks on upload). */
export type QualityHint = 'small' | 'dark' | 'bright' | 'low_contrast';

/** Mean luminance below this (0..255) reads as too dark in a small avatar. */
const DARK_BELOW = 60;
/** Mean luminance above this reads as washed out. */
const BRIGHT_ABOVE = 210;
/** A luminance standard deviation below this leaves a face hard to make out. */
const LOW_CONTRAST_BELOW = 22;

/** Mean and standard deviation of the Rec. 709 luminance of RGBA pixels (transparent ones skipped). */
export function luminanceStats(rgba: ArrayLike<number>): { mean: number; stdDev: number } {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i + 3 < rgba.length; i += 4) {
    if (rgba[i + 3] === 0) continue;
    const y = 0.2126 * rgba[i] + 0.7152 * rgba[i + 1] + 0.0722 * rgba[i + 2];
    n += 1;
    sum += y;
    sumSq += y * y;
  }
  if (n === 0) return { mean: 0, stdDev: 0 };
  const mean = sum / n;
  return { mean, stdDev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)) };
}

/** The hints for a crop of `cropSide` source pixels (the service writes `masterSide`) and its pixel sample. */
export function qualityHints(cropSide: number, masterSide: number, rgba: ArrayLike<number>): QualityHint[] {
  const hints: QualityHint[] = [];
  if (cropSide < masterSide) hints.push('small');
  const { mean, stdDev } = luminanceStats(rgba);
  if (mean < DARK_BELOW) hints.push('dark');
  else if (mean > BRIGHT_ABOVE) hints.push('bright');
  // A dark or glaring crop is flat too; the hint names the cause, as the server's check does.
  else if (stdDev < LOW_CONTRAST_BELOW) hints.push('low_contrast');
  return hints;
}
