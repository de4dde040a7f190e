/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Never edit a migration that has shipped: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: foundation
  `
  CREATE TABLE conversations (
    user_id         TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    service_url     TEXT NOT NULL,
    locale          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    updated_at      INTEGER NOT NULL
  );

  CREATE TABLE photo_requests (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    locale      TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN
                  ('previewed','applying','applied','failed','cancelled','expired','superseded')),
    source      TEXT NOT NULL,
    warnings    TEXT NOT NULL,
    source_info TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    error_code  TEXT,
    version     INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX photo_requests_user_state ON photo_requests (user_id, state);
  CREATE INDEX photo_requests_state ON photo_requests (state, updated_at);

  CREATE TABLE pending_photos (
    request_id TEXT PRIMARY KEY REFERENCES photo_requests (id) ON DELETE CASCADE,
    master     BLOB NOT NULL,
    preview    BLOB NOT NULL
  );

  CREATE TABLE previous_photos (
    request_id TEXT PRIMARY KEY REFERENCES photo_requests (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    photo      BLOB,
    saved_at   INTEGER NOT NULL
  );
  CREATE INDEX previous_photos_user ON previous_photos (user_id, saved_at);

  CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    actor_id   TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject_id TEXT,
    request_id TEXT,
    outcome    TEXT NOT NULL,
    detail     TEXT
  );
  CREATE INDEX audit_subject ON audit_log (subject_id, seq);
  CREATE INDEX audit_actor ON audit_log (actor_id, seq);

  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
];
