import sharp from 'sharp';
import { appError, image, meanAbsDiff, pixels, pngSuite, processor } from '../../support/images';

const strict = processor(); // minSide 96
const lenient = processor({ minSide: 1 });
const magenta = processor({ minSide: 1, background: '#ff00ff' });

async function expectMaster(master: Uint8Array): Promise<void> {
  const meta = await sharp(master).metadata();
  expect([meta.format, meta.width, meta.height, meta.channels, meta.space]).toEqual(['jpeg', 648, 648, 3, 'srgb']);
}

/** RGB of the master's top-left pixel. */
async function corner(master: Uint8Array): Promise<number[]> {
  const raw = await sharp(master).extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
  return [...raw];
}

describe('PngSuite', () => {
  const files = pngSuite();

  it('has the 175 files the manifest lists', () => {
    expect(files).toHaveLength(175);
  });

  it.each(files.filter((f) => f.startsWith('x')))('%s (deliberately broken) is rejected as corrupt', async (f) => {
    const err = await appError(lenient.prepare(image(`pngsuite/png/${f}`)));
    expect(err.code).toBe('photo.corrupt');
    expect(err.params).toEqual({ format: 'png' });
  });

  // Each valid file decodes with every output exact at minSide 1: prepare-corpus.test.ts.
  it.each(files.filter((f) => !f.startsWith('x')))('%s is too small with minSide 96', async (f) => {
    const err = await appError(strict.prepare(image(`pngsuite/png/${f}`)));
    expect(err.code).toBe('photo.too_small');
    expect(err.params).toMatchObject({ minSide: 96 });
    expect(Math.min(Number(err.params.width), Number(err.params.height))).toBeLessThan(96);
  });

  // Files whose top-left pixel is fully transparent.
  const transparentCorner = [
    ...['basi4a08', 'basi4a16', 'basi6a08', 'basi6a16', 'basn4a08', 'basn4a16', 'basn6a08', 'basn6a16'],
    ...['bgai4a08', 'bgai4a16', 'bgan6a08', 'bgan6a16', 'bgbn4a08', 'bggn4a16', 'bgwn6a08', 'bgyn6a16', 'pp0n6a08'],
    ...['tbbn0g04', 'tbbn2c16', 'tbbn3p08', 'tbgn2c16', 'tbgn3p08', 'tbrn2c08', 'tbwn0g16', 'tbwn3p08', 'tbyn3p08'],
    ...['tm3n3p02', 'tp1n3p08'],
  ];
  it.each(transparentCorner)('%s: transparency is flattened onto the background', async (name) => {
    const bytes = image(`pngsuite/png/${name}.png`);
    const source = await sharp(bytes).ensureAlpha().raw().toBuffer();
    expect(source[3]).toBe(0); // the premise: the corner really is transparent
    const [r, g, b] = await corner((await lenient.prepare(bytes)).master);
    expect(Math.min(r, g, b)).toBeGreaterThan(235);
    const [mr, mg, mb] = await corner((await magenta.prepare(bytes)).master);
    expect([mr > 220, mg < 40, mb > 220]).toEqual([true, true, true]);
  });
});

describe('other formats from the corpus', () => {
  it('CMYK JPEG -> 3-channel sRGB with the colours sharp itself gives', async () => {
    const bytes = image('sharp-fixtures/Channel_digital_image_CMYK_color_no_profile.jpg');
    const result = await strict.prepare(bytes);
    await expectMaster(result.master);
    const reference = await sharp(bytes)
      .resize(648, 648, { position: 'attention' })
      .toColourspace('srgb')
      .jpeg()
      .toBuffer();
    expect(meanAbsDiff(await pixels(result.master, 64), await pixels(reference, 64))).toBeLessThan(4);
  });

  it('16-bit PNG', async () => {
    const result = await strict.prepare(image('sharp-fixtures/Flag_of_the_Netherlands-16bit.png'));
    await expectMaster(result.master);
    expect(result.source).toMatchObject({ format: 'png', width: 900, height: 600 });
  });

  it('WebP with alpha, flattened', async () => {
    const result = await strict.prepare(image('sharp-fixtures/5_webp_a.webp'));
    await expectMaster(result.master);
    expect(result.source).toMatchObject({ format: 'webp', width: 300, height: 300 });
    expect(result.warnings).toContainEqual({ code: 'small', params: { width: 300, height: 300 } });
  });

  it('animated GIF: the first frame', async () => {
    const bytes = image('sharp-fixtures/animated-loop-3.gif');
    const result = await strict.prepare(bytes);
    await expectMaster(result.master);
    expect(result.source).toMatchObject({ format: 'gif', width: 370, height: 285 });
    const frame = async (page: number): Promise<Buffer> =>
      pixels(
        await sharp(bytes, { page })
          .flatten({ background: '#ffffff' })
          .resize(648, 648, { position: 'attention' })
          .png()
          .toBuffer(),
        64,
      );
    const ours = await pixels(result.master, 64);
    const first = meanAbsDiff(ours, await frame(0));
    const last = meanAbsDiff(ours, await frame(9));
    expect(first).toBeLessThan(1);
    expect(last).toBeGreaterThan(first * 2);
  });

  it.each([
    ['sharp-fixtures/rotating-squares.gif', 'gif', 80, 80],
    ['sharp-fixtures/rotating-squares.webp', 'webp', 80, 80],
    ['sharp-fixtures/big-height.webp', 'webp', 13, 169],
    ['sharp-fixtures/8bit_depth.tiff', 'tiff', 21, 21],
    ['sharp-fixtures/grey-plus-alpha.gif', 'gif', 2, 1],
  ])('%s: too small at minSide 96, decodes (first frame) at minSide 1', async (file, format, width, height) => {
    const err = await appError(strict.prepare(image(file)));
    expect(err.code).toBe('photo.too_small');
    expect(err.params).toEqual({ width, height, minSide: 96 });
    const result = await lenient.prepare(image(file));
    await expectMaster(result.master);
    expect(result.source).toMatchObject({ format, width, height });
  });

  it.each([
    ['sharp-fixtures/G31D.TIF', 'tiff', 2464, 3248],
    // The primary item (pitm), a 4096x800 panorama, not the first of its four 1024x800 tiles.
    ['sharp-fixtures/pitm.avif', 'avif', 4096, 800],
    ['sharp-fixtures/testimgl.jpg', 'jpeg', 227, 149],
    ['sharp-fixtures/320x240.jpg', 'jpeg', 320, 240],
  ])('%s decodes', async (file, format, width, height) => {
    const result = await strict.prepare(image(file));
    await expectMaster(result.master);
    expect(result.source).toMatchObject({ format, width, height });
  });

  it('pitm.avif: the master shows the primary panorama, not its first tile', async () => {
    const bytes = image('sharp-fixtures/pitm.avif');
    const ours = await pixels((await strict.prepare(bytes)).master, 64);
    const render = async (options: { page?: number }): Promise<Buffer> =>
      pixels(await sharp(bytes, options).resize(648, 648, { position: 'attention' }).png().toBuffer(), 64);
    const primary = meanAbsDiff(ours, await render({}));
    expect(primary).toBeLessThan(3);
    expect(meanAbsDiff(ours, await render({ page: 0 }))).toBeGreaterThan(primary * 3);
  });
  // Every file of the manifest, accepted or rejected: prepare-corpus.test.ts.
});
