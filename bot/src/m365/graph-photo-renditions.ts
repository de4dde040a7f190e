/** PhotoRenditions on Microsoft Graph: `/users/{id}/photos/{size}/$value`. */
import { Client, GraphError, ResponseType } from '@microsoft/microsoft-graph-client';
import type { PhotoRenditions } from '../core/approval/approval-ports';
import { fromGraphError } from './graph-errors';

/** Reads one size of the user's current photo (Graph serves 48, 64, 96, 120, 240, 360, 432, 504, 648 when the upload was that large). */
export class GraphPhotoRenditions implements PhotoRenditions {
  constructor(private readonly graph: Client) {}

  async square(userId: string, side: number): Promise<Uint8Array | null> {
    try {
      const body = (await this.graph
        .api(`/users/${encodeURIComponent(userId)}/photos/${side}x${side}/$value`)
        .responseType(ResponseType.ARRAYBUFFER)
        .get()) as ArrayBuffer;
      return new Uint8Array(body);
    } catch (err) {
      // No photo (ImageNotFound), or none of that size: the card shows "no photo yet".
      if (err instanceof GraphError && err.statusCode === 404) return null;
      throw fromGraphError(err);
    }
  }
}
