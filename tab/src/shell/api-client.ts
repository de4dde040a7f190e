/** The ApiClient pages use: fetch with the bearer token and Accept-Language, every refusal as an ApiError. */
import type { ApiErrorBody, TabLocale } from '../../../bot/src/api/tab-contract';
import { ApiError, type ApiClient } from '../page-context';

/** Where the client gets its token, and what it does when the service refuses it. */
export interface TokenSource {
  /** The current bearer token (null: no one is signed in). */
  token(): Promise<string | null>;
  /** After a 401: a fresh token to retry once with (host mode), or null to give up. */
  refresh(): Promise<string | null>;
  /** The session is over (401 after the retry): the shell shows "sign in again". */
  ended(): void;
}

/** Messages the client needs in the page's language. */
export interface ClientMessages {
  network(): string;
  server(status: number): string;
}

/** The ApiClient over fetch. */
export class FetchApiClient implements ApiClient {
  constructor(
    private readonly tokens: TokenSource,
    private readonly locale: () => TabLocale,
    private readonly messages: ClientMessages,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PUT', path, body);
  }

  async upload<T>(path: string, body: Blob, contentType: string): Promise<T> {
    const res = await this.send('POST', path, body, contentType);
    return (await res.json()) as T;
  }

  async image(path: string): Promise<string | null> {
    try {
      const res = await this.send('GET', path);
      return URL.createObjectURL(await res.blob());
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  async download(path: string, filename: string): Promise<void> {
    const res = await this.send('GET', path);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? undefined : 'application/json',
    );
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** One call, retried once with a fresh token after a 401; any non-2xx answer throws. */
  private async send(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
    let token = await this.tokens.token();
    let res = await this.fetchOnce(method, path, token, body, contentType);
    if (res.status === 401) {
      token = await this.tokens.refresh();
      if (token !== null) res = await this.fetchOnce(method, path, token, body, contentType);
    }
    if (res.ok) return res;
    const error = await this.errorOf(res);
    if (res.status === 401) this.tokens.ended();
    throw error;
  }

  private async fetchOnce(
    method: string,
    path: string,
    token: string | null,
    body?: BodyInit,
    contentType?: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { 'Accept-Language': this.locale() };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (contentType) headers['Content-Type'] = contentType;
    try {
      return await fetch(path, { method, headers, body, credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network', this.messages.network());
    }
  }

  private async errorOf(res: Response): Promise<ApiError> {
    try {
      const body = (await res.json()) as Partial<ApiErrorBody>;
      if (body.error && typeof body.error.message === 'string') {
        return new ApiError(res.status, body.error.code, body.error.message, body.error.retryAfterSeconds);
      }
    } catch {
      // not our JSON error shape: a generic message below
    }
    return new ApiError(res.status, `http.${res.status}`, this.messages.server(res.status));
  }
}
