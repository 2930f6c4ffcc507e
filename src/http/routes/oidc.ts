/**
 * OpenID Connect sign-in: `/api/v1/auth/oidc` — registered only when OIDC is configured
 * (`PURL_OIDC_*`, `services/oidc-service.ts`).
 *
 * `GET /auth/oidc/login` answers 302 to the provider and sets the cookie `purl_oidc_state`
 * (`HttpOnly`, `SameSite=Lax` — it must come back with the provider's cross-site redirect —, path
 * `/api/v1/auth/oidc`, 10 minutes). `GET /auth/oidc/callback` ends the sign-in and sets the same
 * session and CSRF cookies as password login. Its answer: 302 to `/` for a browser; the JSON of
 * password login (`LoginResponse`, with the session token) when the request's `Accept` asks for
 * `application/json` and not `text/html` — for scripts that drive the provider themselves.
 * Both are public, CSRF-exempt (GETs, no session yet) and under sign-in's rate limit by address.
 */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  OIDC_ATTEMPT_MS,
  completeOidcLogin,
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
          'The sign-in must be completed within 10 minutes, in the same browser. 503 ' +
          '`OIDC_PROVIDER_UNAVAILABLE` when the provider cannot be reached.',
      },
    },
    async (request, reply) => {
      const { url, state } = await startOidcLogin(database, relyingParty, now());
      reply.setCookie(OIDC_STATE_COOKIE, state, {
        ...stateCookie(request),
        maxAge: OIDC_ATTEMPT_MS / 1000,
      });
      return reply.redirect(url.href, 302);
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
          'Sets the session cookie and `purl_csrf` as password login does, then 302 to `/`; ' +
          'with `Accept: application/json` (and not text/html) answers the JSON of password ' +
          'login instead. 400 `OIDC_LOGIN_FAILED`: not started by this browser, expired, ' +
          'replayed, or the provider’s answer did not validate. 403 `OIDC_CLAIMS_REFUSED`: ' +
          'no usable role claim, a contributor without a known party, or no email.',
        querystring: CallbackQuery,
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) => {
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const cookieState = request.cookies[OIDC_STATE_COOKIE];
      reply.clearCookie(OIDC_STATE_COOKIE, stateCookie(request));
      const result = await completeOidcLogin(
        database,
        relyingParty,
        { search, cookieState },
        { ip: request.ip, userAgent: request.headers['user-agent'] },
        now(),
      );
      const body = setSessionCookies(request, reply, result);
      if (wantsJson(request)) return body;
      return reply.redirect('/', 302);
    },
  );
};
