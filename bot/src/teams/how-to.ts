/** "How to send a photo": the card every way into the photo flow starts with. */
import type { TurnContext } from 'botbuilder';
import type { ActivityUser } from './activity-user';
import { howToSendCard } from './cards/how-to-send-card';
import { messageCard } from './cards/message-card';
import { sendCard, type TeamsDeps } from './turn';

/** Shows how to send a photo, with a fresh upload link; says so instead when the tenant policy blocks photo changes. */
export async function sendHowTo(turn: { context: TurnContext; user: ActivityUser; deps: TeamsDeps }): Promise<void> {
  const { context, user, deps } = turn;
  if (await deps.status.selfServiceBlocked()) {
    await sendCard(context, messageCard(user.locale, { kind: 'warning', messageKey: 'status.blocked' }));
    return;
  }
  // Say before the upload whether the photo will need approval, and by whom; a directory hiccup only drops the line.
  const approval = await deps.approvals?.requirementFor(user.userId).catch(() => null);
  const editor = await deps.editorLinks(user, context.activity.serviceUrl);
  await sendCard(
    context,
    howToSendCard(user.locale, {
      uploadUrl: await deps.uploadLink(user),
      editorLink: editor.tabLink,
      editorDialog: editor.dialogs,
      maxMegabytes: deps.maxUploadMegabytes,
      approverName: approval?.required && approval.approverLabel ? approval.approverLabel : undefined,
    }),
  );
}
