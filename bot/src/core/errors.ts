/**
 * The one application error type. Every failure that reaches a user or an HTTP
 * caller is an AppError with a stable code; adapters translate SDK and HTTP
 * failures into it once, at the edge.
 */

/** Stable error codes. The user-facing text lives in i18n under `errors.<code>`. */
export const ERROR_CODES = [
  // photo input
  'photo.empty',
  'photo.unsupported_format',
  'photo.corrupt',
  'photo.too_large_bytes',
  'photo.too_many_pixels',
  'photo.too_small',
  'photo.busy',
  'photo.decode_timeout',
  // the tenant's photo guidelines refuse it (message key guidelines.refused.<rule>)
  'photo.guideline',
  // the user has no photo to show (HTTP 404)
  'photo.none',
  // getting the photo in
  'download.failed',
  'download.host_not_allowed',
  'download.too_large',
  'download.timeout',
  'input.not_a_photo',
  'input.invalid',
  'input.rate_limited',
  'input.not_found',
  // requests
  'request.not_found',
  'request.not_yours',
  'request.expired',
  'request.already_applied',
  'request.in_progress',
  'request.closed',
  // approvals and undo
  'approval.not_approver',
  'approval.no_approver',
  'approval.reason_required',
  'undo.nothing_to_undo',
  'undo.already_done',
  // admins: coverage and broadcasts
  'admin.forbidden',
  'broadcast.invalid',
  'broadcast.no_coverage',
  'broadcast.group_not_found',
  'broadcast.not_found',
  // admins: bulk import
  'import.archive_unreadable',
  'import.archive_unsafe',
  'import.archive_too_big',
  'import.too_many_files',
  'import.empty',
  'import.invalid_mapping',
  'import.invalid',
  'import.not_found',
  'import.wrong_state',
  'import.busy',
  // Microsoft 365
  'm365.throttled',
  'm365.unavailable',
  'm365.forbidden',
  'm365.mailbox_not_enabled',
  'm365.mailbox_on_premises',
  'm365.photo_too_large',
  'm365.image_too_small',
  'm365.user_not_found',
  'm365.blocked_by_policy',
  'm365.no_photo',
  'm365.unexpected',
  // callers
  'auth.unauthenticated',
  'auth.forbidden',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Values interpolated into the localised message (numbers, sizes, formats). */
export type ErrorParams = Record<string, string | number>;

export interface AppErrorOptions {
  /** HTTP status for API callers; defaults from the code's family. */
  status?: number;
  /** True when trying the same thing later may succeed (throttling, outages). */
  retryable?: boolean;
  /** Seconds after which a retry makes sense, when the far side said so. */
  retryAfterSeconds?: number;
  params?: ErrorParams;
  cause?: unknown;
  /** The i18n key of a more exact message than the code's generic one (the tab's `tab.errors.*`). */
  messageKey?: string;
}

const DEFAULT_STATUS: Record<string, number> = {
  photo: 422,
  download: 422,
  input: 400,
  request: 409,
  approval: 409,
  undo: 409,
  admin: 403,
  broadcast: 409,
  import: 409,
  m365: 502,
  auth: 401,
  internal: 500,
};

/** An error with a stable code, a user-safe message key, an HTTP status and retryability. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly params: ErrorParams;
  private readonly exactMessageKey?: string;

  constructor(code: ErrorCode, detail?: string, options: AppErrorOptions = {}) {
    super(detail ?? code, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? DEFAULT_STATUS[code.split('.')[0]] ?? 500;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.params = options.params ?? {};
    this.exactMessageKey = options.messageKey;
  }

  /** The i18n key of the message shown to users. */
  get messageKey(): string {
    return this.exactMessageKey ?? `errors.${this.code}`;
  }
}

/** Turns anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('internal', err instanceof Error ? err.message : String(err), { cause: err });
}

/** The string and number params of an error (what an audit detail or a stored reason can hold). */
export function scalarParams(params: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}
