/** The tenant settings in SQLite: one row, read on every use (another instance may change them). */
import type { Db } from './database';
import type { Locale } from '../core/locale';
import {
  defaultTenantSettings,
  type ReminderText,
  type TenantSettings,
  type TenantSettingsChange,
  type TenantSettingsStore,
} from '../core/settings/tenant-settings';

interface Row {
  legacy_push: number;
  reminder_texts: string;
  updated_at: number;
  updated_by: string;
}

/** TenantSettingsStore on better-sqlite3. */
export class SqliteTenantSettingsStore implements TenantSettingsStore {
  private readonly select;
  private readonly upsert;

  constructor(private readonly db: Db) {
    this.select = db.prepare(`SELECT * FROM tenant_settings WHERE id = 1`);
    this.upsert = db.prepare(
      `INSERT INTO tenant_settings (id, legacy_push, reminder_texts, updated_at, updated_by)
       VALUES (1, @legacy_push, @reminder_texts, @updated_at, @updated_by)
       ON CONFLICT (id) DO UPDATE SET legacy_push = excluded.legacy_push, reminder_texts = excluded.reminder_texts,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
  }

  get(): TenantSettings {
    const r = this.select.get() as Row | undefined;
    const settings = defaultTenantSettings();
    if (!r) return settings;
    const stored = JSON.parse(r.reminder_texts) as Partial<Record<Locale, ReminderText>>;
    return {
      legacyPush: r.legacy_push === 1,
      reminderTexts: { ...settings.reminderTexts, ...stored },
      updatedAt: new Date(r.updated_at),
      updatedBy: r.updated_by,
    };
  }

  update(change: TenantSettingsChange, at: Date, by: string): TenantSettings {
    // Read and write in one transaction: two admins saving at once both keep their part.
    return this.db
      .transaction((): TenantSettings => {
        const current = this.get();
        this.upsert.run({
          legacy_push: (change.legacyPush ?? current.legacyPush) ? 1 : 0,
          reminder_texts: JSON.stringify({ ...current.reminderTexts, ...change.reminderTexts }),
          updated_at: at.getTime(),
          updated_by: by,
        });
        return this.get();
      })
      .immediate();
  }
}
