/**
 * Brute force, on both engines, with the default limits of `purl serve`: repeated bad passwords
 * lock the email with back-off (in the database; the clock is the test's), the right password
 * still waits the lockout out, an unknown email locks alike (the answer never tells whether an
 * account exists), success resets the count; one address is rate-limited after
 * `LIMITS.loginAttemptsPerAddressMax` attempts; the overall per-client limit answers 429 too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { LIMITS } from '../../src/core/limits.js';
import { afterLoginFailure, lockoutMs } from '../../src/core/login-throttle.js';
import { buildApp, type App } from '../../src/http/app.js';
import { createUser } from '../../src/services/identity-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const admin = systemActor('test');
const PASSWORD = 'a long enough passphrase';
const WRONG = 'certainly not the passphrase';
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

describe('lockout rules (core)', () => {
  it('locks at the threshold, doubles per further failure up to the cap', () => {
    expect(LIMITS.loginFailuresBeforeLockout).toBe(5);
    expect(lockoutMs(4)).toBe(0);
    expect(lockoutMs(5)).toBe(MINUTE);
    expect(lockoutMs(6)).toBe(2 * MINUTE);
    expect(lockoutMs(11)).toBe(60 * MINUTE);
    expect(lockoutMs(1_000)).toBe(60 * MINUTE);
  });

  it('forgets a streak after the quiet window, counted from the end of a lockout', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    let state = afterLoginFailure(undefined, t0);
    for (let i = 1; i < 5; i++) state = afterLoginFailure(state, at(i * SECOND));
    expect(state).toMatchObject({
      failures: 5,
      locked: true,
      lockedUntil: at(4 * SECOND + MINUTE),
    });
    // 15 minutes after the lock ended (not after the last failure) the streak still counts…
    const later = afterLoginFailure(state, at(4 * SECOND + MINUTE + 15 * MINUTE));
    expect(later.failures).toBe(6);
    // …a moment after that it is forgotten.
    expect(afterLoginFailure(state, at(4 * SECOND + MINUTE + 15 * MINUTE + 1)).failures).toBe(1);
  });
});

describe.each(ENGINES)('brute force on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let clock = new Date('2026-02-01T09:00:00Z');
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  let addressCount = 0;
  /** A fresh client address, so that tests do not share the per-address limit. */
  const newAddress = () => `198.51.100.${++addressCount}`;

  const login = (email: string, password: string, address: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      headers: { 'x-forwarded-for': address },
    });

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    // The defaults of `purl serve` (no rateLimits option); behind a trusted proxy so each test
    // can speak from its own address.
    app = await buildApp({ database: t.database, trustProxy: true, now: () => clock });
    for (const email of ['locked@test.purl', 'reset@test.purl', 'other@test.purl']) {
      await createUser(t.database, admin, { email, role: 'auditor', password: PASSWORD });
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('locks an account after 5 failures; the right password waits the lockout out; back-off doubles', async () => {
    const address = newAddress();
    for (let i = 1; i <= 5; i++) {
      const response = await login('locked@test.purl', WRONG, address);
      expect(response.statusCode, `failure ${i}`).toBe(401);
      advance(10 * SECOND);
    }
    // Locked for 1 minute from the 5th failure (10 s ago): even the right password is refused.
    const locked = await login('locked@test.purl', PASSWORD, address);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('50');
    expect(locked.json().error).toMatchObject({
      code: 'LOGIN_LOCKED',
      details: { retryAfterSeconds: 50 },
    });
    expect(locked.cookies).toEqual([]);
    // Another address changes nothing: the lockout is the account's, not the address's.
    expect((await login('LOCKED@test.purl', PASSWORD, newAddress())).statusCode).toBe(429);
    // Another account is not affected.
    expect((await login('other@test.purl', PASSWORD, address)).statusCode).toBe(200);

    advance(50 * SECOND);
    // The lockout is over, the count is not: one more failure locks for 2 minutes, then 4.
    expect((await login('locked@test.purl', WRONG, address)).statusCode).toBe(401);
    const twice = await login('locked@test.purl', PASSWORD, address);
    expect(twice.statusCode).toBe(429);
    expect(twice.headers['retry-after']).toBe('120');
    advance(2 * MINUTE);
    expect((await login('locked@test.purl', WRONG, address)).statusCode).toBe(401);
    expect((await login('locked@test.purl', PASSWORD, address)).headers['retry-after']).toBe('240');

    advance(4 * MINUTE);
    const afterWait = await login('locked@test.purl', PASSWORD, address);
    expect(afterWait.statusCode).toBe(200);
    // Success reset the count: a single failure no longer locks.
    expect((await login('locked@test.purl', WRONG, address)).statusCode).toBe(401);
    expect((await login('locked@test.purl', PASSWORD, address)).statusCode).toBe(200);
  });

  it('success resets the count before a lockout', async () => {
    const address = newAddress();
    for (let i = 0; i < 4; i++) {
      expect((await login('reset@test.purl', WRONG, address)).statusCode).toBe(401);
    }
    expect((await login('reset@test.purl', PASSWORD, address)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) {
      expect((await login('reset@test.purl', WRONG, address)).statusCode).toBe(401);
    }
    expect((await login('reset@test.purl', PASSWORD, address)).statusCode).toBe(200);
  });

  it('an unknown email locks alike: the answer does not tell whether the account exists', async () => {
    // Failures from five addresses: the lockout follows the email.
    for (let i = 0; i < 5; i++) {
      expect((await login('nobody@test.purl', WRONG, newAddress())).statusCode).toBe(401);
    }
    for (let i = 0; i < 5; i++) {
      expect((await login('other@test.purl', WRONG, newAddress())).statusCode).toBe(401);
    }
    const unknown = await login('nobody@test.purl', WRONG, newAddress());
    const known = await login('other@test.purl', PASSWORD, newAddress());
    expect(unknown.statusCode).toBe(429);
    expect(known.statusCode).toBe(429);
    expect(unknown.headers['retry-after']).toBe(known.headers['retry-after']);
    expect(unknown.json()).toEqual(known.json());

    // The table keeps no email in clear, and the refusals are audited.
    const rows = await t.database.kysely.selectFrom('login_throttle').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(rows)).not.toMatch(/nobody|other@/);
    const audited = await t.database.kysely
      .selectFrom('audit_event')
      .select(['action', 'after'])
      .where('action', '=', 'login_failed')
      .execute();
    const reasons = audited.map((row) => (row.after as { reason: string }).reason);
    expect(reasons).toContain('locked');
    expect(JSON.stringify(audited)).not.toContain(WRONG);
    advance(2 * MINUTE);
  });

  it(`rate-limits one address after ${LIMITS.loginAttemptsPerAddressMax} sign-in attempts`, async () => {
    const address = newAddress();
    for (let i = 0; i < LIMITS.loginAttemptsPerAddressMax; i++) {
      // A new email each time: only the address limit can refuse.
      const response = await login(`guess${i}@test.purl`, WRONG, address);
      expect(response.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    const limited = await login('other@test.purl', PASSWORD, address);
    expect(limited.statusCode).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LIMITS.loginAttemptsPerAddressWindowMs / 1000);
    expect(limited.json().error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 'loginAttemptsPerAddressMax', retryAfterSeconds: retryAfter },
    });
    // Another address signs in.
    expect((await login('other@test.purl', PASSWORD, newAddress())).statusCode).toBe(200);
  });

  it('limits every client overall: per signed-in actor, else per address', async () => {
    const limited = await buildApp({
      database: t.database,
      devActors: true,
      rateLimits: { requestsPerClient: { max: 3, windowMs: MINUTE } },
    });
    try {
      const get = (actor?: string) =>
        limited.inject({
          method: 'GET',
          url: '/api/v1/contributions',
          headers: actor ? { 'x-purl-actor': actor } : {},
        });
      for (let i = 0; i < 3; i++) expect((await get('coordinator')).statusCode).toBe(200);
      const refused = await get('coordinator');
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json().error).toMatchObject({
        code: 'RATE_LIMITED',
        details: { limit: 'httpRequestsPerClientMax', max: 3 },
      });
      expect((await get('auditor')).statusCode).toBe(200);
      expect((await get()).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
