/**
 * Identity rules, pure: who may be a user (email, display name, role and party), the password
 * policy, the shape of session and API-token secrets and the expiry of both. Hashing passwords
 * (argon2id) and drawing random secrets happen in `services/identity-service.ts`; this file only
 * checks and computes.
 *
 * Secrets: a session id and an API token are 32 random bytes in base64url (43 characters); a
 * token is prefixed `purl_tok_` so a leaked one is recognisable (secret scanners) and so a bearer
 * credential says which kind it is. Both are stored only as their SHA-256 (hex): they are
 * high-entropy, so a fast hash cannot be brute-forced and lets a lookup be one indexed read.
 */
import { createHash } from 'node:crypto';
import { ROLES, type Actor, type Role } from './actor.js';
import { DomainError } from './errors.js';

/** The roles a user can hold: every role but `system` (the CLI and internal jobs). */
export const USER_ROLES = ROLES.filter(
  (role): role is Exclude<Role, 'system'> => role !== 'system',
);
export type UserRole = (typeof USER_ROLES)[number];

export const EMAIL_MAX_CHARS = 254;
export const DISPLAY_NAME_MAX_CHARS = 200;
export const PASSWORD_MIN_CHARS = 12;
/** Longer passwords are refused: hashing cost must not be chosen by the caller. */
export const PASSWORD_MAX_CHARS = 256;

/** A session lives at most 12 hours from sign-in, however active it is. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** … and ends after 30 minutes without a request (sliding). */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** `last_seen_at` is written at most this often, so most authenticated reads write nothing. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;
/** An API token's `last_used_at` moves at most this often. */
export const API_TOKEN_TOUCH_INTERVAL_MS = 60 * 1000;

export const API_TOKEN_PREFIX = 'purl_tok_';
export const API_TOKEN_DAYS_MIN = 1;
export const API_TOKEN_DAYS_MAX = 365;
export const API_TOKEN_NAME_MAX_CHARS = 100;
/** Random bytes of a session id or a token secret. */
export const SECRET_BYTES = 32;

const BASE64URL_SECRET = /^[A-Za-z0-9_-]{43}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The most common passwords of at least 12 characters (from public breach-corpus top lists),
 * compared case-insensitively. A small list on purpose: the length rule does most of the work.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '111111111111',
  '000000000000',
  '123123123123',
  'qwertyuiop12',
  'qwertyuiopasdf',
  'qwertyuiopasdfgh',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'passwordpassword',
  'password1234',
  'password12345',
  'password123456',
  'passw0rd1234',
  'iloveyou1234',
  'administrator',
  'administrator1',
  'letmein12345',
  'welcome12345',
  'changeme1234',
  'abcdefghijkl',
  'abc123abc123',
  'aaaaaaaaaaaa',
  'trustno1trustno1',
  'superman1234',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'monkey123456',
  'dragon123456',
]);

function invalid(field: string, message: string, reason?: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, {
    field,
    ...(reason ? { reason } : {}),
  });
}

/** Trims and lower-cases an email; refuses one that is not `local@domain.tld`. */
export function normalizeEmail(email: string, field = 'email'): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length === 0 || normalized.length > EMAIL_MAX_CHARS || !EMAIL.test(normalized)) {
    throw invalid(
      field,
      `${field} must be an email address of at most ${EMAIL_MAX_CHARS} characters.`,
    );
  }
  return normalized;
}

export function checkDisplayName(name: string, field = 'displayName'): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > DISPLAY_NAME_MAX_CHARS) {
    throw invalid(field, `${field} must be 1 to ${DISPLAY_NAME_MAX_CHARS} characters.`);
  }
  return trimmed;
}

export function isUserRole(role: string): role is UserRole {
  return (USER_ROLES as readonly string[]).includes(role);
}

/** A contributor acts for exactly one party; every other role for none. */
export function checkRoleAndParty(
  role: string,
  partyId: string | null | undefined,
  fields: { role: string; partyId: string } = { role: 'role', partyId: 'partyId' },
): { role: UserRole; partyId: string | null } {
  if (!isUserRole(role)) {
    throw invalid(fields.role, `${fields.role} must be one of ${USER_ROLES.join(', ')}.`);
  }
  const party = partyId?.trim() || null;
  if (role === 'contributor' && !party) {
    throw invalid(fields.partyId, `A contributor acts for one party: give ${fields.partyId}.`);
  }
  if (role !== 'contributor' && party) {
    throw invalid(
      fields.partyId,
      `Only a contributor is bound to a party; omit ${fields.partyId}.`,
    );
  }
  return { role, partyId: party };
}

/**
 * The password policy: 12 to 256 characters, not the email (nor its local part), not one of the
 * most common passwords. Each refusal names the field and says why (`details.reason`).
 */
export function checkPassword(password: string, email: string, field = 'password'): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_CHARS) {
    throw invalid(
      field,
      `${field} must be at least ${PASSWORD_MIN_CHARS} characters (a passphrase of several words is easiest).`,
      'too_short',
    );
  }
  if (length > PASSWORD_MAX_CHARS) {
    throw invalid(field, `${field} must be at most ${PASSWORD_MAX_CHARS} characters.`, 'too_long');
  }
  const lower = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (lower === address || (local.length > 0 && lower === local)) {
    throw invalid(field, `${field} must not be the email address.`, 'is_email');
  }
  if (COMMON_PASSWORDS.has(lower)) {
    throw invalid(field, `${field} is one of the most common passwords; choose another.`, 'common');
  }
}

/** SHA-256 (hex) of a session id or token: what the database keeps. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export type BearerKind = 'session' | 'api_token';

/** What a bearer credential (or a session cookie) is, by its shape; `undefined` if neither. */
export function classifySecret(secret: string): BearerKind | undefined {
  if (secret.startsWith(API_TOKEN_PREFIX)) {
    return BASE64URL_SECRET.test(secret.slice(API_TOKEN_PREFIX.length)) ? 'api_token' : undefined;
  }
  return BASE64URL_SECRET.test(secret) ? 'session' : undefined;
}

export type SessionState = 'active' | 'revoked' | 'expired' | 'idle';

export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Absolute expiry of a session opened at `createdAt`. */
export function sessionExpiresAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + SESSION_ABSOLUTE_MS);
}

/** When a session ends if nothing else happens: the earlier of idle and absolute expiry. */
export function sessionEndsAt(session: SessionTimes): Date {
  const idle = session.lastSeenAt.getTime() + SESSION_IDLE_MS;
  return new Date(Math.min(idle, session.expiresAt.getTime()));
}

export function sessionState(session: SessionTimes, now: Date): SessionState {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_MS) return 'idle';
  return 'active';
}

/** Whether a request at `now` should move `last_seen_at` (at most once a minute). */
export function shouldTouchSession(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS;
}

/** Whether a request at `now` should move a token's `last_used_at` (at most once a minute). */
export function shouldTouchApiToken(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= API_TOKEN_TOUCH_INTERVAL_MS;
}

export function apiTokenExpiresAt(now: Date, days: number, field = 'expiresInDays'): Date {
  if (!Number.isInteger(days) || days < API_TOKEN_DAYS_MIN || days > API_TOKEN_DAYS_MAX) {
    throw invalid(
      field,
      `${field} must be a whole number of days from ${API_TOKEN_DAYS_MIN} to ${API_TOKEN_DAYS_MAX}.`,
    );
  }
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}

export function checkTokenName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > API_TOKEN_NAME_MAX_CHARS) {
    throw invalid(field, `${field} must be 1 to ${API_TOKEN_NAME_MAX_CHARS} characters.`);
  }
  return trimmed;
}

export type TokenState = 'active' | 'revoked' | 'expired';

export function tokenState(
  token: { expiresAt: Date; revokedAt: Date | null },
  now: Date,
): TokenState {
  if (token.revokedAt) return 'revoked';
  if (now.getTime() >= token.expiresAt.getTime()) return 'expired';
  return 'active';
}

/**
 * Actor ids of signed-in users: `user:<id>` through a session, `user:<id>/token:<id>` through an
 * API token. Audit events carry them as they are.
 */
export function userActorId(userId: bigint, tokenId?: bigint): string {
  return tokenId === undefined ? `user:${userId}` : `user:${userId}/token:${tokenId}`;
}

const USER_ACTOR_ID = /^user:(\d{1,19})(?:\/token:(\d{1,19}))?$/;

/** The user (and token) behind an actor; `undefined` for system and development actors. */
export function signedInUserOf(actor: Actor): { userId: bigint; tokenId?: bigint } | undefined {
  const match = USER_ACTOR_ID.exec(actor.id);
  if (!match) return undefined;
  return {
    userId: BigInt(match[1]!),
    ...(match[2] !== undefined ? { tokenId: BigInt(match[2]) } : {}),
  };
}

/** The actor of a failed or anonymous authentication event: role `system`, id `anonymous:<ip>`. */
export function anonymousActor(ip: string | undefined): Actor {
  return { id: `anonymous:${ip ?? 'unknown'}`, role: 'system' };
}
