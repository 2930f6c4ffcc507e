/**
 * OpenID Connect sign-in: `/api/v1/auth/oidc` — registered only when OIDC is configured
 * (`PURL_OIDC_*`, `services/oidc-service.ts`).
 *
 * `GET /auth/oidc/login?returnTo=/path` answers 302 to the provider and sets the cookie
 * `purl_oidc_state` (`HttpOnly`, `SameSite=Lax` — it must come back with the provider's
 * cross-site redirect —, path `/api/v1/auth/oidc`, 10 minutes), which also carries `returnTo`
 * when it is a path of this app (`safeReturnPath`; anything else is dropped: no open redirect).
 * `GET /auth/oidc/callback` ends the sign-in and sets the same session and CSRF cookies as
 * password login. Its answer for a browser: 302 to that return path (default `/`), or, when the
 * sign-in is refused, 302 to `/sign-in?returnTo=…&oidcError=<reason>` (the page explains the
 * reason and what to do); for a script — `Accept` asks for `application/json` and not
 * `text/html` — the JSON of password login (`LoginResponse`, with the session token) or the
 * error. Both are public, CSRF-exempt (GETs, no session yet) and under sign-in's rate limit by
 * address.
 */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDomainError } from '../../core/errors.js';
import {
  OIDC_ATTEMPT_MS,
  completeOidcLogin,
  readAttemptCookie,
  safeReturnPath,
  startOidcLogin,
  type OidcRelyingParty,
} from '../../services/oidc-service.js';
import type { AppDependencies } from '../app.js';
import { LoginResponse, cookieOptions, setSessionCookies } from './auth.js';

export const OIDC_STATE_COOKIE = 'purl_oidc_state';
const tags = ['auth'];

export interface OidcRouteOptions extends AppDependencies {
  now: () => Date;
  relyingParty: OidcRelyingParty;
  loginRateLimit?: RateLimitOptions | undefined;
}

const CallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(1000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

const LoginQuery = z.object({
  returnTo: z
    .string()
    .max(2000)
    .optional()
    .describe('The page of this app to end on (a path such as `/packages/3`); anything else: `/`.'),
});

/**
 * Where a refused browser sign-in goes: the sign-in page, keeping the return path, with the
 * refusal's reason (a fixed word of `oidc-service.ts` — `role_missing`, `provider_access_denied`,
 * `unavailable`… — reduced to `[a-z_]`), which the page turns into what to do.
 */
function signInPageFor(returnTo: string, reason: string): string {
  const search = new URLSearchParams();
  if (returnTo !== '/') search.set('returnTo', returnTo);
  search.set('oidcError', reason.replace(/[^a-z_]/g, '').slice(0, 60) || 'failed');
  return `/sign-in?${search.toString()}`;
}

function refusalReason(error: unknown): string | undefined {
  if (!isDomainError(error)) return undefined;
  if (error.code === 'OIDC_PROVIDER_UNAVAILABLE') return 'unavailable';
  const reason = error.details.reason;
  return typeof reason === 'string' ? reason : error.code.toLowerCase();
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export const oidcRoutes: FastifyPluginAsyncZod<OidcRouteOptions> = async (
  app,
  { database, now, relyingParty, loginRateLimit },
) => {
  const stateCookie = (request: FastifyRequest) => ({
    ...cookieOptions(request),
    sameSite: 'lax' as const,
    path: '/api/v1/auth/oidc',
  });

  app.get(
    '/auth/oidc/login',
    {
      config: { csrf: false, ...(loginRateLimit ? { rateLimit: loginRateLimit } : {}) },
      schema: {
        operationId: 'oidcLogin',
        tags,
        summary: 'Sign in with the organisation’s identity provider: redirects to it',
        description:
          '302 to the provider’s authorization endpoint (code flow with PKCE, state and nonce). ' +
          'The sign-in must be completed within 10 minutes, in the same browser; it then ends ' +
          'on `returnTo` when that is a path of this app (else on `/`). 503 ' +
          '`OIDC_PROVIDER_UNAVAILABLE` when the provider cannot be reached (a browser is sent ' +
          'back to `/sign-in?oidcError=unavailable` instead).',
        querystring: LoginQuery,
      },
    },
    async (request, reply) => {
      let started: Awaited<ReturnType<typeof startOidcLogin>>;
      try {
        started = await startOidcLogin(database, relyingParty, now(), request.query.returnTo);
      } catch (error) {
        const reason = refusalReason(error);
        if (!reason || wantsJson(request)) throw error;
        const returnTo = safeReturnPath(request.query.returnTo) ?? '/';
        return reply.redirect(signInPageFor(returnTo, reason), 302);
      }
      reply.setCookie(OIDC_STATE_COOKIE, started.cookie, {
        ...stateCookie(request),
        maxAge: OIDC_ATTEMPT_MS / 1000,
      });
      return reply.redirect(started.url.href, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: { csrf: false, ...(loginRateLimit ? { rateLimit: loginRateLimit } : {}) },
      schema: {
        operationId: 'oidcCallback',
        tags,
        summary: 'Where the identity provider sends the browser back: opens a session',
        description:
          'Sets the session cookie and `purl_csrf` as password login does, then 302 to the ' +
          '`returnTo` given at `/auth/oidc/login` (default `/`); with `Accept: ' +
          'application/json` (and not text/html) answers the JSON of password login instead. ' +
          'Refusals — a browser is sent to `/sign-in?oidcError=<reason>` instead: 400 ' +
          '`OIDC_LOGIN_FAILED`: not started by this browser, expired, replayed, refused by ' +
          'the provider, or the provider’s answer did not validate. 403 `OIDC_CLAIMS_REFUSED`: ' +
          'no usable role claim, a contributor without a known party, or no email.',
        querystring: CallbackQuery,
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) => {
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const cookie = request.cookies[OIDC_STATE_COOKIE];
      const { returnTo } = readAttemptCookie(cookie);
      reply.clearCookie(OIDC_STATE_COOKIE, stateCookie(request));
      let result: Awaited<ReturnType<typeof completeOidcLogin>>;
      try {
        result = await completeOidcLogin(
          database,
          relyingParty,
          { search, cookie },
          { ip: request.ip, userAgent: request.headers['user-agent'] },
          now(),
        );
      } catch (error) {
        const reason = refusalReason(error);
        if (!reason || wantsJson(request)) throw error;
        return reply.redirect(signInPageFor(returnTo, reason), 302);
      }
      const body = setSessionCookies(request, reply, result);
      if (wantsJson(request)) return body;
      return reply.redirect(returnTo, 302);
    },
  );
};
