import type { Server } from 'restify';
import { z } from 'zod';
import { sendJson } from '../http/responses';
import { plainRoute } from '../http/route';
import type { TenantState } from '../state/tenant-state';
import { controlBody } from './control-body';

const window = z.object({ requests: z.number().int().positive(), seconds: z.number().positive() });
const table = z
  .object({ send: z.array(window), create: z.array(window), members: z.array(window) })
  .partial()
  .strict();
const limitsPatch = z
  .object({
    enabled: z.boolean().optional(),
    /** The global limit per app per tenant (Teams documents 50, and 30 in an older revision). */
    appPerSecond: z.number().positive().optional(),
    perBotPerThread: table.optional(),
    perThreadAllBots: table.optional(),
    retryAfter: z.enum(['always', 'sometimes', 'never']).optional(),
  })
  .strict();

/**
 * `GET/PUT /_control/connector/rate-limits`: Teams' bot rate limits on the connector, what they refused, and what
 * they allowed in each second since the first allowed call (`receipts`, for benchmarks).
 */
export function registerControlRateLimitRoutes(server: Server, state: TenantState): void {
  const answer = () => ({
    ...state.connectorLimiter.config,
    throttled: state.connectorLimiter.throttled,
    allowed: state.connectorLimiter.allowed,
    receipts: state.connectorLimiter.receipts(),
  });
  server.get(
    '/_control/connector/rate-limits',
    plainRoute(async (_req, res) => sendJson(res, 200, answer())),
  );
  server.put(
    '/_control/connector/rate-limits',
    plainRoute(async (req, res) => {
      state.connectorLimiter.configure(await controlBody(req, limitsPatch));
      sendJson(res, 200, answer());
    }),
  );
}
