/**
 * The one catalogue of error codes. Every failure the product reports to a user is a
 * `DomainError` with one of these codes; the HTTP layer maps each code to a status
 * (`src/http/error-status.ts`, a `Record<ErrorCode, number>` so a missing code fails to compile)
 * and the CLI maps each to an exit code. Each entry says what happened and what to do next.
 */
export const ERROR_CATALOGUE = {
  // Input
  VALIDATION_FAILED: 'A field is missing or malformed; see details.field and correct it.',
  LIMIT_EXCEEDED: 'A named limit was exceeded; see details.limit and send less at once.',
  NOT_FOUND: 'The record does not exist or is not visible to you; check the id.',
  // Concurrency and idempotency
  IDEMPOTENCY_CONFLICT:
    'This Idempotency-Key was already used with a different request; use a new key for a new request.',
  IDEMPOTENCY_IN_PROGRESS:
    'A request with this Idempotency-Key is still being processed; retry in a moment.',
  IDEMPOTENCY_ANSWER_LOST:
    'This request was carried out, but the server stopped before answering; read the record named by details.entity and details.entityId instead of sending it again.',
  PRECONDITION_FAILED:
    'The record changed since you read it (If-Match does not match its ETag); reload it and retry.',
  CONFLICT_RETRY_EXHAUSTED:
    'The database kept reporting concurrent conflicts; nothing was written, retry the request.',
  // Money and FX
  CURRENCY_UNKNOWN: 'The currency is not an ISO 4217 code known to the ledger.',
  AMOUNT_INVALID: 'The amount is not a valid decimal for its currency; check sign and decimals.',
  FX_RATE_UNAVAILABLE:
    'No exchange rate is available for this currency at or shortly before the date; import ECB rates with `purl import fx`.',
  IMPORT_MALFORMED: 'The import file has a malformed row; see details.line and fix the file.',
  IMPORT_ROWS_INVALID:
    'Rows of the import file are invalid (details.errors lists each line and field); nothing was written. Fix them, or pass --skip-invalid to import the valid rows only.',
  // Ledger
  LEDGER_MISMATCH: 'Both accounts of a transfer must be on the same ledger (currency).',
  ACCOUNT_EXISTS: 'An account with this reference already exists with different attributes.',
  ACCOUNT_NOT_FOUND: 'A ledger account named by the transfer does not exist.',
  ACCOUNTS_MUST_DIFFER: 'A transfer needs two different accounts.',
  EXCEEDS_CREDITS: 'The debit account would owe more than it holds (its flag forbids overdraft).',
  EXCEEDS_DEBITS: 'The credit account would exceed its debits (its flag forbids it).',
  PENDING_NOT_FOUND: 'The pending transfer to post or void does not exist.',
  PENDING_ALREADY_RESOLVED:
    'This pending transfer was already posted or voided; it can be resolved once.',
  PENDING_AMOUNT_EXCEEDED: 'A post may not exceed the pending amount.',
  NOT_PENDING: 'Only a pending transfer can be posted or voided.',
  REVERSAL_NOT_ALLOWED:
    'Only a posted (not pending, not already reversed) transfer can be reversed.',
  BATCH_FAILED: 'A linked batch failed as a whole: nothing was written; see details.index.',
  // Workflows
  INVALID_TRANSITION:
    'The record is not in a state that allows this action; see details.from and details.allowed.',
  DUPLICATE: 'A record with the same unique value already exists; see details.field.',
  PRIORITY_RANK_TAKEN:
    'Another item of this list already has that priority rank; choose a free rank.',
  APPROVAL_ALREADY_SIGNED: 'This role has already signed the approval of this list.',
  ITEM_NOT_APPROVED: 'Only approved requirement items of an approved list can go into a package.',
  PACKAGE_NOT_OPEN: 'The package is not open for funding; allocations need an open package.',
  PACKAGE_NOT_FUNDED: 'The package is not fully funded yet; allocate the remaining gap first.',
  ALLOCATION_EXCEEDS_AVAILABLE:
    'The contribution has less unallocated money than this allocation; allocate less or another contribution.',
  EARMARK_MISMATCH:
    'The contribution is earmarked for another capability area or package; choose a matching contribution.',
  PLEDGE_BELOW_ALLOCATED:
    'A contribution cannot be reduced below what is already allocated from it; release allocations first.',
  PAYMENT_EXCEEDS_COMMITTED:
    'Payments cannot exceed the committed amount; record a larger commitment first.',
  CONTRIBUTION_NOT_COMMITTED:
    'A pledge does not count as funding: commit the contribution before allocating or paying.',
  RECEIPT_EXCEEDS_SHIPPED:
    'More was received than the line holds; record the difference as an `over` discrepancy.',
  // Planner
  PLAN_STALE:
    'The money available or the requirement items changed since this plan was made; make the plan again and review it before accepting.',
  PLAN_NOT_ACCEPTABLE:
    'This plan cannot be accepted (see details.reason: it proposes no package, or it holds what-if changes); plan without hypothetical pledges or price changes.',
  PLANNER_BUSY: 'The planner is solving other plans; retry in a few seconds.',
  PLAN_SOLVER_FAILED:
    'The solver could not solve this plan (see details); retry, and report it if it happens again.',
  // Access
  FORBIDDEN: 'Your role may not do this; ask a user with the right role.',
  UNAUTHENTICATED: 'Sign in first, or send a valid bearer token.',
  CSRF_REJECTED:
    'A write signed in by the session cookie must echo the purl_csrf cookie in the X-CSRF-Token header; sign in again if it is missing.',
  LOGIN_LOCKED:
    'Too many failed sign-ins with this email address: sign-in with it is paused; retry after Retry-After seconds (details.retryAfterSeconds).',
  RATE_LIMITED:
    'Too many requests from this client; retry after Retry-After seconds (details.retryAfterSeconds).',
  OIDC_LOGIN_FAILED:
    'The sign-in with the identity provider could not be completed (expired, replayed or refused; see details.reason); start again at /api/v1/auth/oidc/login.',
  OIDC_CLAIMS_REFUSED:
    'The identity provider vouched for you, but its claims give no usable PURL role (see details.reason: role claim missing or unknown, a contributor without a known party, no email); ask your identity administrator.',
  OIDC_PROVIDER_UNAVAILABLE: 'The identity provider cannot be reached right now; retry shortly.',
  // Infrastructure
  DATABASE_UNAVAILABLE: 'The database cannot be reached right now; retry shortly.',
  RESTORE_TARGET_NOT_EMPTY:
    'The database to restore into holds records; back it up first, then restore with --force.',
  REPORT_RENDERER_UNAVAILABLE:
    'The PDF renderer (a headless Chromium) could not be started; set PURL_CHROMIUM to a Chromium executable, or retry shortly.',
  INTERNAL: 'An unexpected error occurred; it has been logged. Retry, then report it.',
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export interface ErrorDetails {
  /** The offending input field, as a dotted path (`transfers.2.amountMinor`). */
  field?: string;
  [key: string]: unknown;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message?: string, details: ErrorDetails = {}) {
    super(message ?? ERROR_CATALOGUE[code]);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** A broken invariant is a bug: crash loudly rather than carry on with wrong money. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violated: ${message}`);
}
