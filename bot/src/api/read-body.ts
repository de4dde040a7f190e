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

/**
 * The whole body, or BodyTooLargeError as soon as more than `maxBytes` arrive. The rest
 * is then read and dropped (not buffered), so the client finishes sending and sees the
 * answer; past another `maxBytes` the connection is cut instead.
 *
 * Event listeners, not `for await`: leaving a for-await loop early stops the request
 * from being read, and the socket then sits half-read until a server timeout, with the
 * client still waiting to send the rest.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let refused = false;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (refused) {
        if (total > 2 * maxBytes) {
          req.off('data', onData);
          req.socket?.destroy();
        }
        return;
      }
      if (total > maxBytes) {
        refused = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(total));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.once('error', (err) => {
      if (!refused) reject(err);
    });
    req.once('close', () => {
      if (!refused && !req.complete) reject(new Error('request closed before the body was complete'));
    });
  });
}
