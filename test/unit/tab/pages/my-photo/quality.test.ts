/** The live quality hints of the crop: small crop, dark, bright, low contrast. */
import { luminanceStats, qualityHints } from '../../../../../tab/src/pages/my-photo/quality';

/** RGBA pixels: `n` pixels of one grey, or alternating two greys. */
function pixels(n: number, ...greys: number[]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i += 1) {
    const g = greys[i % greys.length];
    out.set([g, g, g, 255], i * 4);
  }
  return out;
}

test('luminance statistics of flat and checkered samples', () => {
  expect(luminanceStats(pixels(16, 100))).toEqual({ mean: 100, stdDev: 0 });
  const checkered = luminanceStats(pixels(16, 0, 200));
  expect(checkered.mean).toBeCloseTo(100, 5);
  expect(checkered.stdDev).toBeCloseTo(100, 5);
});

test('transparent pixels are left out', () => {
  const rgba = pixels(4, 200);
  rgba.set([0, 0, 0, 0], 0);
  expect(luminanceStats(rgba).mean).toBeCloseTo(200, 5);
});

test('a well-lit, contrasty, large crop gets no hint', () => {
  expect(qualityHints(800, 648, pixels(64, 60, 200))).toEqual([]);
});

test('each problem gets its hint', () => {
  expect(qualityHints(500, 648, pixels(64, 60, 200))).toEqual(['small']);
  expect(qualityHints(800, 648, pixels(64, 10, 80))).toEqual(['dark']);
  expect(qualityHints(800, 648, pixels(64, 180, 255))).toEqual(['bright']);
  expect(qualityHints(800, 648, pixels(64, 120, 130))).toEqual(['low_contrast']);
  // A dark crop is flat as well: the hint names the darkness, not the missing contrast.
  expect(qualityHints(100, 648, pixels(64, 5))).toEqual(['small', 'dark']);
});
