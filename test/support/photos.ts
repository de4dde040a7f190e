/** Real image files for tests, from the shared corpus made by others (../shared/images). */
import fs from 'node:fs';
import path from 'node:path';

/** The shared image corpus folder. */
export const IMAGES = path.resolve(__dirname, '..', '..', '..', 'shared', 'images');

/** The bytes of a corpus file, e.g. `exif-orientation-examples/Portrait_6.jpg`. */
export function image(relative: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(IMAGES, relative)));
}
