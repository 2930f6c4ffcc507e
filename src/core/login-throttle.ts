/**
 * The sign-in lockout with back-off, pure. Failed sign-ins are counted per email tried — a known
 * user or not, so a lockout never tells whether an account exists. After
 * `LIMITS.loginFailuresBeforeLockout` failures the email is locked for `loginLockoutBaseMs`;
 * each further failure (once the lock has passed) locks it for twice as long as the one before,
 * up to `loginLockoutMaxMs`. The count is forgotten after `loginFailureWindowMs` without a
 * failure, measured from the last failure or the end of the last lockout, and on a successful
 * sign-in. During a lockout no password is checked: even the right one is refused.
 */
import { LIMITS } from './limits.js';

export interface LoginThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

export interface LoginThrottleLimits {
  failuresBeforeLockout: number;
  failureWindowMs: number;
  lockoutBaseMs: number;
  lockoutMaxMs: number;
}

export const LOGIN_THROTTLE_LIMITS: LoginThrottleLimits = {
  failuresBeforeLockout: LIMITS.loginFailuresBeforeLockout,
  failureWindowMs: LIMITS.loginFailureWindowMs,
  lockoutBaseMs: LIMITS.loginLockoutBaseMs,
  lockoutMaxMs: LIMITS.loginLockoutMaxMs,
};

/** Milliseconds the email stays locked at `now` (0 when it is not). */
export function lockRemainingMs(state: LoginThrottleState | undefined, now: Date): number {
  const until = state?.lockedUntil?.getTime();
  return until === undefined ? 0 : Math.max(0, until - now.getTime());
}

/** The lockout after the `failures`-th failure in a row: 0 below the threshold, then doubling. */
export function lockoutMs(failures: number, limits = LOGIN_THROTTLE_LIMITS): number {
  const beyond = failures - limits.failuresBeforeLockout;
  if (beyond < 0) return 0;
  // 2^31 × any base already exceeds every sensible cap: no overflow into Infinity games.
  return Math.min(limits.lockoutBaseMs * 2 ** Math.min(beyond, 31), limits.lockoutMaxMs);
}

/** Whether a previous streak of failures still counts at `now`. */
function streakContinues(
  state: LoginThrottleState | undefined,
  now: Date,
  limits: LoginThrottleLimits,
): state is LoginThrottleState {
  if (!state) return false;
  const quietSince = Math.max(state.lastFailureAt.getTime(), state.lockedUntil?.getTime() ?? 0);
  return now.getTime() - quietSince <= limits.failureWindowMs;
}

export interface LoginThrottleUpdate extends LoginThrottleState {
  /** When the record means nothing any more and may be deleted. */
  forgetAt: Date;
  /** This failure started (or lengthened) a lockout. */
  locked: boolean;
}

/** The state after one more failed sign-in at `now`. */
export function afterLoginFailure(
  state: LoginThrottleState | undefined,
  now: Date,
  limits = LOGIN_THROTTLE_LIMITS,
): LoginThrottleUpdate {
  const continues = streakContinues(state, now, limits);
  const failures = continues ? state.failures + 1 : 1;
  const lockMs = lockoutMs(failures, limits);
  const previousLock = continues ? (state.lockedUntil?.getTime() ?? 0) : 0;
  const until = lockMs > 0 ? Math.max(now.getTime() + lockMs, previousLock) : previousLock;
  const lockedUntil = until > now.getTime() ? new Date(until) : null;
  const quietFrom = Math.max(now.getTime(), lockedUntil?.getTime() ?? 0);
  return {
    failures,
    lastFailureAt: now,
    lockedUntil,
    forgetAt: new Date(quietFrom + limits.failureWindowMs),
    locked: lockMs > 0,
  };
}
