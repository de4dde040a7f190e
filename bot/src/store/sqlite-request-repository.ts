/** Photo requests, their pending photos and undo history in SQLite. */
import type { Db } from './database';
import type { Locale } from '../core/locale';
import type { PhotoWarning, PreparedPhoto } from '../core/photo/pipeline-ports';
import type {
  PendingPhoto,
  PhotoRequest,
  PhotoSource,
  RequestRepository,
  RequestState,
} from '../core/photo/request-ports';

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
  flow: string;
  undo_of: string | null;
}

/** States whose photo bytes are no longer needed. */
const DROPS_PHOTO: ReadonlySet<RequestState> = new Set(['failed', 'cancelled', 'expired', 'superseded', 'rejected']);

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
    // Self-service requests carry neither field, as before approvals existed.
    ...(r.flow === 'approval' || r.flow === 'undo' ? { flow: r.flow } : {}),
    ...(r.undo_of ? { undoOf: r.undo_of } : {}),
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
           created_at, updated_at, expires_at, error_code, version, flow, undo_of)
         VALUES (@id, @user_id, @tenant_id, @locale, @state, @source, @warnings, @source_info,
           @created_at, @updated_at, @expires_at, @error_code, @version, @flow, @undo_of)`,
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
      latestForUser: db.prepare(
        `SELECT * FROM photo_requests WHERE user_id = ? AND (flow IS NULL OR flow <> 'undo')
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      ),
      expired: db.prepare(`SELECT id FROM photo_requests WHERE state = 'previewed' AND expires_at <= ?`),
      savePrevious: db.prepare(
        `INSERT OR IGNORE INTO previous_photos (request_id, user_id, photo, saved_at) VALUES (?, ?, ?, ?)`,
      ),
      getPrevious: db.prepare(`SELECT photo, saved_at FROM previous_photos WHERE request_id = ?`),
      latestApplied: db.prepare(
        `SELECT * FROM photo_requests WHERE user_id = ? AND state = 'applied' ORDER BY updated_at DESC, rowid DESC LIMIT 1`,
      ),
      liveUndo: db.prepare(`SELECT 1 FROM photo_requests WHERE undo_of = ? AND state <> 'failed'`),
    };
  }

  create(request: PhotoRequest, photo: PendingPhoto): string[] {
    const run = this.db.transaction((): string[] => {
      const superseded = (
        this.stmts.supersede.all(request.createdAt.getTime(), request.userId) as { id: string }[]
      ).map((r) => r.id);
      for (const id of superseded) this.stmts.deletePhoto.run(id);
      this.insertRow(request);
      this.stmts.insertPhoto.run(request.id, Buffer.from(photo.master), Buffer.from(photo.preview));
      return superseded;
    });
    return run();
  }

  private insertRow(request: PhotoRequest): void {
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
      flow: request.flow ?? 'self',
      undo_of: request.undoOf ?? null,
    });
  }

  createUndo(request: PhotoRequest, photo: PendingPhoto): boolean {
    const run = this.db.transaction((): boolean => {
      // Checked first so the usual answer is not an exception; the unique index still decides a true race.
      if (request.undoOf && this.stmts.liveUndo.get(request.undoOf)) return false;
      this.insertRow({ ...request, state: 'applying', flow: 'undo' });
      this.stmts.insertPhoto.run(request.id, Buffer.from(photo.master), Buffer.from(photo.preview));
      return true;
    });
    try {
      return run.immediate();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw err;
    }
  }

  getPrevious(requestId: string): { photo: Uint8Array | null; savedAt: Date } | null {
    const row = this.stmts.getPrevious.get(requestId) as { photo: Buffer | null; saved_at: number } | undefined;
    return row ? { photo: row.photo ? new Uint8Array(row.photo) : null, savedAt: new Date(row.saved_at) } : null;
  }

  latestApplied(userId: string): PhotoRequest | null {
    const row = this.stmts.latestApplied.get(userId) as Row | undefined;
    return row ? fromRow(row) : null;
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

  latestForUser(userId: string): PhotoRequest | null {
    const row = this.stmts.latestForUser.get(userId) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  savePrevious(userId: string, requestId: string, photo: Uint8Array | null, at: Date): void {
    this.stmts.savePrevious.run(requestId, userId, photo ? Buffer.from(photo) : null, at.getTime());
  }
}
