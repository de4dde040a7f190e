/** fromGraphError / retryAfterSeconds / graphErrorCode: the one place Graph failures become AppErrors. */
import { GraphError } from '@microsoft/microsoft-graph-client';
import { AppError } from '../../../bot/src/core/errors';
import { fromGraphError, graphErrorCode, retryAfterSeconds } from '../../../bot/src/m365/graph-errors';

function graphError(status: number, code: string | null, headers?: Record<string, string>, body?: unknown): GraphError {
  const e = new GraphError(status, `Graph said ${code}`);
  e.code = code;
  if (headers) e.headers = new Headers(headers);
  if (body !== undefined) e.body = body;
  return e;
}

const NOW = Date.parse('2025-03-01T09:00:00Z');

describe('retryAfterSeconds', () => {
  test.each<[string | undefined, number | undefined]>([
    ['120', 120],
    ['0', 0],
    ['1.2', 2],
    ['-5', 0],
    [new Date(NOW + 90_000).toUTCString(), 90],
    [new Date(NOW + 1_500).toUTCString(), 1], // HTTP dates have whole seconds: 09:00:01
    [new Date(NOW - 60_000).toUTCString(), 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('Retry-After %j -> %j', (value, expected) => {
    expect(retryAfterSeconds(new Headers(value === undefined ? {} : { 'Retry-After': value }), NOW)).toBe(expected);
  });

  test('no headers at all -> undefined', () => {
    expect(retryAfterSeconds(undefined, NOW)).toBeUndefined();
  });
});

describe('fromGraphError', () => {
  test.each<[string, GraphError, Partial<AppError>]>([
    [
      '429 with Retry-After seconds',
      graphError(429, 'TooManyRequests', { 'Retry-After': '12' }),
      {
        code: 'm365.throttled',
        retryable: true,
        retryAfterSeconds: 12,
        status: 503,
        params: { retryAfterSeconds: 12 },
      },
    ],
    [
      '429 without Retry-After',
      graphError(429, 'TooManyRequests'),
      { code: 'm365.throttled', retryable: true, retryAfterSeconds: 30 },
    ],
    [
      '503 with Retry-After',
      graphError(503, 'serviceNotAvailable', { 'Retry-After': '7' }),
      { code: 'm365.unavailable', retryable: true, retryAfterSeconds: 7, status: 503 },
    ],
    [
      '503 without Retry-After',
      graphError(503, 'serviceNotAvailable'),
      { code: 'm365.unavailable', retryable: true, retryAfterSeconds: undefined },
    ],
    ['504', graphError(504, 'gatewayTimeout'), { code: 'm365.unavailable', retryable: true }],
    ['502', graphError(502, 'BadGateway'), { code: 'm365.unavailable', retryable: true }],
    ['no answer (-1)', graphError(-1, 'TypeError'), { code: 'm365.unavailable', retryable: true }],
    [
      'mailbox not enabled',
      graphError(404, 'MailboxNotEnabledForRESTAPI'),
      { code: 'm365.mailbox_not_enabled', retryable: false },
    ],
    [
      'mailbox on-premises',
      graphError(404, 'MailboxNotHostedInExchangeOnline'),
      { code: 'm365.mailbox_on_premises', retryable: false },
    ],
    ['413', graphError(413, 'RequestBodyTooLarge'), { code: 'm365.photo_too_large', retryable: false }],
    [
      '400 ValidationWidthTooSmall',
      graphError(400, 'ValidationWidthTooSmall'),
      { code: 'm365.image_too_small', retryable: false },
    ],
    [
      '400 ImageTypeNotSupported',
      graphError(400, 'ImageTypeNotSupported'),
      { code: 'm365.unexpected', retryable: false },
    ],
    ['401', graphError(401, 'InvalidAuthenticationToken'), { code: 'm365.forbidden', retryable: false }],
    ['403', graphError(403, 'Authorization_RequestDenied'), { code: 'm365.forbidden', retryable: false }],
    [
      '404 user',
      graphError(404, 'Request_ResourceNotFound'),
      { code: 'm365.user_not_found', status: 404, retryable: false },
    ],
    ['500', graphError(500, 'generalException'), { code: 'm365.unexpected', retryable: false, status: 502 }],
  ])('%s', (_name, err, expected) => {
    const e = fromGraphError(err);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject(expected);
    expect(e.cause).toBe(err);
  });

  test('a Retry-After given as an HTTP date becomes seconds from now', () => {
    const e = fromGraphError(
      graphError(429, 'TooManyRequests', { 'Retry-After': new Date(Date.now() + 120_000).toUTCString() }),
    );
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  test('a failure that is not from Graph (network, DNS) is retryable unavailability', () => {
    const cause = new TypeError('fetch failed');
    expect(fromGraphError(cause)).toMatchObject({ code: 'm365.unavailable', retryable: true, cause });
  });

  test('an AppError passes through unchanged', () => {
    const e = new AppError('m365.throttled', 'already mapped', { retryable: true });
    expect(fromGraphError(e)).toBe(e);
  });

  test('the code is read from the body when the SDK read the error as bytes (photo $value)', () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ error: { code: 'MailboxNotEnabledForRESTAPI', message: 'x' } }),
    );
    const asArrayBuffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
    expect(fromGraphError(graphError(404, null, undefined, asArrayBuffer)).code).toBe('m365.mailbox_not_enabled');
    expect(graphErrorCode(graphError(404, null, undefined, asArrayBuffer))).toBe('MailboxNotEnabledForRESTAPI');
    expect(graphErrorCode(graphError(404, null, undefined, body))).toBe('MailboxNotEnabledForRESTAPI');
    expect(
      graphErrorCode(graphError(404, null, undefined, new TextEncoder().encode('<html>nope</html>').buffer)),
    ).toBeUndefined();
    expect(graphErrorCode(graphError(404, 'ImageNotFound', undefined, asArrayBuffer))).toBe('ImageNotFound');
    expect(graphErrorCode(new Error('not graph'))).toBeUndefined();
  });
});
