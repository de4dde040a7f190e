import type { Server } from 'restify';
import { readBody } from '../http/read-body';
import { sendJson } from '../http/responses';
import { plainRoute, query } from '../http/route';
import type { TenantState } from '../state/tenant-state';
import { controlBadRequest } from './control-body';

/** Largest file the files stand-in accepts. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Registers control routes for the Bot Connector record and the attachment files. */
export function registerControlConnectorRoutes(server: Server, state: TenantState): void {
  server.get(
    '/_control/connector/activities',
    plainRoute(async (req, res) => {
      sendJson(res, 200, { value: state.connector.list(query(req, 'conversationId')) });
    }),
  );

  server.del(
    '/_control/connector/activities',
    plainRoute(async (_req, res) => {
      state.connector.clear();
      sendJson(res, 200, { ok: true });
    }),
  );

  server.get(
    '/_control/connector/conversations',
    plainRoute(async (_req, res) => {
      sendJson(res, 200, { value: state.connector.listConversations() });
    }),
  );

  server.post(
    '/_control/files',
    plainRoute(async (req, res) => {
      const name = query(req, 'name') ?? 'file.bin';
      if (name === '' || /[/\\]/.test(name))
        throw controlBadRequest(`name must be a plain file name; received '${name}'.`);
      const body = await readBody(req, MAX_FILE_BYTES);
      if (!body.ok) {
        sendJson(res, 413, {
          error: {
            code: 'RequestEntityTooLarge',
            message: `Files are limited to ${MAX_FILE_BYTES} bytes; received ${body.receivedBytes}.`,
          },
        });
        return;
      }
      const contentType = String(req.headers['content-type'] ?? 'application/octet-stream');
      const file = state.files.add(name, contentType, body.bytes);
      const url = `${state.baseUrl}/_files/${file.id}/${encodeURIComponent(file.name)}`;
      sendJson(res, 201, {
        id: file.id,
        name: file.name,
        contentType,
        bytes: body.bytes.length,
        downloadUrl: url,
        contentUrl: url,
      });
    }),
  );
}
