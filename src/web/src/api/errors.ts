/**
 * Errors of the API as the app sees them: the server's `{ error: { code, message, details } }`
 * (schema `ErrorResponse`) with the HTTP status, the field it names (`details.field`, a dotted
 * path such as `body.email`) and the wait it asks for (`Retry-After`, `details.retryAfterSeconds`).
 */
import type { components } from './schema';

export type ErrorCode = components['schemas']['ErrorResponse']['error']['code'];

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The server's error code; `NETWORK` when it could not be reached. */
  readonly code: ErrorCode | 'NETWORK' | 'UNKNOWN';
  /** The input the server names, without its `body.` / `query.` prefix (`email`). */
  readonly field: string | undefined;
  readonly details: Record<string, unknown>;
  /** Seconds to wait before retrying, when the server said. */
  readonly retryAfterSeconds: number | undefined;
  /** The server's request id (quoted on 5xx). */
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: ApiError['code'];
    message: string;
    details?: Record<string, unknown>;
    retryAfterSeconds?: number;
    requestId?: string;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? {};
    const field = this.details.field;
    this.field =
      typeof field === 'string' ? field.replace(/^(body|query|params)\./, '') : undefined;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.requestId = init.requestId;
  }
}

function isErrorBody(value: unknown): value is components['schemas']['ErrorResponse'] {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error;
}

/** The `ApiError` of a refused answer. */
export function apiErrorOf(response: Response, body: unknown): ApiError {
  const header = response.headers.get('retry-after');
  const fromHeader = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (!isErrorBody(body)) {
    return new ApiError({
      status: response.status,
      code: 'UNKNOWN',
      message: `HTTP ${response.status}`,
      ...(fromHeader !== undefined ? { retryAfterSeconds: fromHeader } : {}),
      ...(requestId ? { requestId } : {}),
    });
  }
  const { code, message, details } = body.error;
  const given = details.retryAfterSeconds;
  const retryAfterSeconds = typeof given === 'number' ? given : fromHeader;
  return new ApiError({
    status: response.status,
    code,
    message,
    details,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(requestId ? { requestId } : {}),
  });
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
