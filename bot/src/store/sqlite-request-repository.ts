/** Photo requests, their pending photos and undo history in SQLite. */
import type { Db } from './database';
import type {
  Locale,
  PendingPhoto,
  PhotoRequest,
  PhotoSource,
  PhotoWarning,
  PreparedPhoto,
  RequestRepository,
  RequestState,
} from '../core/ports';

interface Row {
  id: string;
  user_id: string;
  tenant_id: string;
  locale: string;
  state: string;
  source: string;
  warnings: string;
  source_info: string;
  created_at: number;
  updated_at: number;
  expires_at: number;
  error_code: string | null;
  version: number;
}

/** States whose photo bytes are no longer needed. */
const DROPS_PHOTO: ReadonlySet<RequestState> = new Set(['failed', 'cancelled', 'expired', 'superseded']);

function fromRow(r: Row): PhotoRequest {
  return {
    id: r.id,
    userId: r.user_id,
    tenantId: r.tenant_id,
    locale: r.locale as Locale,
    state: r.state as RequestState,
    source: r.source as PhotoSource,
    warnings: JSON.parse(r.warnings) as PhotoWarning[],
    sourceInfo: JSON.parse(r.source_info) as PreparedPhoto['source'],
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    expiresAt: new Date(r.expires_at),
    errorCode: r.error_code ?? undefined,
    version: r.version,
  };
}

/** RequestRepository on better-sqlite3; every multi-row change is one transaction. */
export class SqliteRequestRepository implements RequestRepository {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      supersede: db.prepare(
        `UPDATE photo_requests SET state = 'superseded', updated_at = ?, version = version + 1
         WHERE user_id = ? AND state = 'previewed' RETURNING id`,
      ),
      insert: db.prepare(
        `INSERT INTO photo_requests (id, user_id, tenant_id, locale, state, source, warnings, source_info,
           created_at, updated_at, expires_at, error_code, version)
         VALUES (@id, @user_id, @tenant_id, @locale, @state, @source, @warnings, @source_info,
           @created_at, @updated_at, @expires_at, @error_code, @version)`,
      ),
      insertPhoto: db.prepare(`INSERT INTO pending_photos (request_id, master, preview) VALUES (?, ?, ?)`),
      deletePhoto: db.prepare(`DELETE FROM pending_photos WHERE request_id = ?`),
      get: db.prepare(`SELECT * FROM photo_requests WHERE id = ?`),
      getPhoto: db.prepare(`SELECT master, preview FROM pending_photos WHERE request_id = ?`),
      transition: db.prepare(
        `UPDATE photo_requests SET state = ?, updated_at = ?, error_code = ?, version = version + 1
         WHERE id = ? AND state = ? RETURNING *`,
      ),
      listByState: db.prepare(`SELECT * FROM photo_requests WHERE state = ? ORDER BY updated_at, id`),
      openForUser: db.prepare(
        `SELECT * FROM photo_requests WHERE user_id = ? AND state = 'previewed' ORDER BY created_at DESC LIMIT 1`,
      ),
      expired: db.prepare(`SELECT id FROM photo_requests WHERE state = 'previewed' AND expires_at <= ?`),
      savePrevious: db.prepare(
        `INSERT OR IGNORE INTO previous_photos (request_id, user_id, photo, saved_at) VALUES (?, ?, ?, ?)`,
      ),
    };
  }

  create(request: PhotoRequest, photo: PendingPhoto): string[] {
    const run = this.db.transaction((): string[] => {
      const superseded = (this.stmts.supersede.all(request.createdAt.getTime(), request.userId) as { id: string }[]).map(
        (r) => r.id,
      );
      for (const id of superseded) this.stmts.deletePhoto.run(id);
      this.stmts.insert.run({
        id: request.id,
        user_id: request.userId,
        tenant_id: request.tenantId,
        locale: request.locale,
        state: request.state,
        source: request.source,
        warnings: JSON.stringify(request.warnings),
        source_info: JSON.stringify(request.sourceInfo),
        created_at: request.createdAt.getTime(),
        updated_at: request.updatedAt.getTime(),
        expires_at: request.expiresAt.getTime(),
        error_code: request.errorCode ?? null,
        version: request.version,
      });
      this.stmts.insertPhoto.run(request.id, Buffer.from(photo.master), Buffer.from(photo.preview));
      return superseded;
    });
    return run();
  }

  get(id: string): PhotoRequest | null {
    const row = this.stmts.get.get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  getPhoto(id: string): PendingPhoto | null {
    const row = this.stmts.getPhoto.get(id) as { master: Buffer; preview: Buffer } | undefined;
    return row ? { master: new Uint8Array(row.master), preview: new Uint8Array(row.preview) } : null;
  }

  transition(id: string, from: RequestState, to: RequestState, at: Date, errorCode?: string): PhotoRequest | null {
    const run = this.db.transaction((): PhotoRequest | null => {
      const row = this.stmts.transition.get(to, at.getTime(), errorCode ?? null, id, from) as Row | undefined;
      if (!row) return null;
      if (DROPS_PHOTO.has(to)) this.stmts.deletePhoto.run(id);
      return fromRow(row);
    });
    return run();
  }

  listByState(state: RequestState): PhotoRequest[] {
    return (this.stmts.listByState.all(state) as Row[]).map(fromRow);
  }

  listExpired(now: Date): string[] {
    return (this.stmts.expired.all(now.getTime()) as { id: string }[]).map((r) => r.id);
  }

  openForUser(userId: string): PhotoRequest | null {
    const row = this.stmts.openForUser.get(userId) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  savePrevious(userId: string, requestId: string, photo: Uint8Array | null, at: Date): void {
    this.stmts.savePrevious.run(requestId, userId, photo ? Buffer.from(photo) : null, at.getTime());
  }
}
