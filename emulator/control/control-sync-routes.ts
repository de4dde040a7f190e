import type { Server } from 'restify';
import { z } from 'zod';
import { GraphError } from '../http/graph-error';
import { readBody } from '../http/read-body';
import { sendJson } from '../http/responses';
import { param, plainRoute } from '../http/route';
import type { SeedUser } from '../seed/org-seed';
import { AD_THUMBNAIL_LIMIT } from '../state/photo-sync';
import type { StoredPhoto } from '../state/photo-store';
import type { TenantState } from '../state/tenant-state';
import { controlBadRequest, controlBody } from './control-body';

const picturesSchema = z.object({ pictures: z.enum(['legacy', 'modern']) });
const teamsCacheSchema = z.object({ refreshAfterSeconds: z.number().int().min(0) });
const directorySyncScheduleSchema = z.object({
  everyMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .nullable(),
});
const throttlingSchema = z.object({ photoRequestsPerSecond: z.number().positive().max(100_000).nullable() });
const writeWindowSchema = z.object({
  limit: z.number().int().positive().max(10_000_000),
  windowSeconds: z.number().positive().max(86_400),
});
const directoryWritesSchema = z.object({
  limits: z.object({ perApp: writeWindowSchema, perTenant: writeWindowSchema }).nullable(),
});

function userOr404(state: TenantState, idOrUpn: string): SeedUser {
  const user = state.directory.find(idOrUpn);
  if (user === undefined) throw new GraphError(404, 'NotFound', `No user '${idOrUpn}' in the seed.`);
  return user;
}

function photoJson(p: StoredPhoto | null | undefined): Record<string, unknown> | null {
  return p === undefined || p === null
    ? null
    : { width: p.width, height: p.height, bytes: p.bytes.length, etag: p.etag, updatedAt: p.updatedAt };
}

/** Everything the local tenant holds about one user's photo, store by store. */
function photoState(state: TenantState, user: SeedUser): Record<string, unknown> {
  const sync = state.sync;
  const ad = sync.adThumbnail(user);
  const profile = state.sharePoint.profile(user.id);
  const teams = sync.teamsShows(user);
  return {
    userId: user.id,
    upn: user.upn,
    mailbox: user.mailbox,
    userType: user.userType,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled,
    graph: { source: sync.hasOnlineMailbox(user) ? 'exchange' : 'entra', photo: photoJson(sync.graphPhoto(user)) },
    entra: photoJson(state.photos.get(user.id)),
    exchange: sync.hasOnlineMailbox(user) ? photoJson(state.exchangePhotos.get(user.id)) : null,
    ad:
      ad === undefined
        ? null
        : {
            bytes: ad.bytes.length,
            width: ad.width,
            height: ad.height,
            changedAt: new Date(ad.changedAtMs).toISOString(),
            syncedAt: ad.syncedAtMs === null ? null : new Date(ad.syncedAtMs).toISOString(),
            exchangeImport: sync.exchangeImportOf(user) ?? 'pending',
          },
    sharePoint: {
      pictures: sync.sharePointPictures,
      properties: profile === undefined ? null : Object.fromEntries(profile.properties),
      lastExchangeSyncAt:
        profile?.lastExchangeSyncMs == null ? null : new Date(profile.lastExchangeSyncMs).toISOString(),
      files: state.sharePoint
        .thumbnailsOf(user.upn)
        .map((f) => ({ name: f.name, bytes: f.bytes.length, modifiedAt: f.modifiedAt, sourceEtag: f.sourceEtag })),
    },
    teams: {
      photo: photoJson(teams.photo),
      refreshedAt: new Date(teams.refreshedAtMs).toISOString(),
      refreshAfterSeconds: sync.teamsRefreshSeconds,
    },
  };
}

/**
 * Control routes for how photos move between stores: on-premises AD thumbnails and directory
 * sync, SharePoint's kind and profile views, Teams caches, Graph photo throttling, and a
 * per-user view of every store.
 */
export function registerControlSyncRoutes(server: Server, state: TenantState): void {
  server.get(
    '/_control/users/:id/photo-state',
    plainRoute(async (req, res) => {
      sendJson(res, 200, photoState(state, userOr404(state, param(req, 'id'))));
    }),
  );

  // An admin changes the user's thumbnailPhoto in on-premises AD (raw JPEG body, at most 100 KB).
  server.put(
    '/_control/users/:id/ad-thumbnail',
    plainRoute(async (req, res) => {
      const user = userOr404(state, param(req, 'id'));
      if (!user.onPremisesSyncEnabled)
        throw controlBadRequest(`${user.upn} is not synced from on-premises AD (onPremisesSyncEnabled is false).`);
      const body = await readBody(req, AD_THUMBNAIL_LIMIT);
      if (!body.ok) {
        sendJson(res, 413, {
          error: {
            code: 'RequestEntityTooLarge',
            message: `thumbnailPhoto holds at most ${AD_THUMBNAIL_LIMIT} bytes; received ${body.receivedBytes}.`,
          },
        });
        return;
      }
      const thumb = await state.sync.setAdThumbnail(user, body.bytes).catch(() => {
        throw controlBadRequest('Expected a JPEG body (the thumbnailPhoto attribute).');
      });
      sendJson(res, 200, { ok: true, bytes: thumb.bytes.length, width: thumb.width, height: thumb.height });
    }),
  );

  // One Entra Connect run.
  server.post(
    '/_control/directory-sync',
    plainRoute(async (_req, res) => {
      sendJson(res, 200, { at: state.clock.iso(), value: state.sync.directorySync() });
    }),
  );

  // Entra Connect's scheduler: a cycle every `everyMinutes` of virtual time (30 by default), or null for none.
  server.get(
    '/_control/directory-sync/schedule',
    plainRoute(async (_req, res) => sendJson(res, 200, { everyMinutes: state.sync.directorySyncMinutes })),
  );

  server.put(
    '/_control/directory-sync/schedule',
    plainRoute(async (req, res) => {
      state.sync.directorySyncMinutes = (await controlBody(req, directorySyncScheduleSchema)).everyMinutes;
      sendJson(res, 200, { everyMinutes: state.sync.directorySyncMinutes });
    }),
  );

  server.get(
    '/_control/sharepoint/pictures',
    plainRoute(async (_req, res) => sendJson(res, 200, { pictures: state.sync.sharePointPictures })),
  );

  server.put(
    '/_control/sharepoint/pictures',
    plainRoute(async (req, res) => {
      state.sync.sharePointPictures = (await controlBody(req, picturesSchema)).pictures;
      sendJson(res, 200, { pictures: state.sync.sharePointPictures });
    }),
  );

  // The user opens their own profile in SharePoint or Delve (legacy: may copy from Exchange).
  server.post(
    '/_control/sharepoint/profile-view/:id',
    plainRoute(async (req, res) => {
      sendJson(res, 200, await state.sync.profileView(userOr404(state, param(req, 'id'))));
    }),
  );

  // The user signs out of Teams and in again: Teams' cache of their photo is refreshed.
  server.post(
    '/_control/teams/sign-in/:id',
    plainRoute(async (req, res) => {
      const view = state.sync.teamsSignIn(userOr404(state, param(req, 'id')));
      sendJson(res, 200, { photo: photoJson(view.photo), refreshedAt: new Date(view.refreshedAtMs).toISOString() });
    }),
  );

  server.get(
    '/_control/teams/cache',
    plainRoute(async (_req, res) => sendJson(res, 200, { refreshAfterSeconds: state.sync.teamsRefreshSeconds })),
  );

  server.put(
    '/_control/teams/cache',
    plainRoute(async (req, res) => {
      state.sync.teamsRefreshSeconds = (await controlBody(req, teamsCacheSchema)).refreshAfterSeconds;
      sendJson(res, 200, { refreshAfterSeconds: state.sync.teamsRefreshSeconds });
    }),
  );

  // Graph's directory write limits on photo writes (on by default with Microsoft's numbers; null turns them off).
  server.get(
    '/_control/throttling/directory-writes',
    plainRoute(async (_req, res) => sendJson(res, 200, state.writeLimiter.status())),
  );

  server.put(
    '/_control/throttling/directory-writes',
    plainRoute(async (req, res) => {
      state.writeLimiter.configure((await controlBody(req, directoryWritesSchema)).limits);
      sendJson(res, 200, state.writeLimiter.status());
    }),
  );

  server.get(
    '/_control/throttling',
    plainRoute(async (_req, res) => sendJson(res, 200, state.photoLimiter.status())),
  );

  server.put(
    '/_control/throttling',
    plainRoute(async (req, res) => {
      state.photoLimiter.configure((await controlBody(req, throttlingSchema)).photoRequestsPerSecond);
      sendJson(res, 200, state.photoLimiter.status());
    }),
  );
}
