/**
 * The tenant's own settings an admin edits in the tab (docs: tab-contract.ts TenantSettingsView):
 * whether every apply also writes SharePoint's legacy thumbnails, and the reminder's words per
 * language. The approval policy has its own store (approval-ports.ts). No SDK here.
 */
import type { Locale } from '../locale';
import { FACE_RULES, type FaceRule, type FaceRuleAction } from '../photo/face-rules';

/** The reminder's words in one language; null falls back to the product's text. */
export interface ReminderText {
  title: string | null;
  text: string | null;
}

/** Longest reminder title and text an admin may set (a Teams card stays small). */
export const MAX_REMINDER_TITLE = 200;
export const MAX_REMINDER_TEXT = 2000;

/** Refresh reminders (core/broadcast/refresh-reminders.ts): on or off, and the photo age in months. */
export interface RefreshSetting {
  enabled: boolean;
  afterMonths: number;
}

/** The photo ages an admin may set, in months, and the default. */
export const REFRESH_MIN_MONTHS = 6;
export const REFRESH_MAX_MONTHS = 120;
const REFRESH_DEFAULT_MONTHS = 24;

/** The settings as stored. */
export interface TenantSettings {
  /** After every successful apply, also write the S/M/L thumbnails and profile properties to SharePoint. */
  legacyPush: boolean;
  reminderTexts: Record<Locale, ReminderText>;
  /** "Time for a new photo?" to people whose photo is older than `afterMonths` (core/broadcast/refresh-reminders.ts). */
  refreshReminders: RefreshSetting;
  /** The photo guidelines: what each face rule does (core/photo/face-rules.ts); default `warn` for all. */
  faceRules: FaceRulePolicy;
  updatedAt?: Date;
  updatedBy?: string;
}

/** A change: what is absent stays. */
export interface TenantSettingsChange {
  legacyPush?: boolean;
  reminderTexts?: Partial<Record<Locale, ReminderText>>;
  refreshReminders?: RefreshSetting;
  faceRules?: Partial<FaceRulePolicy>;
}

/** What each face rule does: nothing, a warning, approval by the manager, or a refusal. */
export type FaceRulePolicy = Record<FaceRule, FaceRuleAction>;

/** Every rule warns: the product's default. */
export function defaultFaceRules(): FaceRulePolicy {
  return Object.fromEntries(FACE_RULES.map((rule) => [rule, 'warn'])) as FaceRulePolicy;
}

/** The settings when an admin never set any: no legacy push, the product's reminder everywhere. */
export function defaultTenantSettings(): TenantSettings {
  const none = (): ReminderText => ({ title: null, text: null });
  return {
    legacyPush: false,
    reminderTexts: { en: none(), fi: none(), nl: none(), pl: none() },
    refreshReminders: { enabled: false, afterMonths: REFRESH_DEFAULT_MONTHS },
    faceRules: defaultFaceRules(),
  };
}

/** Stores the tenant settings; read on every use, so a change applies at once. */
export interface TenantSettingsStore {
  /** The current settings (the defaults when none were set). */
  get(): Promise<TenantSettings>;
  /** Applies `change` and returns what is stored now. */
  update(change: TenantSettingsChange, at: Date, by: string): Promise<TenantSettings>;
}
