/**
 * The user's quarter turns (`rotate`): applied after EXIF orientation and before the crop,
 * whose rectangle is in the rotated image's pixel space. Real sharp on generated images whose
 * four quadrants have four colours, so every corner of the master says where it came from.
 */
import sharp from 'sharp';
import type { PrepareOptions, QuarterTurn } from '../../../bot/src/core/photo/pipeline-ports';
import { appError, exif, meanAbsDiff, pixels, processor } from '../../support/images';

type Colour = 'red' | 'green' | 'blue' | 'white';
const RGB: Record<Colour, [number, number, number]> = {
  red: [220, 30, 30],
  green: [30, 200, 30],
  blue: [30, 30, 220],
  white: [250, 250, 250],
};

/** A width x height image: top-left red, top-right green, bottom-left blue, bottom-right white. */
async function quadrants(width: number, height: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const half = (w: number, h: number, c: Colour) => ({
    input: { create: { width: w, height: h, channels: 3 as const, background: rgbOf(c) } },
  });
  const w = Math.floor(width / 2);
  const h = Math.floor(height / 2);
  const base = sharp({ create: { width, height, channels: 3, background: rgbOf('white') } }).composite([
    { ...half(w, h, 'red'), left: 0, top: 0 },
    { ...half(width - w, h, 'green'), left: w, top: 0 },
    { ...half(w, height - h, 'blue'), left: 0, top: h },
  ]);
  return format === 'png' ? base.png().toBuffer() : base.jpeg({ quality: 90 }).toBuffer();
}

function rgbOf(c: Colour): { r: number; g: number; b: number } {
  const [r, g, b] = RGB[c];
  return { r, g, b };
}

/** The colour of the source quadrant a point of the rotated image came from. */
function sourceColour(x: number, y: number, rotate: QuarterTurn, width: number, height: number): Colour {
  const [sx, sy] = {
    0: [x, y],
    90: [y, height - 1 - x],
    180: [width - 1 - x, height - 1 - y],
    270: [width - 1 - y, x],
  }[rotate];
  const right = sx >= Math.floor(width / 2);
  const bottom = sy >= Math.floor(height / 2);
  return bottom ? (right ? 'white' : 'blue') : right ? 'green' : 'red';
}

/** The colours of a square JPEG's corners, top-left, top-right, bottom-left, bottom-right (nearest of the four). */
async function corners(jpeg: Uint8Array): Promise<Colour[]> {
  const side = 8;
  const px = await pixels(jpeg, side);
  const at = (x: number, y: number): Colour => {
    const i = (y * side + x) * 3;
    const rgb = [px[i], px[i + 1], px[i + 2]] as number[];
    return (Object.keys(RGB) as Colour[]).reduce((best, c) =>
      distance(RGB[c], rgb) < distance(RGB[best], rgb) ? c : best,
    );
  };
  return [at(0, 0), at(side - 1, 0), at(0, side - 1), at(side - 1, side - 1)];
}

const distance = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] as number)), 0);

describe.each([
  // One pass (PNG), and the JPEG two-pass path (a crop that shrinks 3x or more).
  ['a 300x200 PNG', 300, 200, 'png'],
  ['a 3000x2200 JPEG', 3000, 2200, 'jpeg'],
] as const)('%s', (_name, width, height, format) => {
  const photos = processor();
  let bytes: Buffer;
  beforeAll(async () => {
    bytes = await quadrants(width, height, format);
  });

  it.each([0, 90, 180, 270] as const)('rotate %i: the crop at the top left of the rotated image', async (rotate) => {
    const turned = rotate === 90 || rotate === 270;
    const [w, h] = turned ? [height, width] : [width, height];
    const size = Math.min(w, h) - (format === 'jpeg' ? 100 : 0);
    const result = await photos.prepare(bytes, { rotate, crop: { left: 0, top: 0, size } });
    const meta = await sharp(result.master).metadata();
    expect([meta.width, meta.height]).toEqual([648, 648]);
    const s = size - 1;
    expect(await corners(result.master)).toEqual([
      sourceColour(0, 0, rotate, width, height),
      sourceColour(s, 0, rotate, width, height),
      sourceColour(0, s, rotate, width, height),
      sourceColour(s, s, rotate, width, height),
    ]);
    // The preview the tab shows is the same picture.
    expect(await corners(result.preview)).toEqual(await corners(result.master));
  });
});

describe('the crop is checked in the rotated space', () => {
  const photos = processor();
  let bytes: Buffer;
  beforeAll(async () => {
    bytes = await quadrants(300, 200, 'png');
  });

  it('300x200 rotated 90 is a 200x300 space: a crop low down fits, one to the right is refused', async () => {
    // Below the unrotated image's 200 px height, inside the rotated 300.
    const low: PrepareOptions = { crop: { left: 0, top: 200, size: 100 } };
    // Rotated rows 200-299 are the source's columns 200-299, from its lower half: white.
    expect(await corners((await photos.prepare(bytes, { ...low, rotate: 90 })).master)).toEqual([
      'white',
      'white',
      'white',
      'white',
    ]);
    expect(await appError(photos.prepare(bytes, low))).toMatchObject({
      code: 'input.invalid',
      params: { field: 'crop', reason: 'out_of_bounds', width: 300, height: 200 },
    });

    // Right of the rotated 200 px width, inside the unrotated 300.
    const right: PrepareOptions = { crop: { left: 150, top: 0, size: 100 } };
    await expect(photos.prepare(bytes, right)).resolves.toBeDefined();
    expect(await appError(photos.prepare(bytes, { ...right, rotate: 90 }))).toMatchObject({
      code: 'input.invalid',
      params: { field: 'crop', reason: 'out_of_bounds', width: 200, height: 300, left: 150, size: 100 },
    });
  });

  it.each([45, -90, 360, 1.5])('rotate %p is refused with input.invalid', async (rotate) => {
    const e = await appError(photos.prepare(bytes, { rotate } as unknown as PrepareOptions));
    expect(e).toMatchObject({ code: 'input.invalid', params: { field: 'rotate' } });
    expect(e.message).toContain('Expected rotate 0, 90, 180 or 270');
  });
});

describe('rotate comes after EXIF orientation', () => {
  const photos = processor();

  it('Landscape_6 (stored sideways) turned 90 is Landscape_1 turned 90, not the stored pixels turned', async () => {
    const crop = { left: 0, top: 0, size: 1200 };
    const upright = await pixels((await photos.prepare(exif('Landscape', 1), { rotate: 90, crop })).master, 64);
    const sideways = await pixels((await photos.prepare(exif('Landscape', 6), { rotate: 90, crop })).master, 64);
    const unturned = await pixels((await photos.prepare(exif('Landscape', 1), { crop })).master, 64);
    expect(meanAbsDiff(upright, sideways)).toBeLessThan(4);
    // The comparison can fail: without the turn the picture differs.
    expect(meanAbsDiff(upright, unturned)).toBeGreaterThan(12);
  });
});
