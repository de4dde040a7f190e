import type { Server } from 'restify';
import { readJson } from '../http/read-body';
import { sendJson } from '../http/responses';
import { plainRoute, query } from '../http/route';
import { checkSeed } from '../seed/org-seed';
import type { TenantState } from '../state/tenant-state';
import { controlBadRequest, controlBody } from './control-body';
import { advanceClockSchema, faultSchema, setClockSchema } from './control-schemas';

/*
 * The control API lets tests and the README drive the local tenant. It has no
 * authentication: it is loopback-only by nature, because the emulator binds
 * 127.0.0.1 unless told otherwise, and browsers only get CORS grants from loopback
 * origins. Never expose the emulator on a shared interface.
 */

function regexFrom(source: string | undefined, what: string): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch {
    throw controlBadRequest(`${what} must be a valid RegExp source; received '${source}'.`);
  }
}

/** Registers health, reset, seed, clock, faults and the request log. */
export function registerControlRoutes(server: Server, state: TenantState): void {
  server.get(
    '/healthz',
    plainRoute(async (_req, res) => sendJson(res, 200, { ok: true })),
  );

  server.post(
    '/_control/reset',
    plainRoute(async (_req, res) => {
      await state.reset();
      sendJson(res, 200, { ok: true, tenantId: state.directory.tenantId });
    }),
  );

  server.get(
    '/_control/seed',
    plainRoute(async (_req, res) => {
      const d = state.directory;
      sendJson(res, 200, {
        tenantId: d.tenantId,
        domain: d.domain,
        users: d.users,
        apps: d.apps.map(({ clientSecret: _s, ...a }) => a),
        photoUpdateSettings: d.photoPolicy.settings,
      });
    }),
  );

  server.post(
    '/_control/seed',
    plainRoute(async (req, res) => {
      const json = await readJson(req, 8 * 1024 * 1024);
      if (!json.ok) throw controlBadRequest(json.reason);
      const checked = checkSeed(json.value);
      if (checked.seed === null) throw controlBadRequest(`Invalid OrgSeed: ${checked.problems.join('; ')}`);
      await state.applySeed(checked.seed);
      sendJson(res, 200, { ok: true, tenantId: state.directory.tenantId, users: state.directory.users.length });
    }),
  );

  server.get(
    '/_control/clock',
    plainRoute(async (_req, res) => sendJson(res, 200, { now: state.clock.iso() })),
  );

  server.post(
    '/_control/clock',
    plainRoute(async (req, res) => {
      const body = await controlBody(req, setClockSchema);
      const ms = typeof body.now === 'number' ? body.now : Date.parse(body.now);
      if (!Number.isFinite(ms))
        throw controlBadRequest(
          `now must be an ISO 8601 instant or epoch milliseconds; received '${String(body.now)}'.`,
        );
      state.clock.set(ms);
      sendJson(res, 200, { now: state.clock.iso() });
    }),
  );

  server.post(
    '/_control/clock/advance',
    plainRoute(async (req, res) => {
      const body = await controlBody(req, advanceClockSchema);
      state.clock.advance(body.seconds);
      sendJson(res, 200, { now: state.clock.iso() });
    }),
  );

  server.post(
    '/_control/faults',
    plainRoute(async (req, res) => {
      const spec = await controlBody(req, faultSchema);
      regexFrom(spec.path, 'path');
      const fault = state.faults.add(spec);
      sendJson(res, 201, { id: fault.id });
    }),
  );

  server.get(
    '/_control/faults',
    plainRoute(async (_req, res) => sendJson(res, 200, { value: state.faults.list() })),
  );

  server.del(
    '/_control/faults',
    plainRoute(async (_req, res) => {
      state.faults.clear();
      sendJson(res, 200, { ok: true });
    }),
  );

  server.get(
    '/_control/requests',
    plainRoute(async (req, res) => {
      const pattern = regexFrom(query(req, 'path'), 'path');
      sendJson(res, 200, { value: state.requests.query(query(req, 'method'), pattern) });
    }),
  );

  server.del(
    '/_control/requests',
    plainRoute(async (_req, res) => {
      state.requests.clear();
      sendJson(res, 200, { ok: true });
    }),
  );
}
