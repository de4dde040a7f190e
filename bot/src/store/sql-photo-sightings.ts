/** Photo age (photo_sightings, core/coverage/photo-age.ts), on either SQL engine. */
import type { PhotoSighting, PhotoSightingStore } from '../core/coverage/photo-age';
import { placeholders, type SqlDb } from './sql/sql-db';

/** At most this many ids in one IN (…) list. */
const CHUNK = 500;

interface Row {
  user_id: string;
  etag: string | null;
  hash: string;
  first_seen_at: number;
  applied: number;
  face_check: string | null;
}

/** PhotoSightingStore on SQL. */
export class SqlPhotoSightings implements PhotoSightingStore {
  constructor(private readonly db: SqlDb) {}

  async get(userIds: readonly string[]): Promise<Map<string, PhotoSighting>> {
    const out = new Map<string, PhotoSighting>();
    for (let i = 0; i < userIds.length; i += CHUNK) {
      const ids = userIds.slice(i, i + CHUNK);
      for (const r of await this.db.all<Row>(
        `SELECT * FROM photo_sightings WHERE user_id IN (${placeholders(ids.length)})`,
        ids,
      ))
        out.set(r.user_id, {
          userId: r.user_id,
          etag: r.etag,
          hash: r.hash,
          firstSeenAt: new Date(Number(r.first_seen_at)),
          applied: r.applied === 1,
          faceCheck: r.face_check ?? null,
        });
    }
    return out;
  }

  async faceCheckCounts(): Promise<Map<string, number>> {
    const rows = await this.db.all<{ face_check: string; n: number | string }>(
      `SELECT face_check, COUNT(*) AS n FROM photo_sightings WHERE applied = 1 AND face_check IS NOT NULL
       GROUP BY face_check`,
    );
    return new Map(rows.map((r) => [r.face_check, Number(r.n)]));
  }

  async put(sightings: readonly PhotoSighting[]): Promise<void> {
    if (sightings.length === 0) return;
    await this.db.transaction(
      async (tx) => {
        for (const s of sightings)
          await tx.run(
            `INSERT INTO photo_sightings (user_id, etag, hash, first_seen_at, applied, face_check) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET etag = excluded.etag, hash = excluded.hash,
             first_seen_at = excluded.first_seen_at, applied = excluded.applied, face_check = excluded.face_check`,
            [s.userId, s.etag, s.hash, s.firstSeenAt.getTime(), s.applied ? 1 : 0, s.faceCheck],
          );
        // Upserts on the key only: concurrent scans and applies must not fail each other.
      },
      { isolation: 'read_committed' },
    );
  }
}
