/** The service's pino logger: JSON lines, no tokens, no photo bytes. */
import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that must never reach a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.authorization',
  '*.access_token',
  '*.token',
  '*.ticket',
  '*.bytes',
  '*.master',
  '*.preview',
  '*.contentUrl',
  '*.downloadUrl',
];

/** A logger at `level`, writing to stdout (or to `destination` in tests). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'headshot' },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
