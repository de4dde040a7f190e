/** Replies about one photo request: the preview, the outcome, and in-place card updates. */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { PhotoRequest } from '../core/photo/request-ports';
import type { AdaptiveCard } from './cards/types';
import { previewCard } from './cards/preview-card';
import { appliedCard } from './cards/applied-card';
import { requestClosedCard, type ClosedRequestState } from './cards/request-closed-card';
import { sendCard } from './turn';

/** A JPEG as a data URI for a card image (previews only: never a full photo). */
export function jpegDataUri(jpeg: Uint8Array): string {
  return `data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`;
}

/** The preview card of a request. */
export function previewCardFor(request: PhotoRequest, preview: Uint8Array, masterBytes?: number): AdaptiveCard {
  return previewCard(request.locale, {
    requestId: request.id,
    previewDataUri: jpegDataUri(preview),
    sourceWidth: request.sourceInfo.width,
    sourceHeight: request.sourceInfo.height,
    sourceFormat: request.sourceInfo.format,
    sourceBytes: request.sourceInfo.bytes,
    masterBytes,
    warnings: request.warnings,
  });
}

/** Sends the preview card of a request as a reply; the new message's id. */
export async function sendPreview(
  context: TurnContext,
  request: PhotoRequest,
  preview: Uint8Array,
): Promise<string | undefined> {
  return sendCard(context, previewCardFor(request, preview));
}

/** The success card after a photo was written. */
export function appliedCardFor(request: PhotoRequest, preview: Uint8Array, approvedByName?: string): AdaptiveCard {
  return appliedCard(request.locale, {
    // An undo request has no preview of the photo it restored.
    previewDataUri: preview.byteLength > 0 ? jpegDataUri(preview) : undefined,
    approvedByName,
    undoRequestId: request.flow === 'undo' ? undefined : request.id,
  });
}

/** The closed form of a preview card, so its buttons cannot be pressed again: how the request ended by default. */
export function closedCardFor(
  request: PhotoRequest,
  preview: Uint8Array | null | undefined,
  shows: ClosedRequestState = request.state as ClosedRequestState,
): AdaptiveCard {
  return requestClosedCard(request.locale, {
    state: shows,
    previewDataUri: preview && preview.byteLength > 0 ? jpegDataUri(preview) : undefined,
  });
}

/**
 * Replaces the card the user clicked (the activity the action replies to) with `card`.
 * Best effort: a client that cannot update messages still gets the follow-up reply.
 */
export async function replaceClickedCard(context: TurnContext, card: AdaptiveCard): Promise<boolean> {
  const id = context.activity.replyToId;
  if (!id) return false;
  try {
    await context.updateActivity({ id, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
    return true;
  } catch {
    return false;
  }
}
