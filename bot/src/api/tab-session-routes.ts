/**
 * What the tab needs before anyone signs in: `GET /api/tab/config`, and in local mode the demo
 * sign-in (`GET /api/local/people`, `POST /api/local/sign-in`). The local routes are always
 * registered (with their rule) and answer 404 input.not_found outside local mode, so the tab
 * gets the usual error shape instead of restify's.
 */
import type { Server } from 'restify';
import { z } from 'zod';
import { route, type AccessControl } from './route-rules';
import { TabError, jsonHandler, readJson } from './tab-http';
import type { LocalSignInBody, TabConfig } from './tab-contract';
import type { LocalSignIn } from '../core/session/local-sign-in';

/** What the session routes need. */
export interface TabSessionDeps {
  config: TabConfig;
  /** Local mode only. */
  local?: LocalSignIn;
  /** Local mode only: the tickets of signed sign-in links (the editor link in clients without dialogs). */
  signInLinks?: { verify(ticket: string): Promise<{ userId: string }> };
}

const signInBody: z.ZodType<LocalSignInBody> = z.union([
  z.object({ userId: z.string().min(1).max(200) }).strict(),
  z.object({ ticket: z.string().min(1).max(4000) }).strict(),
]);

/** Registers the session routes. */
export function registerTabSessionRoutes(server: Server, deps: TabSessionDeps, access: AccessControl): void {
  const localOnly = (): LocalSignIn => {
    if (!deps.local) throw new TabError('input.not_found', 'tab.errors.local_only', 'not local mode', { status: 404 });
    return deps.local;
  };

  route(
    server,
    access,
    { method: 'GET', path: '/api/tab/config', auth: 'public' },
    jsonHandler(async () => deps.config),
  );

  route(
    server,
    access,
    { method: 'GET', path: '/api/local/people', auth: 'public' },
    jsonHandler(async () => localOnly().people()),
  );

  route(
    server,
    access,
    { method: 'POST', path: '/api/local/sign-in', auth: 'public' },
    jsonHandler(async (req) => {
      const local = localOnly();
      const body = await readJson(
        req,
        signInBody,
        () =>
          new TabError('input.invalid', 'tab.errors.person_unknown', 'expected { userId } or { ticket }', {
            status: 400,
          }),
      );
      if ('userId' in body) return local.signIn(body.userId);
      const subject = await deps.signInLinks?.verify(body.ticket).catch(() => null);
      if (!subject)
        // A bad link is bad input to a public route (400), not an ended session (401).
        throw new TabError('input.invalid', 'tab.errors.sign_in_link', 'invalid or expired sign-in link', {
          status: 400,
        });
      return local.signIn(subject.userId);
    }),
  );
}
