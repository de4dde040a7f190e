/**
 * The photo guidelines about faces, as pure geometry: where the automatic square goes around a
 * face, and which rules a square breaks. The pipeline applies them on the server; the tab's editor
 * imports this one file (the only runtime import the tab takes from bot/, see
 * .dependency-cruiser.cjs) to update its hints live while the crop moves, so both always agree.
 * It imports nothing.
 *
 * Coordinates are pixels of the image after EXIF orientation and the user's quarter turns: the
 * space of a CropRect.
 */

/** A face the detector found, with its confidence (0-1). */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** A square in the same space as the faces. */
export interface FaceSquare {
  left: number;
  top: number;
  size: number;
}

/** The guidelines about faces, each with its own admin policy. */
export type FaceRule = 'no_face' | 'multiple_faces' | 'face_too_small' | 'face_cut_off' | 'face_not_centred';

/** Every face rule, in the order messages list them. */
export const FACE_RULES: readonly FaceRule[] = Object.freeze([
  'no_face',
  'multiple_faces',
  'face_too_small',
  'face_cut_off',
  'face_not_centred',
]);

/** Whether a warning code is one of the face rules. */
export function isFaceRule(code: string): code is FaceRule {
  return (FACE_RULES as readonly string[]).includes(code);
}

/** What an admin may choose per rule. */
export type FaceRuleAction = 'off' | 'warn' | 'approval' | 'refuse';

/** Every action, mildest first. */
export const FACE_RULE_ACTIONS: readonly FaceRuleAction[] = Object.freeze(['off', 'warn', 'approval', 'refuse']);

/** A rule a square breaks, with the figures its message names. */
export interface FaceFinding {
  rule: FaceRule;
  params?: Record<string, number>;
}

/**
 * The numbers of the guidelines. A profile photo is shown as small as 16 px and mostly round: the face
 * should fill a good part of the square and sit a little above its middle, as in a passport photo.
 */
export const FACE_GEOMETRY = Object.freeze({
  /** Side of the automatic square as a multiple of the face's side (the issue asks 2.2-2.6). */
  squarePerFace: 2.4,
  /** Where the face's centre sits, as a share of the side from the top (a little above the middle). */
  faceCentreY: 0.45,
  /** `face_too_small` when the face's side is under this share of the square (at 96 px: under 19 px). */
  minFaceShare: 0.2,
  /** `face_cut_off` when less than this share of the face's box is inside the square. */
  minVisibleShare: 0.9,
  /** Other faces smaller than this share of the main face are background (a crowd far behind). */
  otherFaceMinSize: 0.4,
  /** Another face counts for `multiple_faces` once this share of it is inside the square. */
  otherFaceMinInside: 0.15,
  /**
   * `face_not_centred` when the face's centre is further than this share of the side from where it should be
   * (as subject-position.ts's off_centre: a quarter of the side, where a round frame starts to crowd the face).
   */
  maxCentreOffset: 0.25,
});

/** The person's face: the largest one (the highest score among equals). */
export function mainFace(faces: readonly FaceBox[]): FaceBox | null {
  let best: FaceBox | null = null;
  for (const face of faces) {
    const side = Math.max(face.width, face.height);
    const bestSide = best ? Math.max(best.width, best.height) : -1;
    if (side > bestSide || (side === bestSide && best !== null && face.score > best.score)) best = face;
  }
  return best;
}

/**
 * The automatic square around `face` in a `width` x `height` image: side squarePerFace times the face,
 * at least `minSide` and at most the image's short side, the face's centre at faceCentreY, moved back
 * inside the image where it would stick out. Integers, as the pipeline crops.
 */
export function faceSquare(face: FaceBox, width: number, height: number, minSide: number): FaceSquare {
  const short = Math.min(width, height);
  const wanted = Math.round(Math.max(face.width, face.height) * FACE_GEOMETRY.squarePerFace);
  const size = Math.max(1, Math.min(short, Math.max(wanted, minSide)));
  const centreX = face.x + face.width / 2;
  const centreY = face.y + face.height / 2;
  const clamp = (value: number, max: number): number => Math.min(Math.max(0, Math.round(value)), max);
  return {
    left: clamp(centreX - size / 2, width - size),
    top: clamp(centreY - size * FACE_GEOMETRY.faceCentreY, height - size),
    size,
  };
}

/** The share of `face`'s box inside `square` (0-1). */
export function shareInside(face: FaceBox, square: FaceSquare): number {
  const area = face.width * face.height;
  if (!(area > 0)) return 0;
  const w = Math.min(face.x + face.width, square.left + square.size) - Math.max(face.x, square.left);
  const h = Math.min(face.y + face.height, square.top + square.size) - Math.max(face.y, square.top);
  return w > 0 && h > 0 ? (w * h) / area : 0;
}

/**
 * The face rules `square` breaks, given every face found in the image. No face: `no_face` alone.
 * `multiple_faces`: another face (not a small one far behind) is partly in the square; or, when the
 * square was placed automatically, anywhere in the photo: picking one person of a group is a guess
 * the person should check. `face_cut_off` counts the image's own edge too.
 */
export function faceFindings(
  faces: readonly FaceBox[],
  square: FaceSquare,
  options: { automatic?: boolean } = {},
): FaceFinding[] {
  const main = mainFace(faces);
  if (!main) return [{ rule: 'no_face' }];
  const g = FACE_GEOMETRY;
  const findings: FaceFinding[] = [];
  const mainSide = Math.max(main.width, main.height);
  const others = faces.filter((f) => f !== main && Math.max(f.width, f.height) >= mainSide * g.otherFaceMinSize);
  const othersInside = others.filter((f) => shareInside(f, square) >= g.otherFaceMinInside);
  const counted = options.automatic ? others : othersInside;
  if (counted.length > 0) findings.push({ rule: 'multiple_faces', params: { faces: counted.length + 1 } });
  const visible = shareInside(main, square);
  if (visible < g.minVisibleShare) {
    findings.push({ rule: 'face_cut_off', params: { visiblePercent: Math.round(visible * 100) } });
  }
  const share = mainSide / square.size;
  if (share < g.minFaceShare) {
    findings.push({
      rule: 'face_too_small',
      params: { facePercent: Math.round(share * 100), minPercent: Math.round(g.minFaceShare * 100) },
    });
  }
  // Only a face mostly in the square can be "not centred"; one that is cut off already says where to move.
  if (visible >= g.minVisibleShare) {
    const dx = (main.x + main.width / 2 - (square.left + square.size / 2)) / square.size;
    const dy = (main.y + main.height / 2 - (square.top + square.size * g.faceCentreY)) / square.size;
    if (Math.hypot(dx, dy) > g.maxCentreOffset) findings.push({ rule: 'face_not_centred' });
  }
  return findings;
}

/**
 * Faces found in an image of `width` x `height` (after EXIF orientation), moved to where they are
 * after `rotate` clockwise quarter turns: the space the crop is in.
 */
export function turnFaces(faces: readonly FaceBox[], width: number, height: number, rotate: number): FaceBox[] {
  return faces.map((f) => {
    switch (rotate) {
      case 90:
        return { x: height - f.y - f.height, y: f.x, width: f.height, height: f.width, score: f.score };
      case 180:
        return {
          x: width - f.x - f.width,
          y: height - f.y - f.height,
          width: f.width,
          height: f.height,
          score: f.score,
        };
      case 270:
        return { x: f.y, y: width - f.x - f.width, width: f.height, height: f.width, score: f.score };
      default:
        return { ...f };
    }
  });
}
