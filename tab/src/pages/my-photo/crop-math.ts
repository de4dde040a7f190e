/** Turns cropper.js's crop into the square integer crop the service takes (CropQuery). Pure: no DOM. */
import type { CropQuery } from '../../../../bot/src/api/tab-contract';

/** What cropper.js `getData(true)` gives: the crop in the rotated image's pixel space, and the rotation. */
export interface CropperData {
  x: number;
  y: number;
  width: number;
  height: number;
  rotate: number;
}

/** Any angle to the nearest clockwise quarter turn: 0, 90, 180 or 270. */
export function normaliseRotate(degrees: number): 0 | 90 | 180 | 270 {
  const quarter = (((Math.round((Number.isFinite(degrees) ? degrees : 0) / 90) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  return ([0, 90, 180, 270] as const)[quarter];
}

/**
 * The square crop inside the image after EXIF orientation (`natural`, as the browser shows it)
 * and the quarter turns: integers, at least `minSide` (when the image allows), kept inside the
 * image, centred on the crop asked for.
 */
export function toCropQuery(data: CropperData, natural: { width: number; height: number }, minSide: number): CropQuery {
  const rotate = normaliseRotate(data.rotate);
  const turned = rotate === 90 || rotate === 270;
  const width = Math.round(turned ? natural.height : natural.width);
  const height = Math.round(turned ? natural.width : natural.height);
  const largest = Math.min(width, height);
  const asked = Math.round(Math.min(data.width, data.height));
  const size = Math.max(1, Math.min(largest, Math.max(asked, minSide)));
  const centreX = data.x + data.width / 2;
  const centreY = data.y + data.height / 2;
  const clamp = (value: number, max: number) => Math.min(Math.max(0, Math.round(value)), max);
  return {
    cropLeft: clamp(centreX - size / 2, width - size),
    cropTop: clamp(centreY - size / 2, height - size),
    cropSize: size,
    rotate,
  };
}
