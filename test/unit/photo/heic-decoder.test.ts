/**
 * HEIC: real HEVC files (made with libheif's heif-enc from the corpus, see
 * test/fixtures/heic/), header reading, the worker's time budget and broken files.
 * Not covered here: files from a real phone (grid-tiled, Display P3); none could be had.
 */
import { fc, it } from '@fast-check/jest';
import sharp from 'sharp';
import { detectFormat, heicDecodesRunning, heifDeclaredSizes } from '../../../bot/src/photo';
import { Deadline } from '../../../bot/src/photo/deadline';
import { decodeHeic } from '../../../bot/src/photo/heic-decoder';
import { MemoryBudget } from '../../../bot/src/photo/memory-budget';
import { appError, heic, meanAbsDiff, outputProblems, pixels, processor } from '../../support/images';

const photos = processor();

/** Resolves once every HEIC worker has exited (fails the test after 3 s). */
async function workersGone(): Promise<void> {
  const until = Date.now() + 3000;
  while (heicDecodesRunning() > 0) {
    if (Date.now() > until) throw new Error(`${heicDecodesRunning()} HEIC workers still running`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Finds a box type's offset in a file (first occurrence). */
function boxAt(bytes: Buffer, type: string): number {
  const at = bytes.indexOf(Buffer.from(type, 'latin1'));
  if (at < 4) throw new Error(`no ${type}`);
  return at - 4;
}

describe('format detection on real HEIC headers', () => {
  it.each(['landscape', 'landscape-irot', 'alpha'] as const)('%s.heic is heic', (name) => {
    expect(detectFormat(heic(name))).toEqual({ kind: 'image', format: 'heic' });
  });
});

describe('heifDeclaredSizes', () => {
  it('reads ispe without decoding: the stored size, before irot', () => {
    expect(heifDeclaredSizes(heic('landscape'))).toContainEqual({ width: 900, height: 600 });
    expect(heifDeclaredSizes(heic('landscape-irot'))).toContainEqual({ width: 600, height: 900 });
    expect(heifDeclaredSizes(heic('alpha'))).toContainEqual({ width: 300, height: 300 });
  });

  it('null without a meta box', () => {
    expect(heifDeclaredSizes(heic('landscape').subarray(0, 28))).toBeNull();
  });

  it.prop([fc.uint8Array({ maxLength: 4096 })])('never throws on arbitrary bytes', (bytes) => {
    const sizes = heifDeclaredSizes(bytes);
    if (sizes) for (const s of sizes) expect(Number.isInteger(s.width) && Number.isInteger(s.height)).toBe(true);
  });

  it.prop([fc.nat({ max: 2000 }), fc.uint8Array({ minLength: 1, maxLength: 16 })], { numRuns: 300 })(
    'never throws on a real header with bytes overwritten',
    (at, noise) => {
      const bytes = Buffer.from(heic('landscape').subarray(0, 2048));
      Buffer.from(noise).copy(bytes, at % bytes.length);
      expect(() => heifDeclaredSizes(bytes)).not.toThrow();
    },
  );
});

describe('decoding', () => {
  it('landscape.heic: a 900x600 HEIC with every output exact (upright: prepare-orientation.test.ts)', async () => {
    const result = await photos.prepare(heic('landscape'));
    expect(result.source).toEqual({
      format: 'heic',
      width: 900,
      height: 600,
      bytes: heic('landscape').length,
      orientation: 1,
    });
    expect(result.warnings).toEqual([{ code: 'small', params: { width: 900, height: 600 } }]);
    expect(await outputProblems(result)).toEqual([]);
    await workersGone();
  });

  it('alpha.heic: the transparent corners are flattened onto the background', async () => {
    for (const [background, rgb] of [
      ['#ffffff', [255, 255, 255]],
      ['#ff00ff', [255, 0, 255]],
    ] as const) {
      const result = await processor({ background }).prepare(heic('alpha'));
      const corner = [
        ...(await sharp(result.master).extract({ left: 0, top: 0, width: 4, height: 4 }).resize(1, 1).raw().toBuffer()),
      ];
      expect(meanAbsDiff(new Uint8Array(corner), new Uint8Array(rgb))).toBeLessThan(12);
    }
  });

  it('a multi-brand file with another major brand still decodes (libheif reads the compatible brands)', async () => {
    const bytes = Buffer.from(heic('landscape'));
    bytes.write('heim', 8, 'latin1'); // a HEVC multi-layer brand heic-decode's own check would refuse
    expect(detectFormat(bytes)).toEqual({ kind: 'image', format: 'heic' });
    const result = await photos.prepare(bytes);
    const original = await photos.prepare(heic('landscape'));
    expect(meanAbsDiff(await pixels(result.master, 32), await pixels(original.master, 32))).toBeLessThan(0.5);
  });
});

describe('broken and hostile HEIC', () => {
  it.each([0.98, 0.5, 0.1])('cut at %p of its length -> corrupt heic, worker gone', async (fraction) => {
    const whole = heic('landscape');
    const err = await appError(photos.prepare(whole.subarray(0, Math.floor(whole.length * fraction))));
    expect([err.code, err.params]).toEqual(['photo.corrupt', { format: 'heic' }]);
    await workersGone();
  });

  it('coded data overwritten with garbage -> corrupt or decoded, never a crash', async () => {
    const bytes = Buffer.from(heic('landscape'));
    const mdat = boxAt(bytes, 'mdat');
    for (let i = mdat + 200; i < bytes.length; i += 7) bytes[i] ^= 0x5a;
    const outcome = await photos.prepare(bytes).then(
      () => 'decoded',
      (err: { code: string }) => err.code,
    );
    expect(['decoded', 'photo.corrupt']).toContain(outcome);
    await workersGone();
  });

  it('an ispe claiming 100000x100000 -> too_many_pixels before any decoder starts', async () => {
    const bytes = Buffer.from(heic('landscape'));
    const ispe = boxAt(bytes, 'ispe');
    bytes.writeUInt32BE(100_000, ispe + 12);
    bytes.writeUInt32BE(100_000, ispe + 16);
    const started = performance.now();
    const err = await appError(photos.prepare(bytes));
    expect(err.code).toBe('photo.too_many_pixels');
    expect(err.params).toEqual({ width: 100_000, height: 100_000, maxMegapixels: 50, receivedMegapixels: 10_000 });
    expect(heicDecodesRunning()).toBe(0);
    expect(performance.now() - started).toBeLessThan(200); // no worker was started (one takes ~80 ms to load libheif)
  });

  it('a decode over its time budget -> decode_timeout, and the worker is terminated', async () => {
    // 30 ms: less than loading libheif in a fresh worker, so the budget always runs out inside the worker.
    const started = performance.now();
    const err = await appError(
      decodeHeic(heic('landscape'), {
        maxPixels: 50_000_000,
        deadline: new Deadline(30),
        memory: new MemoryBudget(640 * 1048576),
      }),
    );
    expect(err.code).toBe('photo.decode_timeout');
    expect(performance.now() - started).toBeLessThan(1000);
    await workersGone();
  });

  it('a flood of broken HEIC files fails each cleanly and leaves no worker behind', async () => {
    const whole = heic('alpha');
    const outcomes = await Promise.allSettled(
      [0.3, 0.6, 0.9, 0.3, 0.6, 0.9].map((f) =>
        processor({ queueLimit: 10 }).prepare(whole.subarray(0, Math.floor(whole.length * f))),
      ),
    );
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as { code: string }).code)).toEqual(
      Array(6).fill('photo.corrupt'),
    );
    await workersGone();
  });
});
