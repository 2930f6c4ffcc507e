/**
 * Sign-in through an OpenID Connect provider (a ministry's own identity provider), as a relying
 * party built on `openid-client`: the authorization code flow with PKCE (S256), `state` and
 * `nonce`. Configured by environment (`oidcOptionsFromEnv`); off when `PURL_OIDC_ISSUER` is unset.
 *
 * 1. `startOidcLogin` stores a sign-in under way (`oidc_login_attempt`, 10 minutes, keyed by the
 *    SHA-256 of its `state` and of the page to return to) and returns the provider's
 *    authorization URL and the value of a short-lived cookie (`state`, and the return path when
 *    not `/`), so only the browser that started the sign-in can end it, and it ends on the page
 *    it asked for: the return path never goes to the provider, and a cookie whose return path was
 *    changed matches no stored sign-in. Only a path of this app is kept (`safeReturnPath`).
 * 2. `completeOidcLogin` consumes that attempt (once), exchanges the code, and lets
 *    `openid-client` validate the ID token (signature, issuer, audience, expiry, nonce). The role
 *    and party come from the claims named by `PURL_OIDC_ROLE_CLAIM` / `PURL_OIDC_PARTY_CLAIM`
 *    (ID token first, then the UserInfo endpoint). A role that is not a user role, a contributor
 *    without a known party, or no email is refused (403 `OIDC_CLAIMS_REFUSED`).
 * 3. The user is found by the provider's (issuer, subject) — never by email — or created
 *    without a password; at every sign-in it takes the provider's current email, name, role and
 *    party (the provider is the source of truth; API tokens of a changed role lapse). Then a
 *    session opens exactly as with a password (`openSession`). A disabled user is refused.
 *
 * Success and every failure are audited like password sign-in (`login` / `login_failed`, with
 * `method: 'oidc'`); no code, token or secret is ever logged or audited.
 */
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { DomainError } from '../core/errors.js';
import {
  USER_ROLES,
  anonymousActor,
  checkDisplayName,
  normalizeEmail,
  type UserRole,
} from '../core/identity.js';
import type { Database } from '../storage/database.js';
import { findUserByEmail, insertUser, partyExists } from '../storage/identity-repository.js';
import {
  findUserByIdentity,
  insertIdentity,
  insertLoginAttempt,
  takeLoginAttempt,
  updateUserFromProvider,
} from '../storage/oidc-repository.js';
import { inTransaction, type Tx } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';
import { openSession, toUser, type ClientInfo, type LoginResult } from './identity-service.js';

/** How long a sign-in may stay at the provider before its callback is refused. */
export const OIDC_ATTEMPT_MS = 10 * 60 * 1000;

export interface OidcOptions {
  /** `PURL_OIDC_ISSUER`: the provider's issuer URL (discovery at `/.well-known/openid-configuration`). */
  issuer: string;
  /** `PURL_OIDC_CLIENT_ID` */
  clientId: string;
  /** `PURL_OIDC_CLIENT_SECRET` (client_secret_basic, or what the provider's metadata says). */
  clientSecret: string;
  /** `PURL_OIDC_REDIRECT_URI`: the public URL of `GET /api/v1/auth/oidc/callback`. */
  redirectUri: string;
  /** `PURL_OIDC_ROLE_CLAIM`, default `purl_role`: a role of the product (not `system`). */
  roleClaim: string;
  /** `PURL_OIDC_PARTY_CLAIM`, default `purl_party`: a contributor's party id (e.g. `NLD`). */
  partyClaim: string;
  /** Scopes asked for; default `openid email profile`. */
  scope?: string | undefined;
  /** `PURL_OIDC_NAME`: the provider's name on the sign-in button (e.g. `MoD Ukraine ID`). */
  displayName?: string | undefined;
  /** Allow plain-http provider URLs (tests on loopback only; never from the environment). */
  allowInsecureRequests?: boolean | undefined;
}

/** Reads `PURL_OIDC_*`; `undefined` (OIDC off) when no issuer is set; fails when it is half-set. */
export function oidcOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcOptions | undefined {
  const issuer = env.PURL_OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`PURL_OIDC_ISSUER is set, so ${name} must be set too.`);
    return value;
  };
  return {
    issuer,
    clientId: required('PURL_OIDC_CLIENT_ID'),
    clientSecret: required('PURL_OIDC_CLIENT_SECRET'),
    redirectUri: required('PURL_OIDC_REDIRECT_URI'),
    roleClaim: env.PURL_OIDC_ROLE_CLAIM?.trim() || 'purl_role',
    partyClaim: env.PURL_OIDC_PARTY_CLAIM?.trim() || 'purl_party',
    displayName: env.PURL_OIDC_NAME?.trim().slice(0, 80) || undefined,
  };
}

/** The relying party: its options and the provider's metadata, discovered on first use. */
export interface OidcRelyingParty {
  options: OidcOptions;
  configuration(): Promise<client.Configuration>;
}

export function createRelyingParty(options: OidcOptions): OidcRelyingParty {
  let discovered: Promise<client.Configuration> | undefined;
  return {
    options,
    configuration() {
      discovered ??= client
        .discovery(
          new URL(options.issuer),
          options.clientId,
          options.clientSecret,
          undefined,
          options.allowInsecureRequests ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          discovered = undefined; // retry discovery on the next sign-in
          throw new DomainError(
            'OIDC_PROVIDER_UNAVAILABLE',
            `The identity provider ${options.issuer} cannot be reached: ${errorName(error)}.`,
          );
        });
      return discovered;
    },
  };
}

/** The stored key of a sign-in: its `state`, bound to the path it returns to. */
function stateHash(state: string, returnTo: string): string {
  const bound = returnTo === '/' ? state : `${state}\n${returnTo}`;
  return createHash('sha256').update(`purl-oidc:${bound}`, 'utf8').digest('hex');
}

const RETURN_PATH_MAX = 1000;

/**
 * Where a sign-in may send the browser back to: a path of this app only — `/` followed by no
 * second `/`, no control character or backslash anywhere (browsers drop tabs and newlines
 * and read `\` as `/`), not the sign-in page, not the API — else `undefined`. The
 * web app's `safeReturnTo` (`src/web/src/app/return-path.ts`) applies the same rule.
 */
export function safeReturnPath(value: string | null | undefined): string | undefined {
  if (!value || value.length > RETURN_PATH_MAX) return undefined;
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/.test(value)) return undefined;
  if (/^\/(sign-in|api)(?:[/?#]|$)/.test(value)) return undefined;
  return value;
}

/** The value of the browser's sign-in cookie: `state`, then `.` and the return path (base64url). */
function attemptCookie(state: string, returnTo: string): string {
  return returnTo === '/'
    ? state
    : `${state}.${Buffer.from(returnTo, 'utf8').toString('base64url')}`;
}

/** Reads the browser's sign-in cookie: its `state` and its return path (`/` when none or bad). */
export function readAttemptCookie(value: string | undefined): {
  state: string | undefined;
  returnTo: string;
} {
  if (!value) return { state: undefined, returnTo: '/' };
  const dot = value.indexOf('.');
  if (dot < 0) return { state: value, returnTo: '/' };
  const decoded = Buffer.from(value.slice(dot + 1), 'base64url').toString('utf8');
  return { state: value.slice(0, dot), returnTo: safeReturnPath(decoded) ?? '/' };
}

function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} ${code}` : error.name;
  }
  return 'error';
}

/**
 * Starts a sign-in: the provider URL to send the browser to, and the value of the browser's
 * cookie. `returnTo` is kept only if it is a path of this app (`safeReturnPath`), else `/`.
 */
export async function startOidcLogin(
  database: Database,
  rp: OidcRelyingParty,
  now = new Date(),
  returnTo?: string | null,
): Promise<{ url: URL; cookie: string; returnTo: string }> {
  const target = safeReturnPath(returnTo) ?? '/';
  const config = await rp.configuration();
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await insertLoginAttempt(database.kysely, {
    stateHash: stateHash(state, target),
    codeVerifier,
    nonce,
    now,
    expiresAt: new Date(now.getTime() + OIDC_ATTEMPT_MS),
  });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: rp.options.redirectUri,
    scope: rp.options.scope ?? 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, cookie: attemptCookie(state, target), returnTo: target };
}

export interface OidcCallback {
  /** The callback's query string (`?code=…&state=…&iss=…`, or `?error=…`). */
  search: string;
  /** The cookie set when this browser started the sign-in (`startOidcLogin`'s `cookie`). */
  cookie: string | undefined;
}

type Claims = Record<string, unknown>;

interface Refusal {
  code: 'OIDC_LOGIN_FAILED' | 'OIDC_CLAIMS_REFUSED' | 'UNAUTHENTICATED';
  reason: string;
  message: string;
  audit?: Record<string, unknown>;
}

/** Ends a sign-in at the callback: validates it, finds or creates the user, opens a session. */
export async function completeOidcLogin(
  database: Database,
  rp: OidcRelyingParty,
  callback: OidcCallback,
  clientInfo: ClientInfo = {},
  now = new Date(),
): Promise<LoginResult> {
  const { issuer } = rp.options;
  const refuse = async (refusal: Refusal): Promise<never> => {
    await inTransaction(database, (tx) =>
      recordAudit(
        tx,
        anonymousActor(clientInfo.ip),
        {
          entity: 'auth_session',
          action: 'login_failed',
          after: {
            method: 'oidc',
            issuer,
            reason: refusal.reason,
            ...refusal.audit,
            ip: clientInfo.ip ?? null,
            userAgent: clientInfo.userAgent?.slice(0, 500) ?? null,
          },
        },
        now,
      ),
    );
    throw new DomainError(refusal.code, refusal.message, { reason: refusal.reason });
  };

  const params = new URLSearchParams(callback.search);
  const state = params.get('state');
  const browser = readAttemptCookie(callback.cookie);
  if (!state || !browser.state || state !== browser.state) {
    return refuse({
      code: 'OIDC_LOGIN_FAILED',
      reason: 'state_mismatch',
      message: 'This sign-in was not started by this browser (state missing or different).',
    });
  }
  const attempt = await takeLoginAttempt(database.kysely, stateHash(state, browser.returnTo), now);
  if (!attempt) {
    return refuse({
      code: 'OIDC_LOGIN_FAILED',
      reason: 'attempt_unknown',
      message: 'This sign-in expired or was already used; start again.',
    });
  }

  const config = await rp.configuration();
  const currentUrl = new URL(rp.options.redirectUri);
  currentUrl.search = params.toString();
  let claims: Claims;
  try {
    const tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    claims = { ...(tokens.claims() as Claims) };
    // Many providers put requested claims in UserInfo, not the ID token, with the code flow.
    if (
      lacksClaims(claims, rp.options) &&
      config.serverMetadata().userinfo_endpoint &&
      tokens.access_token
    ) {
      const userInfo = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
      claims = { ...userInfo, ...claims };
    }
  } catch (error) {
    const providerError = params.get('error');
    return refuse({
      code: 'OIDC_LOGIN_FAILED',
      reason: providerError ? `provider_${providerError}`.slice(0, 80) : 'token_rejected',
      message: providerError
        ? `The identity provider refused the sign-in (${providerError.slice(0, 80)}).`
        : 'The identity provider’s answer could not be validated; start again.',
      audit: { error: errorName(error) },
    });
  }

  const subject = String(claims.sub);
  const who = { subject, email: typeof claims.email === 'string' ? claims.email : null };
  const mapped = await mapClaims(database, rp.options, claims);
  if ('reason' in mapped) {
    return refuse({
      code: 'OIDC_CLAIMS_REFUSED',
      reason: mapped.reason,
      message: mapped.message,
      audit: who,
    });
  }

  const outcome = await inTransaction(database, async (tx) =>
    signInIdentity(tx, issuer, subject, mapped, clientInfo, now),
  );
  if ('reason' in outcome) {
    return refuse({
      code: outcome.reason === 'disabled' ? 'UNAUTHENTICATED' : 'OIDC_CLAIMS_REFUSED',
      reason: outcome.reason,
      message: outcome.message,
      audit: who,
    });
  }
  return outcome;
}

/** Whether the ID token lacks the email, the role, or a contributor's party. */
function lacksClaims(claims: Claims, options: OidcOptions): boolean {
  const role = claims[options.roleClaim];
  return (
    claims.email === undefined ||
    role === undefined ||
    (role === 'contributor' && claims[options.partyClaim] === undefined)
  );
}

interface MappedUser {
  email: string;
  displayName: string;
  role: UserRole;
  partyId: string | null;
}

async function mapClaims(
  database: Database,
  options: OidcOptions,
  claims: Claims,
): Promise<MappedUser | { reason: string; message: string }> {
  const role = claims[options.roleClaim];
  if (role === undefined || role === null || role === '') {
    return {
      reason: 'role_missing',
      message: `The identity provider gave no ${options.roleClaim} claim: no PURL role is assigned to you.`,
    };
  }
  if (typeof role !== 'string' || !(USER_ROLES as readonly string[]).includes(role)) {
    return {
      reason: 'role_unknown',
      message: `The ${options.roleClaim} claim must be one of ${USER_ROLES.join(', ')}.`,
    };
  }
  let partyId: string | null = null;
  if (role === 'contributor') {
    const party = claims[options.partyClaim];
    if (typeof party !== 'string' || party.trim() === '') {
      return {
        reason: 'party_missing',
        message: `A contributor acts for one party: the ${options.partyClaim} claim is missing.`,
      };
    }
    partyId = party.trim();
    if (!(await partyExists(database.kysely, partyId))) {
      return {
        reason: 'party_unknown',
        message: `The ${options.partyClaim} claim names no known party (${partyId.slice(0, 20)}).`,
      };
    }
  }
  // Other roles are bound to no party: a party claim the provider sends everyone is ignored.
  let email: string;
  try {
    email = normalizeEmail(typeof claims.email === 'string' ? claims.email : '');
  } catch {
    return { reason: 'email_missing', message: 'The identity provider gave no valid email.' };
  }
  const name = typeof claims.name === 'string' ? claims.name.trim() : '';
  let displayName: string;
  try {
    displayName = checkDisplayName(name || (email.split('@')[0] ?? email));
  } catch {
    displayName = checkDisplayName(email.split('@')[0] ?? email);
  }
  return { email, displayName, role: role as UserRole, partyId };
}

async function signInIdentity(
  tx: Tx,
  issuer: string,
  subject: string,
  mapped: MappedUser,
  clientInfo: ClientInfo,
  now: Date,
): Promise<LoginResult | { reason: string; message: string }> {
  const emailTaken = {
    reason: 'email_taken',
    message: `Another PURL account already uses ${mapped.email}; an administrator must resolve it.`,
  };
  const providerActor = { id: `oidc:${issuer}`.slice(0, 200), role: 'system' as const };
  let user = await findUserByIdentity(tx, issuer, subject);
  if (!user) {
    const created = await insertUser(tx, { ...mapped, passwordHash: null });
    if (!created) return emailTaken;
    await insertIdentity(tx, { issuer, subject, userId: created.id, now });
    await recordAudit(
      tx,
      providerActor,
      {
        entity: 'user',
        entityId: String(created.id),
        action: 'create',
        after: { ...toUser(created), oidc: { issuer, subject } },
      },
      now,
    );
    user = created;
  } else {
    if (user.disabled) return { reason: 'disabled', message: 'This account is disabled.' };
    const changed =
      user.email !== mapped.email ||
      user.display_name !== mapped.displayName ||
      user.role !== mapped.role ||
      user.party_id !== mapped.partyId;
    if (changed) {
      const holder = await findUserByEmail(tx, mapped.email);
      if (holder && holder.id !== user.id) return emailTaken;
      const before = toUser(user);
      user = await updateUserFromProvider(tx, user.id, mapped, now);
      await recordAudit(
        tx,
        providerActor,
        {
          entity: 'user',
          entityId: String(user.id),
          action: 'update',
          before,
          after: toUser(user),
        },
        now,
      );
    }
  }
  return openSession(tx, user, clientInfo, now, { method: 'oidc', issuer });
}
