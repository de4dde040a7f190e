/**
 * PostgreSQL schema migrations, applied in order; `schema_migrations` records which ran. The first
 * is the schema SQLite reached through its five migrations (store/migrations.ts), with the same
 * tables, columns and keys; times are epoch milliseconds (BIGINT), bytes BYTEA, and tables the stores
 * read in insertion order have an identity column `seq` (SQLite's rowid). Never edit a migration that
 * has shipped: add a new one here and the same change in store/migrations.ts.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    user_id         TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    service_url     TEXT NOT NULL,
    locale          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    updated_at      BIGINT NOT NULL
  );

  CREATE TABLE photo_requests (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    locale      TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN
                  ('previewed','pending_approval','approved','applying','applied',
                   'failed','cancelled','expired','superseded','rejected')),
    source      TEXT NOT NULL,
    warnings    TEXT NOT NULL,
    source_info TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    error_code  TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    flow        TEXT NOT NULL DEFAULT 'self' CHECK (flow IN ('self','approval','undo')),
    undo_of     TEXT
  );
  CREATE INDEX photo_requests_user_state ON photo_requests (user_id, state);
  CREATE INDEX photo_requests_state ON photo_requests (state, updated_at);
  CREATE UNIQUE INDEX photo_requests_undo_once ON photo_requests (undo_of)
    WHERE undo_of IS NOT NULL AND state <> 'failed';

  CREATE TABLE pending_photos (
    request_id TEXT PRIMARY KEY REFERENCES photo_requests (id) ON DELETE CASCADE,
    master     BYTEA NOT NULL,
    preview    BYTEA NOT NULL
  );

  CREATE TABLE previous_photos (
    request_id TEXT PRIMARY KEY REFERENCES photo_requests (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    photo      BYTEA,
    saved_at   BIGINT NOT NULL
  );
  CREATE INDEX previous_photos_user ON previous_photos (user_id, saved_at);

  CREATE TABLE audit_log (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         BIGINT NOT NULL,
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

  CREATE TABLE approval_policy (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    required_for           TEXT NOT NULL CHECK (required_for IN ('nobody','everyone','groups')),
    group_ids              TEXT NOT NULL,
    approvers_group_id     TEXT,
    remind_after_minutes   INTEGER NOT NULL CHECK (remind_after_minutes > 0),
    escalate_after_minutes INTEGER NOT NULL CHECK (escalate_after_minutes > 0),
    expire_after_minutes   INTEGER NOT NULL CHECK (expire_after_minutes > 0),
    updated_at             BIGINT NOT NULL,
    updated_by             TEXT NOT NULL
  );

  CREATE TABLE approvals (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    request_id      TEXT PRIMARY KEY REFERENCES photo_requests (id) ON DELETE CASCADE,
    requester_id    TEXT NOT NULL,
    requester_name  TEXT NOT NULL,
    requested_at    BIGINT NOT NULL,
    remind_at       BIGINT,
    escalate_at     BIGINT,
    expires_at      BIGINT NOT NULL,
    reminded_at     BIGINT,
    escalated_at    BIGINT,
    decision        TEXT CHECK (decision IN ('approved','rejected','cancelled','expired','superseded')),
    decided_by      TEXT,
    decided_by_name TEXT,
    decided_at      BIGINT,
    reason          TEXT,
    old_photo_hash  TEXT,
    new_photo_hash  TEXT NOT NULL,
    old_preview     BYTEA,
    new_preview     BYTEA NOT NULL,
    next_attempt_at BIGINT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    revision        INTEGER NOT NULL DEFAULT 1,
    synced_revision INTEGER NOT NULL DEFAULT 0,
    synced_version  INTEGER NOT NULL DEFAULT 0,
    notified_state  TEXT NOT NULL DEFAULT 'pending_approval'
  );
  CREATE INDEX approvals_requester ON approvals (requester_id, requested_at);
  CREATE INDEX approvals_remind ON approvals (remind_at) WHERE remind_at IS NOT NULL;
  CREATE INDEX approvals_escalate ON approvals (escalate_at) WHERE escalate_at IS NOT NULL;

  CREATE TABLE approval_approvers (
    seq                BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    request_id         TEXT NOT NULL REFERENCES approvals (request_id) ON DELETE CASCADE,
    user_id            TEXT NOT NULL,
    display_name       TEXT NOT NULL,
    preferred_language TEXT,
    role               TEXT NOT NULL CHECK (role IN ('manager','skip_level','approvers_group')),
    added_at           BIGINT NOT NULL,
    notified_at        BIGINT,
    PRIMARY KEY (request_id, user_id)
  );
  CREATE INDEX approval_approvers_user ON approval_approvers (user_id);

  CREATE TABLE approval_cards (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    request_id      TEXT NOT NULL REFERENCES approvals (request_id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    teams_user_id   TEXT,
    locale          TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    activity_id     TEXT NOT NULL,
    reference       TEXT NOT NULL,
    sent_at         BIGINT NOT NULL,
    PRIMARY KEY (request_id, conversation_id, activity_id)
  );

  CREATE TABLE approval_actions (
    request_id TEXT NOT NULL REFERENCES approvals (request_id) ON DELETE CASCADE,
    verb       TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    at         BIGINT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('won','lost')),
    PRIMARY KEY (request_id, verb, actor_id)
  );

  CREATE TABLE coverage_scans (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id           TEXT PRIMARY KEY,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    state        TEXT NOT NULL CHECK (state IN ('running','done','failed')),
    requested_by TEXT,
    scanned      INTEGER NOT NULL DEFAULT 0,
    owner        TEXT,
    lease_until  BIGINT,
    error        TEXT,
    card_ref     TEXT,
    card_activity_id TEXT,
    card_locale  TEXT
  );
  CREATE TABLE coverage_users (
    scan_id            TEXT NOT NULL REFERENCES coverage_scans (id) ON DELETE CASCADE,
    user_id            TEXT NOT NULL,
    upn                TEXT NOT NULL,
    display_name       TEXT NOT NULL,
    preferred_language TEXT,
    user_type          TEXT NOT NULL,
    account_enabled    INTEGER NOT NULL,
    category           TEXT NOT NULL,
    reason             TEXT NOT NULL,
    photo_side         INTEGER,
    PRIMARY KEY (scan_id, user_id)
  );
  CREATE INDEX coverage_users_category ON coverage_users (scan_id, category);

  CREATE TABLE broadcast_campaigns (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id            TEXT PRIMARY KEY,
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    message       TEXT NOT NULL,
    audience      TEXT NOT NULL,
    send_at       BIGINT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('scheduled','enqueuing','sending','done','cancelled')),
    enqueued      INTEGER NOT NULL DEFAULT 0,
    enqueue_owner TEXT,
    enqueue_until BIGINT,
    started_at    BIGINT,
    finished_at   BIGINT,
    cancelled_by  TEXT,
    throttled     INTEGER NOT NULL DEFAULT 0,
    progress_ref         TEXT,
    progress_activity_id TEXT,
    progress_locale      TEXT,
    progress_synced      TEXT,
    progress_final       INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX broadcast_campaigns_state ON broadcast_campaigns (state, send_at);

  CREATE TABLE broadcast_recipients (
    campaign_id     TEXT NOT NULL REFERENCES broadcast_campaigns (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    upn             TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    locale          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued','claimed','sending','sent','failed','cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    throttles       INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until     BIGINT,
    activity_id     TEXT,
    conversation_id TEXT,
    reason          TEXT,
    sent_at         BIGINT,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
  );
  CREATE INDEX broadcast_recipients_due ON broadcast_recipients (state, next_attempt_at);
  CREATE INDEX broadcast_recipients_sent ON broadcast_recipients (campaign_id, sent_at);

  CREATE TABLE broadcast_pacer (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    next_slot_at DOUBLE PRECISION NOT NULL,
    paused_until BIGINT NOT NULL
  );
  INSERT INTO broadcast_pacer (id, next_slot_at, paused_until) VALUES (1, 0, 0);

  CREATE TABLE tenant_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    legacy_push    INTEGER NOT NULL CHECK (legacy_push IN (0, 1)),
    reminder_texts TEXT NOT NULL,
    updated_at     BIGINT NOT NULL,
    updated_by     TEXT NOT NULL
  );
  `,
  // 2: store/migrations.ts 6, the preview cards of photo requests.
  `
  CREATE TABLE request_cards (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    request_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    reference   TEXT NOT NULL,
    sent_at     BIGINT NOT NULL,
    shows       TEXT NOT NULL CHECK (shows IN
                  ('open','applied','cancelled','superseded','expired','failed','undone')),
    PRIMARY KEY (request_id, activity_id)
  );
  CREATE INDEX request_cards_user ON request_cards (user_id);
  `,
  // 3: store/migrations.ts 7, people who asked for no more photo reminders.
  `
  CREATE TABLE reminder_optouts (
    user_id      TEXT PRIMARY KEY,
    opted_out_at BIGINT NOT NULL
  );
  `,
  // 4: store/migrations.ts 8, the broadcast pace as a sliding window.
  `
  ALTER TABLE broadcast_pacer ADD COLUMN pace_state TEXT NOT NULL DEFAULT '';
  ALTER TABLE broadcast_pacer DROP COLUMN next_slot_at;
  ALTER TABLE broadcast_pacer DROP COLUMN paused_until;
  -- Teams limits updates per conversation (7/1 s, 8/2 s, 60/30 s, 1800/h): the admin's chat, where progress cards
  -- of every campaign and instance are updated, gets one at most every 2 s.
  ALTER TABLE broadcast_campaigns ADD COLUMN progress_conversation TEXT;
  CREATE TABLE conversation_updates (
    conversation_id TEXT PRIMARY KEY,
    updated_at      BIGINT NOT NULL
  );
  -- A campaign's funnel (core/broadcast/funnel.ts): the department of each recipient (and of each scanned user, for
  -- category audiences), and when the person first came back to Headshot after the reminder.
  ALTER TABLE coverage_users ADD COLUMN department TEXT;
  ALTER TABLE broadcast_recipients ADD COLUMN department TEXT;
  ALTER TABLE broadcast_recipients ADD COLUMN opened_at BIGINT;
  CREATE INDEX broadcast_recipients_user ON broadcast_recipients (user_id, state);
  `,
  // 5: store/migrations.ts 9, quiet hours and photo age.
  `
  ALTER TABLE broadcast_recipients ADD COLUMN working_hours TEXT;
  CREATE TABLE photo_sightings (
    user_id       TEXT PRIMARY KEY,
    etag          TEXT,
    hash          TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    applied       INTEGER NOT NULL DEFAULT 0
  );
  -- The refresh reminder setting ({enabled, afterMonths} as JSON; null: off, 24 months).
  ALTER TABLE tenant_settings ADD COLUMN refresh_reminders TEXT;
  `,
  // 6: store/migrations.ts 10, follow-through.
  `
  CREATE TABLE photo_follow_ups (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    locale          TEXT NOT NULL,
    changed_at      BIGINT NOT NULL,
    expected_hash   TEXT NOT NULL,
    state           TEXT NOT NULL,
    checks          INTEGER NOT NULL DEFAULT 0,
    due_at          BIGINT,
    subject         TEXT,
    systems         TEXT NOT NULL,
    messages        TEXT NOT NULL DEFAULT '[]',
    last_checked_at BIGINT,
    ended_at        BIGINT,
    lease_owner     TEXT,
    lease_until     BIGINT
  );
  CREATE INDEX photo_follow_ups_due ON photo_follow_ups (state, due_at);
  CREATE INDEX photo_follow_ups_user ON photo_follow_ups (user_id, state);
  CREATE INDEX photo_follow_ups_changed ON photo_follow_ups (changed_at);
  `,
  // 7: store/migrations.ts 11, the photo guidelines.
  `
  ALTER TABLE tenant_settings ADD COLUMN face_rules TEXT;
  ALTER TABLE photo_sightings ADD COLUMN face_check TEXT;
  `,
  // 8: store/migrations.ts 12, bulk import.
  `
  CREATE TABLE import_jobs (
    id            TEXT PRIMARY KEY,
    created_by    TEXT NOT NULL,
    source_name   TEXT NOT NULL,
    source_path   TEXT,
    options       TEXT NOT NULL,
    state         TEXT NOT NULL,
    error         TEXT,
    checked_files INTEGER NOT NULL DEFAULT 0,
    total_files   INTEGER,
    locale        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    lease_owner   TEXT,
    lease_until   BIGINT
  );
  CREATE INDEX import_jobs_state ON import_jobs (state, created_at);
  CREATE TABLE import_items (
    job_id        TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    file          TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    content_hash  TEXT,
    user_id       TEXT,
    upn           TEXT,
    display_name  TEXT,
    matched_by    TEXT,
    plan          TEXT NOT NULL,
    reason        TEXT,
    reason_params TEXT,
    warnings      TEXT NOT NULL DEFAULT '[]',
    outcome       TEXT NOT NULL,
    request_id    TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    not_before    BIGINT,
    error         TEXT,
    master        BYTEA,
    preview       BYTEA,
    PRIMARY KEY (job_id, seq)
  );
  CREATE INDEX import_items_outcome ON import_items (job_id, outcome, seq);
  CREATE TABLE import_fingerprints (
    user_id      TEXT PRIMARY KEY,
    job_id       TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    shown_hash   TEXT,
    shown_etag   TEXT,
    applied_at   BIGINT NOT NULL
  );
  `,
];
