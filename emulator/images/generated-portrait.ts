import sharp from 'sharp';

const cache = new Map<string, Buffer>();

/**
 * Renders a square placeholder portrait (gradient background, head-and-shoulders
 * silhouette) as JPEG; cached because reset re-seeds photos before every test.
 */
export async function generatedPortrait(size: number, color: string): Promise<Buffer> {
  const key = `${size}:${color}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="${color}"/><stop offset="1" stop-color="#f2f2f2"/>
  </linearGradient></defs>
  <rect width="100" height="100" fill="url(#g)"/>
  <circle cx="50" cy="40" r="17" fill="#e8c4a0"/>
  <path d="M18 100 C18 70 32 62 50 62 C68 62 82 70 82 100 Z" fill="#34495e"/>
</svg>`;
  const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
  cache.set(key, jpeg);
  return jpeg;
}
