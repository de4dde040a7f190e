/** The image pipeline as the photo use cases see it (sharp behind it). */
import type { FaceBox, FaceRule } from './face-rules';

/** Raster formats the pipeline accepts, detected from the bytes. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif' | 'heic';

/** Clockwise quarter turns the user asked for, applied after EXIF orientation. */
export type QuarterTurn = 0 | 90 | 180 | 270;

/** A square crop in the pixel space of the source image after EXIF orientation and then `rotate`. */
export interface CropRect {
  left: number;
  top: number;
  size: number;
}

/** A quality warning: accepted, but the user should know. */
export interface PhotoWarning {
  code: 'small' | 'dark' | 'bright' | 'low_contrast' | 'blurry' | 'off_centre' | FaceRule | 'face_check_unavailable';
  params?: Record<string, string | number>;
  /** The tenant's photo guidelines send a photo with this warning to approval (photo-guidelines.ts). */
  needsApproval?: boolean;
}

/**
 * What the face check of one photo found (face-rules.ts has the rules). `off`: this deployment does not
 * check faces. `unavailable`: the detector gave no answer in time; the photo was cropped without it.
 */
export type FaceCheck =
  | {
      status: 'checked';
      /** Every face found, in the pixel space of the rotated image (as CropRect). */
      faces: FaceBox[];
      /** The square the photo was cut from, in the same space (placed by libvips' attention crop when no face was found). */
      square: CropRect;
      /** The square was placed by the pipeline, not chosen by the user. */
      automatic: boolean;
    }
  | { status: 'off' }
  | { status: 'unavailable'; reason: 'timeout' | 'busy' | 'failed' };

/** The faces of an image before anyone crops it: what the tab's editor outlines, and the square it starts with. */
export interface FaceScan {
  status: 'checked' | 'off' | 'unavailable';
  /** Size of the image after EXIF orientation and `rotate`. */
  width: number;
  height: number;
  faces: FaceBox[];
  /** The automatic square around the face; absent without one. */
  suggested?: CropRect;
}

/** Options for one run of the pipeline. */
export interface PrepareOptions {
  /** A crop the user chose; absent means automatic (subject kept in frame). */
  crop?: CropRect;
  /** Clockwise quarter turns after EXIF orientation and before the crop; absent means 0. */
  rotate?: QuarterTurn;
}

/** A square JPEG of a known side. */
export interface SquareJpeg {
  /** Width and height in pixels. */
  side: number;
  jpeg: Uint8Array;
}

/** What the pipeline made of one upload. Every image is a baseline sRGB JPEG without metadata, made from one 648 master. */
export interface PreparedPhoto {
  /** 648x648 JPEG, at most 4 MB and normally under 500 KB: what Graph (Entra ID, Exchange, Teams) receives. */
  master: Uint8Array;
  /** 96x96 JPEG for cards, a few KB (Teams messages stop at about 100 KB). */
  preview: Uint8Array;
  /** SharePoint legacy profile thumbnails (`_SThumb`, `_MThumb`, `_LThumb`); sides configurable, default 48, 72, 200. */
  thumbnails: { s: SquareJpeg; m: SquareJpeg; l: SquareJpeg };
  /** 96x96 JPEG of at most 10 KB for on-premises AD `thumbnailPhoto` (Exchange takes it from Entra ID only at <= 10 KB). */
  adThumbnail: Uint8Array;
  /** Square JPEGs at Teams avatar sizes, smallest first; the tab masks them round. */
  avatars: SquareJpeg[];
  source: PhotoSourceInfo;
  warnings: PhotoWarning[];
  faceCheck: FaceCheck;
}

/** What came in: format, size after orientation, bytes, and the orientation found. */
export interface PhotoSourceInfo {
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  /** EXIF orientation found, 1-8 (1 when absent or invalid, and for HEIC, whose decoder applies the file's own rotation). */
  orientation: number;
}

/** The image pipeline. */
export interface ImageProcessor {
  /** Validates and normalises one upload; throws AppError (photo.*) on bad input or when busy. */
  prepare(input: Uint8Array, options?: PrepareOptions): Promise<PreparedPhoto>;
  /** The faces of an upload and the square the pipeline would cut around them; throws as prepare does on bad input. */
  scanFaces(input: Uint8Array, options?: Pick<PrepareOptions, 'rotate'>): Promise<FaceScan>;
  /** The photo.busy refusal a photo would get now (every slot and the queue taken), or null: callers ask before reading an upload. */
  refusalNow(): Error | null;
}

// ---------------------------------------------------------------- Microsoft 365
