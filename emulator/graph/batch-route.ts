import type { Request, Server } from 'restify';
import { z } from 'zod';
import { authenticateGraph } from '../identity/graph-auth';
import { badRequest, graphErrorBody } from '../http/graph-error';
import { readJson } from '../http/read-body';
import { requestMeta, sendJson } from '../http/responses';
import { graphRoute } from '../http/route';
import type { TenantState } from '../state/tenant-state';

/** Graph's limit on requests in one JSON batch. */
const MAX_BATCH_REQUESTS = 20;

const batchSchema = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.string().min(1),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

type InnerRequest = z.infer<typeof batchSchema>['requests'][number];

/** One entry of a batch answer. */
interface InnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const KEPT_HEADERS = ['content-type', 'retry-after', 'location', 'etag'];

function isJson(contentType: string | undefined): boolean {
  return contentType === undefined || /json/i.test(contentType);
}

/** Encodes an inner request body as Graph does: JSON as is, anything else sent base64. */
function innerBody(r: InnerRequest): Buffer | string | undefined {
  if (r.body === undefined) return undefined;
  const contentType = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (isJson(contentType)) return JSON.stringify(r.body);
  return typeof r.body === 'string' ? Buffer.from(r.body, 'base64') : JSON.stringify(r.body);
}

/**
 * Runs one inner request through the emulator's own HTTP front door, so it meets the
 * same routes, auth, faults and request log as a direct call.
 */
async function runInner(state: TenantState, outer: Request, version: string, r: InnerRequest): Promise<InnerResponse> {
  if (!/^\/?[A-Za-z$]/.test(r.url) || /^https?:/i.test(r.url)) {
    return {
      id: r.id,
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: graphErrorBody(outer, 'BadRequest', `Invalid request URL '${r.url}': use a URL relative to /${version}.`),
    };
  }
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (outer.headers.authorization !== undefined) headers.Authorization = outer.headers.authorization;
  headers['client-request-id'] = requestMeta(outer).clientRequestId;
  const body = innerBody(r);
  if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
    headers['Content-Type'] = 'application/json';
  const url = `${state.baseUrl}/${version}${r.url.startsWith('/') ? '' : '/'}${r.url}`;
  const answer = await fetch(url, { method: r.method.toUpperCase(), headers, body });
  const out: InnerResponse = { id: r.id, status: answer.status, headers: {} };
  for (const name of KEPT_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null)
      out.headers[name === 'content-type' ? 'Content-Type' : name === 'retry-after' ? 'Retry-After' : name] = value;
  }
  const bytes = Buffer.from(await answer.arrayBuffer());
  if (bytes.length > 0) {
    const contentType = answer.headers.get('content-type') ?? undefined;
    out.body = isJson(contentType) ? (JSON.parse(bytes.toString('utf8')) as unknown) : bytes.toString('base64');
  }
  return out;
}

/** Registers `POST /{version}/$batch` (JSON batching, up to 20 requests, `dependsOn` honoured in order). */
export function registerBatchRoute(server: Server, state: TenantState): void {
  for (const version of ['v1.0', 'beta']) {
    server.post(
      `/${version}/$batch`,
      graphRoute(async (req, res) => {
        await authenticateGraph(state, req);
        const json = await readJson(req, 32 * 1024 * 1024);
        const parsed = json.ok ? batchSchema.safeParse(json.value) : undefined;
        if (parsed === undefined || !parsed.success)
          throw badRequest(
            'BadRequest',
            'Expected a JSON batch: { requests: [{ id, method, url, headers?, body? }] }.',
          );
        const requests = parsed.data.requests;
        if (requests.length === 0) throw badRequest('BadRequest', 'The batch contains no requests.');
        if (requests.length > MAX_BATCH_REQUESTS) {
          throw badRequest(
            'BadRequest',
            `The batch contains ${requests.length} requests; the maximum is ${MAX_BATCH_REQUESTS}.`,
          );
        }
        if (new Set(requests.map((r) => r.id)).size !== requests.length)
          throw badRequest('BadRequest', 'Batch request ids must be unique.');
        const done = new Map<string, InnerResponse>();
        const responses: InnerResponse[] = [];
        for (const r of requests) {
          const failedDependency = (r.dependsOn ?? []).find((d) => (done.get(d)?.status ?? 424) >= 400);
          const answer: InnerResponse =
            failedDependency !== undefined
              ? {
                  id: r.id,
                  status: 424,
                  headers: { 'Content-Type': 'application/json' },
                  body: graphErrorBody(req, 'FailedDependency', `Request '${failedDependency}' it depends on failed.`),
                }
              : await runInner(state, req, version, r);
          done.set(r.id, answer);
          responses.push(answer);
        }
        sendJson(res, 200, { responses });
      }),
    );
  }
}
