/**
 * The HTTP status of every error code of the catalogue (`src/core/errors.ts`). A `Record`, so a
 * code added to the catalogue without a status here fails to compile.
 *
 * The rules, in order:
 * - 400 the request is malformed: a field is missing, has the wrong type or format, or asks for
 *   more than a named limit allows (`LIMIT_EXCEEDED`: page size, batch size, import rows).
 *   One exception is made in `errors.ts`: a body over `httpBodyBytesMax` is refused by the
 *   transport before any route runs, and answers 413 with the same `LIMIT_EXCEEDED` code.
 * - 412 `If-Match` names a version the record no longer has (a stale write).
 * - 401 / 403 no valid credentials / a role that may not do this (or a cookie-authenticated
 *   write without its CSRF token: `CSRF_REJECTED`, or an identity provider's claims that give
 *   no usable role: `OIDC_CLAIMS_REFUSED`). An OpenID
 *   Connect callback that cannot be completed (unknown or replayed state, a refused code) is 400
 *   `OIDC_LOGIN_FAILED`: a malformed sign-in, not missing credentials.
 * - 429 too many requests (`RATE_LIMITED`) or too many failed sign-ins with one email
 *   (`LOGIN_LOCKED`), with `Retry-After` set from `details.retryAfterSeconds`.
 * - 404 the record named by the path or the body does not exist (or is not visible to you).
 * - 409 a state conflict: the request was fine, but the record's current state forbids it
 *   (already exists, already resolved, not pending, already reversed, key reused). Retrying the
 *   same request will fail the same way until the state changes.
 * - 422 a rule refusal: the request is well-formed but a business or money rule refuses it
 *   (insufficient funds, different ledgers, no FX rate, post above the pending amount).
 * - 503 a transient condition (database or identity provider unreachable, conflicts kept
 *   recurring): retry, with the `Retry-After` seconds of `RETRY_AFTER_SECONDS`.
 * - 500 a bug; the client sees a generic message, the log has the error and the request id.
 */
import type { ErrorCode } from '../core/errors.js';

export const ERROR_STATUS: Record<ErrorCode, number> = {
  // Input
  VALIDATION_FAILED: 400,
  LIMIT_EXCEEDED: 400,
  NOT_FOUND: 404,
  // Concurrency and idempotency
  IDEMPOTENCY_CONFLICT: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  IDEMPOTENCY_ANSWER_LOST: 409,
  PRECONDITION_FAILED: 412,
  CONFLICT_RETRY_EXHAUSTED: 503,
  // Money and FX
  CURRENCY_UNKNOWN: 422,
  AMOUNT_INVALID: 400,
  FX_RATE_UNAVAILABLE: 422,
  IMPORT_MALFORMED: 400,
  IMPORT_ROWS_INVALID: 422,
  // Ledger
  LEDGER_MISMATCH: 422,
  ACCOUNT_EXISTS: 409,
  ACCOUNT_NOT_FOUND: 404,
  ACCOUNTS_MUST_DIFFER: 422,
  EXCEEDS_CREDITS: 422,
  EXCEEDS_DEBITS: 422,
  PENDING_NOT_FOUND: 404,
  PENDING_ALREADY_RESOLVED: 409,
  PENDING_AMOUNT_EXCEEDED: 422,
  NOT_PENDING: 409,
  REVERSAL_NOT_ALLOWED: 409,
  BATCH_FAILED: 422,
  // Workflows
  INVALID_TRANSITION: 409,
  DUPLICATE: 409,
  PRIORITY_RANK_TAKEN: 409,
  APPROVAL_ALREADY_SIGNED: 409,
  ITEM_NOT_APPROVED: 422,
  PACKAGE_NOT_OPEN: 409,
  PACKAGE_NOT_FUNDED: 409,
  ALLOCATION_EXCEEDS_AVAILABLE: 422,
  EARMARK_MISMATCH: 422,
  PLEDGE_BELOW_ALLOCATED: 422,
  PAYMENT_EXCEEDS_COMMITTED: 422,
  CONTRIBUTION_NOT_COMMITTED: 409,
  RECEIPT_EXCEEDS_SHIPPED: 422,
  // Access
  PLAN_STALE: 409,
  PLAN_NOT_ACCEPTABLE: 409,
  PLANNER_BUSY: 503,
  PLAN_SOLVER_FAILED: 503,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CSRF_REJECTED: 403,
  LOGIN_LOCKED: 429,
  RATE_LIMITED: 429,
  OIDC_LOGIN_FAILED: 400,
  OIDC_CLAIMS_REFUSED: 403,
  OIDC_PROVIDER_UNAVAILABLE: 503,
  // Infrastructure
  DATABASE_UNAVAILABLE: 503,
  RESTORE_TARGET_NOT_EMPTY: 409,
  REPORT_RENDERER_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The status of a body larger than `LIMITS.httpBodyBytesMax` (RFC 9110 "Content Too Large"). */
export const BODY_TOO_LARGE_STATUS = 413;

/** `Retry-After` seconds sent with each transient (503) code. */
export const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  CONFLICT_RETRY_EXHAUSTED: 1,
  DATABASE_UNAVAILABLE: 5,
  OIDC_PROVIDER_UNAVAILABLE: 5,
  REPORT_RENDERER_UNAVAILABLE: 10,
  PLANNER_BUSY: 5,
  PLAN_SOLVER_FAILED: 5,
};
