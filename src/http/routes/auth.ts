/**
 * Signing in: `/api/v1/auth` — how one may sign in (public), login and logout, who am I, my
 * sessions, my API tokens.
 *
 * Login sets the session cookie `purl_session`: `HttpOnly`, `SameSite=Strict`, `Path=/`, expiring
 * with the session's absolute expiry, and `Secure` when the request came over https — behind a
 * TLS-terminating proxy that is known only when the app trusts it (`PURL_TRUST_PROXY`, then
 * `X-Forwarded-Proto` counts). The same session id is in the answer (`session.token`) for
 * scripts, to send as `Authorization: Bearer`. Answers carrying a new secret are never stored
 * for Idempotency-Key replay (`idempotent: false`). Login also sets the readable cookie
 * `purl_csrf`, which a browser client echoes in `X-CSRF-Token` on writes (`security.ts`).
 */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  API_TOKEN_DAYS_MAX,
  API_TOKEN_DAYS_MIN,
  API_TOKEN_NAME_MAX_CHARS,
  PASSWORD_MAX_CHARS,
  USER_ROLES,
} from '../../core/identity.js';
import {
  createApiToken,
  getMe,
  listMyApiTokens,
  listMySessions,
  login,
  logout,
  revokeMyApiToken,
  revokeMySession,
  type LoginResult,
} from '../../services/identity-service.js';
import { POLICY, type Operation } from '../../core/policy.js';
import type { AppDependencies } from '../app.js';
import { SESSION_COOKIE, actorOf, presentedSecret } from '../request-context.js';
import { bigintString } from '../schemas.js';
import { CSRF_COOKIE, csrfTokenFor } from '../security.js';

export const User = z
  .object({
    id: bigintString,
    email: z.string(),
    displayName: z.string(),
    role: z.enum(USER_ROLES),
    partyId: z.string().nullable().describe('The party a contributor acts for; null otherwise.'),
    disabled: z.boolean(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'User' });

const Session = z
  .object({
    id: bigintString,
    createdAt: z.date(),
    lastSeenAt: z.date().describe('Updated at most once a minute.'),
    expiresAt: z.date().describe('Absolute expiry: 12 hours after sign-in.'),
    endsAt: z.date().describe('When it ends unused: 30 minutes idle, or the absolute expiry.'),
    revokedAt: z.date().nullable(),
    state: z.enum(['active', 'revoked', 'expired', 'idle']),
    current: z.boolean().describe('The session of this request.'),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'Session' });

const ApiToken = z
  .object({
    id: bigintString,
    name: z.string(),
    role: z.enum(USER_ROLES),
    partyId: z.string().nullable(),
    createdAt: z.date(),
    expiresAt: z.date(),
    lastUsedAt: z.date().nullable().describe('Updated at most once a minute.'),
    revokedAt: z.date().nullable(),
    state: z.enum(['active', 'revoked', 'expired']),
    readOnly: z.boolean().describe('Only reads and verifications.'),
  })
  .meta({ id: 'ApiToken' });

const LoginBody = z.object({
  email: z.string().min(1).max(254),
  password: z
    .string()
    .min(1)
    .max(PASSWORD_MAX_CHARS * 4),
});

export const LoginResponse = z
  .object({
    user: User,
    session: z.object({
      id: bigintString,
      expiresAt: z.date(),
      token: z
        .string()
        .describe('The session id, for `Authorization: Bearer` (also set as the cookie).'),
      csrfToken: z
        .string()
        .describe(
          'Send it as `X-CSRF-Token` with every write signed in by the cookie (also set as ' +
            'the readable cookie `purl_csrf`). Not needed with `Authorization: Bearer`.',
        ),
    }),
  })
  .meta({ id: 'LoginResponse' });

const Me = z
  .object({
    user: User.nullable().describe('null for a development actor (X-Purl-Actor).'),
    authenticatedBy: z.enum(['session', 'api_token', 'development']),
    role: z.string(),
    partyId: z.string().nullable(),
    operations: z
      .array(z.enum(Object.keys(POLICY) as [Operation, ...Operation[]]))
      .describe(
        'The operations of the policy table this request may perform: what a client may offer.',
      ),
  })
  .meta({ id: 'Me' });

const CreateToken = z.object({
  name: z.string().min(1).max(API_TOKEN_NAME_MAX_CHARS),
  expiresInDays: z.number().int().min(API_TOKEN_DAYS_MIN).max(API_TOKEN_DAYS_MAX),
  role: z
    .enum(USER_ROLES)
    .optional()
    .describe('Only your own role is accepted: a token acts as your role and party.'),
  readOnly: z
    .boolean()
    .optional()
    .describe('Fewer rights: only reads and verifications (for reporting integrations).'),
});

const CreatedToken = z
  .object({
    token: ApiToken,
    secret: z.string().describe('`purl_tok_…`: shown once, stored only hashed. Keep it safe.'),
  })
  .meta({ id: 'CreatedApiToken' });

const IdParams = z.object({ id: bigintString });
const tags = ['auth'];

export interface AuthRouteOptions extends AppDependencies {
  now: () => Date;
  /** Sign-in's own rate limit by client address (`security.ts`); none when limits are off. */
  loginRateLimit?: RateLimitOptions | undefined;
  /** OpenID Connect sign-in is configured (its routes exist): `GET /auth/providers` says so. */
  oidcEnabled?: boolean;
  /** The provider's name for the sign-in button (`PURL_OIDC_NAME`), when configured. */
  oidcName?: string | undefined;
}

/** The `/auth/oidc/login` route of `oidc.ts`, which a browser navigates to (never fetches). */
const OIDC_LOGIN_PATH = '/api/v1/auth/oidc/login';

const AuthProviders = z
  .object({
    password: z.literal(true).describe('Email and password sign-in (`POST /auth/login`).'),
    oidc: z.object({
      enabled: z.boolean(),
      loginUrl: z
        .string()
        .nullable()
        .describe('Where a browser goes to sign in with the identity provider; null when off.'),
      name: z
        .string()
        .optional()
        .describe('The identity provider’s name to show on the sign-in button, when configured.'),
    }),
  })
  .meta({ id: 'AuthProviders' });

export function cookieOptions(request: FastifyRequest) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/',
    secure: request.protocol === 'https',
  };
}

/**
 * Sets the session cookie and its CSRF cookie of a new session (password or OpenID Connect
 * sign-in) and returns the body of `LoginResponse`.
 */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  result: LoginResult,
) {
  const csrfToken = csrfTokenFor(result.secret);
  reply.setCookie(SESSION_COOKIE, result.secret, {
    ...cookieOptions(request),
    expires: result.session.expiresAt,
  });
  // Readable by the page's script, which echoes it in X-CSRF-Token.
  reply.setCookie(CSRF_COOKIE, csrfToken, {
    ...cookieOptions(request),
    httpOnly: false,
    expires: result.session.expiresAt,
  });
  return { user: result.user, session: { ...result.session, token: result.secret, csrfToken } };
}

function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
  reply.clearCookie(CSRF_COOKIE, { ...cookieOptions(request), httpOnly: false });
}

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (
  app,
  { database, now, loginRateLimit, oidcEnabled = false, oidcName },
) => {
  app.get(
    '/auth/providers',
    {
      schema: {
        operationId: 'getAuthProviders',
        tags,
        summary: 'How one may sign in here: password, and OpenID Connect when configured',
        description: 'Public: the sign-in page asks it before anyone is signed in.',
        response: { 200: AuthProviders },
      },
    },
    async () => ({
      password: true as const,
      oidc: {
        enabled: oidcEnabled,
        loginUrl: oidcEnabled ? OIDC_LOGIN_PATH : null,
        ...(oidcEnabled && oidcName ? { name: oidcName } : {}),
      },
    }),
  );

  app.post(
    '/auth/login',
    {
      // No session yet, so no CSRF token; limited by address on top of the per-email lockout.
      config: {
        idempotent: false,
        csrf: false,
        ...(loginRateLimit ? { rateLimit: loginRateLimit } : {}),
      },
      schema: {
        operationId: 'login',
        tags,
        summary: 'Sign in with email and password: sets the session cookie',
        description:
          'A wrong email or password answers 401 with one message for both. The session ends ' +
          'after 30 minutes without a request or 12 hours after sign-in, whichever comes first. ' +
          'Repeated failures with one email lock it with back-off: 429 `LOGIN_LOCKED` with ' +
          '`Retry-After`, even for the right password (any email, known or not). Too many ' +
          'attempts from one address: 429 `RATE_LIMITED`.',
        body: LoginBody,
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) => {
      const result = await login(
        database,
        request.body,
        { ip: request.ip, userAgent: request.headers['user-agent'] },
        now(),
      );
      return setSessionCookies(request, reply, result);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { idempotent: false },
      schema: {
        operationId: 'logout',
        tags,
        summary: 'End the session of this request and clear the cookie',
        response: { 200: z.object({ revoked: z.boolean() }) },
      },
    },
    async (request, reply) => {
      const result = await logout(database, actorOf(request), presentedSecret(request), now());
      clearSessionCookie(request, reply);
      return result;
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        operationId: 'getMe',
        tags,
        summary: 'The signed-in user, and the role and party this request acts as',
        response: { 200: Me },
      },
    },
    async (request) => getMe(database, actorOf(request)),
  );

  app.get(
    '/auth/sessions',
    {
      schema: {
        operationId: 'listMySessions',
        tags,
        summary: 'My sessions, newest first (the latest 100, ended ones with their state)',
        response: { 200: z.object({ items: z.array(Session), nextCursor: z.null() }) },
      },
    },
    async (request) => ({
      items: await listMySessions(database, actorOf(request), presentedSecret(request), now()),
      nextCursor: null,
    }),
  );

  app.delete(
    '/auth/sessions/:id',
    {
      schema: {
        operationId: 'revokeMySession',
        tags,
        summary: 'Revoke one of my sessions (signs that browser or script out)',
        params: IdParams,
        response: { 200: Session },
      },
    },
    async (request) => revokeMySession(database, actorOf(request), request.params.id, now()),
  );

  app.get(
    '/auth/tokens',
    {
      schema: {
        operationId: 'listMyApiTokens',
        tags,
        summary: 'My API tokens, newest first (the latest 100; never their secrets)',
        response: { 200: z.object({ items: z.array(ApiToken), nextCursor: z.null() }) },
      },
    },
    async (request) => ({
      items: await listMyApiTokens(database, actorOf(request), now()),
      nextCursor: null,
    }),
  );

  app.post(
    '/auth/tokens',
    {
      config: { idempotent: false },
      schema: {
        operationId: 'createApiToken',
        tags,
        summary: 'Create an API token acting as my role and party; its secret is shown once',
        body: CreateToken,
        response: { 201: CreatedToken },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(database, actorOf(request), request.body, now());
      reply.code(201);
      return created;
    },
  );

  app.delete(
    '/auth/tokens/:id',
    {
      schema: {
        operationId: 'revokeMyApiToken',
        tags,
        summary: 'Revoke one of my API tokens',
        params: IdParams,
        response: { 200: ApiToken },
      },
    },
    async (request) => revokeMyApiToken(database, actorOf(request), request.params.id, now()),
  );
};
