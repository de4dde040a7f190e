import type { Server } from 'restify';
import { GraphError } from '../http/graph-error';
import { readBody } from '../http/read-body';
import { sendJson } from '../http/responses';
import { param, plainRoute } from '../http/route';
import { defaultScopes, issueAppToken, issueUserToken, resourceOf, rolesOn } from '../identity/token-issuer';
import { inspectImage } from '../images/photo-image';
import { DEMO_APP } from '../seed/demo-seed';
import { mailboxHoursPatchSchema, photoUpdateSettingsPatchSchema } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';
import { controlBadRequest, controlBody } from './control-body';
import { appTokenSchema, certificateSchema, policyDelaySchema, userTokenSchema } from './control-schemas';

const GRAPH = 'https://graph.microsoft.com';

/** Registers control routes about the tenant's data: photos, policy and tokens. */
export function registerControlTenantRoutes(server: Server, state: TenantState): void {
  // The photo Graph serves for the user (their mailbox's, or Entra ID's when they have no Exchange Online mailbox).
  server.get(
    '/_control/users/:id/photo-info',
    plainRoute(async (req, res) => {
      const user = state.directory.find(param(req, 'id'));
      if (user === undefined) throw new GraphError(404, 'NotFound', `No user '${param(req, 'id')}' in the seed.`);
      const p = state.sync.graphPhoto(user);
      sendJson(
        res,
        200,
        p === undefined
          ? { hasPhoto: false, width: null, height: null, bytes: null, etag: null, updatedAt: null, contentType: null }
          : {
              hasPhoto: true,
              width: p.width,
              height: p.height,
              bytes: p.bytes.length,
              etag: p.etag,
              updatedAt: p.updatedAt,
              contentType: p.contentType,
            },
      );
    }),
  );

  // Puts a photo in place as a Graph write would, without a token or policy checks (test arrangement only).
  server.put(
    '/_control/users/:id/photo',
    plainRoute(async (req, res) => {
      const user = state.directory.find(param(req, 'id'));
      if (user === undefined) throw new GraphError(404, 'NotFound', `No user '${param(req, 'id')}' in the seed.`);
      const body = await readBody(req, 16 * 1024 * 1024);
      const info = body.ok ? await inspectImage(body.bytes) : null;
      if (!body.ok || info === null || (info.format !== 'jpeg' && info.format !== 'png'))
        throw controlBadRequest('Expected a JPEG or PNG body up to 16 MB.');
      state.sync.write(user, {
        bytes: body.bytes,
        contentType: info.format === 'png' ? 'image/png' : 'image/jpeg',
        width: info.width,
        height: info.height,
        updatedAt: state.clock.iso(),
      });
      sendJson(res, 200, { ok: true, width: info.width, height: info.height });
    }),
  );

  // Changes a user's mailbox time zone and working hours, as they would in Outlook's settings.
  server.patch(
    '/_control/users/:id/mailbox-settings',
    plainRoute(async (req, res) => {
      const user = state.directory.find(param(req, 'id'));
      if (user === undefined) throw new GraphError(404, 'NotFound', `No user '${param(req, 'id')}' in the seed.`);
      const body = await controlBody(req, mailboxHoursPatchSchema);
      if (body.timeZone !== undefined) user.timeZone = body.timeZone;
      if (body.workingHours !== undefined) user.workingHours = body.workingHours;
      sendJson(res, 200, { timeZone: user.timeZone ?? null, workingHours: user.workingHours ?? null });
    }),
  );

  server.get(
    '/_control/photo-policy',
    plainRoute(async (_req, res) => sendJson(res, 200, state.directory.photoPolicy.settings)),
  );

  // How long a change made through Graph takes to apply (24 hours unless a test shortens it).
  server.put(
    '/_control/photo-policy/delay',
    plainRoute(async (req, res) => {
      const body = await controlBody(req, policyDelaySchema);
      state.directory.photoPolicy.delaySeconds = body.seconds;
      sendJson(res, 200, { seconds: body.seconds });
    }),
  );

  server.put(
    '/_control/photo-policy',
    plainRoute(async (req, res) => {
      const patch = await controlBody(req, photoUpdateSettingsPatchSchema);
      state.directory.photoPolicy.set(patch);
      sendJson(res, 200, state.directory.photoPolicy.settings);
    }),
  );

  server.post(
    '/_control/tokens/user',
    plainRoute(async (req, res) => {
      const body = await controlBody(req, userTokenSchema);
      const user = state.directory.find(body.userId);
      if (user === undefined) throw controlBadRequest(`No user '${body.userId}' in the seed.`);
      if (!user.accountEnabled) {
        sendJson(res, 400, {
          error: 'invalid_grant',
          error_description: 'AADSTS50057: The user account is disabled.',
          error_codes: [50057],
        });
        return;
      }
      const audience = body.audience ?? GRAPH;
      const scopes =
        body.scopes === undefined
          ? defaultScopes(audience)
          : Array.isArray(body.scopes)
            ? body.scopes
            : body.scopes.split(' ').filter((s) => s !== '');
      sendJson(res, 200, await issueUserToken(state, user, body.clientId ?? DEMO_APP.clientId, audience, scopes));
    }),
  );

  server.post(
    '/_control/tokens/app',
    plainRoute(async (req, res) => {
      const body = await controlBody(req, appTokenSchema);
      const clientId = body.clientId ?? DEMO_APP.clientId;
      const registered = state.directory.findApp(clientId);
      const audience = body.audience ?? GRAPH;
      const roles = body.roles ?? (registered ? rolesOn(registered, resourceOf(state, audience)) : undefined);
      if (roles === undefined) throw controlBadRequest(`App '${clientId}' is not registered; pass roles explicitly.`);
      sendJson(
        res,
        200,
        await issueAppToken(state, { clientId, roles }, audience, body.credential === 'certificate' ? '2' : '1'),
      );
    }),
  );

  // An admin uploads a certificate's public key to an app registration (for the client_assertion grant).
  server.post(
    '/_control/apps/:clientId/certificates',
    plainRoute(async (req, res) => {
      const clientId = param(req, 'clientId');
      if (state.directory.findApp(clientId) === undefined)
        throw controlBadRequest(`App '${clientId}' is not registered.`);
      const body = await controlBody(req, certificateSchema);
      try {
        sendJson(res, 201, { thumbprint: await state.appCertificates.add(clientId, body.jwk) });
      } catch (err) {
        throw controlBadRequest((err as Error).message);
      }
    }),
  );
}
