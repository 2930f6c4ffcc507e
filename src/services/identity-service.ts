/**
 * Users, sessions and API tokens. Passwords are hashed with argon2id (`@node-rs/argon2`, OWASP's
 * minimum: 19 MiB, 2 passes, 1 lane); session ids and tokens are 32 random bytes stored only as
 * their SHA-256 (`core/identity.ts`). Every function takes `now` so tests can move the clock.
 *
 * Login answers the same 401 for an unknown email, a wrong password, a disabled user and a user
 * without a password, after the same work: an unknown email is verified against a dummy hash.
 * Success and failure are both audited (failure: the email tried and why, never the password),
 * a failure under the actor `anonymous:<ip>` with role `system` (audit events need a role).
 * Repeated failures lock the email with back-off (`login-throttle-service.ts`): a locked email
 * answers `LOGIN_LOCKED` (429, Retry-After) without its password being checked.
 */
import { randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from '@node-rs/argon2';
import type { Actor } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import {
  API_TOKEN_PREFIX,
  SECRET_BYTES,
  anonymousActor,
  apiTokenExpiresAt,
  checkDisplayName,
  checkPassword,
  checkRoleAndParty,
  isUserRole,
  USER_ROLES,
  checkTokenName,
  classifySecret,
  hashSecret,
  normalizeEmail,
  sessionEndsAt,
  sessionExpiresAt,
  sessionState,
  shouldTouchApiToken,
  shouldTouchSession,
  signedInUserOf,
  tokenState,
  userActorId,
  type SessionState,
  type TokenState,
  type UserRole,
} from '../core/identity.js';
import {
  checkVersion,
  decodeCursor,
  pageLimit,
  toPage,
  type Page,
  type PageRequest,
} from '../core/pagination.js';
import { LIMITS } from '../core/limits.js';
import { allowedOperations, authorize, type Operation } from '../core/policy.js';
import type { Database } from '../storage/database.js';
import type { Freshness } from './freshness-service.js';
import {
  findApiTokenBySecret,
  findApiTokenOfUser,
  findSessionBySecret,
  findSessionOfUser,
  findUser,
  findUserByEmail,
  insertApiToken,
  insertSession,
  insertUser,
  listApiTokensOfUser,
  listSessionsOfUser,
  listUserPage,
  listUsers as listUserRows,
  lockUser,
  revokeApiTokensOfUser,
  updateUserRow,
  partyExists,
  revokeApiToken,
  revokeSession,
  revokeSessionsOfUser,
  setUserDisabled,
  touchApiToken,
  touchSession,
  type ApiTokenRow,
  type SessionRow,
  type UserRow,
} from '../storage/identity-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';
import {
  clearLoginFailures,
  loginLockRemainingMs,
  recordLoginFailure,
} from './login-throttle-service.js';

/** argon2id with OWASP's minimum configuration (Password Storage Cheat Sheet). */
const ARGON2 = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum: not importable with isolatedModules)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** The one message of every failed login: it never says which of email and password was wrong. */
export const LOGIN_FAILED_MESSAGE = 'Wrong email or password.';

export interface User {
  id: bigint;
  email: string;
  displayName: string;
  role: UserRole;
  partyId: string | null;
  disabled: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    partyId: row.party_id,
    disabled: row.disabled,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function actorOfUser(user: UserRow, tokenId?: bigint, readOnly = false): Actor {
  return {
    id: userActorId(user.id, tokenId),
    role: user.role,
    ...(user.party_id ? { partyId: user.party_id } : {}),
    ...(readOnly ? { readOnly: true } : {}),
  };
}

function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2);
}

let dummyHash: Promise<string> | undefined;
/** A hash to verify against when the email is unknown, so that answer takes as long. */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(newSecret());
  return dummyHash;
}

async function passwordMatches(hash: string | null, password: string): Promise<boolean> {
  try {
    return await argon2Verify(hash ?? (await dummyPasswordHash()), password);
  } catch {
    return false;
  }
}

/**
 * The signed-in user behind an actor. System and development actors (`X-Purl-Actor`) are not
 * users: they have no sessions or tokens (empty lists, 404 on one) and cannot create tokens.
 */
function requireUser(actor: Actor): { userId: bigint; tokenId?: bigint } {
  const who = signedInUserOf(actor);
  if (!who) {
    throw new DomainError('FORBIDDEN', 'Only a signed-in user can create API tokens.', {
      role: actor.role,
    });
  }
  return who;
}

// ---------------------------------------------------------------------------------------------
// Users (administration)

export interface CreateUserInput {
  email: string;
  displayName?: string | undefined;
  role: string;
  partyId?: string | null | undefined;
  password: string;
}

export async function createUser(
  database: Database,
  actor: Actor,
  input: CreateUserInput,
  now = new Date(),
): Promise<User> {
  authorize(actor, 'users.manage');
  const email = normalizeEmail(input.email);
  const { role, partyId } = checkRoleAndParty(input.role, input.partyId);
  const displayName = checkDisplayName(input.displayName ?? email.split('@')[0] ?? email);
  checkPassword(input.password, email);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(database, async (tx) => {
    if (partyId && !(await partyExists(tx, partyId))) {
      throw new DomainError('NOT_FOUND', `No party ${partyId}.`, { field: 'partyId' });
    }
    const row = await insertUser(tx, { email, displayName, role, partyId, passwordHash });
    if (!row) {
      throw new DomainError('DUPLICATE', `A user with email ${email} exists.`, { field: 'email' });
    }
    const user = toUser(row);
    await recordAudit(
      tx,
      actor,
      { entity: 'user', entityId: String(user.id), action: 'create', after: user },
      now,
    );
    return user;
  });
}

export async function listUsers(database: Database, actor: Actor): Promise<User[]> {
  authorize(actor, 'users.manage');
  return (await listUserRows(database.kysely)).map(toUser);
}

/** Disables a user and ends its sessions; its API tokens stop working with it. */
export async function disableUser(
  database: Database,
  actor: Actor,
  emailInput: string,
  now = new Date(),
): Promise<User> {
  authorize(actor, 'users.manage');
  const email = normalizeEmail(emailInput);
  return inTransaction(database, async (tx) => {
    const before = await findUserByEmail(tx, email, true);
    if (!before) throw new DomainError('NOT_FOUND', `No user ${email}.`, { field: 'email' });
    if (before.disabled) return toUser(before);
    const after = toUser(await setUserDisabled(tx, before.id, true, now));
    const sessionsRevoked = await revokeSessionsOfUser(tx, before.id, now);
    const tokensRevoked = await revokeApiTokensOfUser(tx, before.id, now);
    await recordAudit(
      tx,
      actor,
      {
        entity: 'user',
        entityId: String(after.id),
        action: 'disable',
        before: toUser(before),
        after: { ...after, sessionsRevoked, tokensRevoked },
      },
      now,
    );
    return after;
  });
}

export interface UserQuery extends PageRequest {
  role?: string | undefined;
  partyId?: string | undefined;
  status?: 'active' | 'disabled' | undefined;
  /** Part of the email or display name. */
  search?: string | undefined;
}

/** A page of users in email order, filtered by role, party, status and a search text. */
export async function findUsers(
  database: Database,
  actor: Actor,
  query: UserQuery = {},
): Promise<Page<User>> {
  authorize(actor, 'users.manage');
  const limit = pageLimit(query.limit);
  const cursor = decodeCursor(query.cursor, 1);
  let afterEmail: string | undefined;
  if (cursor) {
    const [email] = cursor;
    if (typeof email !== 'string') {
      throw new DomainError(
        'VALIDATION_FAILED',
        'cursor is not one this server issued; start again without it.',
        { field: 'cursor' },
      );
    }
    afterEmail = email;
  }
  if (query.role !== undefined && !isUserRole(query.role)) {
    throw new DomainError('VALIDATION_FAILED', `role must be one of ${USER_ROLES.join(', ')}.`, {
      field: 'role',
    });
  }
  const rows = await listUserPage(database.kysely, {
    role: query.role,
    partyId: query.partyId,
    disabled: query.status === undefined ? undefined : query.status === 'disabled',
    search: query.search?.trim() || undefined,
    afterEmail,
    limit,
  });
  const page = toPage(rows, limit, (row) => [row.email]);
  return { items: page.items.map(toUser), nextCursor: page.nextCursor };
}

export async function getUser(database: Database, actor: Actor, id: bigint): Promise<User> {
  authorize(actor, 'users.manage');
  const row = await findUser(database.kysely, id);
  if (!row) throw new DomainError('NOT_FOUND', `No user ${id}.`, { field: 'id' });
  return toUser(row);
}

export interface UpdateUserInput {
  displayName?: string | undefined;
  role?: string | undefined;
  /** A contributor's party; `null` clears it. Left out: kept, or cleared for a non-contributor. */
  partyId?: string | null | undefined;
  disabled?: boolean | undefined;
}

/**
 * An admin changes a user's display name, role, party or disabled flag, under `If-Match`. A role
 * other than contributor drops the party; a contributor needs one. Disabling ends the user's
 * sessions and revokes its API tokens (enabling restores neither: the user signs in again);
 * a role or party change makes its tokens lapse (a token keeps the role it was made with). An
 * admin may not disable or demote itself (the last admin would lock everyone out): 403 naming
 * the field. One audit event: `disable`, `enable`, or `update`, with before and after.
 */
export async function updateUser(
  database: Database,
  actor: Actor,
  id: bigint,
  input: UpdateUserInput,
  options: { expectedVersion?: number | undefined } = {},
  now = new Date(),
): Promise<User> {
  authorize(actor, 'users.manage');
  const displayName =
    input.displayName === undefined ? undefined : checkDisplayName(input.displayName);
  return inTransaction(database, async (tx) => {
    const before = await lockUser(tx, id);
    if (!before) throw new DomainError('NOT_FOUND', `No user ${id}.`, { field: 'id' });
    checkVersion('user', before.version, options.expectedVersion);
    const roleInput = input.role ?? before.role;
    const partyInput =
      input.partyId !== undefined
        ? input.partyId
        : roleInput === 'contributor'
          ? before.party_id
          : null;
    const { role, partyId } = checkRoleAndParty(roleInput, partyInput);
    const disabled = input.disabled ?? before.disabled;
    const self = signedInUserOf(actor)?.userId === before.id;
    if (self && disabled && !before.disabled) {
      throw new DomainError('FORBIDDEN', 'You cannot disable your own account.', {
        field: 'disabled',
        reason: 'self',
      });
    }
    if (self && role !== before.role) {
      throw new DomainError(
        'FORBIDDEN',
        'You cannot change your own role: ask another administrator.',
        { field: 'role', reason: 'self' },
      );
    }
    if (partyId && partyId !== before.party_id && !(await partyExists(tx, partyId))) {
      throw new DomainError('NOT_FOUND', `No party ${partyId}.`, { field: 'partyId' });
    }
    const changed =
      (displayName ?? before.display_name) !== before.display_name ||
      role !== before.role ||
      partyId !== before.party_id ||
      disabled !== before.disabled;
    if (!changed) return toUser(before);
    const after = toUser(
      await updateUserRow(
        tx,
        id,
        { displayName: displayName ?? before.display_name, role, partyId, disabled },
        now,
      ),
    );
    const disabling = disabled && !before.disabled;
    const sessionsRevoked = disabling ? await revokeSessionsOfUser(tx, id, now) : 0;
    const tokensRevoked = disabling ? await revokeApiTokensOfUser(tx, id, now) : 0;
    await recordAudit(
      tx,
      actor,
      {
        entity: 'user',
        entityId: String(id),
        action: disabling ? 'disable' : !disabled && before.disabled ? 'enable' : 'update',
        before: toUser(before),
        after: disabling ? { ...after, sessionsRevoked, tokensRevoked } : after,
      },
      now,
    );
    return after;
  });
}

export interface UserSpec {
  email: string;
  displayName: string;
  role: UserRole;
  partyId: string | null;
}

/**
 * Creates those of `users` whose email is not taken yet, all with one password (the demo);
 * returns the emails created. Idempotent: a second call creates nothing.
 */
export async function createMissingUsers(
  database: Database,
  actor: Actor,
  users: readonly UserSpec[],
  password: string,
  now = new Date(),
): Promise<string[]> {
  authorize(actor, 'users.manage');
  const created: string[] = [];
  for (const spec of users) {
    if (await findUserByEmail(database.kysely, normalizeEmail(spec.email))) continue;
    try {
      await createUser(database, actor, { ...spec, password }, now);
      created.push(spec.email);
    } catch (error) {
      // Created meanwhile by a concurrent load: that is the idempotent outcome.
      if (!(error instanceof DomainError && error.code === 'DUPLICATE')) throw error;
    }
  }
  return created;
}

// ---------------------------------------------------------------------------------------------
// Sessions

export interface ClientInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export interface LoginResult {
  user: User;
  session: { id: bigint; expiresAt: Date };
  /** The session id itself: the cookie value, and the bearer token for scripts. Shown once. */
  secret: string;
}

export async function login(
  database: Database,
  input: { email: string; password: string },
  client: ClientInfo = {},
  now = new Date(),
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const clientFields = {
    ip: client.ip ?? null,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  };
  // A locked email is refused before any password is checked — even the right one (and an
  // unknown email locks alike, so the answer says nothing about which accounts exist).
  const lockedMs = await loginLockRemainingMs(database, email, now);
  if (lockedMs > 0) {
    await inTransaction(database, (tx) =>
      recordAudit(
        tx,
        anonymousActor(client.ip),
        {
          entity: 'auth_session',
          action: 'login_failed',
          after: { email: email.slice(0, 254), reason: 'locked', ...clientFields },
        },
        now,
      ),
    );
    const retryAfterSeconds = Math.ceil(lockedMs / 1000);
    throw new DomainError(
      'LOGIN_LOCKED',
      `Too many failed sign-ins with this email address; try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  }
  const user = email.length > 0 ? await findUserByEmail(database.kysely, email) : undefined;
  // Verify in every case (a dummy hash for an unknown email): the answer takes as long.
  const matches = await passwordMatches(user?.password_hash ?? null, input.password);
  const refusal = !user
    ? 'unknown_email'
    : !user.password_hash
      ? 'no_password'
      : !matches
        ? 'wrong_password'
        : user.disabled
          ? 'disabled'
          : undefined;
  if (refusal || !user) {
    await inTransaction(database, async (tx) => {
      const throttle = await recordLoginFailure(tx, email, now);
      await recordAudit(
        tx,
        anonymousActor(client.ip),
        {
          entity: 'auth_session',
          action: 'login_failed',
          after: {
            email: email.slice(0, 254),
            reason: refusal,
            ...clientFields,
            failures: throttle.failures,
            lockedUntil: throttle.locked ? throttle.lockedUntil : null,
          },
        },
        now,
      );
    });
    throw new DomainError('UNAUTHENTICATED', LOGIN_FAILED_MESSAGE);
  }
  return inTransaction(database, async (tx) => {
    await clearLoginFailures(tx, email);
    return openSession(tx, user, client, now);
  });
}

/**
 * Opens a session for a user who has just proved who they are (password, or an OpenID
 * provider: `oidc-service.ts`), in the caller's transaction, and audits the sign-in.
 */
export async function openSession(
  tx: Tx,
  user: UserRow,
  client: ClientInfo,
  now: Date,
  auditExtra: Record<string, unknown> = {},
): Promise<LoginResult> {
  const secret = newSecret();
  const row = await insertSession(tx, {
    secretHash: hashSecret(secret),
    userId: user.id,
    now,
    expiresAt: sessionExpiresAt(now),
    userAgent: client.userAgent?.slice(0, 500) ?? null,
    ip: client.ip?.slice(0, 100) ?? null,
  });
  await recordAudit(
    tx,
    actorOfUser(user),
    {
      entity: 'auth_session',
      entityId: String(row.id),
      action: 'login',
      after: {
        userId: user.id,
        email: user.email,
        expiresAt: row.expires_at,
        ip: row.ip,
        userAgent: row.user_agent,
        ...auditExtra,
      },
    },
    now,
  );
  return { user: toUser(user), session: { id: row.id, expiresAt: row.expires_at }, secret };
}

export interface Authentication {
  actor: Actor;
  kind: 'session' | 'api_token';
  userId: bigint;
}

/**
 * Credentials found valid, kept in memory by a server process so most requests do not read the
 * database to know who is asking. An entry is served only while its identity stamp is current
 * (no session or token revoked or expired, no user changed, by any process since it was read:
 * `freshness-service.ts`) and its own times still make it active; the touches still happen.
 */
export interface CredentialCache {
  readonly freshness: Freshness;
  readonly entries: Map<string, KnownCredential>;
}

interface KnownCredential {
  authentication: Authentication;
  id: bigint;
  expiresAt: Date;
  /** A session's `last_seen_at`, a token's `last_used_at`, as this process last wrote or read. */
  lastUsedAt: Date | null;
  stamp: number;
}

export function credentialCache(freshness: Freshness): CredentialCache {
  return { freshness, entries: new Map() };
}

/**
 * The actor a session id or API token stands for, or `undefined` when it is unknown, revoked,
 * expired (absolute or idle), or its user is disabled. Moves the session's `last_seen_at`
 * (sliding idle expiry) at most once a minute, so most requests only read.
 */
export async function authenticate(
  database: Database,
  secret: string,
  now = new Date(),
  cache?: CredentialCache,
): Promise<Authentication | undefined> {
  const kind = classifySecret(secret);
  if (kind !== 'session' && kind !== 'api_token') return undefined;
  // Kept by the secret itself (this process's memory holds it anyway while it serves the
  // request): a hit costs no hashing.
  if (cache) {
    const known = await knownCredential(database, cache, secret, now);
    if (known) return known;
  }
  const secretHash = hashSecret(secret);
  // Taken before reading: a revocation committed meanwhile makes this stamp stale at once.
  const stamp = cache?.freshness.stamp('identity');
  const found =
    kind === 'session'
      ? await validSession(database, secretHash, now)
      : await validApiToken(database, secretHash, now);
  if (!found) return undefined;
  if (cache && stamp !== undefined) {
    if (cache.entries.size >= LIMITS.credentialCacheEntriesMax) {
      const oldest = cache.entries.keys().next();
      if (!oldest.done) cache.entries.delete(oldest.value);
    }
    cache.entries.set(secret, { ...found, stamp });
  }
  return found.authentication;
}

/**
 * A kept credential still active as far as this process knows, or `undefined`: then the
 * database decides (another process may have moved the session's last_seen_at).
 */
function activeKnown(cache: CredentialCache, secret: string, now: Date) {
  const known = cache.entries.get(secret);
  if (!known) return undefined;
  const active =
    known.authentication.kind === 'session'
      ? sessionState(
          { lastSeenAt: known.lastUsedAt ?? now, expiresAt: known.expiresAt, revokedAt: null },
          now,
        ) === 'active'
      : tokenState({ expiresAt: known.expiresAt, revokedAt: null }, now) === 'active';
  return active && cache.freshness.isCurrent('identity', known.stamp) ? known : undefined;
}

function touchDue(known: KnownCredential, now: Date): boolean {
  return known.authentication.kind === 'session'
    ? shouldTouchSession(known.lastUsedAt ?? now, now)
    : shouldTouchApiToken(known.lastUsedAt, now);
}

/**
 * `authenticate` answered from memory when that needs no write (no touch due), synchronously:
 * a request served from memory then awaits nothing. `undefined`: call `authenticate`.
 */
export function authenticateFromMemory(
  cache: CredentialCache,
  secret: string,
  now: Date,
): Authentication | undefined {
  const known = activeKnown(cache, secret, now);
  if (!known || touchDue(known, now)) return undefined;
  cache.entries.delete(secret);
  cache.entries.set(secret, known); // most recently used last
  return known.authentication;
}

async function knownCredential(
  database: Database,
  cache: CredentialCache,
  secret: string,
  now: Date,
): Promise<Authentication | undefined> {
  const known = activeKnown(cache, secret, now);
  cache.entries.delete(secret);
  if (!known) return undefined;
  if (touchDue(known, now)) {
    if (known.authentication.kind === 'session') await touchSession(database.kysely, known.id, now);
    else await touchApiToken(database.kysely, known.id, now);
    known.lastUsedAt = now;
  }
  cache.entries.set(secret, known); // most recently used last
  return known.authentication;
}

type FoundCredential = Omit<KnownCredential, 'stamp'>;

async function validSession(
  database: Database,
  secretHash: string,
  now: Date,
): Promise<FoundCredential | undefined> {
  const found = await findSessionBySecret(database.kysely, secretHash);
  if (!found || found.user.disabled) return undefined;
  const { session, user } = found;
  if (sessionState(sessionTimes(session), now) !== 'active') return undefined;
  let lastUsedAt = session.last_seen_at;
  if (shouldTouchSession(session.last_seen_at, now)) {
    await touchSession(database.kysely, session.id, now);
    lastUsedAt = now;
  }
  return {
    authentication: frozen({ actor: actorOfUser(user), kind: 'session', userId: user.id }),
    id: session.id,
    expiresAt: session.expires_at,
    lastUsedAt,
  };
}

async function validApiToken(
  database: Database,
  secretHash: string,
  now: Date,
): Promise<FoundCredential | undefined> {
  const found = await findApiTokenBySecret(database.kysely, secretHash);
  if (!found || found.user.disabled) return undefined;
  const { token, user } = found;
  if (tokenState(tokenTimes(token), now) !== 'active') return undefined;
  // A token acts as its user's role and party at creation: if those changed, it lapses.
  if (token.role !== user.role || token.party_id !== user.party_id) return undefined;
  let lastUsedAt = token.last_used_at;
  if (shouldTouchApiToken(token.last_used_at, now)) {
    await touchApiToken(database.kysely, token.id, now);
    lastUsedAt = now;
  }
  return {
    authentication: frozen({
      actor: actorOfUser(user, token.id, token.read_only),
      kind: 'api_token',
      userId: user.id,
    }),
    id: token.id,
    expiresAt: token.expires_at,
    lastUsedAt,
  };
}

/** One authentication may serve many requests: nobody may change it in place. */
function frozen(authentication: Authentication): Authentication {
  Object.freeze(authentication.actor);
  return Object.freeze(authentication);
}

function sessionTimes(row: SessionRow) {
  return { lastSeenAt: row.last_seen_at, expiresAt: row.expires_at, revokedAt: row.revoked_at };
}

function tokenTimes(row: ApiTokenRow) {
  return { expiresAt: row.expires_at, revokedAt: row.revoked_at };
}

export interface Me {
  /** `null` for a development actor (`X-Purl-Actor`), which is not a user. */
  user: User | null;
  authenticatedBy: 'session' | 'api_token' | 'development';
  /** The role and party this request acts as. */
  role: string;
  partyId: string | null;
  /**
   * The operations of the policy table this request may perform (`core/policy.ts`), so a client
   * offers exactly the pages and actions the server would allow — derived, never kept in step
   * by hand. The server still checks every call.
   */
  operations: Operation[];
}

export async function getMe(database: Database, actor: Actor): Promise<Me> {
  authorize(actor, 'sessions.manage');
  const who = signedInUserOf(actor);
  if (!who) {
    return {
      user: null,
      authenticatedBy: 'development',
      role: actor.role,
      partyId: actor.partyId ?? null,
      operations: allowedOperations(actor),
    };
  }
  const { userId, tokenId } = who;
  const row = await findUser(database.kysely, userId);
  if (!row) throw new DomainError('UNAUTHENTICATED');
  return {
    user: toUser(row),
    authenticatedBy: tokenId === undefined ? 'session' : 'api_token',
    role: actor.role,
    partyId: actor.partyId ?? null,
    operations: allowedOperations(actor),
  };
}

/** Revokes the session whose id is `secret` (the caller's own); false if it was not one. */
export async function logout(
  database: Database,
  actor: Actor,
  secret: string | undefined,
  now = new Date(),
): Promise<{ revoked: boolean }> {
  authorize(actor, 'sessions.manage');
  const userId = signedInUserOf(actor)?.userId;
  if (userId === undefined || !secret || classifySecret(secret) !== 'session') {
    return { revoked: false };
  }
  return inTransaction(database, async (tx) => {
    const row = await revokeSession(tx, { secretHash: hashSecret(secret) }, userId, now);
    if (!row) return { revoked: false };
    await recordAudit(
      tx,
      actor,
      { entity: 'auth_session', entityId: String(row.id), action: 'logout' },
      now,
    );
    return { revoked: true };
  });
}

export interface Session {
  id: bigint;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** When it ends if unused: the earlier of idle and absolute expiry. */
  endsAt: Date;
  revokedAt: Date | null;
  state: SessionState;
  /** The session this request came with. */
  current: boolean;
  userAgent: string | null;
  ip: string | null;
}

function toSession(row: SessionRow, now: Date, currentHash: string | undefined): Session {
  const times = sessionTimes(row);
  return {
    id: row.id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    endsAt: sessionEndsAt(times),
    revokedAt: row.revoked_at,
    state: sessionState(times, now),
    current: currentHash !== undefined && row.secret_hash === currentHash,
    userAgent: row.user_agent,
    ip: row.ip,
  };
}

/** The caller's sessions, newest first (ended ones included, with their state). */
export async function listMySessions(
  database: Database,
  actor: Actor,
  currentSecret: string | undefined,
  now = new Date(),
): Promise<Session[]> {
  authorize(actor, 'sessions.manage');
  const userId = signedInUserOf(actor)?.userId;
  if (userId === undefined) return [];
  const currentHash = currentSecret ? hashSecret(currentSecret) : undefined;
  const rows = await listSessionsOfUser(database.kysely, userId);
  return rows.map((row) => toSession(row, now, currentHash));
}

/** Revokes one of the caller's sessions (404 if it is not theirs); revoking twice is a no-op. */
export async function revokeMySession(
  database: Database,
  actor: Actor,
  sessionId: bigint,
  now = new Date(),
): Promise<Session> {
  authorize(actor, 'sessions.manage');
  const userId = signedInUserOf(actor)?.userId ?? -1n;
  return inTransaction(database, async (tx) => {
    const revoked = await revokeSession(tx, { id: sessionId }, userId, now);
    if (revoked) {
      await recordAudit(
        tx,
        actor,
        { entity: 'auth_session', entityId: String(sessionId), action: 'revoke' },
        now,
      );
      return toSession(revoked, now, undefined);
    }
    const existing = await findSessionOfUser(tx, sessionId, userId);
    if (!existing) {
      throw new DomainError('NOT_FOUND', 'No such session of yours.', { field: 'id' });
    }
    return toSession(existing, now, undefined);
  });
}

// ---------------------------------------------------------------------------------------------
// API tokens

export interface ApiToken {
  id: bigint;
  name: string;
  role: UserRole;
  partyId: string | null;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  state: TokenState;
  /** Only reads and verifications. */
  readOnly: boolean;
}

function toApiToken(row: ApiTokenRow, now: Date): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    partyId: row.party_id,
    readOnly: row.read_only,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    state: tokenState(tokenTimes(row), now),
  };
}

export interface CreateApiTokenInput {
  name: string;
  expiresInDays: number;
  /** Only the caller's own role is accepted (see `createApiToken`). */
  role?: string | undefined;
  /** Fewer rights: only operations that change nothing (reads and verifications). */
  readOnly?: boolean | undefined;
}

/**
 * Creates a token acting as the caller's own role and party, shown once (`secret`) — or with
 * fewer rights: `readOnly` limits it to the operations that change nothing. No other role can be
 * asked for: no role's rights are a subset of another's in the policy table (the auditor reads
 * more than any other role), so another role would be a different set of rights, not fewer. A
 * token cannot create tokens (a leaked one could renew itself).
 */
export async function createApiToken(
  database: Database,
  actor: Actor,
  input: CreateApiTokenInput,
  now = new Date(),
): Promise<{ token: ApiToken; secret: string }> {
  authorize(actor, 'tokens.manage');
  const { userId, tokenId } = requireUser(actor);
  if (tokenId !== undefined) {
    throw new DomainError('FORBIDDEN', 'Sign in with a session to create API tokens.', {
      operation: 'tokens.manage',
    });
  }
  if (input.role !== undefined && input.role !== actor.role) {
    throw new DomainError(
      'FORBIDDEN',
      `A token acts as your own role (${actor.role}); it cannot carry another role.`,
      { field: 'role' },
    );
  }
  const name = checkTokenName(input.name);
  const expiresAt = apiTokenExpiresAt(now, input.expiresInDays);
  const secret = API_TOKEN_PREFIX + newSecret();
  return inTransaction(database, async (tx) => {
    const user = await findUser(tx, userId);
    if (!user || user.disabled) throw new DomainError('UNAUTHENTICATED');
    const row = await insertApiToken(tx, {
      secretHash: hashSecret(secret),
      userId,
      name,
      role: user.role,
      partyId: user.party_id,
      now,
      expiresAt,
      readOnly: input.readOnly ?? false,
    });
    const token = toApiToken(row, now);
    await recordAudit(
      tx,
      actor,
      { entity: 'api_token', entityId: String(row.id), action: 'create', after: token },
      now,
    );
    return { token, secret };
  });
}

export async function listMyApiTokens(
  database: Database,
  actor: Actor,
  now = new Date(),
): Promise<ApiToken[]> {
  authorize(actor, 'tokens.manage');
  const userId = signedInUserOf(actor)?.userId;
  if (userId === undefined) return [];
  return (await listApiTokensOfUser(database.kysely, userId)).map((row) => toApiToken(row, now));
}

export async function revokeMyApiToken(
  database: Database,
  actor: Actor,
  id: bigint,
  now = new Date(),
): Promise<ApiToken> {
  authorize(actor, 'tokens.manage');
  const userId = signedInUserOf(actor)?.userId ?? -1n;
  return inTransaction(database, async (tx) => {
    const revoked = await revokeApiToken(tx, id, userId, now);
    if (revoked) {
      const token = toApiToken(revoked, now);
      await recordAudit(
        tx,
        actor,
        { entity: 'api_token', entityId: String(id), action: 'revoke', after: token },
        now,
      );
      return token;
    }
    const existing = await findApiTokenOfUser(tx, id, userId);
    if (!existing) throw new DomainError('NOT_FOUND', 'No such token of yours.', { field: 'id' });
    return toApiToken(existing, now);
  });
}
