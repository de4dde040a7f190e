/**
 * Test helpers: the shared real-image corpus (/work/shared/images) and small
 * image utilities built on real sharp.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { AppError } from '../../bot/src/core/errors';
import type { PreparedPhoto, SquareJpeg } from '../../bot/src/core/photo/pipeline-ports';
import {
  AD_THUMBNAIL_MAX_BYTES,
  DEFAULT_AVATAR_SIDES,
  DEFAULT_THUMBNAIL_SIDES,
  MASTER_TARGET_BYTES,
  PREVIEW_TARGET_BYTES,
  SharpImageProcessor,
  smallOutputBudget,
  type SharpImageProcessorOptions,
} from '../../bot/src/photo';

/** Root of the shared corpus (the repo is /work/main, shared is /work/shared). */
export const IMAGES = path.resolve(__dirname, '../../../shared/images');

/** One entry of manifest.json. */
export interface ManifestEntry {
  path: string;
  bytes: number;
  format: string;
  expect: 'decode-ok' | 'decode-error' | 'decoder-dependent';
  exifOrientation?: number;
  displayedAfterOrientation?: string;
}

/** Every image in the corpus, from manifest.json. */
export const manifest: ManifestEntry[] = (
  JSON.parse(fs.readFileSync(path.join(IMAGES, 'manifest.json'), 'utf8')) as { files: ManifestEntry[] }
).files;

/** The bytes of a corpus file, by path relative to the corpus root. */
export function image(relative: string): Buffer {
  return fs.readFileSync(path.join(IMAGES, relative));
}

/** An EXIF orientation example, e.g. exif('Landscape', 6). */
export function exif(kind: 'Landscape' | 'Portrait', orientation: number): Buffer {
  return image(`exif-orientation-examples/${kind}_${orientation}.jpg`);
}

/** PngSuite file names. */
export function pngSuite(): string[] {
  return fs
    .readdirSync(path.join(IMAGES, 'pngsuite/png'))
    .filter((f) => f.endsWith('.png'))
    .sort();
}

/** Options a test processor starts from. */
const BASE_OPTIONS: SharpImageProcessorOptions = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 50_000_000,
  minSide: 96,
  background: '#ffffff',
  concurrency: 2,
  queueLimit: 1000,
};

/** A processor with BASE_OPTIONS overridden by `overrides`. */
export function processor(overrides: Partial<SharpImageProcessorOptions> = {}): SharpImageProcessor {
  return new SharpImageProcessor({ ...BASE_OPTIONS, ...overrides });
}

/** The AppError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function appError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`Expected an AppError but received ${String(err)}`);
  }
  throw new Error('Expected an AppError but the promise resolved');
}

/** Raw RGB pixels of an encoded image at side x side. */
export async function pixels(encoded: Uint8Array, side: number): Promise<Buffer> {
  return sharp(encoded).resize(side, side, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
}

/** Mean absolute difference of two equal-length pixel buffers (0-255). */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid-looking PNG whose header claims width x height (8-bit greyscale) but
 * whose IDAT holds one row: a decompression bomb's header without the payload.
 */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(1 + Math.min(width, 1024)))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG of one flat colour. */
export function flatPng(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .png()
    .toBuffer();
}

/** A committed HEIC fixture (see test/fixtures/heic/make-fixtures.js), by file name. */
export function heic(name: 'landscape' | 'landscape-irot' | 'alpha'): Buffer {
  return fs.readFileSync(path.join(__dirname, '../fixtures/heic', `${name}.heic`));
}

/** What an output must be: side, byte budget. */
export interface OutputExpectation {
  name: string;
  jpeg: Uint8Array;
  side: number;
  maxBytes: number;
}

/** Every output of a prepared photo with the side and budget it must meet (default sizes unless given). */
export function expectedOutputs(
  result: PreparedPhoto,
  sides: { thumbnails: { s: number; m: number; l: number }; avatars: readonly number[] } = {
    thumbnails: DEFAULT_THUMBNAIL_SIDES,
    avatars: DEFAULT_AVATAR_SIDES,
  },
): OutputExpectation[] {
  const { s, m, l } = sides.thumbnails;
  return [
    { name: 'master', jpeg: result.master, side: 648, maxBytes: MASTER_TARGET_BYTES },
    { name: 'preview', jpeg: result.preview, side: 96, maxBytes: PREVIEW_TARGET_BYTES },
    { name: 'adThumbnail', jpeg: result.adThumbnail, side: 96, maxBytes: AD_THUMBNAIL_MAX_BYTES },
    { name: 'thumbnails.s', jpeg: result.thumbnails.s.jpeg, side: s, maxBytes: smallOutputBudget(s) },
    { name: 'thumbnails.m', jpeg: result.thumbnails.m.jpeg, side: m, maxBytes: smallOutputBudget(m) },
    { name: 'thumbnails.l', jpeg: result.thumbnails.l.jpeg, side: l, maxBytes: smallOutputBudget(l) },
    ...[...sides.avatars]
      .sort((a, b) => a - b)
      .map((side, i) => ({
        name: `avatars[${i}]`,
        jpeg: result.avatars[i]?.jpeg ?? new Uint8Array(),
        side,
        maxBytes: smallOutputBudget(side),
      })),
  ];
}

/**
 * Checks every output's real encoding: a baseline 3-channel sRGB JPEG of exactly
 * side x side, within its byte budget, with no metadata. Returns a line per
 * problem (empty when all is well), so a failure names every broken output at once.
 */
export async function outputProblems(
  result: PreparedPhoto,
  sides?: Parameters<typeof expectedOutputs>[1],
): Promise<string[]> {
  const problems: string[] = [];
  const expected = expectedOutputs(result, sides);
  if (result.avatars.length !== expected.filter((e) => e.name.startsWith('avatars')).length)
    problems.push(`avatars: ${result.avatars.length}`);
  for (const e of expected) {
    const meta = await sharp(e.jpeg).metadata();
    const got = {
      format: meta.format,
      width: meta.width,
      height: meta.height,
      channels: meta.channels,
      space: meta.space,
      progressive: meta.isProgressive,
    };
    const want = { format: 'jpeg', width: e.side, height: e.side, channels: 3, space: 'srgb', progressive: false };
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${e.name}: ${JSON.stringify(got)}`);
    if (e.jpeg.length > e.maxBytes) problems.push(`${e.name}: ${e.jpeg.length} bytes > ${e.maxBytes}`);
    if (meta.exif || meta.icc || meta.xmp || meta.iptc || meta.orientation)
      problems.push(`${e.name}: carries metadata`);
  }
  const side = (a: SquareJpeg): number => a.side;
  if (
    JSON.stringify(result.avatars.map(side)) !==
    JSON.stringify([...(sides?.avatars ?? DEFAULT_AVATAR_SIDES)].sort((a, b) => a - b))
  ) {
    problems.push(`avatar sides ${result.avatars.map(side).join(',')}`);
  }
  return problems;
}
