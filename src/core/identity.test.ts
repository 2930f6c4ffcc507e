import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  API_TOKEN_PREFIX,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  apiTokenExpiresAt,
  checkPassword,
  checkRoleAndParty,
  classifySecret,
  hashSecret,
  normalizeEmail,
  sessionEndsAt,
  sessionExpiresAt,
  sessionState,
  shouldTouchSession,
  signedInUserOf,
  tokenState,
  userActorId,
} from './identity.js';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('password policy', () => {
  it('accepts a long passphrase', () => {
    expect(() => checkPassword('purl-demo-2025', 'a@demo.purl')).not.toThrow();
    expect(() => checkPassword('correct horse battery staple', 'a@b.org')).not.toThrow();
  });

  it('refuses short, email-like and common passwords, naming the field and the reason', () => {
    const short = refusal(() => checkPassword('elevenchars', 'a@b.org'));
    expect(short.code).toBe('VALIDATION_FAILED');
    expect(short.details).toMatchObject({ field: 'password', reason: 'too_short' });
    expect(short.message).toContain('12');

    const email = refusal(() => checkPassword('Someone@Example.org', 'someone@example.org'));
    expect(email.details).toMatchObject({ field: 'password', reason: 'is_email' });
    const local = refusal(() =>
      checkPassword('administrator.one', 'administrator.one@example.org'),
    );
    expect(local.details.reason).toBe('is_email');

    const common = refusal(() => checkPassword('Password1234', 'a@b.org', 'newPassword'));
    expect(common.details).toMatchObject({ field: 'newPassword', reason: 'common' });

    expect(refusal(() => checkPassword('x'.repeat(257), 'a@b.org')).details.reason).toBe(
      'too_long',
    );
  });

  it('counts characters, not bytes', () => {
    expect(() => checkPassword('ключ-пароль1', 'a@b.org')).not.toThrow();
    expect(refusal(() => checkPassword('🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑', 'a@b.org')).details.reason).toBe(
      'too_short',
    );
  });
});

describe('users', () => {
  it('normalises emails and refuses malformed ones', () => {
    expect(normalizeEmail('  NLD@Demo.PURL ')).toBe('nld@demo.purl');
    expect(refusal(() => normalizeEmail('not-an-email')).details.field).toBe('email');
  });

  it('binds exactly the contributor to a party', () => {
    expect(checkRoleAndParty('contributor', 'NLD')).toEqual({
      role: 'contributor',
      partyId: 'NLD',
    });
    expect(checkRoleAndParty('admin', null)).toEqual({ role: 'admin', partyId: null });
    expect(refusal(() => checkRoleAndParty('contributor', null)).details.field).toBe('partyId');
    expect(refusal(() => checkRoleAndParty('admin', 'NLD')).details.field).toBe('partyId');
    expect(refusal(() => checkRoleAndParty('system', null)).details.field).toBe('role');
  });

  it('round-trips actor ids', () => {
    expect(signedInUserOf({ id: userActorId(12n), role: 'admin' })).toEqual({ userId: 12n });
    expect(signedInUserOf({ id: userActorId(12n, 3n), role: 'admin' })).toEqual({
      userId: 12n,
      tokenId: 3n,
    });
    expect(signedInUserOf({ id: 'dev:coordinator', role: 'coordinator' })).toBeUndefined();
    expect(signedInUserOf({ id: 'system:cli', role: 'system' })).toBeUndefined();
  });
});

describe('secrets', () => {
  const secret = Buffer.alloc(32, 7).toString('base64url');

  it('tells sessions from API tokens by their shape', () => {
    expect(secret).toHaveLength(43);
    expect(classifySecret(secret)).toBe('session');
    expect(classifySecret(API_TOKEN_PREFIX + secret)).toBe('api_token');
    expect(classifySecret(API_TOKEN_PREFIX + 'short')).toBeUndefined();
    expect(classifySecret('short')).toBeUndefined();
    expect(classifySecret(secret + '=')).toBeUndefined();
  });

  it('hashes with SHA-256, hex', () => {
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(secret)).not.toBe(hashSecret(API_TOKEN_PREFIX + secret));
  });
});

describe('expiry', () => {
  const t0 = new Date('2026-01-10T08:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const minute = 60_000;

  it('ends a session after 30 idle minutes, sliding with use', () => {
    const session = { lastSeenAt: t0, expiresAt: sessionExpiresAt(t0), revokedAt: null };
    expect(sessionState(session, at(SESSION_IDLE_MS - 1))).toBe('active');
    expect(sessionState(session, at(SESSION_IDLE_MS))).toBe('idle');
    const used = { ...session, lastSeenAt: at(20 * minute) };
    expect(sessionState(used, at(45 * minute))).toBe('active');
    expect(sessionEndsAt(used)).toEqual(at(50 * minute));
  });

  it('ends a session 12 hours after sign-in however active', () => {
    const session = {
      lastSeenAt: at(SESSION_ABSOLUTE_MS - minute),
      expiresAt: sessionExpiresAt(t0),
      revokedAt: null,
    };
    expect(sessionState(session, at(SESSION_ABSOLUTE_MS - 1))).toBe('active');
    expect(sessionState(session, at(SESSION_ABSOLUTE_MS))).toBe('expired');
    expect(sessionEndsAt(session)).toEqual(at(SESSION_ABSOLUTE_MS));
    expect(sessionState({ ...session, revokedAt: t0 }, at(minute))).toBe('revoked');
  });

  it('touches last_seen_at at most once a minute', () => {
    expect(shouldTouchSession(t0, at(minute - 1))).toBe(false);
    expect(shouldTouchSession(t0, at(minute))).toBe(true);
  });

  it('gives tokens 1 to 365 days', () => {
    expect(apiTokenExpiresAt(t0, 1)).toEqual(at(24 * 60 * minute));
    expect(refusal(() => apiTokenExpiresAt(t0, 0)).details.field).toBe('expiresInDays');
    expect(refusal(() => apiTokenExpiresAt(t0, 366)).details.field).toBe('expiresInDays');
    expect(refusal(() => apiTokenExpiresAt(t0, 1.5)).details.field).toBe('expiresInDays');
    const token = { expiresAt: at(minute), revokedAt: null };
    expect(tokenState(token, t0)).toBe('active');
    expect(tokenState(token, at(minute))).toBe('expired');
    expect(tokenState({ ...token, revokedAt: t0 }, t0)).toBe('revoked');
  });
});
