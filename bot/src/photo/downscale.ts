/**
 * Area-average (box filter) downscaling of square raw RGB in plain JavaScript.
 *
 * Why not sharp: every sharp resize sets up a libvips pipeline and its reduce
 * kernels, ~1-2 ms even for a 16 px output, whatever the thread pool; a dozen
 * avatar sizes made that way cost more than the 12 MP decode's own resize.
 * sharp makes one anti-aliased intermediate (the largest small size, 200 px by
 * default) with Lanczos; every smaller size is averaged from it here in well
 * under a millisecond, and sharp only encodes. Area averaging is what libvips'
 * own `shrink` does; at >= 1.5x reduction it is free of aliasing on photos.
 */
import type { RawRgb } from './normalise';

/** For one axis: for each output index, the first input index it covers and the weights of its taps (summing to 1). */
function taps(
  inSide: number,
  outSide: number,
): { start: Int32Array; count: Int32Array; weights: Float64Array; stride: number } {
  const scale = inSide / outSide;
  const stride = Math.ceil(scale) + 1;
  const start = new Int32Array(outSide);
  const count = new Int32Array(outSide);
  const weights = new Float64Array(outSide * stride);
  for (let o = 0; o < outSide; o++) {
    const from = o * scale;
    const to = Math.min(inSide, (o + 1) * scale);
    const first = Math.floor(from);
    let n = 0;
    for (let i = first; i < to && n < stride; i++, n++) {
      const covered = Math.min(i + 1, to) - Math.max(i, from);
      weights[o * stride + n] = covered / scale;
    }
    start[o] = first;
    count[o] = n;
  }
  return { start, count, weights, stride };
}

/** `src` reduced to side x side by area averaging. Requires side <= src.width == src.height. Pure. */
export function downscaleArea(src: RawRgb, side: number): RawRgb {
  const inSide = src.width;
  if (src.height !== inSide || !Number.isInteger(side) || side < 1 || side > inSide) {
    throw new RangeError(`Expected a square source at least ${side}px but received ${src.width}x${src.height}`);
  }
  if (side === inSide) return src;
  const { start, count, weights, stride } = taps(inSide, side);
  const data = src.data;
  // Horizontal pass: inSide rows x side columns, kept as floats.
  const rows = new Float64Array(inSide * side * 3);
  let q = 0;
  for (let y = 0; y < inSide; y++) {
    const rowIn = y * inSide * 3;
    for (let o = 0; o < side; o++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let w = o * stride;
      const end = w + count[o];
      for (let p = rowIn + start[o] * 3; w < end; w++, p += 3) {
        const k = weights[w];
        r += data[p] * k;
        g += data[p + 1] * k;
        b += data[p + 2] * k;
      }
      rows[q++] = r;
      rows[q++] = g;
      rows[q++] = b;
    }
  }
  // Vertical pass into bytes: accumulate whole rows at a time (sequential memory access).
  const rowLength = side * 3;
  const out = Buffer.allocUnsafe(side * rowLength);
  const acc = new Float64Array(rowLength);
  for (let o = 0; o < side; o++) {
    acc.fill(0);
    let w = o * stride;
    const end = w + count[o];
    for (let p = start[o] * rowLength; w < end; w++, p += rowLength) {
      const k = weights[w];
      for (let x = 0; x < rowLength; x++) acc[x] += rows[p + x] * k;
    }
    const outRow = o * rowLength;
    for (let x = 0; x < rowLength; x++) {
      const v = acc[x] + 0.5;
      out[outRow + x] = v >= 255 ? 255 : v | 0;
    }
  }
  return { data: out, width: side, height: side, channels: 3 };
}
