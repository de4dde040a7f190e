/**
 * Builds the Microsoft Graph client: bearer token from a TokenSource, retries of
 * 429/503/504 honouring Retry-After (the SDK's RetryHandler), then fetch.
 * The SDK's own auth handler only adds the header for https hosts; ours always does,
 * so the same client talks to the local tenant over loopback HTTP.
 */
import {
  Client,
  Context,
  HTTPMessageHandler,
  Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import type { TokenSource } from './token-source';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Adds `Authorization: Bearer` from a TokenSource to every request. */
class BearerTokenMiddleware implements Middleware {
  private next?: Middleware;

  constructor(private readonly tokens: TokenSource) {}

  async execute(context: Context): Promise<void> {
    const token = await this.tokens.getToken(GRAPH_SCOPE);
    this.authorize(context, token);
    if (!this.next) throw new Error('BearerTokenMiddleware must not be last in the chain');
    await this.next.execute(context);
    // A cached token the far side refuses (revoked, or the local tenant's clock moved): forget it and try once more.
    if (context.response?.status === 401 && this.tokens.invalidate) {
      this.tokens.invalidate(GRAPH_SCOPE, token);
      const fresh = await this.tokens.getToken(GRAPH_SCOPE);
      if (fresh === token) return;
      this.authorize(context, fresh);
      await this.next.execute(context);
    }
  }

  private authorize(context: Context, token: string): void {
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set('Authorization', `Bearer ${token}`);
    options.headers = Object.fromEntries(headers.entries());
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** Options for the Graph client. */
export interface GraphClientOptions {
  baseUrl: string;
  tokens: TokenSource;
  /** Retries on 429/503/504 before giving up (default 3). */
  maxRetries?: number;
  /** Base back-off in seconds when no Retry-After is given (default 1). */
  retryDelaySeconds?: number;
}

/** A Graph client pointed at `baseUrl` (graph.microsoft.com or the local tenant). */
export function createGraphClient(options: GraphClientOptions): Client {
  const base = new URL(options.baseUrl);
  return Client.initWithMiddleware({
    baseUrl: `${base.origin}/`,
    customHosts: new Set([base.hostname]),
    defaultVersion: 'v1.0',
    middleware: [
      new BearerTokenMiddleware(options.tokens),
      new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds ?? 1, options.maxRetries ?? 3)),
      new HTTPMessageHandler(),
    ],
  });
}
