/**
 * Reads the image sizes a HEIF/HEIC file declares, from its boxes alone, so the
 * pixel limit is enforced before a decoder allocates anything. Every image item
 * of a HEIF file must carry an `ispe` (image spatial extents) property; they
 * live in meta > iprp > ipco. For a grid image (what iPhones write: 512x512
 * HEVC tiles) the grid item's `ispe` is the full size, the tiles' are small.
 */

/** Width x height as declared (before any `irot` rotation). */
export interface DeclaredSize {
  width: number;
  height: number;
}

/** A box found while walking: its type and the byte range of its payload. */
interface Box {
  type: string;
  payloadStart: number;
  end: number;
}

/** Upper bound on boxes looked at, so a crafted file cannot make the walk long. */
const MAX_BOXES = 10_000;

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function type(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/** The child boxes of bytes[start, end); stops quietly at the first malformed header. */
function children(bytes: Uint8Array, start: number, end: number, budget: { left: number }): Box[] {
  const found: Box[] = [];
  let at = start;
  while (at + 8 <= end && budget.left-- > 0) {
    let size = readUint32(bytes, at);
    let header = 8;
    if (size === 1) {
      // 64-bit largesize; anything past 2^53 cannot be in memory anyway.
      if (at + 16 > end) break;
      size = readUint32(bytes, at + 8) * 2 ** 32 + readUint32(bytes, at + 12);
      header = 16;
    } else if (size === 0) {
      size = end - at; // extends to the end of its parent
    }
    if (size < header || at + size > end) break;
    found.push({ type: type(bytes, at + 4), payloadStart: at + header, end: at + size });
    at += size;
  }
  return found;
}

/**
 * Every `ispe` size in the file's meta box, or null when there is no meta box at
 * all (not a HEIF file, or cut before its header). Pure; never throws.
 */
export function heifDeclaredSizes(bytes: Uint8Array): DeclaredSize[] | null {
  const budget = { left: MAX_BOXES };
  const meta = children(bytes, 0, bytes.length, budget).find((b) => b.type === 'meta');
  if (!meta) return null;
  // meta is a FullBox: 4 bytes of version and flags before its children.
  const iprp = children(bytes, meta.payloadStart + 4, meta.end, budget).find((b) => b.type === 'iprp');
  if (!iprp) return [];
  const ipco = children(bytes, iprp.payloadStart, iprp.end, budget).find((b) => b.type === 'ipco');
  if (!ipco) return [];
  const sizes: DeclaredSize[] = [];
  for (const box of children(bytes, ipco.payloadStart, ipco.end, budget)) {
    // ispe is a FullBox too: version/flags, then u32 width, u32 height.
    if (box.type !== 'ispe' || box.payloadStart + 12 > box.end) continue;
    sizes.push({ width: readUint32(bytes, box.payloadStart + 4), height: readUint32(bytes, box.payloadStart + 8) });
  }
  return sizes;
}

/** The declared size with the most pixels (the full image, for grids), or null when none is declared. */
export function largestDeclaredSize(sizes: readonly DeclaredSize[]): DeclaredSize | null {
  let largest: DeclaredSize | null = null;
  for (const s of sizes) if (!largest || s.width * s.height > largest.width * largest.height) largest = s;
  return largest;
}
