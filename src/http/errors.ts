/**
 * The one mapping from anything thrown to the error body `{ error: { code, message, details } }`
 * and its HTTP status. Pure: `app.ts` wires it into Fastify's error and not-found handlers.
 *
 * - `DomainError` → its code, message and details; status from `ERROR_STATUS`.
 * - A schema validation failure → `VALIDATION_FAILED`, `details.field` the dotted path of the
 *   first issue (`body.amountMinor`), `details.issues` all of them.
 * - A body over `httpBodyBytesMax` → `LIMIT_EXCEEDED` with status 413; malformed or empty JSON
 *   → `VALIDATION_FAILED` on `body`; other client errors of the framework → `VALIDATION_FAILED`.
 * - A lost or refused database connection → `DATABASE_UNAVAILABLE` (503, `Retry-After`); a
 *   serialization failure or deadlock that escaped the service's retry → `CONFLICT_RETRY_EXHAUSTED`.
 * - Anything else is a bug → `INTERNAL` with the generic message; the caller logs the real error.
 *   Nothing of a foreign error (message, stack, SQL) reaches the client; a 5xx names the
 *   request id instead.
 */
import {
  ERROR_CATALOGUE,
  isDomainError,
  type ErrorCode,
  type ErrorDetails,
} from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import {
  isDatabaseUnavailableError,
  isObject,
  isRetryableConflict,
} from '../storage/database-errors.js';
import { BODY_TOO_LARGE_STATUS, ERROR_STATUS, RETRY_AFTER_SECONDS } from './error-status.js';
import type { ErrorResponse } from './schemas.js';

export interface HttpError {
  status: number;
  headers: Record<string, string>;
  body: ErrorResponse;
  /** How the server should log it: a bug, an outage, or the client's own mistake. */
  logLevel: 'error' | 'warn' | 'info';
}

export interface ValidationIssue {
  field: string;
  message: string;
  code: string;
}

/** Builds the response of an error code; the one place status and headers are derived. */
export function httpError(
  code: ErrorCode,
  options: { message?: string; details?: ErrorDetails; status?: number } = {},
): HttpError {
  const status = options.status ?? ERROR_STATUS[code];
  const headers: Record<string, string> = {};
  // A refusal that knows its own wait (a rate limit, a sign-in lockout) says it in details.
  const given = options.details?.retryAfterSeconds;
  const retryAfterSeconds =
    typeof given === 'number' && Number.isFinite(given) && given >= 0
      ? Math.ceil(given)
      : RETRY_AFTER_SECONDS[code];
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer';
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message: options.message ?? ERROR_CATALOGUE[code],
        details: options.details ?? {},
      },
    },
    logLevel: status >= 500 ? (code === 'INTERNAL' ? 'error' : 'warn') : 'info',
  };
}

/**
 * Maps anything thrown while handling a request to its response. A 5xx carries the request id
 * in `details.requestId`, so a user can quote it and an operator can find the logged error.
 */
export function toHttpError(error: unknown, requestId?: string): HttpError {
  const mapped = classify(error);
  if (requestId === undefined || mapped.status < 500) return mapped;
  const { error: body } = mapped.body;
  return { ...mapped, body: { error: { ...body, details: { ...body.details, requestId } } } };
}

function classify(error: unknown): HttpError {
  if (isDomainError(error)) {
    return httpError(error.code, { message: error.message, details: error.details });
  }
  const validation = validationIssues(error);
  if (validation) {
    const first = validation[0];
    return httpError('VALIDATION_FAILED', {
      message: first ? `${first.field}: ${first.message}` : undefined,
      details: { field: first?.field, issues: validation },
    });
  }
  const framework = frameworkClientError(error);
  if (framework) return framework;
  if (isDatabaseUnavailableError(error)) return httpError('DATABASE_UNAVAILABLE');
  if (isRetryableConflict(error)) return httpError('CONFLICT_RETRY_EXHAUSTED');
  return httpError('INTERNAL');
}

/** The response to a path or method no route serves. */
export function notFoundError(method: string, url: string): HttpError {
  const path = url.split('?')[0] ?? url;
  return httpError('NOT_FOUND', {
    message: `No route ${method} ${path}; see /api/docs for the API.`,
    details: { method, path },
  });
}

interface FastifyValidationEntry {
  instancePath?: string;
  message?: string;
  keyword?: string;
}

function validationIssues(error: unknown): ValidationIssue[] | undefined {
  if (!isObject(error) || !Array.isArray(error.validation) || error.validation.length === 0) {
    return undefined;
  }
  const context = typeof error.validationContext === 'string' ? error.validationContext : 'body';
  return (error.validation as FastifyValidationEntry[]).map((entry) => ({
    field: dottedPath(context, entry.instancePath ?? ''),
    message: entry.message ?? 'invalid',
    code: entry.keyword ?? 'invalid',
  }));
}

/** `('body', '/transfers/2/amountMinor')` → `body.transfers.2.amountMinor`. */
function dottedPath(context: string, instancePath: string): string {
  const segments = instancePath.split('/').filter((segment) => segment !== '');
  return [context, ...segments].join('.');
}

function frameworkClientError(error: unknown): HttpError | undefined {
  if (!isObject(error) || typeof error.code !== 'string' || !error.code.startsWith('FST_')) {
    return undefined;
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return httpError('LIMIT_EXCEEDED', {
        status: BODY_TOO_LARGE_STATUS,
        message: `The request body is larger than ${LIMITS.httpBodyBytesMax} bytes; send less at once.`,
        details: { field: 'body', limit: 'httpBodyBytesMax', max: LIMITS.httpBodyBytesMax },
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return httpError('VALIDATION_FAILED', {
        message: 'The body is not valid JSON.',
        details: { field: 'body' },
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return httpError('VALIDATION_FAILED', {
        message: 'The body is empty but Content-Type is application/json; send a JSON body.',
        details: { field: 'body' },
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return httpError('VALIDATION_FAILED', {
        message: 'This Content-Type is not accepted; send application/json.',
        details: { field: 'headers.content-type' },
      });
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status < 400 || status >= 500) return undefined;
  // A framework error about the request (bad URL, bad Content-Length…): its message names no
  // data of ours, so it is safe and useful to pass on.
  return httpError('VALIDATION_FAILED', {
    message: typeof error.message === 'string' ? error.message : undefined,
    details: { reason: error.code },
  });
}
