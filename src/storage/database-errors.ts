/**
 * Recognises the errors a database driver raises when the server is unreachable or the
 * connection is lost (as opposed to a failed statement), and retryable conflicts. Knowledge of
 * driver errors lives here, beside the factory; http maps them to 503, the CLI to exit 6.
 */
/** Socket errors of the driver, and SQLSTATEs of a server going away or refusing connections. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/** Errors `pg`, `pg-pool` and PGlite raise without a code when the connection is gone. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^PGlite is closed/,
];

/** Deepest `cause` / `AggregateError` nesting we follow. */
const CAUSE_DEPTH_MAX = 5;

/** True for a database connection that was refused or lost (not for a failed statement). */
export function isDatabaseUnavailableError(error: unknown): boolean {
  return someCause(error, (candidate) => {
    // Errors carrying an HTTP status come from the request stream, not the database.
    if (typeof candidate.statusCode === 'number') return false;
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
  });
}

export function isRetryableConflict(error: unknown): boolean {
  return someCause(error, (candidate) => candidate.code === '40001' || candidate.code === '40P01');
}

function someCause(
  error: unknown,
  test: (candidate: Record<string, unknown>) => boolean,
  depth = 0,
): boolean {
  if (!isObject(error) || depth > CAUSE_DEPTH_MAX) return false;
  if (test(error)) return true;
  if (someCause(error.cause, test, depth + 1)) return true;
  return (
    Array.isArray(error.errors) && error.errors.some((inner) => someCause(inner, test, depth + 1))
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
