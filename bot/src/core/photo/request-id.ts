/** The one check of a photo request id that arrives from outside (card data, URLs). */

/** A request id: letters, digits, `_` and `-`, 8 to 64 of them (a UUID, or a test's short id). */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
