import { z } from 'zod';

/** Body of `POST /_control/faults`. */
export const faultSchema = z
  .object({
    method: z.string().min(1).optional(),
    path: z.string().min(1),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().min(0).optional(),
    times: z.number().int().min(1).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    code: z.string().min(1).optional(),
  })
  .refine((f) => f.status !== undefined || f.latencyMs !== undefined, {
    message: 'give a status, a latencyMs, or both',
  });

/** Body of `POST /_control/clock`: an ISO instant or epoch milliseconds. */
export const setClockSchema = z.object({ now: z.union([z.string().min(1), z.number()]) });

/** Body of `POST /_control/clock/advance`. */
export const advanceClockSchema = z.object({ seconds: z.number() });

/** Body of `POST /_control/tokens/user`: a delegated token for a user (tab sign-in, tests). */
export const userTokenSchema = z.object({
  userId: z.string().min(1),
  audience: z.string().min(1).optional(),
  scopes: z.union([z.array(z.string()), z.string()]).optional(),
  clientId: z.string().min(1).optional(),
});

/** Body of `POST /_control/tokens/app`: an app token with chosen roles (permission tests). */
export const appTokenSchema = z.object({
  clientId: z.string().min(1).optional(),
  roles: z.array(z.string()).optional(),
  audience: z.string().min(1).optional(),
  /** How the app authenticated: a secret (`appidacr` 1, the default) or a certificate (2). */
  credential: z.enum(['secret', 'certificate']).optional(),
});

/** Body of `POST /_control/apps/{clientId}/certificates`: the public key of a certificate, as an RSA JWK. */
export const certificateSchema = z.object({
  jwk: z.object({ kty: z.literal('RSA'), n: z.string().min(1), e: z.string().min(1) }).passthrough(),
});

/** Body of `PUT /_control/photo-policy/delay`: seconds until a photoUpdateSettings change made through Graph applies. */
export const policyDelaySchema = z.object({
  seconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600),
});
