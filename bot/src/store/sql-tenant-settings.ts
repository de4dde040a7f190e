/** The tenant settings: one row, read on every use (another instance may change them). */
import type { SqlDb, SqlExecutor } from './sql/sql-db';
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
  refresh_reminders: string | null;
  face_rules: string | null;
  updated_at: number;
  updated_by: string;
}

/** TenantSettingsStore on SQL. */
export class SqlTenantSettingsStore implements TenantSettingsStore {
  constructor(private readonly db: SqlDb) {}

  get(): Promise<TenantSettings> {
    return this.read(this.db);
  }

  private async read(exec: SqlExecutor): Promise<TenantSettings> {
    const r = await exec.get<Row>(`SELECT * FROM tenant_settings WHERE id = 1`);
    const settings = defaultTenantSettings();
    if (!r) return settings;
    const stored = JSON.parse(r.reminder_texts) as Partial<Record<Locale, ReminderText>>;
    return {
      legacyPush: r.legacy_push === 1,
      reminderTexts: { ...settings.reminderTexts, ...stored },
      refreshReminders: r.refresh_reminders
        ? (JSON.parse(r.refresh_reminders) as TenantSettings['refreshReminders'])
        : settings.refreshReminders,
      // Rules added after an admin saved keep the default.
      faceRules: {
        ...settings.faceRules,
        ...(r.face_rules ? (JSON.parse(r.face_rules) as TenantSettings['faceRules']) : {}),
      },
      updatedAt: new Date(r.updated_at),
      updatedBy: r.updated_by,
    };
  }

  update(change: TenantSettingsChange, at: Date, by: string): Promise<TenantSettings> {
    // Read and write in one transaction: two admins saving at once both keep their part.
    return this.db.transaction(async (tx) => {
      const current = await this.read(tx);
      await tx.run(
        `INSERT INTO tenant_settings (id, legacy_push, reminder_texts, refresh_reminders, face_rules, updated_at, updated_by)
         VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET legacy_push = excluded.legacy_push, reminder_texts = excluded.reminder_texts,
           refresh_reminders = excluded.refresh_reminders, face_rules = excluded.face_rules,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [
          (change.legacyPush ?? current.legacyPush) ? 1 : 0,
          JSON.stringify({ ...current.reminderTexts, ...change.reminderTexts }),
          JSON.stringify(change.refreshReminders ?? current.refreshReminders),
          JSON.stringify({ ...current.faceRules, ...change.faceRules }),
          at.getTime(),
          by,
        ],
      );
      return this.read(tx);
    });
  }
}
