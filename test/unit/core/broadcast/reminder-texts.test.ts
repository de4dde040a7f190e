/**
 * The tenant's own reminder words: stored per language (SQLite), added to each reminder as it is
 * sent, and shown by the recipient's card in their language, else the product's words.
 */
import type { CampaignMessage, CampaignTransport } from '../../../../bot/src/core/broadcast/broadcast-types';
import { withReminderTexts } from '../../../../bot/src/core/broadcast/reminder-texts';
import type { RecipientJob } from '../../../../bot/src/core/broadcast/broadcast-types';
import { SqliteDb } from '../../../../bot/src/store/sql/sqlite-db';
import { SqlTenantSettingsStore } from '../../../../bot/src/store/sql-tenant-settings';
import { reminderCard } from '../../../../bot/src/teams/cards/reminder-card';
import { t } from '../../../../bot/src/i18n/i18n';
import { expectValidCard } from '../../../support/adaptive-card-validation';

/** Every TextBlock's text in the card body. */
function texts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk((card as { body: unknown }).body);
  return out;
}

test("the card uses the admin's title and text for the recipient's language, else the product's", () => {
  const message: CampaignMessage = {
    kind: 'reminder',
    texts: {
      fi: { title: 'Kuva puuttuu', text: 'Lisää kuva tänään.' },
      nl: { title: null, text: 'Voeg een foto toe!' },
    },
  };
  const fi = reminderCard('fi', message);
  expectValidCard(fi);
  expect(texts(fi).slice(0, 2)).toEqual(['Kuva puuttuu', 'Lisää kuva tänään.']);
  const nl = reminderCard('nl', message);
  expect(texts(nl).slice(0, 2)).toEqual([t('nl', 'admin.reminder.title'), 'Voeg een foto toe!']);
  const pl = reminderCard('pl', message);
  expect(texts(pl).slice(0, 2)).toEqual([t('pl', 'admin.reminder.title'), t('pl', 'admin.reminder.text')]);
  // An admin's own custom message is shown as written, whatever the reminder texts say.
  expect(texts(reminderCard('fi', { kind: 'custom', text: 'Hei kaikki' }))[1]).toBe('Hei kaikki');
});

test('the transport wrapper gives reminders the current texts, leaves custom messages alone', async () => {
  const seen: CampaignMessage[] = [];
  const inner: CampaignTransport = {
    deliver: async (_job, message) => {
      seen.push(message);
      return { kind: 'delivered', activityId: 'a', conversationId: 'c' };
    },
    updateProgress: async () => ({ kind: 'delivered', activityId: 'a', conversationId: 'c' }),
  };
  let current = { en: { title: 'Photo please', text: null } };
  const transport = withReminderTexts(inner, async () => current);
  const job = { userId: 'u' } as RecipientJob;
  await transport.deliver(job, { kind: 'reminder' }, async () => undefined);
  current = { en: { title: 'Changed', text: null } };
  await transport.deliver(job, { kind: 'reminder' }, async () => undefined);
  await transport.deliver(job, { kind: 'custom', text: 'Hi' }, async () => undefined);
  expect(seen).toEqual([
    { kind: 'reminder', texts: { en: { title: 'Photo please', text: null } } },
    { kind: 'reminder', texts: { en: { title: 'Changed', text: null } } },
    { kind: 'custom', text: 'Hi' },
  ]);
});

test('the settings store: defaults, then changes merge by part and language, with who and when', async () => {
  const db = SqliteDb.open(':memory:');
  const store = new SqlTenantSettingsStore(db);
  expect(await store.get()).toEqual({
    legacyPush: false,
    reminderTexts: {
      en: { title: null, text: null },
      fi: { title: null, text: null },
      nl: { title: null, text: null },
      pl: { title: null, text: null },
    },
    refreshReminders: { enabled: false, afterMonths: 24 },
    faceRules: {
      no_face: 'warn',
      multiple_faces: 'warn',
      face_too_small: 'warn',
      face_cut_off: 'warn',
      face_not_centred: 'warn',
    },
  });
  const at = new Date('2025-03-01T09:30:00Z');
  await store.update({ reminderTexts: { fi: { title: 'Kuva', text: null } } }, at, 'patti');
  const after = await store.update({ legacyPush: true }, new Date(at.getTime() + 1000), 'megan');
  expect(after).toMatchObject({
    legacyPush: true,
    refreshReminders: { enabled: false, afterMonths: 24 },
    reminderTexts: { fi: { title: 'Kuva', text: null }, en: { title: null, text: null } },
    updatedBy: 'megan',
  });
  expect(after.updatedAt?.toISOString()).toBe('2025-03-01T09:30:01.000Z');
  // The refresh reminder setting is its own part: the texts stay.
  const refresh = await store.update({ refreshReminders: { enabled: true, afterMonths: 36 } }, at, 'patti');
  expect(refresh).toMatchObject({ legacyPush: true, refreshReminders: { enabled: true, afterMonths: 36 } });
  expect(refresh.reminderTexts.fi).toEqual({ title: 'Kuva', text: null });
  await db.close();
});
