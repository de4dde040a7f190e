/** Helpers for the photo status scenarios: ask the bot, read its card back as states, arrange the local tenant. */
import { t } from '../../bot/src/i18n/i18n';
import { demoSeed } from '../../emulator';
import type { Locale } from '../../bot/src/core/locale';
import { STATUS_SYSTEMS, SYNC_STATES, type StatusSystem, type SyncState } from '../../bot/src/core/status/status-types';
import { expectValidCard } from './adaptive-card-validation';
import type { Harness } from './headshot';
import { cardActions, cardTexts, type AdaptiveCardJson, type RecordedActivity, type TeamsChat } from './teams-chat';

/** "photo status" in each language. */
const STATUS_PHRASE: Readonly<Record<Locale, string>> = {
  en: 'photo status',
  fi: 'kuvan tila',
  nl: 'fotostatus',
  pl: 'status zdjęcia',
};

/** One row of a status card, read back into codes. */
interface CardRow {
  state: SyncState;
  /** Every text of the row (reasons, evidence, instructions). */
  text: string;
}

type JsonNode = Record<string, unknown>;

const textOf = (node: unknown): string => String((node as JsonNode | undefined)?.text ?? '');

/** The rows of a status card by system, with the state label mapped back to its code. */
function statusRows(card: AdaptiveCardJson, locale: Locale): Record<StatusSystem, CardRow> {
  const rows: Partial<Record<StatusSystem, CardRow>> = {};
  for (const item of (card.body ?? []) as JsonNode[]) {
    if (item.type !== 'Container') continue;
    const items = item.items as JsonNode[];
    const header = (items[0]?.columns ?? []) as JsonNode[];
    const label = textOf((header[0]?.items as unknown[])?.[0]);
    const stateLabel = textOf((header[1]?.items as unknown[])?.[0]);
    const system = STATUS_SYSTEMS.find((s) => t(locale, `status.system.${s}`) === label);
    const state =
      system === 'policy' && stateLabel === t(locale, 'status.state.policy_in_sync')
        ? 'in_sync'
        : SYNC_STATES.find((s) => t(locale, `status.state.${s}`) === stateLabel);
    if (!system || !state) throw new Error(`unreadable status row: ${label} / ${stateLabel}`);
    rows[system] = { state, text: items.slice(1).map(textOf).join('\n') };
  }
  expect(Object.keys(rows).sort()).toEqual([...STATUS_SYSTEMS].sort());
  return rows as Record<StatusSystem, CardRow>;
}

/** The verbs of a card's buttons. */
export const verbsOf = (card: AdaptiveCardJson): string[] => cardActions(card).map((a) => String(a.verb ?? a.type));

/** A status card the bot sent: valid, well under Teams' size limit, in the user's language. */
export interface StatusAnswer {
  activity: RecordedActivity;
  card: AdaptiveCardJson;
  rows: Record<StatusSystem, CardRow>;
}

/** Checks a card the bot sent is a good status card and reads it. */
function readStatusCard(activity: RecordedActivity, card: AdaptiveCardJson, locale: Locale): StatusAnswer {
  expectValidCard(card);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(20 * 1024);
  expect(cardTexts(card)).toContain(t(locale, 'status.title'));
  return { activity, card, rows: statusRows(card, locale) };
}

/** Types "photo status" and returns the status card. */
export async function askStatus(chat: TeamsChat, locale: Locale): Promise<StatusAnswer> {
  expect(await chat.say(STATUS_PHRASE[locale])).toBe(200);
  const cards = await chat.newCards();
  const found = cards.find((c) => cardTexts(c.card).includes(t(locale, 'status.title')));
  if (!found) throw new Error(`no status card; got: ${JSON.stringify(cards.map((c) => cardTexts(c.card)[0]))}`);
  return readStatusCard(found.activity, found.card, locale);
}

/** The status card that replaced the clicked one after a fix, and the confirmation message. */
export async function fixedStatus(
  chat: TeamsChat,
  clicked: RecordedActivity,
  locale: Locale,
): Promise<{ status: StatusAnswer; messages: string[] }> {
  const fresh = await chat.newCards();
  const replaced = (await chat.all()).find((a) => a.id === clicked.id);
  const card = replaced?.attachments?.[0]?.content as AdaptiveCardJson;
  return {
    status: readStatusCard(replaced as RecordedActivity, card, locale),
    messages: fresh.flatMap((c) => cardTexts(c.card)),
  };
}

/** Everything the local tenant holds about a user's photo. */
export interface PhotoState {
  graph: { source: 'exchange' | 'entra'; photo: { etag: string; bytes: number; width: number } | null };
  entra: { etag: string; bytes: number; width: number } | null;
  exchange: { etag: string; bytes: number; width: number } | null;
  ad: { bytes: number; exchangeImport: string } | null;
  sharePoint: {
    properties: Record<string, string> | null;
    files: { name: string; bytes: number; sourceEtag: string | null }[];
    lastExchangeSyncAt: string | null;
  };
  teams: { photo: { etag: string } | null; refreshedAt: string };
}

/** The local tenant's view of one user's photo in every store. */
export const photoState = (h: Harness, userId: string): Promise<PhotoState> =>
  h.control<PhotoState>('GET', `/_control/users/${userId}/photo-state`);

/** Puts a photo in place as a Graph write would (Exchange + Entra ID for mailbox users). */
export async function putGraphPhoto(h: Harness, userId: string, bytes: Uint8Array): Promise<void> {
  const res = await fetch(`${h.tenant.url}/_control/users/${userId}/photo`, {
    method: 'PUT',
    headers: { 'content-type': 'image/jpeg' },
    body: Buffer.from(bytes),
  });
  expect(res.status).toBe(200);
}

/** Moves the local tenant's clock and the service's clock forward together (the tenant's first: tokens are renewed by the service's). */
export async function advanceClocks(h: Harness, hours: number): Promise<void> {
  await h.control('POST', '/_control/clock/advance', { seconds: hours * 3600 });
  h.clock.advance(hours * 3_600_000);
}

/**
 * Makes the local tenant the demo organisation with a legacy SharePoint (thumbnails copied from Exchange on
 * profile view), as tenants not yet moved by MC653734 have; the demo organisation's SharePoint is modern.
 */
export async function useLegacySharePoint(h: {
  control(method: string, path: string, body?: unknown): Promise<unknown>;
}): Promise<void> {
  await h.control('POST', '/_control/seed', { ...demoSeed(), sharePointPictures: 'legacy' });
}

/** Sets the service's clock to the local tenant's (after a reset put the tenant's back to real time). */
export async function syncClocks(h: Harness): Promise<void> {
  const { now } = await h.control<{ now: string }>('GET', '/_control/clock');
  h.clock.advance(Date.parse(now) - h.clock.now().getTime());
}
