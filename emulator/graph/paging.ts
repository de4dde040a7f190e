/**
 * Server-driven paging as Graph does it for directory collections: `$top` (1–999; 100 when absent),
 * an opaque `$skiptoken` in `@odata.nextLink` that repeats every other query option, and 400 for a
 * `$top` out of range or a token Graph would call expired.
 */
import { badRequest } from '../http/graph-error';
import { queryParam, type GraphCall } from './graph-call';

const DEFAULT_TOP = 100;
const MAX_TOP = 999;

function parseTop(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TOP;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    throw badRequest(
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_TOP} inclusive.`,
    );
  }
  return top;
}

function parseSkipToken(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const offset = Number(
    Buffer.from(raw, 'base64url')
      .toString('utf8')
      .replace(/^offset:/, ''),
  );
  if (!Number.isInteger(offset) || offset < 0)
    throw badRequest(
      'Directory_ExpiredPageToken',
      'The specified page token value has expired and can no longer be included in your request.',
    );
  return offset;
}

/** One page of `items` for the call, and the `@odata.nextLink` to the next one (absent on the last page). */
export function pageOf<T>(call: GraphCall, items: readonly T[]): { page: T[]; nextLink?: string } {
  const top = parseTop(queryParam(call, '$top'));
  const offset = parseSkipToken(queryParam(call, '$skiptoken'));
  const page = items.slice(offset, offset + top);
  if (offset + top >= items.length) return { page };
  const path = new URL(call.req.url ?? '/', 'http://local').pathname;
  const next = new URL(`${call.state.baseUrl}${path}`);
  for (const [k, v] of new URL(call.req.url ?? '/', 'http://local').searchParams)
    if (k !== '$skiptoken') next.searchParams.set(k, v);
  next.searchParams.set('$skiptoken', Buffer.from(`offset:${offset + top}`).toString('base64url'));
  return { page, nextLink: next.toString().replace(/%24/g, '$') };
}
