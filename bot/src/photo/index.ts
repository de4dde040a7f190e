/** The sharp-based image pipeline: the ImageProcessor adapter and its parts. */
export {
  SharpImageProcessor,
  DEFAULT_THUMBNAIL_SIDES,
  DEFAULT_AVATAR_SIDES,
  checkUpload,
} from './sharp-image-processor';
export type { SharpImageProcessorOptions } from './sharp-image-processor';
export { normaliseDecodeError } from './decode-error';
export { detectFormat } from './detect-format';
export { heifDeclaredSizes } from './heif-boxes';
export { heicDecodesRunning } from './heic-decoder';
export { WorkLimiter, QueueFullError } from './limiter';
export { MASTER_TARGET_BYTES, PREVIEW_TARGET_BYTES, AD_THUMBNAIL_MAX_BYTES, smallOutputBudget } from './encode';
export {
  DARK_MEAN_LUMA_MAX,
  BRIGHT_MEAN_LUMA_MIN,
  LOW_CONTRAST_STDEV_MAX,
  BLURRY_LAPLACIAN_VARIANCE_MAX,
  lumaStats,
  qualityWarnings,
} from './quality-checks';
export { OFF_CENTRE_DISTANCE_MIN, subjectPosition, offCentreWarning } from './subject-position';
