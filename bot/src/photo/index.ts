/** The sharp-based image pipeline: the ImageProcessor adapter and its parts. */
export { SharpImageProcessor, DEFAULT_TIMEOUT_MS, checkUpload } from './sharp-image-processor';
export type { SharpImageProcessorOptions } from './sharp-image-processor';
export { normaliseDecodeError } from './decode-error';
export type { DecodeErrorContext } from './decode-error';
export { detectFormat } from './detect-format';
export type { DetectedFormat } from './detect-format';
export { WorkLimiter, QueueFullError } from './limiter';
export { MASTER_SIDE } from './normalise';
export {
  MASTER_MAX_BYTES,
  MASTER_TARGET_BYTES,
  PREVIEW_SIDE,
  PREVIEW_TARGET_BYTES,
} from './encode';
export {
  SMALL_SIDE,
  DARK_MEAN_LUMA_MAX,
  BRIGHT_MEAN_LUMA_MIN,
  LOW_CONTRAST_STDEV_MAX,
  BLURRY_LAPLACIAN_VARIANCE_MAX,
  lumaStats,
  qualityWarnings,
} from './quality-checks';
