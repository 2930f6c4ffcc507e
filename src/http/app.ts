/**
 * The HTTP application, built without listening: `purl serve` listens, tests call `app.inject()`.
 *
 * The request's path: Fastify routes it (404 `NOT_FOUND` if nothing matches); the body is read up
 * to `LIMITS.httpBodyBytesMax` (413 `LIMIT_EXCEEDED`); params, query and body are parsed by the
 * route's zod schemas (400 `VALIDATION_FAILED` naming the field); the handler calls one service;
 * the response is encoded by the route's zod schema, bigints as decimal strings. Whatever is
 * thrown on the way becomes `{ error: { code, message, details } }` in `errors.ts`.
 */
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
  type RouteOptions,
} from 'fastify';
import {
  createSerializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { LIMITS } from '../core/limits.js';
import { followChanges } from '../services/freshness-service.js';
import { credentialCache } from '../services/identity-service.js';
import { createRelyingParty, type OidcOptions } from '../services/oidc-service.js';
import type { Database } from '../storage/database.js';
import { notFoundError, toHttpError, type HttpError } from './errors.js';
import { rejectUnstorableText } from './input-text.js';
import { jsonReplacer, serializeJson } from './json.js';
import { registerOpenApi } from './openapi.js';
import { analyticsRoutes } from './routes/analytics.js';
import { analyticsDeliveryRoutes } from './routes/analytics-delivery.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { contributionRoutes } from './routes/contributions.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { exportRoutes } from './routes/exports.js';
import { fxRoutes } from './routes/fx.js';
import { healthRoutes } from './routes/health.js';
import { oidcRoutes } from './routes/oidc.js';
import { packageRoutes } from './routes/packages.js';
import { planRoutes } from './routes/plans.js';
import { publicRoutes } from './routes/public.js';
import { meetingRoutes } from './routes/meetings.js';
import { requirementRoutes } from './routes/requirements.js';
import { referenceRoutes } from './routes/reference.js';
import { reportRoutes } from './routes/reports.js';
import { userRoutes } from './routes/users.js';
import { checkKeptRoute, readCache } from './read-cache.js';
import { actorResolver, requestContextHooks } from './request-context.js';
import { lazyRequestLogger } from './request-logger.js';
import { assignRouteOperation, checkRouteOperation, type ApiRoute } from './route-policy.js';
import {
  DEFAULT_RATE_LIMITS,
  csrfCheck,
  loginRateLimit,
  registerSecurity,
  withLogRedaction,
  type RateLimits,
} from './security.js';
import { ErrorResponse } from './schemas.js';
import { webApp } from './web.js';

/** Every route of the API lives under this prefix. */
export const API_PREFIX = '/api/v1';

/** What route plugins receive: the services they call are built from these. */
export interface AppDependencies {
  database: Database;
}

export interface BuildAppOptions extends AppDependencies {
  /**
   * Also read the actor from the `X-Purl-Actor` header (tests, local trials). Off by default:
   * without it the actor comes only from a session (cookie or bearer) or an API token.
   */
  devActors?: boolean;
  /**
   * Trust `X-Forwarded-*` from a reverse proxy (Fastify's `trustProxy`): the client address and
   * the protocol come from the proxy, so the session cookie is `Secure` when the client used
   * https. Default: `PURL_TRUST_PROXY` — `1`/`true` trusts any proxy, another non-empty value is
   * a comma-separated list of proxy addresses or CIDRs; unset, empty, `0` or `false` trusts none.
   */
  trustProxy?: boolean | string;
  /** The clock of session and token expiry (tests move it); default the real time. */
  now?: () => Date;
  /**
   * Fastify's logger option: `false` (the default, for tests), `true`, or pino options (a test
   * may pass `stream`). Secrets are redacted whatever is given (`security.ts`).
   */
  logger?: FastifyServerOptions['logger'];
  /**
   * Rate limits (`security.ts`): on by default with `LIMITS`; other numbers, or `false` for tests
   * that send many requests from one client.
   */
  rateLimits?: Partial<RateLimits> | false;
  /**
   * Sign-in with an OpenID Connect provider (`services/oidc-service.ts`): its routes
   * `/api/v1/auth/oidc/*` exist only when this is given. `purl serve` passes
   * `oidcOptionsFromEnv()` (`PURL_OIDC_*`); the app never reads those variables itself.
   */
  oidc?: OidcOptions | undefined;
  /**
   * Keep known-valid credentials and the answers of read routes in memory, dropped whenever the
   * database announces a change (default `true`; `PURL_READ_CACHE=off` for `purl serve`).
   */
  readCache?: boolean;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route with the operation it performs (for the access matrix and docs). */
    apiRoutes: ApiRoute[];
  }
}

/**
 * One log line per request, when it completes, with flat fields: method, URL, client address,
 * status and time — instead of Fastify's two lines carrying the request and reply objects
 * through their serializers and the secret redaction (measured: those two lines were 40 % of
 * the server's time on a read answered from memory). Neither headers nor bodies are in it, so
 * the line of a request that succeeded goes through `lineLog`, the app's logger without the
 * redaction (whose wildcard paths walked every field of every line: 4 % of a read from memory);
 * an error's line keeps it.
 */
class OneLineLogController extends LogController {
  lineLog: FastifyBaseLogger | undefined;

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const fields = {
      method: request.method,
      url: request.url,
      remoteAddress: request.ip,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else if (this.lineLog && reply.log.level === this.lineLog.level) {
      this.lineLog.info({ requestId: request.id, ...fields }, 'request completed');
    } else reply.log.info(fields, 'request completed');
  }
}

/** A client may name its request (for tracing across services) if the name is short and plain. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const trustProxy = options.trustProxy ?? trustProxyFromEnv(process.env.PURL_TRUST_PROXY);
  const now = options.now ?? (() => new Date());
  const rateLimits =
    options.rateLimits === false ? false : { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const devActors = options.devActors === true;
  const logController = new OneLineLogController({ requestIdLogLabel: 'requestId' });
  const logger = withLogRedaction(options.logger ?? false);
  const app = Fastify({
    logger,
    // Without a logger Fastify gives every request the app's no-op logger, made by nothing.
    ...(logger === false ? {} : { childLoggerFactory: lazyRequestLogger }),
    trustProxy,
    bodyLimit: LIMITS.httpBodyBytesMax,
    requestIdHeader: false,
    logController,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
    // A URL the router refuses before any route is chosen (bad percent-encoding, a path segment
    // over maxParamLength) bypasses the error handler: answer it in the same shape too.
    frameworkErrors: replyWithError,
  }).withTypeProvider<ZodTypeProvider>();
  logController.lineLog = app.log.child({}, { redact: [] });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createSerializerCompiler({ replacer: jsonReplacer }));
  // Replies without a response schema for their status (the not-found handler, untyped plugins)
  // keep the bigint rule; every other reply is encoded by its route's schema, which also drops
  // any field the schema does not declare. (Not `setReplySerializer`: Fastify would use it in
  // place of every route's response schema.)
  // Hooks that need no I/O take Fastify's callback form: an async hook costs a promise and a
  // turn of the microtask queue on every request (measured: a tenth of a read from memory).
  app.addHook('preSerialization', (request, reply, payload, done) => {
    if (!declaresResponse(request.routeOptions.schema?.response, reply.statusCode)) {
      reply.serializer(serializeJson);
    }
    done(null, payload);
  });

  app.addHook('onRoute', declareErrorResponses);
  const apiRoutes: ApiRoute[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => assignRouteOperation(route, API_PREFIX, apiRoutes));
  app.addHook('onRoute', checkKeptRoute);
  app.addHook('preValidation', checkRouteOperation);
  app.addHook('preValidation', rejectUnstorableText);
  // Security headers and rate limits, before any route is declared so that every route has them.
  await registerSecurity(app, { rateLimits });
  // Parses cookies in its own onRequest hook, registered before ours so the session is readable.
  await app.register(fastifyCookie);
  // What this process may keep in memory (credentials, read answers) and for how long: until the
  // database says something changed (see services/freshness-service.ts).
  const freshness = options.readCache === false ? undefined : await followChanges(options.database);
  if (freshness) app.addHook('onClose', () => freshness.stop());
  const context = requestContextHooks(
    options.database,
    actorResolver(options.database, {
      devActors,
      now,
      credentials: freshness && credentialCache(freshness),
    }),
  );
  app.addHook('onRequest', context.onRequest);
  // After the actor is known: a write signed in by the session cookie needs its CSRF token.
  app.addHook('onRequest', csrfCheck({ devActors }));
  app.addHook('preHandler', context.preHandler);
  app.addHook('onSend', context.onSend);
  if (freshness) {
    const answers = readCache(freshness, now);
    // After the route policy's check and the text check above (hooks run in order), and after
    // every onRequest hook, the routes' rate limit included.
    app.addHook('preValidation', answers.preValidation);
    app.addHook('onSend', answers.onSend);
  }
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  app.setErrorHandler(replyWithError);
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, notFoundError(request.method, request.url)),
  );

  await registerOpenApi(app);
  await app.register(healthRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(authRoutes, {
    prefix: API_PREFIX,
    database: options.database,
    now,
    loginRateLimit: rateLimits === false ? undefined : loginRateLimit(rateLimits),
    oidcEnabled: options.oidc !== undefined,
    oidcName: options.oidc?.displayName,
  });
  if (options.oidc) {
    await app.register(oidcRoutes, {
      prefix: API_PREFIX,
      database: options.database,
      now,
      relyingParty: createRelyingParty(options.oidc),
      loginRateLimit: rateLimits === false ? undefined : loginRateLimit(rateLimits),
    });
  }
  await app.register(requirementRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(contributionRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(packageRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(planRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(deliveryRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(meetingRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(referenceRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(fxRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(publicRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(analyticsRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(analyticsDeliveryRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(exportRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(reportRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(auditRoutes, { prefix: API_PREFIX, database: options.database });
  await app.register(userRoutes, { prefix: API_PREFIX, database: options.database });
  // The web application at `/` (every non-API GET): after the API, which it never shadows.
  await app.register(webApp);
  return app;
}

/** `PURL_TRUST_PROXY`: see `BuildAppOptions.trustProxy`. */
export function trustProxyFromEnv(value: string | undefined): boolean | string {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0' || text.toLowerCase() === 'false') return false;
  if (text === '1' || text.toLowerCase() === 'true') return true;
  return text;
}

/** Anything thrown while handling a request, logged as it deserves and answered as an error. */
function replyWithError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const mapped = toHttpError(error, request.id);
  const { code } = mapped.body.error;
  if (mapped.logLevel === 'info') {
    request.log.info(
      { errorCode: code, field: mapped.body.error.details.field },
      'request refused',
    );
  } else {
    request.log[mapped.logLevel]({ err: error, errorCode: code }, 'request failed');
  }
  return sendError(reply, mapped);
}

function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.body);
}

/** Whether a route's response schemas cover `status` (as Fastify looks them up: 201, 2xx, default). */
function declaresResponse(response: unknown, status: number): boolean {
  if (typeof response !== 'object' || response === null) return false;
  return (
    String(status) in response || `${String(status)[0]}xx` in response || 'default' in response
  );
}

const ERROR_RESPONSE = {
  description: 'An error of the catalogue: see `error.code` and `error.details`.',
  content: { 'application/json': { schema: ErrorResponse } },
};

/** Every API route answers errors in one shape: declare it, so it is documented and encoded. */
function declareErrorResponses(route: RouteOptions): void {
  if (!route.url.startsWith(API_PREFIX)) return;
  const schema = route.schema ?? {};
  const declared = (schema.response ?? {}) as Record<string, unknown>;
  schema.response = { '4xx': ERROR_RESPONSE, '5xx': ERROR_RESPONSE, ...declared };
  route.schema = schema;
}
