/** An activity's JSON as the bot sent it (the connector does not interpret it). */
export type ActivityJson = Record<string, unknown>;

/** How an activity reached the connector. */
export type ActivityKind = 'send' | 'reply' | 'createConversation';

/** One activity the bot sent, as recorded by the Bot Connector stand-in. */
export interface RecordedActivity {
  /** Id assigned by the connector (returned to the bot as `{ id }`). */
  id: string;
  conversationId: string;
  replyToId: string | null;
  kind: ActivityKind;
  /** Full current JSON (with `id` set); updates replace it in place. */
  activity: ActivityJson;
  receivedAt: string;
  /** Number of `PUT` updates applied. */
  updates: number;
  /** Previous versions, oldest first. */
  history: ActivityJson[];
  deleted: boolean;
}

/** A conversation created with `POST /v3/conversations`. */
export interface RecordedConversation {
  id: string;
  tenantId: string | null;
  isGroup: boolean;
  members: Array<{ id: string }>;
  /** The person of a personal (1:1) chat with the bot: the installation and block state that gate writes. */
  userId?: string;
  bot: { id: string } | null;
  createdAt: string;
}

/** What the bot sent through the connector, in arrival order. */
export class ActivityLog {
  private activities: RecordedActivity[] = [];
  private conversations = new Map<string, RecordedConversation>();
  private lastId = 0;

  /** Records an activity and returns its record (with a fresh, increasing numeric id). */
  record(
    conversationId: string,
    replyToId: string | null,
    kind: ActivityKind,
    activity: ActivityJson,
    nowMs: number,
  ): RecordedActivity {
    this.lastId = Math.max(this.lastId + 1, nowMs);
    const id = String(this.lastId);
    const rec: RecordedActivity = {
      id,
      conversationId,
      replyToId,
      kind,
      activity: { ...activity, id },
      receivedAt: new Date(nowMs).toISOString(),
      updates: 0,
      history: [],
      deleted: false,
    };
    this.activities.push(rec);
    return rec;
  }

  /** Finds a recorded activity of a conversation. */
  find(conversationId: string, activityId: string): RecordedActivity | undefined {
    return this.activities.find((a) => a.conversationId === conversationId && a.id === activityId);
  }

  /** Replaces an activity's JSON in place, keeping the previous version in `history`. */
  update(rec: RecordedActivity, activity: ActivityJson): void {
    rec.history.push(rec.activity);
    rec.activity = { ...activity, id: rec.id };
    rec.updates += 1;
  }

  /** Activities in arrival order, optionally of one conversation. */
  list(conversationId?: string): RecordedActivity[] {
    return this.activities.filter((a) => conversationId === undefined || a.conversationId === conversationId);
  }

  /** Registers a created conversation (idempotent per id). */
  addConversation(conv: RecordedConversation): RecordedConversation {
    const existing = this.conversations.get(conv.id);
    if (existing !== undefined) return existing;
    this.conversations.set(conv.id, conv);
    return conv;
  }

  /** Registers a person's personal chat with a bot (idempotent per id): what installing the app or opening it makes. */
  addPersonalChat(chat: { id: string; tenantId: string; userId: string; botId: string; createdAt: string }): void {
    this.addConversation({
      id: chat.id,
      tenantId: chat.tenantId,
      isGroup: false,
      members: [{ id: `29:${chat.userId}` }],
      userId: chat.userId,
      bot: { id: `28:${chat.botId}` },
      createdAt: chat.createdAt,
    });
  }

  /** A created conversation, if known. */
  conversation(id: string): RecordedConversation | undefined {
    return this.conversations.get(id);
  }

  /** Created conversations in creation order. */
  listConversations(): RecordedConversation[] {
    return [...this.conversations.values()];
  }

  /** Forgets activities and conversations. */
  clear(): void {
    this.activities = [];
    this.conversations.clear();
  }
}
