/** Largest COM segment: marker (2 bytes) + length field (2) + 65533 bytes of comment. */
const MAX_SEGMENT = 65537;
/** Smallest COM segment: marker + length field, no comment. */
const MIN_SEGMENT = 4;

/**
 * Pads a JPEG to `targetBytes` with COM (comment) segments right after SOI, so that it still
 * decodes to the same picture. Used to give seeded AD thumbnails the size the seed names
 * (the 10 KB rule is about bytes, not pixels). A JPEG already that large comes back unchanged;
 * when fewer than 4 bytes are missing the result is up to 3 bytes larger than asked.
 */
export function padJpeg(jpeg: Buffer, targetBytes: number): Buffer {
  if (jpeg.length < 2 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('padJpeg: not a JPEG (no SOI marker)');
  let missing = targetBytes - jpeg.length;
  if (missing <= 0) return jpeg;
  const segments: Buffer[] = [];
  while (missing > 0) {
    let size = Math.max(MIN_SEGMENT, Math.min(missing, MAX_SEGMENT));
    // Never leave a remainder too small for a segment of its own.
    if (missing - size > 0 && missing - size < MIN_SEGMENT) size -= MIN_SEGMENT;
    const segment = Buffer.alloc(size, 0x20);
    segment[0] = 0xff;
    segment[1] = 0xfe;
    segment.writeUInt16BE(size - 2, 2);
    segments.push(segment);
    missing -= size;
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}
