import { fc, it } from '@fast-check/jest';
import sharp from 'sharp';
import { downscaleArea } from '../../../bot/src/photo/downscale';
import { exif, meanAbsDiff } from '../../support/images';

const square = (side: number, data: Buffer): { data: Buffer; width: number; height: number; channels: 3 } => ({
  data,
  width: side,
  height: side,
  channels: 3,
});

describe('downscaleArea', () => {
  it('averages exact blocks at an integer ratio', () => {
    // 4x4 with each 2x2 block one value per channel.
    const data = Buffer.alloc(4 * 4 * 3);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++)
        data.fill((y >> 1) * 100 + (x >> 1) * 50 + ((x + y) % 2), (y * 4 + x) * 3, (y * 4 + x) * 3 + 3);
    const out = downscaleArea(square(4, data), 2);
    expect([...out.data.filter((_, i) => i % 3 === 0)]).toEqual([1, 51, 101, 151]);
  });

  it.prop([fc.integer({ min: 2, max: 120 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 255 })])(
    'keeps a flat image flat at any ratio',
    (inSide, outSide, value) => {
      fc.pre(outSide <= inSide);
      const out = downscaleArea(square(inSide, Buffer.alloc(inSide * inSide * 3, value)), outSide);
      expect(out.width).toBe(outSide);
      expect(out.data.every((v) => v === value)).toBe(true);
    },
  );

  it('matches libvips on a photo, 200 -> every avatar size', async () => {
    const data = await sharp(exif('Landscape', 1)).resize(200, 200).raw().toBuffer();
    for (const side of [16, 20, 24, 32, 36, 40, 48, 56, 64, 72, 96, 120]) {
      const ours = downscaleArea(square(200, data), side).data;
      const vips = await sharp(data, { raw: { width: 200, height: 200, channels: 3 } })
        .resize(side, side, { fit: 'fill' })
        .raw()
        .toBuffer();
      // Area averaging is a little softer than Lanczos (2-4 levels at 16 px); a shift or a wrong weight would be tens.
      expect([side, meanAbsDiff(ours, vips) < 5]).toEqual([side, true]);
    }
  });

  it('refuses to enlarge or to take a non-square source', () => {
    expect(() => downscaleArea(square(10, Buffer.alloc(300)), 11)).toThrow(RangeError);
    expect(() => downscaleArea({ data: Buffer.alloc(60), width: 5, height: 4, channels: 3 }, 2)).toThrow(RangeError);
  });
});
