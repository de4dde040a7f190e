/**
 * Property tests for user crop rectangles: any rectangle, inside or outside the
 * image, whole or fractional, gives a valid square photo or a clear input.invalid.
 */
import { fc, it } from '@fast-check/jest';
import { AppError } from '../../../bot/src/core/errors';
import type { CropRect } from '../../../bot/src/core/photo/pipeline-ports';
import { validateCrop } from '../../../bot/src/photo/crop';
import { image, outputProblems, processor } from '../../support/images';

/** What validateCrop must decide, written independently of it. */
function expectedReason(crop: CropRect, width: number, height: number, minSide: number): string | null {
  const { left, top, size } = crop;
  if (![left, top, size].every(Number.isSafeInteger)) return 'not_integer';
  if (left < 0 || top < 0) return 'out_of_bounds';
  if (size < minSide) return 'too_small';
  if (left + size > width || top + size > height) return 'out_of_bounds';
  return null;
}

const coordinate = fc.oneof(
  fc.integer({ min: -2000, max: 4000 }),
  fc.double({ min: -100, max: 2000, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53),
);
const crop = fc.record({ left: coordinate, top: coordinate, size: coordinate });

describe('validateCrop', () => {
  it.prop(
    [crop, fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 700 })],
    {
      numRuns: 2000,
    },
  )('accepts exactly the whole-pixel squares inside the image, else says why', (rect, width, height, minSide) => {
    const reason = expectedReason(rect, width, height, minSide);
    try {
      validateCrop(rect, width, height, minSide);
      expect(reason).toBeNull();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('input.invalid');
      expect((err as AppError).params).toMatchObject({ field: 'crop', reason, width, height, minSide });
    }
  });

  it.prop([fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.nat(), fc.nat(), fc.nat()], {
    numRuns: 500,
  })('every square drawn inside the image is accepted', (width, height, a, b, c) => {
    const minSide = 1;
    const size = 1 + (c % Math.min(width, height));
    const left = a % (width - size + 1);
    const top = b % (height - size + 1);
    expect(() => validateCrop({ left, top, size }, width, height, minSide)).not.toThrow();
  });
});

describe('prepare with a crop (real pipeline, 320x240 photo)', () => {
  const photos = processor();
  const bytes = image('sharp-fixtures/320x240.jpg');

  it.prop(
    [
      fc.record({
        left: fc.integer({ min: -50, max: 400 }),
        top: fc.integer({ min: -50, max: 300 }),
        size: fc.integer({ min: 0, max: 400 }),
      }),
    ],
    {
      numRuns: 40,
    },
  )('gives every output exact, or input.invalid with the rectangle and the reason', async (rect) => {
    const reason = expectedReason(rect, 320, 240, 96);
    try {
      const result = await photos.prepare(bytes, { crop: rect });
      expect(reason).toBeNull();
      expect(await outputProblems(result)).toEqual([]);
      expect(result.warnings).toContainEqual({ code: 'small', params: { width: rect.size, height: rect.size } });
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect([(err as AppError).code, (err as AppError).params]).toEqual([
        'input.invalid',
        { field: 'crop', reason, ...rect, width: 320, height: 240, minSide: 96 },
      ]);
    }
  });

  it('the largest square inside the image, flush with the bottom right corner, is accepted', async () => {
    const result = await photos.prepare(bytes, { crop: { left: 80, top: 0, size: 240 } });
    expect(await outputProblems(result)).toEqual([]);
  });
});
