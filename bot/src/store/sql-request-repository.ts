/** Photo requests, their pending photos and undo history, on either SQL engine. */
import { isUniqueViolation, type SqlDb, type SqlExecutor } from './sql/sql-db';
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

/** RequestRepository on SQL; every multi-row change is one transaction. */
export class SqlRequestRepository implements RequestRepository {
  constructor(private readonly db: SqlDb) {}

  create(request: PhotoRequest, photo: PendingPhoto): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const superseded = (
        await tx.all<{ id: string }>(
          `UPDATE photo_requests SET state = 'superseded', updated_at = ?, version = version + 1
           WHERE user_id = ? AND state = 'previewed' RETURNING id`,
          [request.createdAt.getTime(), request.userId],
        )
      ).map((r) => r.id);
      for (const id of superseded) await tx.run(`DELETE FROM pending_photos WHERE request_id = ?`, [id]);
      await this.insertRow(tx, request);
      await this.insertPhoto(tx, request.id, photo);
      return superseded;
    });
  }

  private async insertRow(tx: SqlExecutor, request: PhotoRequest): Promise<void> {
    await tx.run(
      `INSERT INTO photo_requests (id, user_id, tenant_id, locale, state, source, warnings, source_info,
         created_at, updated_at, expires_at, error_code, version, flow, undo_of)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        request.id,
        request.userId,
        request.tenantId,
        request.locale,
        request.state,
        request.source,
        JSON.stringify(request.warnings),
        JSON.stringify(request.sourceInfo),
        request.createdAt.getTime(),
        request.updatedAt.getTime(),
        request.expiresAt.getTime(),
        request.errorCode ?? null,
        request.version,
        request.flow ?? 'self',
        request.undoOf ?? null,
      ],
    );
  }

  private async insertPhoto(tx: SqlExecutor, requestId: string, photo: PendingPhoto): Promise<void> {
    await tx.run(`INSERT INTO pending_photos (request_id, master, preview) VALUES (?, ?, ?)`, [
      requestId,
      Buffer.from(photo.master),
      Buffer.from(photo.preview),
    ]);
  }

  async createUndo(request: PhotoRequest, photo: PendingPhoto): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        // Checked first so the usual answer is not an exception; the unique index still decides a true race.
        if (
          request.undoOf &&
          (await tx.get(`SELECT 1 AS live FROM photo_requests WHERE undo_of = ? AND state <> 'failed'`, [
            request.undoOf,
          ]))
        )
          return false;
        await this.insertRow(tx, { ...request, state: 'applying', flow: 'undo' });
        await this.insertPhoto(tx, request.id, photo);
        return true;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async getPrevious(requestId: string): Promise<{ photo: Uint8Array | null; savedAt: Date } | null> {
    const row = await this.db.get<{ photo: Buffer | null; saved_at: number }>(
      `SELECT photo, saved_at FROM previous_photos WHERE request_id = ?`,
      [requestId],
    );
    return row ? { photo: row.photo ? new Uint8Array(row.photo) : null, savedAt: new Date(row.saved_at) } : null;
  }

  async latestApplied(userId: string): Promise<PhotoRequest | null> {
    return this.one(
      `SELECT * FROM photo_requests WHERE user_id = ? AND state = 'applied'
       ORDER BY updated_at DESC, ${this.db.dialect.insertOrder} DESC LIMIT 1`,
      [userId],
    );
  }

  get(id: string): Promise<PhotoRequest | null> {
    return this.getIn(this.db, id);
  }

  /** The request, read inside a caller's transaction. */
  async getIn(exec: SqlExecutor, id: string): Promise<PhotoRequest | null> {
    const row = await exec.get<Row>(`SELECT * FROM photo_requests WHERE id = ?`, [id]);
    return row ? fromRow(row) : null;
  }

  async getPhoto(id: string): Promise<PendingPhoto | null> {
    const row = await this.db.get<{ master: Buffer; preview: Buffer }>(
      `SELECT master, preview FROM pending_photos WHERE request_id = ?`,
      [id],
    );
    return row ? { master: new Uint8Array(row.master), preview: new Uint8Array(row.preview) } : null;
  }

  transition(
    id: string,
    from: RequestState,
    to: RequestState,
    at: Date,
    errorCode?: string,
  ): Promise<PhotoRequest | null> {
    return this.db.transaction((tx) => this.transitionIn(tx, id, from, to, at, errorCode));
  }

  /** The compare-and-set of `transition`, inside a caller's transaction. */
  async transitionIn(
    tx: SqlExecutor,
    id: string,
    from: RequestState,
    to: RequestState,
    at: Date,
    errorCode?: string,
  ): Promise<PhotoRequest | null> {
    const row = await tx.get<Row>(
      `UPDATE photo_requests SET state = ?, updated_at = ?, error_code = ?, version = version + 1
       WHERE id = ? AND state = ? RETURNING *`,
      [to, at.getTime(), errorCode ?? null, id, from],
    );
    if (!row) return null;
    if (DROPS_PHOTO.has(to)) await tx.run(`DELETE FROM pending_photos WHERE request_id = ?`, [id]);
    return fromRow(row);
  }

  async listByState(state: RequestState): Promise<PhotoRequest[]> {
    return (
      await this.db.all<Row>(`SELECT * FROM photo_requests WHERE state = ? ORDER BY updated_at, id`, [state])
    ).map(fromRow);
  }

  async listExpired(now: Date): Promise<string[]> {
    return (
      await this.db.all<{ id: string }>(`SELECT id FROM photo_requests WHERE state = 'previewed' AND expires_at <= ?`, [
        now.getTime(),
      ])
    ).map((r) => r.id);
  }

  openForUser(userId: string): Promise<PhotoRequest | null> {
    return this.one(
      `SELECT * FROM photo_requests WHERE user_id = ? AND state = 'previewed' ORDER BY created_at DESC LIMIT 1`,
      [userId],
    );
  }

  latestForUser(userId: string): Promise<PhotoRequest | null> {
    return this.one(
      `SELECT * FROM photo_requests WHERE user_id = ? AND (flow IS NULL OR flow <> 'undo')
       ORDER BY created_at DESC, ${this.db.dialect.insertOrder} DESC LIMIT 1`,
      [userId],
    );
  }

  async savePrevious(userId: string, requestId: string, photo: Uint8Array | null, at: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO previous_photos (request_id, user_id, photo, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (request_id) DO NOTHING`,
      [requestId, userId, photo ? Buffer.from(photo) : null, at.getTime()],
    );
  }

  private async one(sql: string, params: string[]): Promise<PhotoRequest | null> {
    const row = await this.db.get<Row>(sql, params);
    return row ? fromRow(row) : null;
  }
}
