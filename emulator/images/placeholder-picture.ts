import sharp from 'sharp';

const cache = new Map<number, Buffer>();

/**
 * The grey person silhouette SharePoint shows when a profile has no picture
 * (what `userphoto.aspx` serves for a placeholder), as a square JPEG.
 */
export async function placeholderPicture(size: number): Promise<Buffer> {
  const hit = cache.get(size);
  if (hit !== undefined) return hit;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">
  <rect width="100" height="100" fill="#e1dfdd"/>
  <circle cx="50" cy="38" r="18" fill="#a19f9d"/>
  <path d="M14 100 C14 72 30 62 50 62 C70 62 86 72 86 100 Z" fill="#a19f9d"/>
</svg>`;
  const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  cache.set(size, jpeg);
  return jpeg;
}
