/**
 * The image pipeline on sharp/libvips: validates an upload, decodes it once into
 * a 648 master (raw pixels) and makes every Microsoft 365 output from that master:
 *
 * | output        | side (px)                                  | budget                              |
 * |---------------|--------------------------------------------|-------------------------------------|
 * | master        | 648                                        | <= 500 KB aimed, <= 4 MB always     |
 * | preview       | 96 (cards)                                 | <= 8 KB                             |
 * | adThumbnail   | 96 (on-premises AD thumbnailPhoto)         | <= 10 KB, quality lowered to fit    |
 * | thumbnails    | S 48, M 72, L 200 (SharePoint; options)    | 1 KB + 0.5 byte per pixel           |
 * | avatars       | 16 20 24 32 36 40 48 56 64 72 96 120 (opt.)| 1 KB + 0.5 byte per pixel           |
 *
 * Errors (AppError code -> params; the i18n team writes sentences from these):
 * - photo.empty              -> (none)
 * - photo.unsupported_format -> received: 'svg' | 'xml' | 'html' | 'text' | 'pdf' | 'psd' | 'zip' | 'jxl'
 *                               | 'bmp' | 'ico' | 'video' | 'unknown'; expected: 'JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIC'
 * - photo.corrupt            -> format: detected format ('jpeg', 'png', 'heic'...), 'unknown' if none
 * - photo.too_large_bytes    -> maxMegabytes, receivedMegabytes (MiB, one decimal; received rounded up). HTTP 413
 * - photo.too_many_pixels    -> width, height, maxMegapixels, receivedMegapixels (width/height 0 if only
 *                               libvips' own limit caught it)
 * - photo.too_small          -> width, height (after EXIF orientation), minSide
 * - photo.busy               -> retryAfterSeconds (>= 1; also AppError.retryAfterSeconds, retryable, HTTP 503)
 * - photo.decode_timeout     -> timeoutSeconds
 * - input.invalid (bad crop) -> field: 'crop', reason: 'not_integer' | 'out_of_bounds' | 'too_small',
 *                               left, top, size, width, height (after orientation and rotate), minSide
 * - input.invalid (rotate)   -> field: 'rotate' (not 0, 90, 180 or 270)
 * - internal                 -> (none; a bug or out of memory, never the user's file)
 *
 * Warnings (PhotoWarning code -> params), see quality-checks.ts and subject-position.ts for thresholds:
 * - small        -> width, height (of the region used: the image, or the crop)
 * - dark, bright -> meanLuma (0-255)
 * - low_contrast -> lumaStdev
 * - blurry       -> sharpness (Laplacian variance)
 * - off_centre   -> subjectX, subjectY (percent of the side; a saliency heuristic, only when no face was found)
 * - no_face, multiple_faces (faces), face_too_small (facePercent, minPercent), face_cut_off (visiblePercent),
 *   face_not_centred -> the photo guidelines (core/photo/face-rules.ts), when a FaceChecker is given
 * - face_check_unavailable -> the detector gave no answer in time; the photo was cropped without it
 *
 * With a FaceChecker and no crop from the user, the square is placed around the largest face
 * (face-rules.ts faceSquare), never smaller than 648 px of the source where the image allows (the
 * automatic crop does not enlarge); without a face, libvips' attention crop as before.
 */
import os from 'node:os';
import { AppError } from '../core/errors';
import { faceFindings, faceSquare, mainFace } from '../core/photo/face-rules';
import type {
  CropRect,
  FaceCheck,
  FaceScan,
  ImageFormat,
  ImageProcessor,
  PreparedPhoto,
  PrepareOptions,
  PhotoWarning,
  QuarterTurn,
} from '../core/photo/pipeline-ports';
import { validateCrop } from './crop';
import { normaliseDecodeError } from './decode-error';
import { Deadline } from './deadline';
import { detectFormat } from './detect-format';
import { QueueFullError, WorkLimiter } from './limiter';
import type { FaceChecker, FaceCheckResult } from './face-check';
import { MASTER_SIDE, renderMaster, rotatedSize } from './normalise';
import { renderOutputs } from './outputs';
import {
  busyError,
  corruptError,
  decodeTimeoutError,
  emptyError,
  tooLargeBytesError,
  tooSmallError,
  unsupportedFormatError,
} from './photo-errors';
import { lumaStats, qualityWarnings, sizeWarning } from './quality-checks';
import { openSource, type SourceImage } from './source';
import { offCentreWarning, subjectPosition } from './subject-position';
import { MemoryBudget } from './memory-budget';

/** Default memory budget of HEIC decodes, in MB: a 49 MP decode (about 530 MB) fits alone; 12 MP ones (130 MB) five at a time. */
const DEFAULT_HEIC_MEMORY_MB = 640;

/** Default per-photo time budget (a 12 MP HEIC takes ~0.7 s to decode here, several seconds on a slow machine). */
const DEFAULT_TIMEOUT_MS = 20_000;

/** SharePoint legacy thumbnail sides (PnP ProfilePictureUploader); other tools use L 120 or 300. */
export const DEFAULT_THUMBNAIL_SIDES: Readonly<{ s: number; m: number; l: number }> = Object.freeze({
  s: 48,
  m: 72,
  l: 200,
});

/** Teams round avatar sizes (Fluent UI Avatar, without 28 and 128). */
export const DEFAULT_AVATAR_SIDES: readonly number[] = Object.freeze([16, 20, 24, 32, 36, 40, 48, 56, 64, 72, 96, 120]);

/** Construction options of SharpImageProcessor. */
export interface SharpImageProcessorOptions {
  /** Largest upload in bytes; checked before decoding. */
  maxBytes: number;
  /** Largest width x height; checked from the header before decoding. */
  maxPixels: number;
  /** Smallest short side (px, after orientation), and smallest crop. */
  minSide: number;
  /** Colour transparent areas are flattened onto, '#rrggbb'. */
  background: string;
  /** Photos decoded at once; default os.availableParallelism() (sharp uses one thread per photo). */
  concurrency?: number;
  /** Photos waiting for a slot; beyond that, photo.busy at once. */
  queueLimit: number;
  /** Memory all HEIC decodes of this processor may hold at once, in MB (default 640: one 49 MP photo, or several phone-sized ones). */
  heicMemoryMb?: number;
  /** Time budget of one photo once it starts, in ms; default 20 s. */
  timeoutMs?: number;
  /** SharePoint thumbnail sides in px, each 1..648; default 48/72/200. */
  thumbnailSides?: { s: number; m: number; l: number };
  /** Avatar sides in px, each 1..648; default DEFAULT_AVATAR_SIDES. */
  avatarSides?: readonly number[];
  /** Checks faces (the photo guidelines); absent: no face check, the attention crop. */
  faces?: FaceChecker;
}

/** Throws the AppError for bytes that are empty, too large or not a decodable format; returns the format. Cheap: no decoding. */
export function checkUpload(bytes: Uint8Array, maxBytes: number): ImageFormat {
  if (bytes.length === 0) throw emptyError();
  if (bytes.length > maxBytes) throw tooLargeBytesError(maxBytes, bytes.length);
  const detected = detectFormat(bytes);
  if (detected.kind === 'other') throw unsupportedFormatError(detected.received);
  if (detected.kind === 'damaged') throw corruptError(detected.format, new Error('damaged file signature'));
  return detected.format;
}

/** ImageProcessor on sharp: validation, normalisation, outputs and quality warnings. */
export class SharpImageProcessor implements ImageProcessor {
  private readonly limiter: WorkLimiter;
  private readonly heicMemory: MemoryBudget;
  private readonly timeoutMs: number;
  private readonly thumbnailSides: { s: number; m: number; l: number };
  private readonly avatarSides: number[];

  constructor(private readonly options: SharpImageProcessorOptions) {
    const { maxBytes, maxPixels, minSide, background } = options;
    for (const [name, value] of Object.entries({ maxBytes, maxPixels, minSide })) {
      if (!Number.isSafeInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    if (!/^#[0-9a-fA-F]{6}$/.test(background))
      throw new RangeError(`background must be '#rrggbb', got '${background}'`);
    this.thumbnailSides = { ...(options.thumbnailSides ?? DEFAULT_THUMBNAIL_SIDES) };
    this.avatarSides = [...new Set(options.avatarSides ?? DEFAULT_AVATAR_SIDES)].sort((a, b) => a - b);
    const sides = {
      ...this.thumbnailSides,
      ...Object.fromEntries(this.avatarSides.map((side, i) => [`avatar ${i}`, side])),
    };
    for (const [name, side] of Object.entries(sides)) {
      if (!Number.isSafeInteger(side) || side < 1 || side > MASTER_SIDE) {
        throw new RangeError(`${name} side must be an integer from 1 to ${MASTER_SIDE}, got ${side}`);
      }
    }
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.heicMemory = new MemoryBudget((options.heicMemoryMb ?? DEFAULT_HEIC_MEMORY_MB) * 1024 * 1024);
    this.limiter = new WorkLimiter(options.concurrency ?? os.availableParallelism(), options.queueLimit);
  }

  /** photo.busy when a photo would be refused now (every slot busy, the queue full), else null. */
  refusalNow(): Error | null {
    return this.limiter.full ? busyError(this.limiter.retryAfterSeconds()) : null;
  }

  /** Validates and normalises one upload; throws AppError (photo.*, input.invalid) on bad input or when busy. */
  async prepare(input: Uint8Array, options: PrepareOptions = {}): Promise<PreparedPhoto> {
    // Cheap checks first, without taking a slot.
    const format = checkUpload(input, this.options.maxBytes);
    const rotate = checkRotate(options.rotate);
    return this.withinBudget(format, (deadline) => this.process(input, format, options.crop, rotate, deadline));
  }

  /** The faces of an upload and the automatic square around them, under the same limits and budget as prepare. */
  async scanFaces(input: Uint8Array, options: Pick<PrepareOptions, 'rotate'> = {}): Promise<FaceScan> {
    const format = checkUpload(input, this.options.maxBytes);
    const rotate = checkRotate(options.rotate);
    return this.withinBudget(format, async (deadline) => {
      const { maxPixels, minSide, background } = this.options;
      const source = await openSource(input, format, { maxPixels, heicMemory: this.heicMemory }, deadline);
      if (Math.min(source.width, source.height) < minSide) throw tooSmallError(source.width, source.height, minSide);
      const [width, height] = rotatedSize(source, rotate);
      if (!this.options.faces) return { status: 'off', width, height, faces: [] };
      const check = await this.options.faces.check(input, source, rotate, background, deadline);
      if (check.status !== 'checked') return { status: 'unavailable', width, height, faces: [] };
      const suggested = this.automaticSquare(check, width, height);
      return { status: 'checked', width, height, faces: check.faces, ...(suggested ? { suggested } : {}) };
    });
  }

  /** Runs `work` in a slot of the limiter, within the per-photo time budget, with the pipeline's errors. */
  private async withinBudget<T>(format: ImageFormat, work: (deadline: Deadline) => Promise<T>): Promise<T> {
    let startTimer = (): void => {};
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      startTimer = () => {
        timer = setTimeout(() => reject(decodeTimeoutError(this.timeoutMs)), this.timeoutMs);
      };
    });
    const running = this.limiter.run(() => {
      // The budget starts when the photo gets a slot, not while it queues.
      startTimer();
      return work(new Deadline(this.timeoutMs));
    });
    // If the budget runs out first, the work still settles later: never leave that rejection unhandled.
    running.catch(() => undefined);
    try {
      return await Promise.race([running, timedOut]);
    } catch (err) {
      if (err instanceof QueueFullError) throw busyError(err.retryAfterSeconds);
      throw normaliseDecodeError(err, { format, maxPixels: this.options.maxPixels, timeoutMs: this.timeoutMs });
    } finally {
      clearTimeout(timer);
    }
  }

  private async process(
    input: Uint8Array,
    format: ImageFormat,
    crop: CropRect | undefined,
    rotate: QuarterTurn,
    deadline: Deadline,
  ): Promise<PreparedPhoto> {
    const { maxPixels, minSide, background } = this.options;
    const source = await openSource(input, format, { maxPixels, heicMemory: this.heicMemory }, deadline);
    const { width, height } = source;
    if (Math.min(width, height) < minSide) throw tooSmallError(width, height, minSide);
    // The crop is in the rotated image's pixel space.
    const [rotatedWidth, rotatedHeight] = rotatedSize(source, rotate);
    if (crop) validateCrop(crop, rotatedWidth, rotatedHeight, minSide);
    deadline.check();

    const check = this.options.faces
      ? await this.options.faces.check(input, source, rotate, background, deadline)
      : undefined;
    deadline.check();
    const automatic = crop ? undefined : check && this.automaticSquare(check, rotatedWidth, rotatedHeight);
    const master = await renderMaster(source, crop ?? automatic, background, deadline, rotate);
    deadline.check();
    const square = master.square;
    const faceCheck = describeFaceCheck(check, square, !crop);
    const outputs = renderOutputs(master, { thumbnails: this.thumbnailSides, avatars: this.avatarSides }, deadline);
    outputs.catch(() => undefined);
    // Main-thread statistics while sharp's threads encode.
    const facesFound = faceCheck.status === 'checked' && faceCheck.faces.length > 0;
    const warnings: PhotoWarning[] = [
      ...((crop ?? automatic) ? sizeWarning(square.size, square.size) : sizeWarning(width, height)),
      ...qualityWarnings(lumaStats(master.data, MASTER_SIDE, MASTER_SIDE)),
      // Where the face is known, the face rules say whether it is placed well; the saliency guess would only repeat them.
      ...(facesFound ? [] : offCentreWarning(subjectPosition(master.data, MASTER_SIDE))),
      ...faceWarnings(faceCheck),
    ];
    return { ...(await outputs), source: describe(source, input.length), warnings, faceCheck };
  }

  /** The square around the largest face, at least 648 px of the source where the image has them (never enlarged). */
  private automaticSquare(check: FaceCheckResult, width: number, height: number): CropRect | undefined {
    const main = check.status === 'checked' ? mainFace(check.faces) : null;
    if (!main) return undefined;
    const floor = Math.max(this.options.minSide, Math.min(MASTER_SIDE, width, height));
    return faceSquare(main, width, height, floor);
  }
}

/** The quarter turn asked for; anything else is input.invalid (what was expected, what came). */
function checkRotate(rotate: unknown): QuarterTurn {
  if (rotate === undefined) return 0;
  if (rotate === 0 || rotate === 90 || rotate === 180 || rotate === 270) return rotate;
  throw new AppError('input.invalid', `Expected rotate 0, 90, 180 or 270 but received ${String(rotate)}`, {
    params: { field: 'rotate' },
  });
}

/** The port's view of a check. */
function describeFaceCheck(check: FaceCheckResult | undefined, square: CropRect, automatic: boolean): FaceCheck {
  if (!check) return { status: 'off' };
  if (check.status === 'unavailable') return { status: 'unavailable', reason: check.reason };
  return { status: 'checked', faces: check.faces, square, automatic };
}

/** The face rules a checked photo breaks, as warnings; a check without an answer is a note. */
function faceWarnings(check: FaceCheck): PhotoWarning[] {
  if (check.status === 'off') return [];
  if (check.status === 'unavailable') return [{ code: 'face_check_unavailable', params: { reason: check.reason } }];
  if (check.faces.length === 0) return [{ code: 'no_face' }];
  return faceFindings(check.faces, check.square, { automatic: check.automatic }).map((f) =>
    f.params ? { code: f.rule, params: f.params } : { code: f.rule },
  );
}

function describe(source: SourceImage, bytes: number): PreparedPhoto['source'] {
  return { format: source.format, width: source.width, height: source.height, bytes, orientation: source.orientation };
}
