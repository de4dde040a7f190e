/**
 * What a Teams handler gets: the turn (to reply and update), who is acting, the parsed card data
 * and the features it may call. Handlers never see the bot object (house style: teams.ts passes an
 * activity context to its routes; a handler holding the app is how import circles start).
 */
import { CardFactory, TurnContext, type Activity } from 'botbuilder';
import { AppError } from '../core/errors';
import { TEAMS_MESSAGE_MAX_BYTES, activityBytes } from '../outbox/teams-outbox';
import type { ConversationStore } from '../core/conversations/conversation-ports';
import type { AdminDownloadResource } from '../core/admin/download-resource';
import type { AttachmentFetcher, PhotoRequest } from '../core/photo/request-ports';
import type { PhotoService } from '../core/photo/photo-service';
import type { ApprovalService } from '../core/approval/approval-service';
import type { StatusService } from '../core/status/status-service';
import type { BroadcastService } from '../core/broadcast/broadcast-service';
import type { CoverageService, CoverageStore } from '../core/coverage/coverage-service';
import type { Logger } from '../logger';
import type { ActivityUser } from './activity-user';
import type { AdaptiveCard } from './cards/types';
import type { EditorLinks } from './editor-links';
import type { Locale } from '../core/locale';
import { t } from '../i18n/i18n';

/** The admin features the bot offers (wired by the composition root). */
export interface AdminFeatures {
  broadcasts: BroadcastService;
  coverage: CoverageService;
  coverageStore: CoverageStore;
  /** A short-lived signed link to a CSV, for this admin. */
  downloadLink: (user: ActivityUser, resource: AdminDownloadResource) => Promise<{ url: string; minutes: number }>;
  /** How old a finished scan may be before "coverage" starts a new one. */
  coverageMaxAgeMs: number;
  now: () => Date;
}

/** The preview cards of photo requests, kept so they close in place (teams/proactive/request-cards.ts). */
export interface PreviewCardKeeper {
  /** Keeps a preview card just sent. */
  record(request: PhotoRequest, reference: string, activityId: string): Promise<void>;
  /** Runs `work` while the click on card `activityId` is answered: closing leaves that card to the answer. */
  answering<T>(activityId: string, work: () => Promise<T>): Promise<T>;
}

/** The features the Teams edge calls, wired by the composition root. */
export interface TeamsDeps {
  photos: PhotoService;
  /** Manager approvals; absent: every confirmed photo is written at once. */
  approvals?: ApprovalService;
  /** Photo status reports and their fixes. */
  status: StatusService;
  /** Coverage and broadcasts for admins; absent: those commands are refused. */
  admin?: AdminFeatures;
  conversations: ConversationStore;
  /** Absent: a preview card closes only when it is the one clicked. */
  previewCards?: PreviewCardKeeper;
  /** Told of each person who talks to the bot (a reminder's "opened" step). */
  reminderOpenings?: { seen(userId: string): void };
  fetcher: AttachmentFetcher;
  /** Photos per user per minute: throws input.rate_limited before anything is downloaded. */
  uploadLimiter?: { take(userId: string): void };
  /** A link to the upload page that identifies the user (signed, short-lived). */
  uploadLink: (user: ActivityUser) => Promise<string>;
  /** The editor (the tab's My photo page): the dialog's URL, and the link for clients without dialogs. */
  editorLinks: (user: ActivityUser, serviceUrl: string | undefined) => Promise<EditorLinks>;
  /** A short-lived signed link that downloads the user's AD-ready photo, and how long it works. */
  adPhotoLink: (user: ActivityUser) => Promise<{ url: string; minutes: number }>;
  /** A token for fetching inline images from the Bot Connector (m365 mode); undefined in local mode. */
  botToken?: () => Promise<string>;
  /** Only activities from this tenant are served (single-tenant deployments); undefined serves any. */
  allowedTenantId?: string;
  maxUploadMegabytes: number;
  clock: { now(): Date };
  logger: Logger;
}

/** One turn as a handler sees it; `data` is the verb's payload, already checked against its schema. */
export interface Turn<Data = Record<string, unknown>> {
  /** The botbuilder turn: reply (`sendActivity`), update the clicked card, read the activity. */
  context: TurnContext;
  user: ActivityUser;
  data: Data;
  deps: TeamsDeps;
}

/** Sends one Adaptive Card as a reply; the new message's id. */
export async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<string | undefined> {
  const activity = { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
  // Teams refuses messages over about 100 KB (413 MessageSizeTooBig): refused here, before sending, as a bug of ours.
  const bytes = activityBytes(activity);
  if (bytes > TEAMS_MESSAGE_MAX_BYTES)
    throw new AppError('internal', `card of ${bytes} bytes is over Teams' message size (${TEAMS_MESSAGE_MAX_BYTES})`);
  const res = await context.sendActivity(activity);
  return res?.id;
}

/** The turn's conversation as a serialised reference: where a proactive update of a message sent now goes. */
export function referenceOf(context: TurnContext): string {
  return JSON.stringify(TurnContext.getConversationReference(context.activity as Activity));
}

/**
 * An Action.Execute answer that leaves the clicked card as it is (its buttons still apply, e.g. "Update my photo"
 * on the welcome card): Teams shows `note` for a moment instead of a new card.
 */
export interface KeepCard {
  keep: true;
  note: string;
}

/** What an Action.Execute handler answers: the card the clicked message becomes, or keep it. */
export type ExecuteAnswer = AdaptiveCard | KeepCard;

/** Keeps the clicked card; the note says the answer is in the chat. */
export function keepCard(locale: Locale): KeepCard {
  return { keep: true, note: t(locale, 'cards.common.answered_below') };
}

/** Whether an answer keeps the clicked card. */
export function isKeep(answer: ExecuteAnswer): answer is KeepCard {
  return (answer as Partial<KeepCard>).keep === true;
}

/** Where a person's reminder opt-out lives: the broadcasts (every person may use it, not only admins). */
export function remindersOf(deps: Pick<TeamsDeps, 'admin'>): BroadcastService {
  if (!deps.admin) throw new AppError('internal', 'reminders need the broadcast features');
  return deps.admin.broadcasts;
}
