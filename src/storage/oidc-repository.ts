/**
 * SQL of OpenID Connect sign-in (migration 0013): sign-ins under way, and users' bindings to a
 * provider's (issuer, subject).
 */
import type { Database } from './database.js';
import type { UserRow, UserValues } from './identity-repository.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

export interface LoginAttemptValues {
  stateHash: string;
  codeVerifier: string;
  nonce: string;
  now: Date;
  expiresAt: Date;
}

/** Stores a sign-in under way, pruning those that expired. */
export async function insertLoginAttempt(db: Executor, values: LoginAttemptValues): Promise<void> {
  await db.deleteFrom('oidc_login_attempt').where('expires_at', '<=', values.now).execute();
  await db
    .insertInto('oidc_login_attempt')
    .values({
      state_hash: values.stateHash,
      code_verifier: values.codeVerifier,
      nonce: values.nonce,
      created_at: values.now,
      expires_at: values.expiresAt,
    })
    .execute();
}

/** Consumes a sign-in under way: each is used at most once; `undefined` if unknown or expired. */
export async function takeLoginAttempt(
  db: Executor,
  stateHash: string,
  now: Date,
): Promise<{ codeVerifier: string; nonce: string } | undefined> {
  const row = await db
    .deleteFrom('oidc_login_attempt')
    .where('state_hash', '=', stateHash)
    .returning(['code_verifier', 'nonce', 'expires_at'])
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return undefined;
  return { codeVerifier: row.code_verifier, nonce: row.nonce };
}

/** The user bound to a provider's subject, locked for update. */
export async function findUserByIdentity(
  tx: Tx,
  issuer: string,
  subject: string,
): Promise<UserRow | undefined> {
  return tx
    .selectFrom('oidc_identity')
    .innerJoin('app_user', 'app_user.id', 'oidc_identity.user_id')
    .selectAll('app_user')
    .where('oidc_identity.issuer', '=', issuer)
    .where('oidc_identity.subject', '=', subject)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertIdentity(
  tx: Tx,
  values: { issuer: string; subject: string; userId: bigint; now: Date },
): Promise<void> {
  await tx
    .insertInto('oidc_identity')
    .values({
      issuer: values.issuer,
      subject: values.subject,
      user_id: values.userId,
      created_at: values.now,
    })
    .execute();
}

/** Takes the provider's current email, name, role and party for a user; bumps its version. */
export async function updateUserFromProvider(
  tx: Tx,
  id: bigint,
  values: Omit<UserValues, 'passwordHash'>,
  now: Date,
): Promise<UserRow> {
  return tx
    .updateTable('app_user')
    .set((eb) => ({
      email: values.email,
      display_name: values.displayName,
      role: values.role,
      party_id: values.partyId,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
