import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'restify';
import { sendJson } from '../http/responses';
import type { TenantState } from '../state/tenant-state';
import { SHAREPOINT_PREFIX } from '../state/sharepoint-store';

/** SharePoint's own app id, also accepted as a token audience. */
export const SHAREPOINT_APP_ID = '00000003-0000-0ff1-ce00-000000000000';

/** Which JSON flavour the caller asked for with `Accept` (SharePoint Online defaults to minimal metadata, shaped like nometadata). */
export type ODataMode = 'verbose' | 'nometadata';

/** The OData mode of a request. */
export function odataMode(req: IncomingMessage): ODataMode {
  return /odata=verbose/i.test(String(req.headers.accept ?? '')) ? 'verbose' : 'nometadata';
}

/** A SharePoint REST failure, written once in SharePoint's error shape. */
export class SharePointError extends Error {
  constructor(
    readonly status: number,
    /** SharePoint's code: a number and the .NET exception, e.g. `-2130575338, Microsoft.SharePoint.SPException`. */
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SharePointError';
  }
}

/** 404 for a file or folder that is not there. */
export function fileNotFound(): SharePointError {
  return new SharePointError(404, '-2130575338, Microsoft.SharePoint.SPException', 'File Not Found.');
}

/** 403 as SharePoint words it. */
export function accessDenied(): SharePointError {
  return new SharePointError(
    403,
    '-2147024891, System.UnauthorizedAccessException',
    'Access denied. You do not have permission to perform this action or access this resource.',
  );
}

/** 400 for a request SharePoint cannot parse. */
export function spBadRequest(message: string): SharePointError {
  return new SharePointError(400, '-1, Microsoft.SharePoint.Client.InvalidClientQueryException', message);
}

/** Writes a SharePoint error in the caller's OData mode. */
function sendSharePointError(req: IncomingMessage, res: ServerResponse, err: SharePointError): void {
  if (err.status === 401) {
    sendJson(res, 401, { error_description: err.message }, err.headers);
    return;
  }
  const error = { code: err.code, message: { lang: 'en-US', value: err.message } };
  sendJson(res, err.status, odataMode(req) === 'verbose' ? { error } : { 'odata.error': error }, err.headers);
}

/** Writes an entity in the caller's OData mode: verbose wraps it in `d` with `__metadata`. */
export function sendEntity(
  req: Request,
  res: Response,
  state: TenantState,
  type: string,
  uri: string,
  entity: Record<string, unknown>,
): void {
  if (odataMode(req) === 'verbose') {
    const absolute = `${state.baseUrl}${SHAREPOINT_PREFIX}${uri}`;
    sendJson(res, 200, { d: { __metadata: { id: absolute, uri: absolute, type }, ...entity } });
  } else {
    sendJson(res, 200, entity);
  }
}

/** A collection property: `{ results: [...] }` in verbose mode, a bare array otherwise. */
export function collection(req: IncomingMessage, items: unknown[], itemType?: string): unknown {
  if (odataMode(req) !== 'verbose') return items;
  return {
    __metadata: { type: itemType === undefined ? 'Collection(Edm.String)' : `Collection(${itemType})` },
    results: itemType === undefined ? items : items.map((i) => ({ __metadata: { type: itemType }, ...(i as object) })),
  };
}

/** Wraps a SharePoint handler: SharePointErrors and crashes become SharePoint-shaped answers. */
export function sharePointRoute(
  handler: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (res.headersSent) return;
      if (err instanceof SharePointError) sendSharePointError(req, res, err);
      else
        sendSharePointError(
          req,
          res,
          new SharePointError(500, '-2146233088, System.Exception', `Local tenant error: ${(err as Error).message}`),
        );
    }
  };
}
