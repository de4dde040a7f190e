/**
 * Calls to the tab's API as the tab makes them: an SSO token from the local tenant, Accept-Language,
 * JSON. Shared by the tab's integration tests and its browser tests (which set the scene with it).
 */
import { DEMO_APP } from '../../emulator';
import type { Harness } from './headshot';

/** The audience local mode accepts (main.ts composeAccess). */
const LOCAL_AUDIENCE = `api://localhost/${DEMO_APP.clientId}`;

/** A user token from the local tenant's issuer, as the tab's sign-in gets it. */
export async function tokenFor(
  h: Pick<Harness, 'tenant'>,
  userId: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await fetch(`${h.tenant.url}/_control/tokens/user`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, audience: LOCAL_AUDIENCE, scopes: ['access_as_user'], ...extra }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${userId}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** One answer: status, headers, and the body as JSON (or bytes for images). */
export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  json: T;
  bytes: Buffer;
}

/** Options of one call. */
export interface CallOptions {
  token?: string | null;
  locale?: string;
  body?: unknown;
  raw?: Uint8Array;
  headers?: Record<string, string>;
}

/** Calls the service at `path`. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  o: CallOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'accept-language': o.locale ?? 'en', ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: string | Uint8Array | undefined;
  if (o.raw) {
    headers['content-type'] = 'application/octet-stream';
    body = o.raw;
  } else if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  const json = (type.includes('json') && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined) as T;
  return { status: res.status, headers: res.headers, json, bytes };
}

/** A client for one signed-in person. */
export function as(h: Harness, userId: string, locale = 'en') {
  let token: Promise<string> | undefined;
  const run = async <T>(method: string, path: string, o: Omit<CallOptions, 'token'> = {}) =>
    call<T>(h.service.url, method, path, { locale, ...o, token: await (token ??= tokenFor(h, userId)) });
  return {
    get: <T = unknown>(path: string, o?: Omit<CallOptions, 'token'>) => run<T>('GET', path, o),
    post: <T = unknown>(path: string, o?: Omit<CallOptions, 'token'>) => run<T>('POST', path, o),
    put: <T = unknown>(path: string, o?: Omit<CallOptions, 'token'>) => run<T>('PUT', path, o),
  };
}

/** The error body every refusal has. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** `method path` as `userId`, expecting success: the JSON answer (for setting the scene in browser tests). */
export async function apiAs<T>(h: Harness, userId: string, method: string, path: string, body?: unknown): Promise<T> {
  const o: Omit<CallOptions, 'token'> = body instanceof Uint8Array ? { raw: body } : { body };
  const answer = await call<T>(h.service.url, method, path, { ...o, token: await tokenFor(h, userId) });
  if (answer.status >= 300) throw new Error(`${method} ${path} -> ${answer.status} ${answer.bytes.toString('utf8')}`);
  return answer.json;
}
