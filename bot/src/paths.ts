/** Where the project's files are, whether running from sources (ts-jest) or from dist/. */
import fs from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/** The project root: the nearest folder above this file with a package.json named headshot. */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'headshot') {
      return (root = dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the headshot project root');
    dir = parent;
  }
}
