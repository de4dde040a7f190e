/** Small builders shared by the store tests: requests, photos and temporary data folders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PendingPhoto, PhotoRequest } from '../../bot/src/core/photo/request-ports';

export const T0 = new Date('2025-03-01T09:00:00.000Z');
export const HOUR = 3_600_000;

let seq = 0;

/** A previewed request for `userId`, created at `createdAt` (ids are unique per call). */
export function previewed(userId: string, createdAt: Date = T0, overrides: Partial<PhotoRequest> = {}): PhotoRequest {
  seq += 1;
  return {
    id: `req-${seq}`,
    userId,
    tenantId: 'tenant-1',
    locale: 'fi',
    state: 'previewed',
    source: 'teams-file',
    warnings: [{ code: 'dark', params: { meanLuma: 31 } }],
    sourceInfo: { format: 'png', width: 800, height: 600, bytes: 12_345 },
    createdAt,
    updatedAt: createdAt,
    expiresAt: new Date(createdAt.getTime() + 24 * HOUR),
    version: 1,
    ...overrides,
  };
}

/** Distinct, recognisable bytes standing in for a prepared photo. */
export function photo(tag: string): PendingPhoto {
  return { master: new TextEncoder().encode(`master:${tag}`), preview: new TextEncoder().encode(`preview:${tag}`) };
}

/** A fresh folder under the OS temp dir; remove it with `fs.rmSync(dir, { recursive: true })`. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'headshot-store-'));
}
