/**
 * The one way Headshot reaches people in Teams when they are not waiting for an answer in a
 * turn: previews from the upload page, outcomes, approval cards and their updates, reminders,
 * progress cards. It opens a chat (the stored conversation; else install the app through Graph,
 * then `POST /v3/conversations`, the way Company Communicator does), sends and updates through
 * the Bot Connector's REST API, and answers with a closed outcome instead of throwing: sent,
 * not sent (and why: certain that nothing reached Teams), or unknown (the request left and no
 * answer came, so a retry could deliver twice). Every connector call can wait for a shared pace
 * first (broadcasts). No botbuilder here: the turn machinery would retry on its own and hide
 * 429s from the pacer (see bot-connector-client.ts).
 */
import { AppError } from '../core/errors';
import type { AppInstaller, ConversationStore, StoredConversation } from '../core/conversations/conversation-ports';
import type { Locale } from '../core/locale';
import type { PaceGate } from '../core/broadcast/broadcast-types';
import type { BotConnectorClient, ConnectorAnswer } from '../m365/bot-connector-client';
import type { Metrics } from '../metrics';

/**
 * The largest activity Headshot sends: Teams refuses messages over about 100 KB with 413 `MessageSizeTooBig`
 * (domain.md), so a little under 100 KiB, checked before sending.
 */
export const TEAMS_MESSAGE_MAX_BYTES = 100_000;

/** The size of an activity as the connector receives it. */
export function activityBytes(activity: object): number {
  return Buffer.byteLength(JSON.stringify(activity), 'utf8');
}

/**
 * Why nothing was sent (certain: Teams did not get it). `blocked`: the person blocked the bot; `not_installed`:
 * they do not have the app (the chat is gone, or Headshot may not install it for them); `too_large`: the card is
 * over Teams' message size, refused before sending.
 */
type NotSentReason = 'throttled' | 'busy' | 'failed' | 'no_conversation' | 'blocked' | 'not_installed' | 'too_large';

/** What a proactive send or update did. */
export type SendOutcome =
  | { kind: 'sent'; activityId: string; conversationId: string }
  | { kind: 'not_sent'; reason: NotSentReason; detail: string; status?: number; retryAfterSeconds?: number }
  | { kind: 'unknown'; detail: string };

/** A send that did not happen. */
export type NotSent = Extract<SendOutcome, { kind: 'not_sent' }>;

/** Waits for the shared pace before a connector call (the broadcast pacer's gate; others do not wait). */
type Gate = PaceGate;

/** What the outbox needs. */
export interface TeamsOutboxDeps {
  connector: BotConnectorClient;
  conversations: ConversationStore;
  /** Absent: only people with a stored conversation are reached. */
  installer?: AppInstaller;
  /**
   * The Bot Connector for chats Headshot opens itself (local: the local tenant; m365: TEAMS_SERVICE_URL, else
   * the service URL of a conversation Teams gave us, `hint` first: Teams serves a tenant from one region).
   */
  serviceUrl: (hint?: StoredConversation | null) => Promise<string | undefined>;
  botAppId: string;
  tenantId: string;
  now: () => Date;
  /** Counts sends by outcome (headshot_proactive_sends_total) and connector 429s. */
  metrics?: Metrics;
}

/** How to open a chat when there is none. */
export interface OpenOptions {
  locale: Locale;
  /** A conversation whose service URL the new chat should use (m365: the requester's region). */
  hint?: StoredConversation | null;
  /** Also ask the connector for the user's Teams id (a `29:` MRI: what refresh.userIds lists). */
  teamsId?: boolean;
}

const RETRY_STATUSES = new Set([412, 502, 503, 504]);
const noGate: Gate = async () => undefined;

/** A connector answer as an outcome; `messageSent` says whether a failure without an answer may have delivered it. */
function outcomeOf(answer: ConnectorAnswer<unknown>, messageSent: boolean): SendOutcome {
  if (answer.ok) return { kind: 'not_sent', reason: 'failed', detail: 'unexpected' };
  if ('sent' in answer) {
    if (answer.sent && messageSent) return { kind: 'unknown', detail: answer.message };
    return { kind: 'not_sent', reason: 'busy', status: 0, detail: answer.message };
  }
  // "Status codes from bot conversational APIs" (Teams platform docs): blocked, not in the roster, not installed.
  if (answer.status === 403 && (answer.code === 'ConversationBlockedByUser' || answer.code === 'BotDisabledByAdmin'))
    return { kind: 'not_sent', reason: 'blocked', status: 403, detail: `http_403_${answer.code}` };
  if (
    (answer.status === 403 &&
      (answer.code === 'BotNotInConversationRoster' || answer.code === 'ForbiddenOperationException')) ||
    (answer.status === 404 && answer.code === 'ConversationNotFound')
  )
    return {
      kind: 'not_sent',
      reason: 'not_installed',
      status: answer.status,
      detail: `http_${answer.status}_${answer.code}`,
    };
  if (answer.status === 403 && answer.subCode === 'MessageWritesBlocked')
    return { kind: 'not_sent', reason: 'blocked', status: 403, detail: 'http_403_MessageWritesBlocked' };
  if (answer.status === 413)
    return { kind: 'not_sent', reason: 'too_large', status: 413, detail: 'http_413_MessageSizeTooBig' };
  // Teams does not always send Retry-After with a 429: then the caller backs off on its own.
  if (answer.status === 429)
    return {
      kind: 'not_sent',
      reason: 'throttled',
      status: 429,
      retryAfterSeconds: answer.retryAfterSeconds,
      detail: 'http_429',
    };
  const detail = `http_${answer.status}${answer.code ? `_${answer.code}` : ''}`;
  if (RETRY_STATUSES.has(answer.status))
    return {
      kind: 'not_sent',
      reason: 'busy',
      status: answer.status,
      retryAfterSeconds: answer.retryAfterSeconds,
      detail,
    };
  return { kind: 'not_sent', reason: 'failed', status: answer.status, detail };
}

interface Reference {
  serviceUrl?: string;
  channelId?: string;
  conversation?: { id?: string } & Record<string, unknown>;
  bot?: Record<string, unknown>;
  user?: Record<string, unknown>;
}

/** The activity carrying one card, addressed like botbuilder addresses a proactive message. */
function cardActivity(card: object, ref: Reference): Record<string, unknown> {
  return {
    type: 'message',
    channelId: ref.channelId ?? 'msteams',
    serviceUrl: ref.serviceUrl,
    conversation: ref.conversation,
    from: ref.bot,
    recipient: ref.user,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
}

function parseReference(reference: string): Reference {
  try {
    const ref = JSON.parse(reference) as unknown;
    return ref && typeof ref === 'object' ? (ref as Reference) : {};
  } catch {
    return {};
  }
}

/** Opens chats and sends and updates cards in them, proactively. */
export class TeamsOutbox {
  constructor(private readonly d: TeamsOutboxDeps) {}

  /** The user's chat: the stored one, else (with `open`) one opened now and stored; or why there is none. */
  async conversationWith(
    userId: string,
    open?: OpenOptions,
    gate: Gate = noGate,
  ): Promise<StoredConversation | NotSent> {
    const stored = await this.d.conversations.get(userId);
    if (stored) return stored;
    const serviceUrl = open ? await this.d.serviceUrl(open.hint) : undefined;
    if (!open || !this.d.installer || !serviceUrl)
      return { kind: 'not_sent', reason: 'no_conversation', detail: 'no_conversation' };
    try {
      await this.d.installer.install(userId);
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError('internal', (err as Error)?.message);
      if (e.retryable)
        return {
          kind: 'not_sent',
          reason: 'busy',
          status: e.status,
          retryAfterSeconds: e.retryAfterSeconds,
          detail: `install_${e.code}`,
        };
      return { kind: 'not_sent', reason: 'failed', detail: `install_${e.code}` };
    }
    const bot = { id: `28:${this.d.botAppId}`, name: 'Headshot' };
    await gate('other');
    const created = await this.d.connector.createConversation(serviceUrl, {
      botId: bot.id,
      userId,
      tenantId: this.d.tenantId,
    });
    if (!created.ok) return this.counted(outcomeOf(created, false)) as NotSent;
    if (typeof created.body?.id !== 'string')
      return { kind: 'not_sent', reason: 'failed', detail: 'no conversation id' };
    const conversationId = created.body.id;
    const user: Record<string, unknown> = { id: userId, name: '', aadObjectId: userId };
    if (open.teamsId) {
      await gate('other');
      const member = await this.d.connector.member(serviceUrl, conversationId, userId);
      if (!member.ok) return this.counted(outcomeOf(member, false)) as NotSent;
      if (typeof member.body?.id === 'string') user.id = member.body.id;
      if (typeof member.body?.name === 'string') user.name = member.body.name;
    }
    const conversation: StoredConversation = {
      userId,
      tenantId: this.d.tenantId,
      conversationId,
      serviceUrl,
      locale: open.locale,
      reference: JSON.stringify({
        channelId: 'msteams',
        serviceUrl,
        conversation: { id: conversationId, conversationType: 'personal', tenantId: this.d.tenantId, isGroup: false },
        bot,
        user,
      }),
      updatedAt: this.d.now(),
    };
    await this.d.conversations.save(conversation);
    return conversation;
  }

  /** Sends a card into a conversation. */
  async send(conversation: StoredConversation, card: object, gate: Gate = noGate): Promise<SendOutcome> {
    // The reference is what Teams gave us (botbuilder sends by it too); the columns are its index.
    const ref = parseReference(conversation.reference);
    const serviceUrl = ref.serviceUrl ?? conversation.serviceUrl;
    const activity = cardActivity(card, { ...ref, serviceUrl });
    const tooLarge = this.oversized(activity);
    if (tooLarge) return tooLarge;
    await gate('message');
    const answer = await this.d.connector.send(
      serviceUrl,
      ref.conversation?.id ?? conversation.conversationId,
      activity,
    );
    if (answer.ok && typeof answer.body?.id === 'string')
      return this.counted({ kind: 'sent', activityId: answer.body.id, conversationId: conversation.conversationId });
    if (answer.ok) return this.counted({ kind: 'unknown', detail: 'no activity id in the answer' });
    return this.counted(outcomeOf(answer, true));
  }

  /** Sends a card to a user: into their chat, opened first when `open` is given and there is none. */
  async sendTo(userId: string, card: object, open?: OpenOptions, gate: Gate = noGate): Promise<SendOutcome> {
    return (await this.deliver(userId, () => card, open, gate)).outcome;
  }

  /**
   * Sends the card made for the user's chat (its language, their Teams id) and says which chat it went to. When
   * Teams says the stored chat is gone (the app was removed: 403 not in the roster, 404 no conversation), the chat
   * is forgotten and, when `open` allows it, the app is installed again and the card sent once more; a person who
   * blocked the bot is left alone (`blocked`).
   */
  async deliver(
    userId: string,
    cardFor: (conversation: StoredConversation) => object,
    open?: OpenOptions,
    gate: Gate = noGate,
  ): Promise<{ outcome: SendOutcome; conversation?: StoredConversation }> {
    const first = await this.conversationWith(userId, open, gate);
    if ('kind' in first) return { outcome: first };
    const outcome = await this.send(first, cardFor(first), gate);
    if (!(outcome.kind === 'not_sent' && outcome.reason === 'not_installed')) return { outcome, conversation: first };
    await this.d.conversations.forget(userId, first.conversationId);
    const again = open ? await this.conversationWith(userId, open, gate) : undefined;
    if (again === undefined || ('kind' in again && again.reason === 'no_conversation')) return { outcome };
    if ('kind' in again) return { outcome: again };
    return { outcome: await this.send(again, cardFor(again), gate), conversation: again };
  }

  /** Replaces a message in place (the serialised reference of its conversation, and its id). */
  async update(reference: string, activityId: string, card: object, gate: Gate = noGate): Promise<SendOutcome> {
    const ref = parseReference(reference);
    const conversationId = ref.conversation?.id;
    if (!ref.serviceUrl || !conversationId) return { kind: 'not_sent', reason: 'failed', detail: 'bad reference' };
    const activity = cardActivity(card, ref);
    const tooLarge = this.oversized(activity);
    if (tooLarge) return tooLarge;
    await gate('other');
    const answer = await this.d.connector.update(ref.serviceUrl, conversationId, activityId, activity);
    if (answer.ok) return this.counted({ kind: 'sent', activityId, conversationId });
    return this.counted(outcomeOf(answer, false));
  }

  /** `too_large` when the activity is over Teams' message size (never sent: Teams would refuse it with 413). */
  private oversized(activity: object): NotSent | undefined {
    const bytes = activityBytes({ ...activity, id: 'x' });
    if (bytes <= TEAMS_MESSAGE_MAX_BYTES) return undefined;
    return this.counted({ kind: 'not_sent', reason: 'too_large', detail: `too_large_${bytes}` }) as NotSent;
  }

  private counted(outcome: SendOutcome): SendOutcome {
    const m = this.d.metrics;
    if (!m) return outcome;
    const label = outcome.kind === 'sent' ? 'delivered' : outcome.kind === 'unknown' ? 'unknown' : outcome.reason;
    m.inc('headshot_proactive_sends_total', { outcome: label });
    if (outcome.kind === 'not_sent' && outcome.reason === 'throttled')
      m.inc('headshot_throttled_total', { source: 'bot-connector' });
    return outcome;
  }
}
