import type { Server } from 'restify';
import { GraphError } from '../http/graph-error';
import { sendJson } from '../http/responses';
import type { SeedUser } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';
import { graphEndpoint, subjectUser, type GraphCall } from './graph-call';
import { GRAPH_METADATA } from './user-json';

const TIME_ZONES: Record<string, string> = {
  'en-US': 'Pacific Standard Time',
  'fi-FI': 'FLE Standard Time',
  'nl-NL': 'W. Europe Standard Time',
  'pl-PL': 'Central European Standard Time',
};

const LANGUAGE_NAMES: Record<string, string> = {
  'en-US': 'English (United States)',
  'fi-FI': 'Finnish (Finland)',
  'nl-NL': 'Dutch (Netherlands)',
  'pl-PL': 'Polish (Poland)',
};

/**
 * The error Exchange-backed Graph calls give for users without an Exchange Online mailbox; undefined if it has one.
 * Microsoft 365 answers `MailboxNotEnabledForRESTAPI` alike for a guest, an unlicensed user and a hybrid user whose
 * mailbox is on-premises (public reports of hybrid tenants; `MailboxNotHostedInExchangeOnline` is rarely seen), so
 * the code alone does not tell an on-premises mailbox from none: the user's properties must.
 */
function mailboxError(user: SeedUser): GraphError | undefined {
  if (user.userType === 'Guest' || user.mailbox === 'none' || user.mailbox === 'onPremises') {
    return new GraphError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    );
  }
  return undefined;
}

/** `GET /users/{id}/mailboxSettings`: Exchange Online settings, or the mailbox error for this kind of user. */
async function getMailboxSettings(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'mailboxSettings.read');
  const err = mailboxError(user);
  if (err !== undefined) throw err;
  const locale = user.preferredLanguage ?? 'en-US';
  const timeZone = user.timeZone ?? TIME_ZONES[locale] ?? 'UTC';
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#users('${encodeURIComponent(user.id)}')/mailboxSettings`,
    archiveFolder: null,
    timeZone,
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    dateFormat: locale === 'en-US' ? 'M/d/yyyy' : 'dd.MM.yyyy',
    timeFormat: locale === 'en-US' ? 'h:mm tt' : 'HH:mm',
    userPurpose: 'user',
    language: { locale, displayName: LANGUAGE_NAMES[locale] ?? locale },
    // Exchange gives every mailbox working hours: Outlook's default until the user sets their own.
    workingHours: {
      daysOfWeek: user.workingHours?.daysOfWeek ?? ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: user.workingHours?.startTime ?? '08:00:00.0000000',
      endTime: user.workingHours?.endTime ?? '17:00:00.0000000',
      timeZone: { name: timeZone },
    },
  });
}

/** Registers `mailboxSettings` (and `/me/mailboxSettings`). */
export function registerMailboxRoutes(server: Server, state: TenantState): void {
  graphEndpoint(server, state, 'get', '/users/:id/mailboxSettings', getMailboxSettings);
}
