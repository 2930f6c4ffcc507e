/**
 * SQL of users, sessions and API tokens. Secrets arrive here already hashed (SHA-256 hex); a
 * lookup by secret is one read of a unique index. A user row is locked (`FOR UPDATE`) by the
 * commands that change it.
 */
import type { Selectable } from 'kysely';
import type { Database } from './database.js';
import type {
  ApiTokenTable,
  AppUserTable,
  AuthSessionTable,
  UserRoleColumn,
} from './schema-identity.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

/** Sessions and tokens listed for a user: the most recent this many. */
const LIST_MAX = 100;

export type UserRow = Selectable<AppUserTable>;
export type SessionRow = Selectable<AuthSessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;

export interface UserValues {
  email: string;
  displayName: string;
  role: UserRoleColumn;
  partyId: string | null;
  passwordHash: string | null;
}

/** Inserts a user; `undefined` when the email is taken. */
export async function insertUser(tx: Tx, values: UserValues): Promise<UserRow | undefined> {
  return tx
    .insertInto('app_user')
    .values({
      email: values.email,
      display_name: values.displayName,
      role: values.role,
      party_id: values.partyId,
      password_hash: values.passwordHash,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findUserByEmail(
  db: Executor,
  email: string,
  lock = false,
): Promise<UserRow | undefined> {
  let query = db.selectFrom('app_user').selectAll().where('email', '=', email);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findUser(db: Executor, id: bigint): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Executor): Promise<UserRow[]> {
  return db.selectFrom('app_user').selectAll().orderBy('email').execute();
}

export async function setUserDisabled(
  tx: Tx,
  id: bigint,
  disabled: boolean,
  now: Date,
): Promise<UserRow> {
  return tx
    .updateTable('app_user')
    .set((eb) => ({ disabled, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function partyExists(db: Executor, partyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('party')
    .select('id')
    .where('id', '=', partyId)
    .executeTakeFirst();
  return row !== undefined;
}

// Sessions -------------------------------------------------------------------------------------

export interface SessionValues {
  secretHash: string;
  userId: bigint;
  now: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

export async function insertSession(tx: Tx, values: SessionValues): Promise<SessionRow> {
  return tx
    .insertInto('auth_session')
    .values({
      secret_hash: values.secretHash,
      user_id: values.userId,
      created_at: values.now,
      last_seen_at: values.now,
      expires_at: values.expiresAt,
      user_agent: values.userAgent,
      ip: values.ip,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A session and its user, by the hash of its secret. */
export async function findSessionBySecret(
  db: Executor,
  secretHash: string,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const session = await db
    .selectFrom('auth_session')
    .selectAll()
    .where('secret_hash', '=', secretHash)
    .executeTakeFirst();
  if (!session) return undefined;
  const user = await findUser(db, session.user_id);
  return user ? { session, user } : undefined;
}

/** Moves `last_seen_at` forward (never back: two servers may touch one session at once). */
export async function touchSession(db: Executor, id: bigint, now: Date): Promise<void> {
  await db
    .updateTable('auth_session')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where('last_seen_at', '<', now)
    .execute();
}

export async function listSessionsOfUser(db: Executor, userId: bigint): Promise<SessionRow[]> {
  return db
    .selectFrom('auth_session')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(LIST_MAX)
    .execute();
}

/** Revokes a session of this user if it is not revoked yet; the row after, or `undefined`. */
export async function revokeSession(
  tx: Tx,
  where: { id: bigint } | { secretHash: string },
  userId: bigint,
  now: Date,
): Promise<SessionRow | undefined> {
  let query = tx
    .updateTable('auth_session')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  query =
    'id' in where
      ? query.where('id', '=', where.id)
      : query.where('secret_hash', '=', where.secretHash);
  return query.returningAll().executeTakeFirst();
}

export async function findSessionOfUser(
  db: Executor,
  id: bigint,
  userId: bigint,
): Promise<SessionRow | undefined> {
  return db
    .selectFrom('auth_session')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Ends every open session of a user (the user was disabled). */
export async function revokeSessionsOfUser(tx: Tx, userId: bigint, now: Date): Promise<number> {
  const result = await tx
    .updateTable('auth_session')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// API tokens -----------------------------------------------------------------------------------

export interface ApiTokenValues {
  secretHash: string;
  userId: bigint;
  name: string;
  role: UserRoleColumn;
  partyId: string | null;
  now: Date;
  expiresAt: Date;
  readOnly: boolean;
}

export async function insertApiToken(tx: Tx, values: ApiTokenValues): Promise<ApiTokenRow> {
  return tx
    .insertInto('api_token')
    .values({
      secret_hash: values.secretHash,
      user_id: values.userId,
      name: values.name,
      role: values.role,
      party_id: values.partyId,
      created_at: values.now,
      expires_at: values.expiresAt,
      read_only: values.readOnly,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findApiTokenBySecret(
  db: Executor,
  secretHash: string,
): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const token = await db
    .selectFrom('api_token')
    .selectAll()
    .where('secret_hash', '=', secretHash)
    .executeTakeFirst();
  if (!token) return undefined;
  const user = await findUser(db, token.user_id);
  return user ? { token, user } : undefined;
}

/** Records a use of a token at most once a minute (same rule as sessions). */
/** Moves `last_used_at` forward (never back: two servers may touch one token at once). */
export async function touchApiToken(db: Executor, id: bigint, now: Date): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now)]))
    .execute();
}

export async function listApiTokensOfUser(db: Executor, userId: bigint): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_token')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(LIST_MAX)
    .execute();
}

export async function findApiTokenOfUser(
  db: Executor,
  id: bigint,
  userId: bigint,
): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom('api_token')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function revokeApiToken(
  tx: Tx,
  id: bigint,
  userId: bigint,
  now: Date,
): Promise<ApiTokenRow | undefined> {
  return tx
    .updateTable('api_token')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

// Administration -------------------------------------------------------------------------------

export interface UserFilter {
  role?: UserRoleColumn | undefined;
  partyId?: string | undefined;
  disabled?: boolean | undefined;
  /** Part of the email or display name, case-insensitive. */
  search?: string | undefined;
  /** Emails after this one (the cursor: email order, emails are unique). */
  afterEmail?: string | undefined;
  limit: number;
}

/** A page of users in email order, `limit + 1` rows (`toPage` drops the extra). */
export async function listUserPage(db: Executor, f: UserFilter): Promise<UserRow[]> {
  let query = db
    .selectFrom('app_user')
    .selectAll()
    .orderBy('email')
    .limit(f.limit + 1);
  if (f.role) query = query.where('role', '=', f.role);
  if (f.partyId) query = query.where('party_id', '=', f.partyId);
  if (f.disabled !== undefined) query = query.where('disabled', '=', f.disabled);
  if (f.afterEmail !== undefined) query = query.where('email', '>', f.afterEmail);
  const search = f.search;
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('email', 'ilike', pattern), eb('display_name', 'ilike', pattern)]),
    );
  }
  return query.execute();
}

export async function findUsersByIds(db: Executor, ids: readonly bigint[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** The user row, locked for the rest of the transaction. */
export async function lockUser(tx: Tx, id: bigint): Promise<UserRow | undefined> {
  return tx.selectFrom('app_user').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface UserChanges {
  displayName: string;
  role: UserRoleColumn;
  partyId: string | null;
  disabled: boolean;
}

export async function updateUserRow(
  tx: Tx,
  id: bigint,
  changes: UserChanges,
  now: Date,
): Promise<UserRow> {
  return tx
    .updateTable('app_user')
    .set((eb) => ({
      display_name: changes.displayName,
      role: changes.role,
      party_id: changes.partyId,
      disabled: changes.disabled,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Revokes every live API token of a user (the user was disabled). */
export async function revokeApiTokensOfUser(tx: Tx, userId: bigint, now: Date): Promise<number> {
  const result = await tx
    .updateTable('api_token')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
