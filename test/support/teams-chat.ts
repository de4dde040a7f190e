/**
 * A stand-in for the Teams client in tests: sends activities to the real bot
 * endpoint over HTTP, with the local tenant's Bot Connector as serviceUrl, and
 * reads what the bot sent from the local tenant's record.
 */
import crypto from 'node:crypto';

/** An activity as the connector recorded it. */
export interface RecordedActivity {
  id: string;
  type: string;
  text?: string;
  replyToId?: string;
  conversationId?: string;
  attachments?: { contentType: string; content?: unknown }[];
  updates?: number;
  [k: string]: unknown;
}

/** What the local tenant's Bot Connector recorded for one activity. */
interface ConnectorRecord {
  id: string;
  replyToId: string | null;
  activity: Record<string, unknown>;
  updates: number;
  deleted: boolean;
}

/** One user's personal chat with the bot. */
export class TeamsChat {
  readonly conversationId: string;
  private seen = 0;
  /**
   * Cards the bot answered an Action.Execute with, by message id, and how many connector updates the message had
   * then: Teams shows the answer in place of the clicked card until the bot updates the message again.
   */
  private readonly answered = new Map<string, { card: AdaptiveCardJson; afterUpdates: number }>();
  /** Cards Action.Execute answers showed since the last newAnswers(). */
  private fresh: { activityId: string; card: AdaptiveCardJson }[] = [];
  /** The local tenant knows this chat (Teams made it when the person opened the bot). */
  private opened: Promise<void> | undefined;

  constructor(
    private readonly botUrl: () => string,
    private readonly tenantUrl: string,
    readonly user: { aadObjectId: string; name?: string; locale: string; tenantId: string },
    /** An existing conversation, e.g. a chat the bot opened itself; a new personal chat by default. */
    conversationId?: string,
  ) {
    this.conversationId = conversationId ?? `a:personal-${user.aadObjectId}-${crypto.randomBytes(4).toString('hex')}`;
  }

  private base(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: crypto.randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.tenantUrl,
      timestamp: new Date().toISOString(),
      locale: this.user.locale,
      from: {
        id: `29:${this.user.aadObjectId}`,
        aadObjectId: this.user.aadObjectId,
        name: this.user.name ?? 'Test user',
      },
      recipient: { id: '28:headshot-bot', name: 'Headshot' },
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: this.user.tenantId },
      channelData: { tenant: { id: this.user.tenantId } },
      ...extra,
    };
  }

  /**
   * Makes the chat exist in the local tenant, as opening the bot in Teams does (installing the app for the
   * person when they do not have it): the connector takes replies only in chats Teams made.
   */
  open(): Promise<void> {
    this.opened ??= fetch(`${this.tenantUrl}/_control/teams/chats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: this.user.aadObjectId, conversationId: this.conversationId }),
    }).then(async (res) => {
      if (!res.ok) throw new Error(`the local tenant refused the chat: ${res.status} ${await res.text()}`);
    });
    return this.opened;
  }

  /** Posts a raw activity; returns the HTTP status. */
  async post(activity: Record<string, unknown>): Promise<number> {
    await this.open();
    const res = await fetch(`${this.botUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** The user types `text`. */
  say(text: string): Promise<number> {
    return this.post(this.base({ type: 'message', text }));
  }

  /** Teams installs the app for the user. */
  install(): Promise<number> {
    return this.post(this.base({ type: 'installationUpdate', action: 'add' }));
  }

  /**
   * The chat (re)opens: a conversationUpdate adding the bot and the user, as Teams sends with an install and the
   * Agents Playground sends each time it opens the conversation.
   */
  join(): Promise<number> {
    return this.post(
      this.base({
        type: 'conversationUpdate',
        membersAdded: [
          { id: '28:headshot-bot', name: 'Headshot' },
          { id: `29:${this.user.aadObjectId}`, aadObjectId: this.user.aadObjectId },
        ],
      }),
    );
  }

  /** The user sends a message with attachments. */
  sendAttachments(attachments: unknown[], text = ''): Promise<number> {
    return this.post(this.base({ type: 'message', text, attachments }));
  }

  /** The user sends a file in the chat: it is hosted by the local tenant and arrives as file download info. */
  async sendFile(bytes: Uint8Array, name: string, contentType = 'application/octet-stream'): Promise<number> {
    const res = await fetch(`${this.tenantUrl}/_control/files?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: Buffer.from(bytes),
    });
    const file = (await res.json()) as { downloadUrl: string };
    return this.sendAttachments([fileAttachment(file.downloadUrl, name)]);
  }

  /** The user presses an Action.Submit button of a card the bot sent (data merged like Teams does). */
  click(cardActivity: RecordedActivity, data: Record<string, unknown>): Promise<number> {
    return this.post(this.base({ type: 'message', text: '', value: data, replyToId: cardActivity.id }));
  }

  /**
   * The user presses an Action.Execute button (or the client refreshes a card): an `adaptiveCard/action` invoke,
   * as Teams sends it. Resolves to the HTTP status and the invoke response (`{ statusCode, type, value }`).
   */
  async invoke(
    cardActivity: { id: string } | undefined,
    verb: string,
    data: Record<string, unknown>,
    trigger: 'manual' | 'automatic' = 'manual',
  ): Promise<{ status: number; body: { statusCode?: number; type?: string; value?: AdaptiveCardJson } }> {
    const activity = this.base({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: crypto.randomUUID(), verb, data }, trigger },
      ...(cardActivity ? { replyToId: cardActivity.id } : {}),
    });
    await this.open();
    const res = await fetch(`${this.botUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    const body = text ? (JSON.parse(text) as { statusCode?: number; type?: string; value?: AdaptiveCardJson }) : {};
    if (cardActivity && body.type === 'application/vnd.microsoft.card.adaptive' && body.value) {
      const record = (await this.all(false)).find((a) => a.id === cardActivity.id);
      this.answered.set(cardActivity.id, { card: body.value, afterUpdates: record?.updates ?? 0 });
      this.fresh.push({ activityId: cardActivity.id, card: body.value });
    }
    return { status: res.status, body };
  }

  /** The user presses an Action.Execute button (`verb`, `data`): the invoke's HTTP status; its answer replaces the card. */
  async execute(
    cardActivity: RecordedActivity | { id: string },
    verb: string,
    data: Record<string, unknown>,
  ): Promise<number> {
    return (await this.invoke(cardActivity, verb, data)).status;
  }

  /**
   * The user presses a button of a card as Teams delivers it: an Action.Execute as an `adaptiveCard/action` invoke
   * (its answer replaces the card), an Action.Submit as a message with the button's data.
   */
  async press(
    cardActivity: RecordedActivity,
    action: { type: string; verb?: string; data?: Record<string, unknown> },
  ): Promise<number> {
    if (action.type === 'Action.Execute') return this.execute(cardActivity, action.verb ?? '', action.data ?? {});
    if (action.type === 'Action.Submit') return this.click(cardActivity, action.data ?? {});
    throw new Error(`${action.type} is not a button the bot answers`);
  }

  /**
   * The user opens a dialog from a card's `msteams: { type: 'task/fetch' }` Action.Submit (`task/fetch`, with the
   * button's data) or the dialog's page submits (`task/submit`), as Teams sends them. Resolves to the HTTP status
   * and the invoke response body (`{ task: { type, value } }`, or undefined when empty).
   */
  async task(
    name: 'task/fetch' | 'task/submit',
    data: unknown,
  ): Promise<{ status: number; body?: { task?: { type?: string; value?: unknown } } }> {
    const activity = this.base({ type: 'invoke', name, value: { data, context: { theme: 'default' } } });
    await this.open();
    const res = await fetch(`${this.botUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as { task?: { type?: string; value?: unknown } }) : undefined,
    };
  }

  /**
   * Every activity the bot sent to this conversation, as it stands now: connector updates applied, and (with
   * `answers`) the cards Action.Execute answers put in place, as the client shows them.
   */
  async all(answers = true): Promise<RecordedActivity[]> {
    const res = await fetch(
      `${this.tenantUrl}/_control/connector/activities?conversationId=${encodeURIComponent(this.conversationId)}`,
    );
    const records = ((await res.json()) as { value: ConnectorRecord[] }).value;
    return records
      .filter((r) => !r.deleted)
      .map((r) => {
        const activity = { ...r.activity, id: r.id, replyToId: r.replyToId ?? undefined, updates: r.updates };
        const answer = answers ? this.answered.get(r.id) : undefined;
        if (!answer || r.updates > answer.afterUpdates) return activity as RecordedActivity;
        return {
          ...activity,
          attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: answer.card }],
        } as RecordedActivity;
      });
  }

  /**
   * Asks for a photo update with `phrase` (in the chat's language) and takes the upload page's link from the answer,
   * with its ticket (the `#ticket=` fragment the page posts back).
   */
  async uploadLink(phrase: string): Promise<{ link: string; ticket: string }> {
    await this.say(phrase);
    const [howTo] = await this.newCards();
    const link = cardActions(howTo?.card).find((a) => a.type === 'Action.OpenUrl')?.url;
    if (!link) throw new Error('the answer has no upload link');
    return { link, ticket: new URLSearchParams(new URL(link).hash.slice(1)).get('ticket') ?? '' };
  }

  /** The cards Action.Execute answers put in place of clicked cards since the last call, oldest first. */
  newAnswers(): { activityId: string; card: AdaptiveCardJson }[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  /** Messages (not typing indicators) the bot sent since the last call. */
  async newMessages(): Promise<RecordedActivity[]> {
    const all = await this.all();
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    return fresh.filter((a) => a.type === 'message');
  }

  /** The Adaptive Cards among the bot's new messages, with the activity that carried each. */
  async newCards(): Promise<{ activity: RecordedActivity; card: AdaptiveCardJson }[]> {
    return (await this.newMessages()).flatMap((activity) =>
      (activity.attachments ?? [])
        .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
        .map((a) => ({ activity, card: a.content as AdaptiveCardJson })),
    );
  }
}

/** An Adaptive Card as JSON. */
export type AdaptiveCardJson = Record<string, unknown> & { body?: unknown[]; actions?: unknown[] };

/** A Teams file attachment (what a file sent in a 1:1 chat looks like). */
export function fileAttachment(downloadUrl: string, name: string): Record<string, unknown> {
  const ext = name.includes('.') ? name.split('.').pop() : '';
  return {
    contentType: 'application/vnd.microsoft.teams.file.download.info',
    contentUrl: downloadUrl,
    name,
    content: { downloadUrl, uniqueId: crypto.randomUUID(), fileType: ext },
  };
}

/** Every string in a card (texts, titles, alt texts), for asserting what the user reads. */
export function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key?: string) => {
    if (typeof v === 'string') {
      if (key && ['text', 'title', 'altText', 'value', 'fallbackText'].includes(key)) out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(card);
  return out;
}

/** The Action.Submit / Action.Execute data objects of a card, wherever they are. */
export function cardActions(
  card: unknown,
): { title?: string; type: string; verb?: string; data?: Record<string, unknown>; url?: string }[] {
  const out: { title?: string; type: string; verb?: string; data?: Record<string, unknown>; url?: string }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.')) {
        const data = o.data as Record<string, unknown> | undefined;
        out.push({
          title: o.title as string | undefined,
          type: o.type,
          // The verb the bot gets: an Action.Execute's own, or an Action.Submit's data.verb.
          verb: (o.verb as string | undefined) ?? (data?.verb as string | undefined),
          data,
          url: o.url as string | undefined,
        });
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
