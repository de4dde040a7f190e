/**
 * HEIC (HEVC in HEIF, what phones write) decoding. sharp's prebuilt libvips has
 * no HEVC decoder, so libheif compiled to WebAssembly does it: the `libheif-js`
 * build that our dependency `heic-decode` ships and loads. We drive it the way
 * heic-decode does, but pick the file's primary image (heic-decode takes the
 * first top-level image, which in a multi-image file may be another one).
 * Its decode is one long synchronous WebAssembly call (~0.7 s for 12 MP here,
 * seconds on slower machines), so it runs in a worker thread: the event loop
 * stays free, the time budget is enforced with `terminate()`, which stops even a
 * decode stuck in a loop, and the WebAssembly heap (which never shrinks) goes
 * away with the worker after every photo. One worker per photo costs ~80 ms of
 * start-up, small next to the decode.
 *
 * The pixel limit is checked twice before any pixel is decoded: from the file's
 * `ispe` boxes here, and from libheif's own parse in the worker.
 */
import { Worker } from 'node:worker_threads';
import type { Deadline } from './deadline';
import type { MemoryBudget } from './memory-budget';
import { heifDeclaredSizes, largestDeclaredSize } from './heif-boxes';
import { corruptError, decodeTimeoutError, tooManyPixelsError } from './photo-errors';
import { AppError } from '../core/errors';

/** Decoded 8-bit RGBA pixels, row-major, upright (libheif applies `irot`/`imir`). */
export interface RgbaPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

/**
 * Memory one HEIC decode takes per pixel until its worker exits: libheif's planes in WebAssembly and the RGBA
 * copy (measured here: about 530 MB for 49 MP, 11 bytes a pixel). The shared MemoryBudget counts decodes with it.
 */
const HEIC_BYTES_PER_PIXEL = 11;

/** Heap limits of the worker's JavaScript (the decoded pixels are outside it, in an ArrayBuffer). */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

/** What the worker answers with. */
type WorkerAnswer =
  | { kind: 'pixels'; width: number; height: number; data: ArrayBuffer }
  | { kind: 'too_many_pixels'; width: number; height: number }
  | { kind: 'corrupt' | 'internal'; message: string };

/**
 * The worker, as source (an `eval` worker needs no file next to the compiled
 * code, so it runs the same under ts-jest, tsc output and esbuild bundles).
 * libheif prints its errors with console.*: silenced, so `--json` output stays clean.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace']) console[k] = () => {};
const fail = (kind, err) => parentPort.postMessage({ kind, message: String((err && err.message) || err).split('\\n')[0] });
(async () => {
  let libheif;
  try {
    libheif = require(workerData.libheifPath);
    await libheif.ready;
  } catch (err) {
    return fail('internal', err);
  }
  let decoder;
  let images = [];
  try {
    decoder = new libheif.HeifDecoder();
    images = decoder.decode(workerData.bytes);
    if (!images.length) return fail('corrupt', 'no image in the file');
    // The primary item, as the file says (pitm); not simply the first top-level image.
    const image = images.find((i) => i.is_primary()) || images[0];
    const width = image.get_width();
    const height = image.get_height();
    if (!(width > 0 && height > 0)) return fail('corrupt', 'no image dimensions');
    if (width * height > workerData.maxPixels) return parentPort.postMessage({ kind: 'too_many_pixels', width, height });
    const data = await new Promise((resolve, reject) => {
      image.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, (shown) =>
        shown ? resolve(shown.data) : reject(new Error('HEIF decoding failed')),
      );
    });
    const pixels = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.slice().buffer;
    parentPort.postMessage({ kind: 'pixels', width, height, data: pixels }, [pixels]);
  } catch (err) {
    fail('corrupt', err);
  } finally {
    try {
      for (const image of images) image.free();
      if (decoder) decoder.decoder.delete();
    } catch {}
  }
})();
`;

let running = 0;

/** HEIC decodes (workers) alive now; for tests and metrics. */
export function heicDecodesRunning(): number {
  return running;
}

/** libheif's WebAssembly build (the decoder heic-decode wraps; used directly to pick the file's primary image). */
function libheifPath(): string {
  return require.resolve('libheif-js/wasm-bundle');
}

/**
 * Decodes the primary image of a HEIC file within the deadline and the pixel limit.
 * Throws photo.too_many_pixels, photo.corrupt, photo.decode_timeout or internal.
 */
export async function decodeHeic(
  bytes: Uint8Array,
  limits: { maxPixels: number; deadline: Deadline; memory: MemoryBudget },
): Promise<RgbaPixels> {
  const { deadline, memory } = limits;
  // The pixel limit of a HEIC decode is also what the memory budget can hold at once.
  const maxPixels = Math.min(limits.maxPixels, Math.floor(memory.totalBytes / HEIC_BYTES_PER_PIXEL));
  const declared = heifDeclaredSizes(bytes);
  if (declared === null) throw corruptError('heic', new Error('no meta box'));
  const largest = largestDeclaredSize(declared);
  if (!largest) throw corruptError('heic', new Error('no image size (ispe) declared'));
  if (largest.width * largest.height > maxPixels) throw tooManyPixelsError(maxPixels, largest.width, largest.height);
  deadline.check();
  // Decodes that do not fit in the budget together wait for one another (the wait counts against the deadline).
  const release = await memory.reserve(largest.width * largest.height * HEIC_BYTES_PER_PIXEL, deadline);
  const answer = await runWorker(new Uint8Array(bytes), maxPixels, deadline, release);
  switch (answer.kind) {
    case 'pixels': {
      const data = Buffer.from(answer.data);
      if (data.length !== answer.width * answer.height * 4) {
        throw corruptError(
          'heic',
          new Error(`decoder returned ${data.length} bytes for ${answer.width}x${answer.height}`),
        );
      }
      return { data, width: answer.width, height: answer.height, channels: 4 };
    }
    case 'too_many_pixels':
      throw tooManyPixelsError(maxPixels, answer.width, answer.height);
    case 'corrupt':
      throw corruptError('heic', new Error(answer.message));
    case 'internal':
      throw new AppError('internal', `HEIC decoder unavailable: ${answer.message}`);
  }
}

/** Runs one decode in a worker; `release` gives its memory back once the worker has exited (or never started). */
function runWorker(
  bytes: Uint8Array,
  maxPixels: number,
  deadline: Deadline,
  release: () => void,
): Promise<WorkerAnswer> {
  return new Promise<WorkerAnswer>((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { bytes, maxPixels, libheifPath: libheifPath() },
        transferList: [bytes.buffer as ArrayBuffer],
        resourceLimits: WORKER_LIMITS,
        stdout: true,
        stderr: true,
      });
    } catch (err) {
      release();
      throw err;
    }
    running++;
    // Nothing the decoder prints may reach our stdout (--json) or pile up unread.
    worker.stdout.resume();
    worker.stderr.resume();
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(decodeTimeoutError(deadline.budgetMs))), deadline.remainingMs());
    worker.once('message', (answer: WorkerAnswer) => finish(() => resolve(answer)));
    // A WebAssembly trap, an out-of-memory in the worker, or an exit without an answer: the file did that.
    worker.once('error', (err) => finish(() => reject(corruptError('heic', err))));
    worker.once('exit', (code) => {
      running--;
      release();
      finish(() => reject(corruptError('heic', new Error(`decoder exited with code ${code} without an answer`))));
    });
  });
}
