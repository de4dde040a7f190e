import type { IncomingMessage } from 'node:http';

/** A request body read in full, or the fact that it exceeded the limit (then it was drained, not kept). */
export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true; receivedBytes: number };

const bodies = new WeakMap<IncomingMessage, Promise<BodyResult>>();

/**
 * Reads the raw body up to `limitBytes`. Beyond the limit the rest is drained and
 * discarded, so the client still gets our answer instead of a reset connection.
 * Memoised per request (a handler may ask twice).
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const pending = bodies.get(req);
  if (pending !== undefined) return pending;
  const result = new Promise<BodyResult>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limitBytes) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        received > limitBytes
          ? { ok: false, tooLarge: true, receivedBytes: received }
          : { ok: true, bytes: Buffer.concat(chunks) },
      ),
    );
    req.on('error', reject);
  });
  bodies.set(req, result);
  return result;
}

/** Reads and parses a JSON body (an empty body reads as `{}`); says why when it is too large or not JSON. */
export async function readJson(
  req: IncomingMessage,
  limitBytes = 1024 * 1024,
): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  const body = await readBody(req, limitBytes);
  if (!body.ok) return { ok: false, reason: `Body over ${limitBytes} bytes.` };
  const text = body.bytes.toString('utf8').trim();
  if (text === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'Expected a JSON body but it could not be parsed.' };
  }
}
