/**
 * The payload schemas of card verbs (zod). Teams adds its own keys (`verb`, `msteams`, input
 * values) to a card's data, so objects are loose; the fields we read are checked here, once.
 */
import { z } from 'zod';
import { REQUEST_ID_PATTERN } from '../../core/photo/request-id';

/** A request id from card data. */
const requestId = z.string().regex(REQUEST_ID_PATTERN);

/** No fields read. */
export const noPayload = z.looseObject({});

/** A verb about one photo request. */
export const requestPayload = z.looseObject({ requestId });

/** A request id that may be absent (or unusable: then it is ignored). */
export const optionalRequestPayload = z.looseObject({ requestId: requestId.optional().catch(undefined) });

/** Approve, reject, cancel: the request and, for reject, the reason typed on the card. */
export const decisionPayload = z.looseObject({ requestId, reason: z.string().optional().catch(undefined) });

/** Admin verbs: the ids they may carry, and the compose card's inputs as strings. */
export const adminPayload = z.looseObject({
  draftId: z.string().optional(),
  campaignId: z.string().optional(),
  scanId: z.string().optional(),
});
