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
  // 2: manager approvals (docs/approvals.md). SQLite cannot change a CHECK constraint, so
  // photo_requests is rebuilt: new table, copy, drop, rename, indexes again. With foreign keys
  // on (they are, and a PRAGMA cannot turn them off inside this transaction), dropping the
  // parent would cascade-delete its children, so the two child tables are set aside first and
  // rebuilt after the rename, with the same definitions and data.
  `
  CREATE TABLE photo_requests_new (
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
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    error_code  TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    flow        TEXT NOT NULL DEFAULT 'self' CHECK (flow IN ('self','approval','undo')),
    undo_of     TEXT
  );
  INSERT INTO photo_requests_new (id, user_id, tenant_id, locale, state, source, warnings, source_info,
      created_at, updated_at, expires_at, error_code, version)
    SELECT id, user_id, tenant_id, locale, state, source, warnings, source_info,
      created_at, updated_at, expires_at, error_code, version FROM photo_requests;

  CREATE TABLE pending_photos_aside AS SELECT * FROM pending_photos;
  CREATE TABLE previous_photos_aside AS SELECT * FROM previous_photos;
  DROP TABLE pending_photos;
  DROP TABLE previous_photos;
  DROP TABLE photo_requests;
  ALTER TABLE photo_requests_new RENAME TO photo_requests;
  CREATE INDEX photo_requests_user_state ON photo_requests (user_id, state);
  CREATE INDEX photo_requests_state ON photo_requests (state, updated_at);
  -- One live undo per applied request: a second click (or a second admin) cannot restore twice.
  CREATE UNIQUE INDEX photo_requests_undo_once ON photo_requests (undo_of)
    WHERE undo_of IS NOT NULL AND state <> 'failed';

  CREATE TABLE pending_photos (
    request_id TEXT PRIMARY KEY REFERENCES photo_requests (id) ON DELETE CASCADE,
    master     BLOB NOT NULL,
    preview    BLOB NOT NULL
  );
  INSERT INTO pending_photos (request_id, master, preview)
    SELECT request_id, master, preview FROM pending_photos_aside;
  DROP TABLE pending_photos_aside;

  CREATE TABLE previous_photos (
    request_id TEXT PRIMARY KEY REFERENCES photo_requests (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    photo      BLOB,
    saved_at   INTEGER NOT NULL
  );
  INSERT INTO previous_photos (request_id, user_id, photo, saved_at)
    SELECT request_id, user_id, photo, saved_at FROM previous_photos_aside;
  DROP TABLE previous_photos_aside;
  CREATE INDEX previous_photos_user ON previous_photos (user_id, saved_at);

  -- The admin's approval policy: one row (absent means no approvals).
  CREATE TABLE approval_policy (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    required_for           TEXT NOT NULL CHECK (required_for IN ('nobody','everyone','groups')),
    group_ids              TEXT NOT NULL,
    approvers_group_id     TEXT,
    remind_after_minutes   INTEGER NOT NULL CHECK (remind_after_minutes > 0),
    escalate_after_minutes INTEGER NOT NULL CHECK (escalate_after_minutes > 0),
    expire_after_minutes   INTEGER NOT NULL CHECK (expire_after_minutes > 0),
    updated_at             INTEGER NOT NULL,
    updated_by             TEXT NOT NULL
  );

  -- One row per request sent for approval: the decision, the due times, what the cards show.
  CREATE TABLE approvals (
    request_id      TEXT PRIMARY KEY REFERENCES photo_requests (id) ON DELETE CASCADE,
    requester_id    TEXT NOT NULL,
    requester_name  TEXT NOT NULL,
    requested_at    INTEGER NOT NULL,
    remind_at       INTEGER,
    escalate_at     INTEGER,
    expires_at      INTEGER NOT NULL,
    reminded_at     INTEGER,
    escalated_at    INTEGER,
    decision        TEXT CHECK (decision IN ('approved','rejected','cancelled','expired','superseded')),
    decided_by      TEXT,
    decided_by_name TEXT,
    decided_at      INTEGER,
    reason          TEXT,
    old_photo_hash  TEXT,
    new_photo_hash  TEXT NOT NULL,
    old_preview     BLOB,
    new_preview     BLOB NOT NULL,
    next_attempt_at INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    revision        INTEGER NOT NULL DEFAULT 1,
    synced_revision INTEGER NOT NULL DEFAULT 0,
    synced_version  INTEGER NOT NULL DEFAULT 0,
    notified_state  TEXT NOT NULL DEFAULT 'pending_approval'
  );
  CREATE INDEX approvals_requester ON approvals (requester_id, requested_at);
  CREATE INDEX approvals_remind ON approvals (remind_at) WHERE remind_at IS NOT NULL;
  CREATE INDEX approvals_escalate ON approvals (escalate_at) WHERE escalate_at IS NOT NULL;

  -- Who may decide: the manager, then (on escalation) the skip-level manager or the approvers group.
  CREATE TABLE approval_approvers (
    request_id         TEXT NOT NULL REFERENCES approvals (request_id) ON DELETE CASCADE,
    user_id            TEXT NOT NULL,
    display_name       TEXT NOT NULL,
    preferred_language TEXT,
    role               TEXT NOT NULL CHECK (role IN ('manager','skip_level','approvers_group')),
    added_at           INTEGER NOT NULL,
    notified_at        INTEGER,
    PRIMARY KEY (request_id, user_id)
  );
  CREATE INDEX approval_approvers_user ON approval_approvers (user_id);

  -- Every copy of an approval card the bot sent, so that a decision can update each in place.
  CREATE TABLE approval_cards (
    request_id      TEXT NOT NULL REFERENCES approvals (request_id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    teams_user_id   TEXT,
    locale          TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    activity_id     TEXT NOT NULL,
    reference       TEXT NOT NULL,
    sent_at         INTEGER NOT NULL,
    PRIMARY KEY (request_id, conversation_id, activity_id)
  );

  -- Idempotency keys of card actions: Teams re-sending an invoke finds its key and changes nothing.
  CREATE TABLE approval_actions (
    request_id TEXT NOT NULL REFERENCES approvals (request_id) ON DELETE CASCADE,
    verb       TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    at         INTEGER NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('won','lost')),
    PRIMARY KEY (request_id, verb, actor_id)
  );
  `,
  // 4: admin coverage snapshots and broadcast campaigns (docs/broadcast.md).
  `
  CREATE TABLE coverage_scans (
    id           TEXT PRIMARY KEY,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    state        TEXT NOT NULL CHECK (state IN ('running','done','failed')),
    requested_by TEXT,
    scanned      INTEGER NOT NULL DEFAULT 0,
    owner        TEXT,
    lease_until  INTEGER,
    error        TEXT,
    card_ref     TEXT,
    card_activity_id TEXT,
    card_locale  TEXT
  );
  -- One row per user of a scan: what the coverage card counts and category audiences stream from.
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
    id            TEXT PRIMARY KEY,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    message       TEXT NOT NULL,
    audience      TEXT NOT NULL,
    send_at       INTEGER NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('scheduled','enqueuing','sending','done','cancelled')),
    enqueued      INTEGER NOT NULL DEFAULT 0,
    enqueue_owner TEXT,
    enqueue_until INTEGER,
    started_at    INTEGER,
    finished_at   INTEGER,
    cancelled_by  TEXT,
    throttled     INTEGER NOT NULL DEFAULT 0,
    progress_ref         TEXT,
    progress_activity_id TEXT,
    progress_locale      TEXT,
    progress_synced      TEXT,
    progress_final       INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX broadcast_campaigns_state ON broadcast_campaigns (state, send_at);

  -- One durable job per recipient; the key makes a campaign reach a person at most once.
  CREATE TABLE broadcast_recipients (
    campaign_id     TEXT NOT NULL REFERENCES broadcast_campaigns (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    upn             TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    locale          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued','claimed','sending','sent','failed','cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    throttles       INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until     INTEGER,
    activity_id     TEXT,
    conversation_id TEXT,
    reason          TEXT,
    sent_at         INTEGER,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
  );
  CREATE INDEX broadcast_recipients_due ON broadcast_recipients (state, next_attempt_at);
  CREATE INDEX broadcast_recipients_sent ON broadcast_recipients (campaign_id, sent_at);

  -- The shared pace of every service instance on this store: next free send slot, and a 429's pause.
  CREATE TABLE broadcast_pacer (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    next_slot_at REAL NOT NULL,
    paused_until INTEGER NOT NULL
  );
  INSERT INTO broadcast_pacer (id, next_slot_at, paused_until) VALUES (1, 0, 0);
  `,
  // 5: the tenant settings the admin edits in the tab (legacy SharePoint push, reminder texts); one row.
  `
  CREATE TABLE tenant_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    legacy_push    INTEGER NOT NULL CHECK (legacy_push IN (0, 1)),
    reminder_texts TEXT NOT NULL,
    updated_at     INTEGER NOT NULL,
    updated_by     TEXT NOT NULL
  );
  `,
  // 6: every preview card the bot sent for a photo request, so that the card closes in place when the request
  // ends (a newer photo, confirmed, cancelled, expired) or its change is undone.
  `
  CREATE TABLE request_cards (
    request_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    reference   TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    shows       TEXT NOT NULL CHECK (shows IN
                  ('open','applied','cancelled','superseded','expired','failed','undone')),
    PRIMARY KEY (request_id, activity_id)
  );
  CREATE INDEX request_cards_user ON request_cards (user_id);
  `,
  // 7: people who asked for no more photo reminders (core/broadcast/reminder-optouts.ts).
  `
  CREATE TABLE reminder_optouts (
    user_id      TEXT PRIMARY KEY,
    opted_out_at INTEGER NOT NULL
  );
  `,
  // 8: the broadcast pace becomes a sliding window with the limit Teams showed (core/broadcast/pace-window.ts),
  // kept as JSON in the pacer's one row instead of the next free slot.
  `
  ALTER TABLE broadcast_pacer ADD COLUMN pace_state TEXT NOT NULL DEFAULT '';
  ALTER TABLE broadcast_pacer DROP COLUMN next_slot_at;
  ALTER TABLE broadcast_pacer DROP COLUMN paused_until;
  -- Teams limits updates per conversation (7/1 s, 8/2 s, 60/30 s, 1800/h): the admin's chat, where progress cards
  -- of every campaign and instance are updated, gets one at most every 2 s.
  ALTER TABLE broadcast_campaigns ADD COLUMN progress_conversation TEXT;
  CREATE TABLE conversation_updates (
    conversation_id TEXT PRIMARY KEY,
    updated_at      INTEGER NOT NULL
  );
  -- A campaign's funnel (core/broadcast/funnel.ts): the department of each recipient (and of each scanned user, for
  -- category audiences), and when the person first came back to Headshot after the reminder.
  ALTER TABLE coverage_users ADD COLUMN department TEXT;
  ALTER TABLE broadcast_recipients ADD COLUMN department TEXT;
  ALTER TABLE broadcast_recipients ADD COLUMN opened_at INTEGER;
  CREATE INDEX broadcast_recipients_user ON broadcast_recipients (user_id, state);
  `,
  // 9: quiet hours (core/broadcast/quiet-hours.ts): each recipient's working hours from their mailbox settings, as
  // JSON, read when the campaign enqueues them. And photo age for refresh reminders (core/coverage/photo-age.ts):
  // when Headshot applied a user's current picture, or when a coverage scan first saw it (by perceptual hash).
  `
  ALTER TABLE broadcast_recipients ADD COLUMN working_hours TEXT;
  CREATE TABLE photo_sightings (
    user_id       TEXT PRIMARY KEY,
    etag          TEXT,
    hash          TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    applied       INTEGER NOT NULL DEFAULT 0
  );
  -- The refresh reminder setting ({enabled, afterMonths} as JSON; null: off, 24 months).
  ALTER TABLE tenant_settings ADD COLUMN refresh_reminders TEXT;
  `,
  // 10: follow-through (core/status/follow-through.ts): one row per photo change Headshot made, checked on a
  // back-off schedule until every system shows it; systems, subject and messages as JSON.
  `
  CREATE TABLE photo_follow_ups (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    locale          TEXT NOT NULL,
    changed_at      INTEGER NOT NULL,
    expected_hash   TEXT NOT NULL,
    state           TEXT NOT NULL,
    checks          INTEGER NOT NULL DEFAULT 0,
    due_at          INTEGER,
    subject         TEXT,
    systems         TEXT NOT NULL,
    messages        TEXT NOT NULL DEFAULT '[]',
    last_checked_at INTEGER,
    ended_at        INTEGER,
    lease_owner     TEXT,
    lease_until     INTEGER
  );
  CREATE INDEX photo_follow_ups_due ON photo_follow_ups (state, due_at);
  CREATE INDEX photo_follow_ups_user ON photo_follow_ups (user_id, state);
  CREATE INDEX photo_follow_ups_changed ON photo_follow_ups (changed_at);
  `,
  // 11: the photo guidelines (core/photo/face-rules.ts).
  `
  -- What each face rule does ({rule: 'off'|'warn'|'approval'|'refuse'} as JSON; null: warn for every rule).
  ALTER TABLE tenant_settings ADD COLUMN face_rules TEXT;
  -- The face check of the photo Headshot applied: the rules it broke, comma-separated ('' none), or
  -- 'unavailable'; null when Headshot did not apply it or applied it before face checks.
  ALTER TABLE photo_sightings ADD COLUMN face_check TEXT;
  `,
  // 12: bulk import (core/import/): jobs, their rows (with the prepared photos until the job ends), and per
  // person what the last import wrote and what Microsoft 365 showed after (content and perceptual hashes).
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
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    lease_owner   TEXT,
    lease_until   INTEGER
  );
  CREATE INDEX import_jobs_state ON import_jobs (state, created_at);
  CREATE TABLE import_items (
    job_id        TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    file          TEXT NOT NULL,
    bytes         INTEGER NOT NULL,
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
    not_before    INTEGER,
    error         TEXT,
    master        BLOB,
    preview       BLOB,
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
    applied_at   INTEGER NOT NULL
  );
  `,
];
