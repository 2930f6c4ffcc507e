/**
 * The CLI's exit code for every error code of the catalogue (a missing code fails to compile).
 * 0 success, 1 a verification found problems, 2 bad input, 3 not found, 4 conflict,
 * 5 access denied, 6 unavailable, 70 internal error.
 */
import type { ErrorCode } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_VERIFY_FAILED = 1;

export const EXIT_CODES: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 2,
  LIMIT_EXCEEDED: 2,
  NOT_FOUND: 3,
  IDEMPOTENCY_CONFLICT: 4,
  CONFLICT_RETRY_EXHAUSTED: 4,
  CURRENCY_UNKNOWN: 2,
  AMOUNT_INVALID: 2,
  FX_RATE_UNAVAILABLE: 3,
  IMPORT_MALFORMED: 2,
  LEDGER_MISMATCH: 2,
  ACCOUNT_EXISTS: 4,
  ACCOUNT_NOT_FOUND: 3,
  ACCOUNTS_MUST_DIFFER: 2,
  EXCEEDS_CREDITS: 4,
  EXCEEDS_DEBITS: 4,
  PENDING_NOT_FOUND: 3,
  PENDING_ALREADY_RESOLVED: 4,
  PENDING_AMOUNT_EXCEEDED: 2,
  NOT_PENDING: 4,
  REVERSAL_NOT_ALLOWED: 4,
  BATCH_FAILED: 4,
  FORBIDDEN: 5,
  UNAUTHENTICATED: 5,
  DATABASE_UNAVAILABLE: 6,
  INTERNAL: 70,
};
