import sharp from 'sharp';

/** What sharp could read from uploaded bytes, dimensions as displayed (EXIF orientation applied). */
export interface ImageInfo {
  format: string;
  width: number;
  height: number;
}

/** Reads format and displayed dimensions; `null` when the bytes are not a decodable image. */
export async function inspectImage(bytes: Buffer): Promise<ImageInfo | null> {
  try {
    const meta = await sharp(bytes).metadata();
    if (meta.format === undefined || meta.width === undefined || meta.height === undefined) return null;
    const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
    return { format: meta.format, width: oriented.width, height: oriented.height };
  } catch {
    return null;
  }
}

/** Renders a centre-cropped `size` x `size` JPEG from the stored original, as Exchange does. */
export async function renderSquareJpeg(original: Buffer, size: number): Promise<Buffer> {
  return sharp(original)
    .rotate()
    .resize(size, size, { fit: 'cover', position: 'centre' })
    .jpeg({ quality: 88 })
    .toBuffer();
}
