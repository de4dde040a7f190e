/**
 * CampaignTransport on the Bot Connector: a recipient's stored chat, or, for someone Headshot
 * never talked to, install through Graph then `POST /v3/conversations`, then the card. Every
 * connector request waits for the shared pace first. Answers become outcomes:
 * 2xx delivered; 429 throttled; 412/502/503/504 busy; other 4xx/5xx failed; no answer after the
 * request left: unknown (never retried, see docs/broadcast.md).
 */
import { AppError } from '../core/errors';
import type { ConversationStore, Locale, StoredConversation } from '../core/ports';
import type {
  CampaignMessage,
  CampaignProgress,
  CampaignTransport,
  DeliveryOutcome,
  PaceGate,
  ProgressCardRef,
  RecipientJob,
} from '../core/broadcast/broadcast-types';
import type { BotConnectorClient, ConnectorAnswer } from '../m365/bot-connector-client';
import { progressCard } from './cards/broadcast-progress-card';
import { reminderCard } from './cards/reminder-card';
import type { AdaptiveCard } from './cards/types';

const RETRY_STATUSES = new Set([412, 502, 503, 504]);

/** Installs the app for a user (Graph). */
export interface AppInstaller {
  install(userId: string): Promise<void>;
}

/** What the transport needs. */
export interface TeamsCampaignTransportDeps {
  connector: BotConnectorClient;
  conversations: ConversationStore;
  /** Absent: only people with a stored chat are reached. */
  installer?: AppInstaller;
  /** The connector for chats Headshot opens (local: the local tenant; m365: Teams' regional service URL). */
  serviceUrl: () => string | undefined;
  botAppId: string;
  tenantId: string;
  now: () => Date;
}

/** The activity carrying one card. */
export function cardActivity(card: AdaptiveCard): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
}

/** A connector answer as an outcome; `messageSent` says whether a failure without answer may have delivered it. */
export function outcomeOf(answer: ConnectorAnswer<unknown>, messageSent: boolean): DeliveryOutcome {
  if (answer.ok) return { kind: 'failed', reason: 'unexpected' };
  if ('sent' in answer) {
    if (!answer.sent) return { kind: 'busy', status: 0 };
    return messageSent ? { kind: 'unknown', reason: answer.message } : { kind: 'busy', status: 0 };
  }
  if (answer.status === 429) return { kind: 'throttled', retryAfterSeconds: answer.retryAfterSeconds ?? 1 };
  if (RETRY_STATUSES.has(answer.status))
    return { kind: 'busy', status: answer.status, retryAfterSeconds: answer.retryAfterSeconds };
  return { kind: 'failed', reason: `http_${answer.status}${answer.code ? `_${answer.code}` : ''}` };
}

/** Sends campaign cards and progress cards through the Bot Connector. */
export class TeamsCampaignTransport implements CampaignTransport {
  constructor(private readonly d: TeamsCampaignTransportDeps) {}

  async deliver(job: RecipientJob, message: CampaignMessage, gate: PaceGate): Promise<DeliveryOutcome> {
    let conversation = this.d.conversations.get(job.userId);
    if (!conversation) {
      const opened = await this.open(job.userId, job.locale, gate);
      if ('kind' in opened) return opened;
      conversation = opened;
    }
    await gate('message');
    const answer = await this.d.connector.send(
      conversation.serviceUrl,
      conversation.conversationId,
      cardActivity(reminderCard(job.locale, message)),
    );
    if (answer.ok && typeof answer.body?.id === 'string')
      return { kind: 'delivered', activityId: answer.body.id, conversationId: conversation.conversationId };
    if (answer.ok) return { kind: 'unknown', reason: 'no activity id in the answer' };
    return outcomeOf(answer, true);
  }

  async updateProgress(card: ProgressCardRef, progress: CampaignProgress, gate: PaceGate): Promise<DeliveryOutcome> {
    const ref = JSON.parse(card.reference) as { serviceUrl?: string; conversation?: { id?: string } };
    if (!ref.serviceUrl || !ref.conversation?.id) return { kind: 'failed', reason: 'bad reference' };
    await gate('other');
    const answer = await this.d.connector.update(
      ref.serviceUrl,
      ref.conversation.id,
      card.activityId,
      cardActivity(progressCard(card.locale, progress)),
    );
    if (answer.ok) return { kind: 'delivered', activityId: card.activityId, conversationId: ref.conversation.id };
    return outcomeOf(answer, false);
  }

  /** Installs the app for the user and creates the 1:1 conversation; stores it for next time. */
  private async open(userId: string, locale: Locale, gate: PaceGate): Promise<StoredConversation | DeliveryOutcome> {
    const serviceUrl = this.d.serviceUrl();
    if (!this.d.installer || !serviceUrl) return { kind: 'failed', reason: 'no_conversation' };
    try {
      await this.d.installer.install(userId);
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError('internal', (err as Error)?.message);
      if (e.retryable) return { kind: 'busy', status: e.status, retryAfterSeconds: e.retryAfterSeconds };
      return { kind: 'failed', reason: `install_${e.code}` };
    }
    await gate('other');
    const created = await this.d.connector.createConversation(serviceUrl, {
      botId: `28:${this.d.botAppId}`,
      userId,
      tenantId: this.d.tenantId,
    });
    if (!created.ok || typeof created.body?.id !== 'string')
      return created.ok ? { kind: 'failed', reason: 'no conversation id' } : outcomeOf(created, false);
    const conversation: StoredConversation = {
      userId,
      tenantId: this.d.tenantId,
      conversationId: created.body.id,
      serviceUrl,
      locale,
      reference: JSON.stringify({
        channelId: 'msteams',
        serviceUrl,
        conversation: { id: created.body.id, conversationType: 'personal', tenantId: this.d.tenantId, isGroup: false },
        bot: { id: `28:${this.d.botAppId}`, name: 'Headshot' },
        user: { id: userId, aadObjectId: userId },
      }),
      updatedAt: this.d.now(),
    };
    this.d.conversations.save(conversation);
    return conversation;
  }
}
