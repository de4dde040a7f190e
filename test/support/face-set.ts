/**
 * The labelled images of the face check (test/fixtures/faces/labels.json, sources in
 * test/fixtures/SOURCES.md), for unit tests and bench/face-check.ts. Group photos come from the
 * installed @vladmandic/face-api package; single portraits are also cut from them, one per face,
 * wherever a square around that face holds no part of another.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { FaceBox } from '../../bot/src/core/photo/face-rules';

/** What an image shows. */
type FaceSetKind =
  'portrait' | 'person_far' | 'group' | 'animal' | 'object' | 'landscape' | 'illustration' | 'portrait_from_group';

/** One labelled image: its bytes, and its faces in its own pixel space. */
export interface LabelledImage {
  name: string;
  kind: FaceSetKind;
  bytes: Buffer;
  width: number;
  height: number;
  faces: FaceBox[];
}

interface LabelEntry {
  file?: string;
  package?: string;
  path?: string;
  longSide?: number;
  kind: FaceSetKind;
  faces: Array<[number, number, number, number]>;
}

/** The fixtures beside this file; from the repo root when bundled elsewhere (bench/face-check.ts). */
const FIXTURES = [path.join(__dirname, '..', 'fixtures', 'faces'), path.resolve('test', 'fixtures', 'faces')].find(
  (d) => fs.existsSync(d),
)!;

/** A fixture's bytes by name (`astronaut.jpg`). */
export function faceFixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name));
}

/** Every labelled image, the group photos at full size. */
export async function labelledImages(): Promise<LabelledImage[]> {
  const labels = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'labels.json'), 'utf8')) as { images: LabelEntry[] };
  const images: LabelledImage[] = [];
  for (const entry of labels.images) {
    const file = entry.file
      ? path.join(FIXTURES, entry.file)
      : path.join(path.dirname(require.resolve(`${entry.package}/package.json`)), entry.path!);
    const bytes = fs.readFileSync(file);
    const meta = await sharp(bytes).metadata();
    const width = meta.width!;
    const height = meta.height!;
    const scale = entry.longSide ? Math.max(width, height) / entry.longSide : 1;
    images.push({
      name: entry.file ?? `${entry.package}/${entry.path}`,
      kind: entry.kind,
      bytes,
      width,
      height,
      faces: entry.faces.map(([x, y, w, h]) => ({
        x: x * scale,
        y: y * scale,
        width: w * scale,
        height: h * scale,
        score: 1,
      })),
    });
  }
  return images;
}

/** The share of `box` inside the rectangle. */
function inside(box: FaceBox, left: number, top: number, width: number, height: number): number {
  const w = Math.min(box.x + box.width, left + width) - Math.max(box.x, left);
  const h = Math.min(box.y + box.height, top + height) - Math.max(box.y, top);
  return w > 0 && h > 0 ? (w * h) / (box.width * box.height) : 0;
}

/**
 * Single portraits cut from the group photos, one per face: an upright (3:4) or wide (3:2) frame
 * around the face, as large as possible while holding none of the other faces (short side 1.8 to 3.2
 * times the face), the face off the middle by turns, as people frame themselves. At most 640 px on
 * the long side. Not square, so the automatic crop has to choose where the square goes.
 */
export async function portraitsFromGroups(images: LabelledImage[]): Promise<LabelledImage[]> {
  const portraits: LabelledImage[] = [];
  for (const image of images.filter((i) => i.kind === 'group')) {
    for (const [index, face] of image.faces.entries()) {
      const side = Math.max(face.width, face.height);
      const upright = index % 2 === 0;
      const shiftX = [-0.15, 0, 0.15][index % 3];
      const shiftY = [-0.05, 0.05][index % 2];
      for (const factor of [3.2, 2.8, 2.4, 2.1, 1.8]) {
        const short = side * factor;
        const width = Math.round(Math.min(upright ? short : short * 1.5, image.width));
        const height = Math.round(Math.min(upright ? short * (4 / 3) : short, image.height));
        const cx = face.x + face.width / 2 + shiftX * width;
        const cy = face.y + face.height / 2 + shiftY * height;
        const left = Math.round(Math.min(Math.max(0, cx - width / 2), image.width - width));
        const top = Math.round(Math.min(Math.max(0, cy - height * 0.4), image.height - height));
        const others = image.faces.filter((f) => f !== face);
        if (others.some((f) => inside(f, left, top, width, height) > 0)) continue;
        if (inside(face, left, top, width, height) < 1) continue;
        const k = Math.min(1, 640 / Math.max(width, height));
        const bytes = await sharp(image.bytes)
          .extract({ left, top, width, height })
          .resize(Math.round(width * k), Math.round(height * k))
          .jpeg({ quality: 88 })
          .toBuffer();
        portraits.push({
          name: `${image.name}#${index + 1}`,
          kind: 'portrait_from_group',
          bytes,
          width: Math.round(width * k),
          height: Math.round(height * k),
          faces: [
            { x: (face.x - left) * k, y: (face.y - top) * k, width: face.width * k, height: face.height * k, score: 1 },
          ],
        });
        break;
      }
    }
  }
  return portraits;
}

/** Overlap of two boxes as intersection over union (0-1). */
export function iou(a: FaceBox, b: FaceBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}
