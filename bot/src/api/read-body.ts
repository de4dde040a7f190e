/**
 * Reads a raw request body up to a limit. restify's bodyReader deliberately leaves
 * application/octet-stream unread, and uploads are exactly that.
 */
import type { IncomingMessage } from 'node:http';

/** Thrown when the body is larger than allowed; carries how much had arrived. */
export class BodyTooLargeError extends Error {
  constructor(readonly receivedBytes: number) {
    super('request body over the limit');
  }
}

/** The whole body, or BodyTooLargeError as soon as more than `maxBytes` arrive (the rest is not buffered). */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      req.resume(); // drain and drop the rest so the connection can answer
      throw new BodyTooLargeError(total);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
