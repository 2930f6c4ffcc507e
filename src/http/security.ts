/**
 * The HTTP defences, in one place: security headers, rate limits, CSRF protection of
 * cookie-authenticated writes, and the redaction of secrets from the log. The sign-in lockout
 * lives in the database (`services/login-throttle-service.ts`); everything here is per request.
 *
 * - **Headers** (helmet, built once): a Content-Security-Policy without inline scripts for the app
 *   (`APP_CSP`); the API docs page (Scalar, `/api/docs/`) gets its own (`docsCsp`): its one inline
 *   script allowed by its SHA-256 hash, inline styles allowed (Scalar injects its stylesheet at
 *   run time). The web application's page (`web.ts`) gets `webAppCsp`: scripts from this origin
 *   only; `<style>` elements only with the page's per-request nonce (Mantine writes its CSS
 *   variables in one); style attributes allowed (chart tooltips are HTML with inline styles).
 *   `X-Frame-Options: DENY` and `frame-ancestors 'none'`, `Referrer-Policy: no-referrer`,
 *   `X-Content-Type-Options: nosniff`. HSTS only on a request that came over https
 *   (behind a TLS proxy that the app trusts: `PURL_TRUST_PROXY`).
 * - **Rate limits** (@fastify/rate-limit, counted in memory per app process — with N servers a
 *   client gets up to N times the limit): every request by client — the signed-in actor, else the
 *   address — `LIMITS.httpRequestsPerClientMax` per `httpRequestsPerClientWindowMs`; sign-in by
 *   address `loginAttemptsPerAddressMax` per `loginAttemptsPerAddressWindowMs`. Over a limit: 429
 *   `RATE_LIMITED` with `Retry-After`.
 * - **CSRF**: a write (POST, PUT, PATCH, DELETE) authenticated by the session cookie must carry
 *   `X-CSRF-Token` equal to the `purl_csrf` cookie set at sign-in (readable by the page's
 *   script; its value is derived from the session id, so a token of another session or a cookie
 *   planted by a sibling site does not pass). Else 403 `CSRF_REJECTED`. A bearer-authenticated
 *   write needs none (a browser never sends a bearer header by itself); sign-in is exempt.
 * - **Log redaction**: the authorization, cookie and CSRF headers, Set-Cookie, and any
 *   `password`, `token` or `secret` field up to three levels deep are `[redacted]`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import helmet from 'helmet';
import fastifyRateLimit, { normalizeIP, type RateLimitOptions } from '@fastify/rate-limit';
import type {
  FastifyInstance,
  FastifyRequest,
  FastifyServerOptions,
  onRequestHookHandler,
  onSendHookHandler,
} from 'fastify';
import { DomainError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { DOCS_PATH } from './openapi.js';
import { checkHook, DEV_ACTOR_HEADER, SESSION_COOKIE } from './request-context.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` exempts a write from the CSRF check (sign-in: there is no session yet). */
    csrf?: boolean;
  }
}

// ---------------------------------------------------------------------------------------------
// Rate limits

export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface RateLimits {
  /** Every request, per signed-in actor or else per client address. */
  requestsPerClient: RateLimit;
  /** `POST /api/v1/auth/login`, per client address (instead of the overall limit). */
  loginPerAddress: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  requestsPerClient: {
    max: LIMITS.httpRequestsPerClientMax,
    windowMs: LIMITS.httpRequestsPerClientWindowMs,
  },
  loginPerAddress: {
    max: LIMITS.loginAttemptsPerAddressMax,
    windowMs: LIMITS.loginAttemptsPerAddressWindowMs,
  },
};

function rateLimitedError(limit: string, max: number, windowMs: number, ttlMs: number) {
  const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
  return new DomainError(
    'RATE_LIMITED',
    `Too many requests: at most ${max} per ${Math.round(windowMs / 1000)} s; retry in ${retryAfterSeconds} s.`,
    { limit, max, windowSeconds: Math.round(windowMs / 1000), retryAfterSeconds },
  );
}

const clientAddress = (request: FastifyRequest) => `ip:${normalizeIP(request.ip)}`;

/** The route config of the sign-in route's own limit (by address only). */
export function loginRateLimit(limits: RateLimits): RateLimitOptions {
  const { max, windowMs } = limits.loginPerAddress;
  return {
    max,
    timeWindow: windowMs,
    keyGenerator: clientAddress,
    errorResponseBuilder: (_request, context) =>
      rateLimitedError('loginAttemptsPerAddressMax', max, windowMs, context.ttl),
  };
}

async function registerRateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  const { max, windowMs } = limits.requestsPerClient;
  await app.register(fastifyRateLimit, {
    global: true,
    max,
    timeWindow: windowMs,
    // Route-level onRequest hooks run after the app's: the actor is already resolved.
    keyGenerator: (request) =>
      request.actor ? `actor:${request.actor.id}` : clientAddress(request),
    errorResponseBuilder: (_request, context) =>
      rateLimitedError('httpRequestsPerClientMax', max, windowMs, context.ttl),
  });
}

// ---------------------------------------------------------------------------------------------
// Security headers

type Directives = Record<string, string[]>;

/** The app's policy: nothing inline, nothing from another origin, never framed. */
export const APP_CSP: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'none'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/** The docs page's policy: its own inline scripts by hash; inline styles (Scalar's). */
export function docsCsp(inlineScriptHashes: readonly string[]): Directives {
  return {
    ...APP_CSP,
    'img-src': ["'self'", 'data:', 'blob:'],
    'script-src': ["'self'", ...inlineScriptHashes.map((hash) => `'sha256-${hash}'`)],
    'style-src': ["'self'", "'unsafe-inline'"],
    'worker-src': ["'self'", 'blob:'],
  };
}

/**
 * The web application's policy (`index.html`, served by `web.ts` with a fresh nonce each time):
 * scripts only from this origin; style elements from this origin or carrying the nonce; inline
 * style attributes allowed (`style-src-attr`: no script can run from them).
 */
export function webAppCsp(styleNonce: string): Directives {
  const styles = ["'self'", `'nonce-${styleNonce}'`];
  return {
    ...APP_CSP,
    'style-src': styles,
    'style-src-elem': styles,
    'style-src-attr': ["'unsafe-inline'"],
  };
}

export function cspHeader(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** SHA-256 (base64) of each inline `<script>` of a page, as CSP hash sources want them. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map((match) =>
    createHash('sha256')
      .update(match[1] ?? '', 'utf8')
      .digest('base64'),
  );
}

/** One year, the usual HSTS preload minimum. */
const HSTS_MAX_AGE_SECONDS = 31_536_000;
const DOCS_PAGE_URL = `${DOCS_PATH}/`;

const securityHeadersOnSend: onSendHookHandler = (request, reply, payload, done) => {
  if (request.protocol === 'https') {
    reply.header('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`);
  }
  // The docs page is generated from static configuration (no request data in it): hashing its
  // inline script allows exactly that script and nothing injected.
  if (request.routeOptions.url === DOCS_PAGE_URL && typeof payload === 'string') {
    reply.header('content-security-policy', cspHeader(docsCsp(inlineScriptHashes(payload))));
  }
  done(null, payload);
};

/** The headers helmet sets with `options`, read from a response it writes them to. */
export function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

function registerHeaders(app: FastifyInstance): void {
  // Helmet's headers depend on nothing in the request with this configuration (no nonces):
  // computed once, then set on every reply in one call. Its Fastify plugin built helmet again
  // for every request, and helmet sets each header on the raw response with its own checks: a
  // tenth, then a twentieth of a cached read's time.
  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: APP_CSP },
    // Sent by `securityHeadersOnSend`, only when the request came over https.
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  app.addHook('onSend', securityHeadersOnSend);
}

// ---------------------------------------------------------------------------------------------
// CSRF

/** The readable cookie carrying the CSRF token, and the header a client echoes it in. */
export const CSRF_COOKIE = 'purl_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The CSRF token of a session: SHA-256 of the session id with a label (base64url). It reveals
 * nothing of the session id, needs no storage, and is worthless for any other session.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash('sha256').update(`purl-csrf:${sessionSecret}`, 'utf8').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** An onRequest hook, after the actor is resolved: refuses a cookie-authenticated write without its token. */
export function csrfCheck(options: { devActors: boolean }): onRequestHookHandler {
  const check = (request: FastifyRequest): void => {
    if (!WRITE_METHODS.has(request.method)) return;
    if (request.routeOptions.config?.csrf === false) return;
    if (!request.actor) return; // no credential worked: the route answers 401 if it needs one
    // With an Authorization header the cookie is never read (request-context.ts).
    if (request.headers.authorization !== undefined) return;
    if (options.devActors && request.headers[DEV_ACTOR_HEADER] !== undefined) return;
    const session = request.cookies?.[SESSION_COOKIE];
    if (typeof session !== 'string' || session.length === 0) return;
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent === 'string' && sameText(sent, csrfTokenFor(session))) return;
    throw new DomainError(
      'CSRF_REJECTED',
      typeof sent === 'string'
        ? 'The X-CSRF-Token header does not match this session; send the value of the purl_csrf cookie.'
        : undefined,
      { field: `headers.${CSRF_HEADER}` },
    );
  };
  return checkHook(check);
}

// ---------------------------------------------------------------------------------------------
// Log redaction

/** Log paths never written out (pino `redact`; `*` is one level of any key). */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  `req.headers["${CSRF_HEADER}"]`,
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  `headers["${CSRF_HEADER}"]`,
  'password',
  '*.password',
  '*.*.password',
  'token',
  '*.token',
  '*.*.token',
  'secret',
  '*.secret',
  '*.*.secret',
];

type LoggerOption = FastifyServerOptions['logger'];

/** The logger option with the redaction of secrets added (`false` stays off). */
export function withLogRedaction(logger: LoggerOption): LoggerOption {
  if (logger === undefined || logger === false) return false;
  const options = logger === true ? {} : logger;
  const given = options.redact;
  const paths = Array.isArray(given) ? given : (given?.paths ?? []);
  return {
    ...options,
    redact: { paths: [...REDACTED_LOG_PATHS, ...paths], censor: '[redacted]' },
  };
}

// ---------------------------------------------------------------------------------------------

export interface SecurityOptions {
  /** `false` turns the rate limits off (tests that hammer the API); default `DEFAULT_RATE_LIMITS`. */
  rateLimits: RateLimits | false;
}

/** Registers headers and rate limits: before any route, so every route gets them. */
export async function registerSecurity(
  app: FastifyInstance,
  options: SecurityOptions,
): Promise<void> {
  registerHeaders(app);
  if (options.rateLimits !== false) await registerRateLimits(app, options.rateLimits);
}
