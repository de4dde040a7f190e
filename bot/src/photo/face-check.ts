/**
 * The face check of one photo: a downscaled copy of the upright image (at most LOOK_SIDE px, made with
 * JPEG shrink-on-load, so cheap even for a 12 MP photo), the detector's faces moved back to the
 * image's pixel space, remembered by the file's hash and quarter turns so that the tab's scan and the
 * upload that follows it run the detector once. Never throws: a detector that cannot answer gives
 * `unavailable`, and the caller crops as it would without faces.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { FaceBox } from '../core/photo/face-rules';
import type { QuarterTurn } from '../core/photo/pipeline-ports';
import type { Deadline } from './deadline';
import {
  FaceCheckUnavailable,
  LOOK_SIDE,
  WorkerFaceDetector,
  type FaceCheckFailure,
  type FaceDetector,
} from './face-detector';
import { lookImage } from './normalise';
import type { SourceImage } from './source';

/** What the check found: the faces (in the rotated image's pixel space), or why there is no answer. */
export type FaceCheckResult =
  { status: 'checked'; faces: FaceBox[] } | { status: 'unavailable'; reason: FaceCheckFailure };

/** Photos whose faces are remembered (a few KB each). */
const REMEMBERED = 256;
/** Time kept back from the photo's own budget, so a slow check never makes the photo itself time out. */
const PHOTO_MARGIN_MS = 3_000;

/** Runs the detector on a photo's look image, with a time budget and a memory of recent answers. */
export class FaceChecker {
  private readonly known = new LRUCache<string, FaceBox[]>({ max: REMEMBERED });

  constructor(
    private readonly detector: FaceDetector,
    /** Budget of one check, ms (queue wait included). */
    private readonly timeoutMs: number,
  ) {}

  async check(
    input: Uint8Array,
    source: SourceImage,
    rotate: QuarterTurn,
    background: string,
    deadline: Deadline,
  ): Promise<FaceCheckResult> {
    const key = `${createHash('sha256').update(input).digest('base64url')}:${rotate}`;
    const remembered = this.known.get(key);
    if (remembered) return { status: 'checked', faces: remembered.map((f) => ({ ...f })) };
    const budget = Math.min(this.timeoutMs, deadline.remainingMs() - PHOTO_MARGIN_MS);
    if (budget <= 0) return { status: 'unavailable', reason: 'timeout' };
    try {
      const look = await lookImage(source, background, rotate, LOOK_SIDE, deadline);
      const found = await this.detector.detect(look.data, look.width, look.height, budget);
      const [width, height] = [look.fullWidth, look.fullHeight];
      const sx = width / look.width;
      const sy = height / look.height;
      const faces = found
        .map((f) => roundBox({ x: f.x * sx, y: f.y * sy, width: f.width * sx, height: f.height * sy, score: f.score }))
        .filter((f) => f.width > 0 && f.height > 0);
      this.known.set(key, faces);
      return { status: 'checked', faces: faces.map((f) => ({ ...f })) };
    } catch (err) {
      return { status: 'unavailable', reason: err instanceof FaceCheckUnavailable ? err.reason : 'failed' };
    }
  }

  close(): Promise<void> {
    return this.detector.close();
  }
}

/** In whole pixels; a box the image's edge cuts keeps its outside part (face_cut_off counts it). */
function roundBox(face: FaceBox): FaceBox {
  return {
    x: Math.round(face.x),
    y: Math.round(face.y),
    width: Math.round(face.width),
    height: Math.round(face.height),
    score: Math.round(face.score * 1000) / 1000,
  };
}

/** The face checker a deployment's settings ask for (one detector worker), or none when the check is off. */
export function faceCheckerFor(settings: { enabled: boolean; timeoutMs: number }): FaceChecker | undefined {
  return settings.enabled ? new FaceChecker(new WorkerFaceDetector(), settings.timeoutMs) : undefined;
}
