/**
 * Every file of the shared corpus (../shared/images, including its licence and
 * README files) and every HEIC fixture goes through the whole pipeline: an
 * accepted file must give every output at its exact size, format and byte
 * budget; a broken one its error code, and nothing ever crashes.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../../bot/src/core/errors';
import type { PreparedPhoto } from '../../../bot/src/core/photo/pipeline-ports';
import { IMAGES, manifest, outputProblems, processor, type ManifestEntry } from '../../support/images';

const strict = processor(); // minSide 96, as in production
const lenient = processor({ minSide: 1 });

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? walk(full) : [path.relative(IMAGES, full)];
  });
}

const files = walk(IMAGES).sort();
const byPath = new Map<string, ManifestEntry & { exifOrientation?: number }>(manifest.map((e) => [e.path, e]));

async function outcome(promise: Promise<PreparedPhoto>): Promise<PreparedPhoto | AppError> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err; // anything else is a crash: fails the test
  }
}

/** The size a correct decoder shows after EXIF orientation: first frame or page, or the HEIF primary item. */
async function orientedSize(bytes: Buffer, format: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(bytes, format === 'avif' ? {} : { page: 0 }).metadata();
  return meta.autoOrient ?? { width: meta.width, height: meta.height };
}

it('walks the whole corpus: every manifest entry plus its text files', () => {
  expect(files.length).toBeGreaterThanOrEqual(manifest.length);
  for (const entry of manifest) expect(files).toContain(entry.path);
});

describe.each(files)('%s', (file) => {
  const entry = byPath.get(file);
  const bytes = fs.readFileSync(path.join(IMAGES, file));

  if (!entry) {
    it('is not an image: unsupported_format', async () => {
      const result = await outcome(strict.prepare(bytes));
      expect(result).toBeInstanceOf(AppError);
      expect((result as AppError).code).toBe('photo.unsupported_format');
    });
    return;
  }

  if (entry.format === 'svg') {
    it('SVG is refused from its bytes (sharp would rasterise it)', async () => {
      const result = await outcome(strict.prepare(bytes));
      expect(result).toMatchObject({ code: 'photo.unsupported_format', params: { received: 'svg' } });
    });
    return;
  }

  if (entry.expect === 'decode-error') {
    it(`is broken: photo.corrupt (format ${entry.format}), no crash`, async () => {
      const result = await outcome(lenient.prepare(bytes));
      expect(result).toMatchObject({ code: 'photo.corrupt', params: { format: entry.format } });
    });
    return;
  }

  // decode-ok, and the decoder-dependent lossless JPEG, which libvips decodes.
  it('is accepted (or too small under 96 px) with every output exact', async () => {
    const size = await orientedSize(bytes, entry.format);
    const small = Math.min(size.width, size.height) < 96;
    if (small) {
      const rejected = await outcome(strict.prepare(bytes));
      expect(rejected).toMatchObject({ code: 'photo.too_small', params: { ...size, minSide: 96 } });
    }
    const result = await outcome((small ? lenient : strict).prepare(bytes));
    if (result instanceof AppError) throw result;
    expect(await outputProblems(result)).toEqual([]);
    const orientation = entry.exifOrientation && entry.exifOrientation >= 1 ? entry.exifOrientation : 1;
    expect(result.source).toEqual({ format: entry.format, ...size, bytes: bytes.length, orientation });
    if (Math.min(size.width, size.height) < 648)
      expect(result.warnings).toContainEqual({ code: 'small', params: size });
  });
});

describe.each(['landscape.heic', 'landscape-irot.heic', 'alpha.heic'])('HEIC fixture %s', (name) => {
  it('is accepted with every output exact', async () => {
    const bytes = fs.readFileSync(path.join(__dirname, '../../fixtures/heic', name));
    const result = await outcome(strict.prepare(bytes));
    if (result instanceof AppError) throw result;
    expect(await outputProblems(result)).toEqual([]);
    expect(result.source).toMatchObject({ format: 'heic', bytes: bytes.length, orientation: 1 });
  });
});
