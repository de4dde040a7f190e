/** Helpers for follow-through scenarios: change a photo through the chat, move the local tenant's time, tick. */
import { DEMO_USERS } from '../../emulator';
import type { Harness } from './headshot';
import { useLegacySharePoint } from './status-reports';
import { preview } from './approvals';
import type { TeamsChat } from './teams-chat';

/** Moves the local tenant's clock, then lets the service's scheduler run once (a harness on the tenant's clock). */
export async function later(h: Harness, minutes: number): Promise<void> {
  await h.control('POST', '/_control/clock/advance', { seconds: minutes * 60 });
  await h.service.tick();
}

/** The person sends a photo and confirms it: Headshot writes it (self-service, no approval); the request's id. */
export async function changePhoto(chat: TeamsChat, photo?: string): Promise<string> {
  const p = await preview(chat, photo);
  expect(await chat.execute(p.activity, 'photo.confirm', { requestId: p.requestId })).toBe(200);
  await chat.newCards(); // the applied card
  return p.requestId;
}

/**
 * A legacy-SharePoint tenant 30 hours after two changes: Alex's photo showed in Outlook at the first check and in
 * SharePoint after he opened his profile (25 h) at the 30-hour check; Grady's (mailbox on-premises) shows in
 * Microsoft 365 but never in SharePoint, which copies only from Exchange Online.
 */
export async function thirtyHoursOfFollowThrough(h: Harness): Promise<void> {
  await useLegacySharePoint(h);
  await h.service.tick();
  const alex = h.chat({ aadObjectId: DEMO_USERS.alex, locale: 'en-US' });
  const grady = h.chat({ aadObjectId: DEMO_USERS.grady, locale: 'en-US' });
  await changePhoto(alex);
  await changePhoto(grady);
  for (const minutes of [1, 4, 10, 45, 5 * 60, 6 * 60, 6 * 60, 6 * 60]) await later(h, minutes); // up to 24 h
  await later(h, 60);
  await h.control('POST', `/_control/sharepoint/profile-view/${DEMO_USERS.alex}`);
  await later(h, 5 * 60); // 30 h
}
