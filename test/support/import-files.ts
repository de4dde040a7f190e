/**
 * Files for bulk import tests: photo folders and zips made on the spot (adm-zip), hostile zips that no zip tool
 * writes on purpose (a path outside the archive, a link, a bomb), and the photos themselves (distinct real images
 * from test/fixtures/faces, so that their perceptual hashes differ as different photos' do).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { faceFixture } from './face-set';
import type { Harness } from './headshot';

/** Forgets every import (jobs, rows, what they wrote): the local tenant's reset forgets the photos they wrote. */
export async function forgetImports(h: Harness): Promise<void> {
  for (const table of ['import_items', 'import_jobs', 'import_fingerprints'])
    await h.service.db.run(`DELETE FROM ${table}`);
}

/** Real photos, each unlike the others. */
export const PHOTOS = ['astronaut.jpg', 'cameraman.jpg', 'coffee.jpg', 'mandrill.jpg', 'rocket.jpg', 'palace.jpg'].map(
  (name) => faceFixture(name),
);

/** A folder holding `files` (name → bytes or text), deleted by the caller. */
export function photoFolder(files: Record<string, Buffer | string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-import-'));
  for (const [name, body] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
  }
  return dir;
}

/** A zip of `files`. */
export function zipOf(files: Record<string, Buffer | string>): Buffer {
  const zip = new AdmZip();
  for (const [name, body] of Object.entries(files)) zip.addFile(name, Buffer.isBuffer(body) ? body : Buffer.from(body));
  return zip.toBuffer();
}

/**
 * A zip with one entry named `name` (`../x.jpg`, `/etc/x.jpg`): adm-zip cleans such names, so the entry is written
 * under a placeholder of the same length and the name patched in both headers (the CRC covers the data only).
 */
export function zipWithName(name: string, body: Buffer): Buffer {
  const placeholder = 'p'.repeat(Buffer.byteLength(name));
  const bytes = zipOf({ [placeholder]: body });
  const from = Buffer.from(placeholder);
  const to = Buffer.from(name);
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) to.copy(bytes, at);
  return bytes;
}

/** A zip whose entry `name` is a symbolic link to `target`. */
export function zipWithLink(name: string, target: string): Buffer {
  const zip = new AdmZip();
  zip.addFile(name, Buffer.from(target));
  const entry = zip.getEntry(name);
  if (entry) entry.attr = (0o120777 << 16) >>> 0;
  return zip.toBuffer();
}

/** A zip bomb: `megabytes` of zeros that deflate to a few kilobytes. */
export function bombZip(megabytes: number): Buffer {
  return zipOf({ 'alexw@example.com.jpg': Buffer.alloc(megabytes * 1_048_576) });
}
