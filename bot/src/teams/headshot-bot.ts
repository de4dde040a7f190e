/**
 * The Teams edge of Headshot: turns activities into use-case calls and results
 * into cards. Everything a user sees is localised; every failure becomes a card.
 */
import {
  ActivityTypes,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TaskModuleRequest,
  type TaskModuleResponse,
} from 'botbuilder';
import { AppError, toAppError } from '../core/errors';
import type { Locale } from '../core/locale';
import { activityUser, conversationOf, type ActivityUser } from './activity-user';
import { helpCard } from './cards/help-card';
import { welcomeCard } from './cards/welcome-card';
import { errorCard } from './error-card';
import { recogniseIntent } from './intents';
import { findPhotoAttachment, hasOnlyOtherAttachments } from './photo-attachments';
import { sendPreview } from './photo-replies';
import { messageCard } from './cards/message-card';
import { sendStatus } from './status-replies';
import { recogniseAdminCommand } from './admin-intents';
import { answerAdminCommand } from './admin-replies';
import { sendHowTo } from './how-to';
import { answerExecute, answerTaskFetch, answerTaskSubmit } from './invoke-answers';
import { referenceOf, remindersOf, sendCard, type TeamsDeps } from './turn';
import { resolveSubmit } from './verbs/dispatch';

/** The Headshot bot. */
export class HeadshotBot extends TeamsActivityHandler {
  /** When and on which event each conversation was last greeted. */
  private readonly welcomed = new Map<string, { at: number; kind: string; paired: boolean }>();

  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.guarded(context, () => this.handleMessage(context));
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.guarded(context, () => this.welcome(context));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id === botId)) {
        await this.guarded(context, () => this.welcome(context));
      }
      await next();
    });
  }

  private async welcome(context: TurnContext): Promise<void> {
    const user = await this.identify(context);
    // Teams sends installationUpdate and conversationUpdate for one install: greet once for the pair. The same
    // kind of event again (a client reopening the chat, as the Agents Playground does) is a new visit: greet it.
    const key = context.activity.conversation.id;
    const kind = context.activity.type;
    const last = this.welcomed.get(key);
    const now = this.deps.clock.now().getTime();
    if (last && !last.paired && last.kind !== kind && now - last.at < 60_000) {
      // The install's second event: already greeted.
      this.welcomed.set(key, { ...last, paired: true });
      return;
    }
    this.welcomed.set(key, { at: now, kind, paired: false });
    await sendCard(context, welcomeCard(user.locale, { uploadUrl: await this.deps.uploadLink(user) }));
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const user = await this.identify(context);
    const value = activity.value as { verb?: unknown } | undefined;
    if (value && typeof value === 'object' && 'verb' in value) {
      return this.handleCardAction(context, user, value);
    }
    const photo = findPhotoAttachment(activity.attachments);
    if (photo) return this.handlePhoto(context, user, photo);
    if (hasOnlyOtherAttachments(activity.attachments)) throw new AppError('input.not_a_photo');
    const typed = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
    const adminCommand = recogniseAdminCommand(typed);
    if (adminCommand) return answerAdminCommand(context, user, this.deps, adminCommand);
    const { intent } = recogniseIntent(typed);
    switch (intent) {
      case 'update_photo':
        await sendHowTo({ context, user, deps: this.deps });
        return;
      case 'help':
        await sendCard(context, helpCard(user.locale, { notUnderstood: false, isAdmin: await this.isAdmin(user) }));
        return;
      case 'greeting':
        // "hi" is not a question nobody understood: greet back, with what Headshot does.
        await sendCard(context, welcomeCard(user.locale, { uploadUrl: await this.deps.uploadLink(user) }));
        return;
      case 'status':
        await context.sendActivity({ type: ActivityTypes.Typing });
        await sendStatus(context, this.deps.status, user);
        return;
      case 'stop_reminders':
      case 'resume_reminders': {
        const wanted = intent === 'resume_reminders';
        const changed = await remindersOf(this.deps).setReminders(user.userId, wanted);
        const key = wanted
          ? changed
            ? 'reminders.resumed'
            : 'reminders.not_stopped'
          : changed
            ? 'reminders.stopped'
            : 'reminders.already_stopped';
        await sendCard(context, messageCard(user.locale, { kind: 'info', messageKey: key }));
        return;
      }
      case 'cancel': {
        const cancelled = await this.deps.photos.cancelOpen(user.userId);
        await sendCard(
          context,
          messageCard(user.locale, {
            kind: 'info',
            messageKey: cancelled ? 'photo.cancelled' : 'photo.nothing_to_cancel',
          }),
        );
        return;
      }
      default:
        // Not understood: say so and show what works, rather than start an update nobody asked for.
        await sendCard(context, helpCard(user.locale, { notUnderstood: true, isAdmin: await this.isAdmin(user) }));
    }
  }

  /** Whether the help card lists the admin commands for `user`. */
  private async isAdmin(user: ActivityUser): Promise<boolean> {
    if (!this.deps.admin) return false;
    return this.deps.admin.broadcasts.requireAdmin(user.userId).then(
      () => true,
      () => false,
    );
  }

  /** Universal Actions (Action.Execute and card refreshes): the verb table's `execute` handlers. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return answerExecute({ context, invokeValue, identify: () => this.identify(context), deps: this.deps });
  }

  /** Dialogs (task modules) opened from our cards: the verb table's `fetch` handlers. */
  protected override async handleTeamsTaskModuleFetch(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    return answerTaskFetch({ context, request, identify: () => this.identify(context), deps: this.deps });
  }

  /** The dialog's page submitted: close it (an empty answer) or say why not. */
  protected override async handleTeamsTaskModuleSubmit(context: TurnContext): Promise<TaskModuleResponse> {
    const answer = await answerTaskSubmit({ context, identify: () => this.identify(context), deps: this.deps });
    // An empty invoke body is how Teams is told to just close the dialog; the SDK's type has no such case.
    return answer as TaskModuleResponse;
  }

  private async handlePhoto(
    context: TurnContext,
    user: ActivityUser,
    photo: ReturnType<typeof findPhotoAttachment> & object,
  ): Promise<void> {
    this.deps.uploadLimiter?.take(user.userId);
    // A full pipeline refuses before the attachment is downloaded.
    const busy = this.deps.photos.busyNow();
    if (busy) throw busy;
    await context.sendActivity({ type: ActivityTypes.Typing });
    const token = photo.needsBotToken && this.deps.botToken ? await this.deps.botToken() : undefined;
    const bytes = await this.deps.fetcher.fetch(photo.url, { bearerToken: token });
    const result = await this.deps.photos.receive({
      userId: user.userId,
      tenantId: user.tenantId,
      locale: user.locale,
      bytes,
      source: photo.kind,
    });
    const cardId = await sendPreview(context, result.request, result.preview);
    if (cardId) await this.deps.previewCards?.record(result.request, referenceOf(context), cardId);
  }

  private async handleCardAction(context: TurnContext, user: ActivityUser, value: { verb?: unknown }): Promise<void> {
    await resolveSubmit(value.verb, value, { context, user, deps: this.deps })();
  }

  private async identify(context: TurnContext): Promise<ActivityUser> {
    const stored = context.activity.from?.aadObjectId
      ? await this.deps.conversations.get(context.activity.from.aadObjectId)
      : null;
    const user = activityUser(context.activity, stored?.locale);
    if (this.deps.allowedTenantId && user.tenantId !== this.deps.allowedTenantId) {
      throw new AppError('auth.forbidden', `tenant ${user.tenantId} is not served`, { status: 403 });
    }
    // Keep the reference fresh: proactive messages (previews from the upload page, outcomes) use it.
    await this.deps.conversations.save(conversationOf(context.activity as Activity, user, this.deps.clock.now()));
    this.deps.reminderOpenings?.seen(user.userId);
    return user;
  }

  /** Runs a handler; any failure becomes a localised card, and the cause goes to the log without secrets. */
  private async guarded(context: TurnContext, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      const e = toAppError(err);
      const locale: Locale = (() => {
        try {
          return activityUser(context.activity).locale;
        } catch {
          return 'en';
        }
      })();
      const log =
        e.code === 'internal'
          ? this.deps.logger.error.bind(this.deps.logger)
          : this.deps.logger.info.bind(this.deps.logger);
      log(
        { code: e.code, activityId: context.activity.id, err: e.code === 'internal' ? err : undefined },
        'turn failed',
      );
      await sendCard(context, errorCard(locale, e, context.activity.id));
    }
  }
}
