/**
 * Test helpers: the shared real-image corpus (/work/shared/images) and small
 * image utilities built on real sharp.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { AppError } from '../../../bot/src/core/errors';
import { SharpImageProcessor, type SharpImageProcessorOptions } from '../../../bot/src/photo';

/** Root of the shared corpus (the repo is /work/main, shared is /work/shared). */
export const IMAGES = path.resolve(__dirname, '../../../../shared/images');

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
export const BASE_OPTIONS: SharpImageProcessorOptions = {
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
