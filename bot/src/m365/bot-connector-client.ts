/**
 * A thin Bot Connector REST client for broadcasts (`/v3/conversations`, send, update).
 * Broadcasts talk to the connector directly instead of through botbuilder's turn machinery:
 * the pacer must see every 429 and its Retry-After itself (a client that retries on its
 * own would hide them and keep hammering an empty bucket), and a send of thousands should
 * not pay for a turn context per message. Failures are answers, never exceptions.
 */
import { parseRetryAfter } from './retry-after';

/** An answer from the connector. `sent: false` means the request certainly never reached it. */
export type ConnectorAnswer<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; status: number; code?: string; subCode?: string; retryAfterSeconds?: number }
  | { ok: false; status: 0; sent: boolean; message: string };

/** Options of the client. */
export interface BotConnectorOptions {
  /** Bearer token for the connector (m365 mode); absent in local mode. */
  token?: () => Promise<string>;
  timeoutMs?: number;
}

/** Errors that prove the request never left (so a retry cannot duplicate it). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function causeCode(err: unknown): string | undefined {
  const c = (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof c === 'string' ? c : undefined;
}

/** Calls the Bot Connector over fetch. */
export class BotConnectorClient {
  constructor(private readonly options: BotConnectorOptions = {}) {}

  /** `POST /v3/conversations`: a 1:1 conversation with a user (by Entra object id) in a tenant. */
  createConversation(
    serviceUrl: string,
    p: { botId: string; userId: string; tenantId: string },
  ): Promise<ConnectorAnswer<{ id: string }>> {
    return this.call('POST', serviceUrl, '/v3/conversations', {
      bot: { id: p.botId },
      members: [{ id: p.userId }],
      isGroup: false,
      tenantId: p.tenantId,
      channelData: { tenant: { id: p.tenantId } },
    });
  }

  /** `POST /v3/conversations/{id}/activities`. */
  send(
    serviceUrl: string,
    conversationId: string,
    activity: Record<string, unknown>,
  ): Promise<ConnectorAnswer<{ id: string }>> {
    return this.call(
      'POST',
      serviceUrl,
      `/v3/conversations/${encodeURIComponent(conversationId)}/activities`,
      activity,
    );
  }

  /** `PUT /v3/conversations/{id}/activities/{activityId}`: replaces a message in place. */
  update(
    serviceUrl: string,
    conversationId: string,
    activityId: string,
    activity: Record<string, unknown>,
  ): Promise<ConnectorAnswer<{ id: string }>> {
    return this.call(
      'PUT',
      serviceUrl,
      `/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`,
      { ...activity, id: activityId },
    );
  }

  /** `GET /v3/conversations/{id}/members/{memberId}`: a member's Teams identity (its `29:` id). */
  member(
    serviceUrl: string,
    conversationId: string,
    memberId: string,
  ): Promise<ConnectorAnswer<{ id?: string; name?: string; aadObjectId?: string }>> {
    return this.call(
      'GET',
      serviceUrl,
      `/v3/conversations/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(memberId)}`,
    );
  }

  private async call<T>(method: string, serviceUrl: string, path: string, body?: unknown): Promise<ConnectorAnswer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    try {
      if (this.options.token) headers.authorization = `Bearer ${await this.options.token()}`;
    } catch (err) {
      return { ok: false, status: 0, sent: false, message: `token: ${(err as Error).message}` };
    }
    let res: Response;
    try {
      res = await fetch(`${serviceUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      const code = causeCode(err);
      return { ok: false, status: 0, sent: !(code && NOT_SENT.has(code)), message: code ?? (err as Error).name };
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = {};
    }
    if (res.ok) return { ok: true, status: res.status, body: json as T };
    const error = (json as { error?: { code?: unknown; subCode?: unknown } })?.error;
    return {
      ok: false,
      status: res.status,
      code: typeof error?.code === 'string' ? error.code : undefined,
      subCode: typeof error?.subCode === 'string' ? error.subCode : undefined,
      retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
    };
  }
}
