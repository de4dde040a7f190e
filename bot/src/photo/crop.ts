/**
 * Validation of a user-chosen square crop against the oriented (and rotated) image.
 */
import { AppError } from '../core/errors';
import type { CropRect } from '../core/photo/pipeline-ports';

/** Throws `input.invalid` unless `crop` is a whole-pixel square inside a width x height image, at least minSide wide. */
export function validateCrop(crop: CropRect, width: number, height: number, minSide: number): void {
  const { left, top, size } = crop;
  const params = { field: 'crop', left, top, size, width, height, minSide };
  const fail = (reason: string, detail: string): never => {
    throw new AppError('input.invalid', `Expected ${detail} but received crop ${left},${top} size ${size}`, {
      params: { ...params, reason },
    });
  };
  if (![left, top, size].every((n) => Number.isSafeInteger(n))) fail('not_integer', 'whole-pixel crop values');
  if (left < 0 || top < 0) fail('out_of_bounds', 'a crop starting inside the image');
  if (size < minSide) fail('too_small', `a crop of at least ${minSide}px`);
  if (left + size > width || top + size > height) fail('out_of_bounds', `a crop inside the ${width}x${height} image`);
}
