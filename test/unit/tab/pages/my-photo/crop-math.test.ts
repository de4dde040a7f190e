/** The crop the tab sends: always a square of integers inside the (turned) image, rotation in quarter turns. */
import { fc, test as ftest } from '@fast-check/jest';
import { normaliseRotate, toCropQuery } from '../../../../../tab/src/pages/my-photo/crop-math';

describe('normaliseRotate', () => {
  test.each([
    [0, 0],
    [90, 90],
    [-90, 270],
    [450, 90],
    [-180, 180],
    [719, 0],
    [89.6, 90],
    [Number.NaN, 0],
  ])('%p degrees -> %p', (given, expected) => {
    expect(normaliseRotate(given)).toBe(expected);
  });
});

describe('toCropQuery', () => {
  test('a crop of a portrait turned a quarter lives in the landscape space', () => {
    // 1200 x 1800 shown upright, turned 90°: 1800 x 1200.
    expect(
      toCropQuery({ x: 300, y: 101, width: 900, height: 900, rotate: 90 }, { width: 1200, height: 1800 }, 96),
    ).toEqual({
      cropLeft: 300,
      cropTop: 101,
      cropSize: 900,
      rotate: 90,
    });
  });

  test('a crop hanging over the edge is pulled back inside', () => {
    expect(
      toCropQuery({ x: 1500, y: -20, width: 600, height: 600, rotate: -360 }, { width: 1800, height: 1200 }, 96),
    ).toEqual({
      cropLeft: 1200,
      cropTop: 0,
      cropSize: 600,
      rotate: 0,
    });
  });

  test('a crop smaller than the smallest side the service takes is grown around its centre', () => {
    expect(
      toCropQuery({ x: 500, y: 500, width: 40, height: 40, rotate: 0 }, { width: 1800, height: 1200 }, 96),
    ).toEqual({
      cropLeft: 472,
      cropTop: 472,
      cropSize: 96,
      rotate: 0,
    });
  });

  ftest.prop([
    fc.integer({ min: 1, max: 5000 }),
    fc.integer({ min: 1, max: 5000 }),
    fc.double({ min: -6000, max: 6000, noNaN: true }),
    fc.double({ min: -6000, max: 6000, noNaN: true }),
    fc.double({ min: 0, max: 8000, noNaN: true }),
    fc.integer({ min: -720, max: 720 }),
    fc.integer({ min: 1, max: 700 }),
  ])('always a square of integers inside the turned image', (w, h, x, y, size, rotate, minSide) => {
    const q = toCropQuery({ x, y, width: size, height: size, rotate }, { width: w, height: h }, minSide);
    const turned = q.rotate === 90 || q.rotate === 270;
    const [tw, th] = turned ? [h, w] : [w, h];
    for (const v of [q.cropLeft, q.cropTop, q.cropSize]) expect(Number.isInteger(v)).toBe(true);
    expect(q.cropSize).toBeGreaterThanOrEqual(1);
    expect(q.cropLeft).toBeGreaterThanOrEqual(0);
    expect(q.cropTop).toBeGreaterThanOrEqual(0);
    expect(q.cropLeft + q.cropSize).toBeLessThanOrEqual(tw);
    expect(q.cropTop + q.cropSize).toBeLessThanOrEqual(th);
    expect([0, 90, 180, 270]).toContain(q.rotate);
    if (Math.min(tw, th) >= minSide) expect(q.cropSize).toBeGreaterThanOrEqual(minSide);
  });
});
