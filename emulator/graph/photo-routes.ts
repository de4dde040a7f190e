import type { Server } from 'restify';
import { inspectImage } from '../images/photo-image';
import { GraphError, badRequest, requestDenied } from '../http/graph-error';
import { readBody } from '../http/read-body';
import { sendBytes, sendEmpty, sendJson } from '../http/responses';
import type { SeedUser } from '../seed/org-seed';
import type { StoredPhoto } from '../state/photo-store';
import type { TenantState } from '../state/tenant-state';
import { graphEndpoint, subjectUser, type GraphCall } from './graph-call';
import { GRAPH_METADATA } from './user-json';

/** Graph's upload limit for `PUT /photo/$value`. */
const MAX_PHOTO_BYTES = 4 * 1024 * 1024;
const MIN_SIDE = 48;

function imageNotFound(): GraphError {
  return new GraphError(404, 'ImageNotFound', "The photo wasn't found.");
}

/** The photo Graph serves: the mailbox's for Exchange Online users, Entra ID's for everyone else. */
function photoOf(call: GraphCall, user: SeedUser): StoredPhoto {
  const photo = call.state.sync.graphPhoto(user);
  if (photo === undefined) throw imageNotFound();
  return photo;
}

function sizeMeta(photo: StoredPhoto, size: number): Record<string, unknown> {
  return {
    '@odata.mediaContentType': 'image/jpeg',
    '@odata.mediaEtag': photo.etag,
    id: `${size}X${size}`,
    width: size,
    height: size,
  };
}

/** Parses a `{size}` segment such as `48x48` / `48X48` into one of the photo's available sizes; 404 otherwise. */
function requestedSize(call: GraphCall, photo: StoredPhoto): number {
  const raw = String((call.req.params as Record<string, string | undefined>).size ?? '');
  const m = /^(\d+)[xX](\d+)$/.exec(raw);
  const size = m !== null && m[1] === m[2] ? Number(m[1]) : NaN;
  if (!call.state.photos.availableSizes(photo).includes(size)) throw imageNotFound();
  return size;
}

/** Refuses writes the tenant photo policy in force forbids (source on-premises, or a directory role the user lacks). */
function enforcePolicy(call: GraphCall, user: SeedUser): void {
  const policy = call.state.directory.photoPolicy.inForce(call.state.clock.nowMs());
  if (policy.source === 'onPremises') {
    throw requestDenied(
      "Photo updates are managed on-premises for this organization (photoUpdateSettings source is 'onPremises'). Update the photo in on-premises Active Directory.",
    );
  }
  if (
    call.principal.kind === 'user' &&
    policy.allowedRoles.length > 0 &&
    !(user.directoryRoles ?? []).some((r) => policy.allowedRoles.some((a) => a.toLowerCase() === r.toLowerCase()))
  ) {
    throw requestDenied('Photo updates are restricted by the organization to users with specific roles.');
  }
}

/** `GET /users/{id}/photo`: metadata of the largest available size. */
async function getPhotoMeta(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'photo.read');
  const photo = photoOf(call, user);
  const context = `${GRAPH_METADATA(call.version)}#users('${encodeURIComponent(user.id)}')/photo/$entity`;
  sendJson(call.res, 200, {
    '@odata.context': context,
    ...sizeMeta(photo, call.state.sync.graphStore(user).largestSize(photo)),
  });
}

/** `GET /users/{id}/photo/$value`: bytes of the largest available size. */
async function getPhotoValue(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'photo.read');
  const photo = photoOf(call, user);
  const store = call.state.sync.graphStore(user);
  const bytes = await store.rendition(user.id, photo, store.largestSize(photo));
  sendBytes(call.res, 200, bytes, 'image/jpeg', { ETag: photo.etag });
}

/** `GET /users/{id}/photos`: the sizes available for the uploaded picture. */
async function listPhotos(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'photo.read');
  const photo = photoOf(call, user);
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#users('${encodeURIComponent(user.id)}')/photos`,
    value: call.state.sync
      .graphStore(user)
      .availableSizes(photo)
      .map((s) => sizeMeta(photo, s)),
  });
}

/** `GET /users/{id}/photos/{size}`: metadata of one size. */
async function getSizeMeta(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'photo.read');
  const photo = photoOf(call, user);
  const size = requestedSize(call, photo);
  sendJson(call.res, 200, {
    '@odata.context': `${GRAPH_METADATA(call.version)}#users('${encodeURIComponent(user.id)}')/photos/$entity`,
    ...sizeMeta(photo, size),
  });
}

/** `GET /users/{id}/photos/{size}/$value`: bytes of one size, resized from the original. */
async function getSizeValue(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'photo.read');
  const photo = photoOf(call, user);
  const size = requestedSize(call, photo);
  sendBytes(call.res, 200, await call.state.sync.graphStore(user).rendition(user.id, photo, size), 'image/jpeg', {
    ETag: photo.etag,
  });
}

/** `PUT /users/{id}/photo/$value`: validates like Graph (type, 4 MB, decodable, at least 48 px) and stores. */
async function putPhoto(call: GraphCall): Promise<void> {
  const body = await readBody(call.req, MAX_PHOTO_BYTES);
  if (!body.ok) throw new GraphError(413, 'RequestBodyTooLarge', 'Request Entity Too Large');
  const user = subjectUser(call, 'photo.write');
  enforcePolicy(call, user);
  const declared =
    String(call.req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  if (declared !== 'image/jpeg' && declared !== 'image/png') {
    throw badRequest(
      'BadRequest',
      `Expected Content-Type image/jpeg or image/png but received '${declared || '(none)'}'.`,
    );
  }
  const info = body.bytes.length === 0 ? null : await inspectImage(body.bytes);
  if (info === null || (info.format !== 'jpeg' && info.format !== 'png')) {
    throw badRequest(
      'ImageTypeNotSupported',
      `The photo could not be decoded as a JPEG or PNG image (received ${body.bytes.length} bytes${info === null ? '' : ` of ${info.format}`}).`,
    );
  }
  if (info.width < MIN_SIDE)
    throw badRequest(
      'ValidationWidthTooSmall',
      `Width of the image is too small: ${info.width} px, minimum ${MIN_SIDE} px.`,
    );
  if (info.height < MIN_SIDE)
    throw badRequest(
      'ValidationHeightTooSmall',
      `Height of the image is too small: ${info.height} px, minimum ${MIN_SIDE} px.`,
    );
  call.state.sync.write(user, {
    bytes: body.bytes,
    contentType: info.format === 'png' ? 'image/png' : 'image/jpeg',
    width: info.width,
    height: info.height,
    updatedAt: call.state.clock.iso(),
  });
  sendEmpty(call.res, 200);
}

/** `DELETE /users/{id}/photo`: removes the photo (idempotent). */
async function deletePhoto(call: GraphCall): Promise<void> {
  const user = subjectUser(call, 'photo.write');
  enforcePolicy(call, user);
  call.state.sync.remove(user);
  sendEmpty(call.res, 204);
}

/** Registers profile photo routes (and their `/me` aliases). */
export function registerPhotoRoutes(server: Server, state: TenantState): void {
  graphEndpoint(server, state, 'get', '/users/:id/photo', getPhotoMeta);
  graphEndpoint(server, state, 'get', '/users/:id/photo/$value', getPhotoValue);
  graphEndpoint(server, state, 'put', '/users/:id/photo/$value', putPhoto);
  graphEndpoint(server, state, 'patch', '/users/:id/photo/$value', putPhoto);
  graphEndpoint(server, state, 'del', '/users/:id/photo/$value', deletePhoto);
  graphEndpoint(server, state, 'get', '/users/:id/photos', listPhotos);
  graphEndpoint(server, state, 'get', '/users/:id/photos/:size', getSizeMeta);
  graphEndpoint(server, state, 'get', '/users/:id/photos/:size/$value', getSizeValue);
}
