/**
 * Every Microsoft 365 output from the one 648 master: the master JPEG, the card
 * preview, the AD thumbnail, the SharePoint thumbnails and the avatars.
 *
 * Cost matters here more than it looks: ~17 small images. sharp makes one
 * Lanczos intermediate (the largest small side), plain JavaScript averages the
 * smaller sides from it (downscale.ts), and sharp only encodes. Encodes run
 * concurrently in sharp's thread pool, which leaves the main thread free for the
 * quality statistics meanwhile.
 */
import sharp from 'sharp';
import type { PreparedPhoto, SquareJpeg } from '../core/photo/pipeline-ports';
import type { Deadline } from './deadline';
import { downscaleArea } from './downscale';
import { AD_THUMBNAIL_TARGET, encodeMaster, encodeSquare, PREVIEW_TARGET, smallTarget } from './encode';
import { rawInput, type RawRgb } from './normalise';

/** The configurable sides of the small outputs. */
export interface OutputSides {
  thumbnails: { s: number; m: number; l: number };
  avatars: readonly number[];
}

/** The images of a PreparedPhoto. */
export type PhotoOutputs = Omit<PreparedPhoto, 'source' | 'warnings' | 'faceCheck'>;

/** `master` resized to side x side with Lanczos (anti-aliased, sharp). */
async function lanczos(master: RawRgb, side: number, deadline: Deadline): Promise<RawRgb> {
  if (side === master.width) return master;
  const { data, info } = await sharp(master.data, rawInput(master))
    .timeout({ seconds: deadline.sharpSeconds() })
    .resize(side, side, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/**
 * Makes every output. The sharp work for the master JPEG and the intermediate is
 * queued before this returns its promise, so a caller can compute statistics on
 * the main thread while it runs.
 */
export async function renderOutputs(master: RawRgb, sides: OutputSides, deadline: Deadline): Promise<PhotoOutputs> {
  const { s, m, l } = sides.thumbnails;
  const allSides = [AD_THUMBNAIL_TARGET.side, PREVIEW_TARGET.side, s, m, l, ...sides.avatars];
  const largest = Math.max(...allSides);
  const masterJpeg = encodeMaster(master, deadline);
  const intermediate = lanczos(master, largest, deadline);
  // If one step fails, the others must not end as unhandled rejections.
  masterJpeg.catch(() => undefined);
  intermediate.catch(() => undefined);

  const base = await intermediate;
  deadline.check();
  const raws = new Map<number, RawRgb>();
  for (const side of new Set(allSides)) raws.set(side, downscaleArea(base, side));
  const rawOf = (side: number): RawRgb => raws.get(side) as RawRgb;
  // A SharePoint thumbnail and an avatar of the same side are the same JPEG (48 and 72 by default): encode it once.
  const squares = new Map<number, Promise<SquareJpeg>>();
  const square = (side: number): Promise<SquareJpeg> => {
    let made = squares.get(side);
    if (!made) {
      made = encodeSquare(rawOf(side), smallTarget(side), deadline).then((jpeg) => ({
        side,
        jpeg: new Uint8Array(jpeg),
      }));
      squares.set(side, made);
    }
    return made;
  };

  const [masterBytes, preview, adThumbnail, thumbS, thumbM, thumbL, avatars] = await Promise.all([
    masterJpeg,
    encodeSquare(rawOf(PREVIEW_TARGET.side), PREVIEW_TARGET, deadline),
    encodeSquare(rawOf(AD_THUMBNAIL_TARGET.side), AD_THUMBNAIL_TARGET, deadline),
    square(s),
    square(m),
    square(l),
    Promise.all(sides.avatars.map(square)),
  ]);
  return {
    master: new Uint8Array(masterBytes),
    preview: new Uint8Array(preview),
    adThumbnail: new Uint8Array(adThumbnail),
    thumbnails: { s: thumbS, m: thumbM, l: thumbL },
    avatars,
  };
}
