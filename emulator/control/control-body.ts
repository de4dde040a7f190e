import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { GraphError } from '../http/graph-error';
import { readJson } from '../http/read-body';

/** A control API input error (400, `{ error: { code: 'BadRequest', message } }`). */
export function controlBadRequest(message: string): GraphError {
  return new GraphError(400, 'BadRequest', message);
}

/** Reads a JSON body and validates it, failing with 400 naming what was expected and what came. */
export async function controlBody<T>(req: IncomingMessage, schema: z.ZodType<T>, limitBytes = 1024 * 1024): Promise<T> {
  const json = await readJson(req, limitBytes);
  if (!json.ok) throw controlBadRequest(json.reason);
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    throw controlBadRequest(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}
