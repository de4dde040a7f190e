/**
 * Where the subject of a square photo is, without a face detector: the centre
 * of mass of a saliency map built from the same cues sharp's `attention` crop
 * uses (local detail, colour saturation, skin tones), minus what is typical of
 * the whole picture. A clear subject far from the middle would be cut by the
 * round frame Teams and Outlook draw: `off_centre`.
 *
 * It is a heuristic and says so: it runs on the 648 master, so with the
 * automatic crop (which already moves the square towards the salient part) it
 * fires mostly for square inputs and for user crops.
 */
import type { PhotoWarning } from '../core/photo/pipeline-ports';

/** Side of the saliency grid (648 / 8). */
const GRID = 81;
/** Distance (fraction of the side) of the subject's centre from the middle beyond which we warn. */
export const OFF_CENTRE_DISTANCE_MIN = 0.25;
/**
 * Vertical offsets count for less: a head-and-shoulders photo has its detail low
 * (shoulders, clothes) or high (hair) and still sits well in a circle.
 */
const VERTICAL_WEIGHT = 0.75;
/** Below this share of the saliency mass above the median there is no distinct subject to place. */
const SUBJECT_PROMINENCE_MIN = 0.15;

/** The subject's centre as fractions of the side (0.5, 0.5 is the middle), and how distinct it is (0-1). */
export interface SubjectPosition {
  x: number;
  y: number;
  prominence: number;
}

/** YCbCr skin-tone test on 8-bit sRGB (the classic Chai & Ngan box, widened a little). */
function isSkin(r: number, g: number, b: number): boolean {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
  const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  return y > 50 && cb >= 77 && cb <= 135 && cr >= 133 && cr <= 180;
}

/** The subject position of square 8-bit RGB pixels, side x side (side >= 81). Pure. */
export function subjectPosition(rgb: Uint8Array, side: number): SubjectPosition {
  if (rgb.length < side * side * 3 || side < GRID)
    throw new RangeError(`Expected ${side * side * 3} RGB bytes, side >= ${GRID}`);
  // Block means on a GRID x GRID lattice.
  const cells = GRID * GRID;
  const r = new Float64Array(cells);
  const g = new Float64Array(cells);
  const b = new Float64Array(cells);
  const count = new Float64Array(cells);
  const column = new Int32Array(side);
  for (let x = 0; x < side; x++) column[x] = Math.min(GRID - 1, Math.floor((x * GRID) / side));
  for (let y = 0; y < side; y++) {
    const row = column[y] * GRID;
    for (let x = 0, p = y * side * 3; x < side; x++, p += 3) {
      const c = row + column[x];
      r[c] += rgb[p];
      g[c] += rgb[p + 1];
      b[c] += rgb[p + 2];
      count[c]++;
    }
  }
  const luma = new Float32Array(cells);
  const saliency = new Float32Array(cells);
  for (let c = 0; c < cells; c++) {
    r[c] /= count[c];
    g[c] /= count[c];
    b[c] /= count[c];
    luma[c] = 0.2126 * r[c] + 0.7152 * g[c] + 0.0722 * b[c];
  }
  // Detail: |Laplacian| of the block luma. Saturation and skin add to it, as in libvips' attention.
  let detailSum = 0;
  const detail = new Float32Array(cells);
  for (let y = 1; y < GRID - 1; y++) {
    for (let x = 1; x < GRID - 1; x++) {
      const c = y * GRID + x;
      detail[c] = Math.abs(luma[c - GRID] + luma[c + GRID] + luma[c - 1] + luma[c + 1] - 4 * luma[c]);
      detailSum += detail[c];
    }
  }
  const detailMean = detailSum / ((GRID - 2) * (GRID - 2)) || 1;
  for (let c = 0; c < cells; c++) {
    const max = Math.max(r[c], g[c], b[c]);
    const min = Math.min(r[c], g[c], b[c]);
    const saturation = max > 0 ? (max - min) / max : 0;
    saliency[c] = detail[c] / detailMean + saturation + (isSkin(r[c], g[c], b[c]) ? 1.5 : 0);
  }
  // What the whole picture has everywhere (texture, a colour cast) is background: keep what rises above the median.
  const sorted = Float32Array.from(saliency).sort();
  const median = sorted[cells >> 1];
  let mass = 0;
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) {
      const s = saliency[y * GRID + x];
      total += s;
      const w = Math.max(0, s - median);
      mass += w;
      sx += w * (x + 0.5);
      sy += w * (y + 0.5);
    }
  }
  if (mass === 0) return { x: 0.5, y: 0.5, prominence: 0 };
  return { x: sx / mass / GRID, y: sy / mass / GRID, prominence: total > 0 ? mass / total : 0 };
}

/** `off_centre` when a distinct subject sits far from the middle; params are percentages of the side. */
export function offCentreWarning(position: SubjectPosition): PhotoWarning[] {
  if (position.prominence < SUBJECT_PROMINENCE_MIN) return [];
  const distance = Math.hypot(position.x - 0.5, (position.y - 0.5) * VERTICAL_WEIGHT);
  if (distance < OFF_CENTRE_DISTANCE_MIN) return [];
  return [
    { code: 'off_centre', params: { subjectX: Math.round(position.x * 100), subjectY: Math.round(position.y * 100) } },
  ];
}
