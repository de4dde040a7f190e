/** Shared steps of the approval tests: policy through the CLI, photos in, cards and chats out. */
import { DEMO_TENANT_ID } from '../../emulator';
import { approvalsCommand } from '../../bot/src/cli/approvals-command';
import { auditCommand } from '../../bot/src/cli/audit-command';
import type { Harness } from './headshot';
import { cardActions, TeamsChat, type AdaptiveCardJson, type RecordedActivity } from './teams-chat';
import { image } from './photos';

/** Runs a `headshot …` admin command against the harness's data folder; returns exit code and output. */
async function cli(
  h: Harness,
  run: typeof approvalsCommand,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdout: (s: string) => void (out += s),
    stderr: (s: string) => void (err += s),
    env: {
      DATA_DIR: h.dataDir,
      LOCAL_TENANT_PORT: String(new URL(h.tenant.url).port),
      PLAYGROUND: '0',
      USER: 'test-admin',
    },
  };
  const code = await run(args, io);
  return { code, out, err };
}

/** `headshot approvals …`. */
export const approvalsCli = (h: Harness, ...args: string[]) => cli(h, approvalsCommand, args);

/** `headshot audit … --json`, parsed. */
export async function auditJson(
  h: Harness,
  ...args: string[]
): Promise<
  Array<
    Record<string, unknown> & {
      action: string;
      outcome: string;
      actorId: string;
      detail: Record<string, unknown> | null;
    }
  >
> {
  const { code, out, err } = await cli(h, auditCommand, [...args, '--json']);
  expect([code, err]).toEqual([0, '']);
  return JSON.parse(out) as never;
}

/** Sets the approval policy through the CLI (as an admin would). */
export async function setPolicy(h: Harness, ...args: string[]): Promise<void> {
  const { code, err } = await approvalsCli(h, 'policy', 'set', ...args);
  expect([code, err]).toEqual([0, '']);
}

/** Sends a photo and returns the preview card's activity and request id. */
export async function preview(
  chat: TeamsChat,
  photo = 'exif-orientation-examples/Portrait_1.jpg',
): Promise<{ activity: RecordedActivity; requestId: string }> {
  expect(await chat.sendFile(image(photo), 'me.jpg')).toBe(200);
  const cards = await chat.newCards();
  const confirm = cards
    .flatMap((c) => cardActions(c.card).map((a) => ({ a, activity: c.activity })))
    .find((x) => x.a.verb === 'photo.confirm');
  expect(confirm).toBeDefined();
  return { activity: confirm!.activity, requestId: confirm!.a.data!.requestId as string };
}

/** The chat the bot opened with a user it installed itself for (via Graph), as that user's Teams client. */
export async function installedChat(h: Harness, userId: string, locale: string): Promise<TeamsChat> {
  const { value } = await h.control<{ value: { chatId: string }[] }>('GET', `/_control/users/${userId}/installed-apps`);
  expect(value).toHaveLength(1);
  return new TeamsChat(
    () => h.service.url,
    h.tenant.url,
    { aadObjectId: userId, locale, tenantId: DEMO_TENANT_ID },
    value[0].chatId,
  );
}

/**
 * The chat in which the bot sent `userId` the approval card of `requestId` (a chat it opened itself, or one
 * the user had with Headshot before), as that user's Teams client.
 */
export async function approverChat(h: Harness, userId: string, locale: string, requestId: string): Promise<TeamsChat> {
  const { value } = await h.control<{ value: { conversationId: string; activity: Record<string, unknown> }[] }>(
    'GET',
    '/_control/connector/activities',
  );
  const sent = value.find((r) => {
    const recipient = r.activity.recipient as { aadObjectId?: string } | undefined;
    return recipient?.aadObjectId === userId && JSON.stringify(r.activity).includes(`"requestId":"${requestId}"`);
  });
  expect(sent).toBeDefined();
  return new TeamsChat(
    () => h.service.url,
    h.tenant.url,
    { aadObjectId: userId, locale, tenantId: DEMO_TENANT_ID },
    sent!.conversationId,
  );
}

/** The Adaptive Card an activity carries. */
export function cardOf(activity: RecordedActivity | undefined): AdaptiveCardJson {
  const card = activity?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  expect(card).toBeDefined();
  return card as AdaptiveCardJson;
}

/** The activities in a chat that carry the approval card of `requestId`. */
export async function approvalCopies(chat: TeamsChat, requestId: string): Promise<RecordedActivity[]> {
  return (await chat.all()).filter((a) => {
    const card = a.attachments?.[0]?.content as AdaptiveCardJson | undefined;
    const refresh = card?.refresh as { action?: { data?: { requestId?: string } } } | undefined;
    return refresh?.action?.data?.requestId === requestId;
  });
}

/** Photo writes (PUT/DELETE of /photo/$value) the local tenant answered for a user, by status. */
export async function photoWrites(h: Harness, userId: string, method: 'PUT' | 'DELETE' = 'PUT'): Promise<number[]> {
  const { value } = await h.control<{ value: { status: number }[] }>(
    'GET',
    `/_control/requests?method=${method}&path=${encodeURIComponent(`/users/${userId}/photo`)}`,
  );
  return value.map((r) => r.status);
}

/** The photo Graph holds for a user. */
export const photoInfo = (h: Harness, userId: string) =>
  h.control<{ hasPhoto: boolean; bytes: number | null; etag: string | null; width: number | null }>(
    'GET',
    `/_control/users/${userId}/photo-info`,
  );
