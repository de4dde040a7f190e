/** ProfilePhotos on Microsoft Graph: `/users/{id}/photo`. */
import { Client, GraphError, GraphRequest, ResponseType, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import type { PhotoMeta, ProfilePhotos } from '../core/photo/profile-photo-ports';
import { fromGraphError, graphErrorCode } from './graph-errors';

// graphErrorCode, not err.code: `$value` reads ask for bytes, and the SDK then leaves the error's code empty.
const isImageNotFound = (err: unknown): boolean =>
  err instanceof GraphError && err.statusCode === 404 && graphErrorCode(err) === 'ImageNotFound';

/**
 * Graph's header for work that can wait: under load Graph throttles low-priority requests first, so people
 * changing their own photo keep priority over a bulk import (Microsoft Graph throttling guidance,
 * "x-ms-throttle-priority").
 */
const LOW_PRIORITY = 'x-ms-throttle-priority';

/** Reads and writes profile photos through the Graph client (app permission ProfilePhoto.ReadWrite.All). */
export class GraphProfilePhotos implements ProfilePhotos {
  /** `lowPriority`: every request says it can wait (the import's reads). */
  constructor(
    private readonly graph: Client,
    private readonly options: { lowPriority?: boolean } = {},
  ) {}

  private api(path: string, lowPriority = false): GraphRequest {
    const request = this.graph.api(path);
    return lowPriority || this.options.lowPriority ? request.header(LOW_PRIORITY, 'low') : request;
  }

  async getMeta(userId: string): Promise<PhotoMeta | null> {
    try {
      const meta = (await this.api(`/users/${encodeURIComponent(userId)}/photo`).get()) as {
        width?: number;
        height?: number;
        '@odata.mediaEtag'?: string;
      };
      return { width: meta.width ?? 0, height: meta.height ?? 0, etag: meta['@odata.mediaEtag'] };
    } catch (err) {
      if (isImageNotFound(err)) return null;
      throw fromGraphError(err);
    }
  }

  async get(userId: string): Promise<Uint8Array | null> {
    try {
      const body = (await this.api(`/users/${encodeURIComponent(userId)}/photo/$value`)
        .responseType(ResponseType.ARRAYBUFFER)
        .get()) as ArrayBuffer;
      return new Uint8Array(body);
    } catch (err) {
      if (isImageNotFound(err)) return null;
      throw fromGraphError(err);
    }
  }

  async put(userId: string, jpeg: Uint8Array, options: { lowPriority?: boolean } = {}): Promise<void> {
    try {
      // image/jpeg, not octet-stream: the SDK's RetryHandler only retries bodies it considers buffered.
      const request = this.api(`/users/${encodeURIComponent(userId)}/photo/$value`, options.lowPriority);
      // Bulk writes are paced by their caller, which must see each 429 (its Retry-After pauses every write); the
      // SDK's own retry would wait inside the one request instead.
      if (options.lowPriority) request.middlewareOptions([new RetryHandlerOptions(1, 0)]);
      await request.header('Content-Type', 'image/jpeg').put(Buffer.from(jpeg));
    } catch (err) {
      throw fromGraphError(err);
    }
  }

  async remove(userId: string): Promise<void> {
    try {
      await this.api(`/users/${encodeURIComponent(userId)}/photo/$value`).delete();
    } catch (err) {
      if (isImageNotFound(err)) return;
      throw fromGraphError(err);
    }
  }
}
