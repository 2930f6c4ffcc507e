/**
 * Per-request context shared by every route: who is acting, the idempotency of creating calls,
 * `If-Match` versions and list paging.
 *
 * Who is acting: a signed-in user — the session cookie `purl_session`, or `Authorization: Bearer`
 * with a session id or an API token (`purl_tok_…`); the bearer header wins over the cookie. A
 * credential that is unknown, revoked, expired or of a disabled user leaves the request anonymous
 * (so signing in again with a stale cookie works); a route that needs an actor then answers 401.
 * An app built with `devActors: true` (tests; `PURL_DEV_ACTORS=1` for `purl serve`) also reads
 * the actor from the `X-Purl-Actor` header — `coordinator`, `contributor:NLD`, … — which then
 * wins over credentials. It is never on by default.
 */
import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onRequestHookHandler,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import { z } from 'zod';
import { ROLES, type Actor, type Role } from '../core/actor.js';
import { DomainError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import {
  authenticate,
  authenticateFromMemory,
  type CredentialCache,
} from '../services/identity-service.js';
import {
  claimIdempotencyKey,
  runWithIdempotencyClaim,
  settleIdempotencyKey,
  type IdempotencyClaim,
} from '../services/idempotency-service.js';
import type { Database } from '../storage/database.js';
import { serializeJson } from './json.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    idempotencyClaim?: IdempotencyClaim;
  }
  interface FastifyContextConfig {
    /**
     * Honours `Idempotency-Key` (every POST does; `true` marks other methods that should, `false`
     * exempts a POST whose answer must never be stored, such as one carrying a new secret).
     */
    idempotent?: boolean;
  }
}

export const DEV_ACTOR_HEADER = 'x-purl-actor';
const DEV_ACTOR = /^([a-z]+)(?::([A-Z0-9-]{2,20}))?$/;

export function devActorFromHeader(request: FastifyRequest): Actor | undefined {
  const raw = request.headers[DEV_ACTOR_HEADER];
  if (typeof raw !== 'string') return undefined;
  const match = DEV_ACTOR.exec(raw);
  if (!match || !(ROLES as readonly string[]).includes(match[1]!) || match[1] === 'system') {
    throw new DomainError(
      'UNAUTHENTICATED',
      `${DEV_ACTOR_HEADER} must be a role, optionally :PARTY (e.g. contributor:NLD).`,
      {
        field: `headers.${DEV_ACTOR_HEADER}`,
      },
    );
  }
  const role = match[1] as Role;
  return { id: `dev:${raw}`, role, ...(match[2] ? { partyId: match[2] } : {}) };
}

/** The cookie that carries the session id. */
export const SESSION_COOKIE = 'purl_session';

/** The credential a request presents: `Authorization: Bearer …`, else the session cookie. */
export function presentedSecret(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer +([A-Za-z0-9_-]{1,200})\s*$/i.exec(authorization);
    return match?.[1];
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie.length > 0 ? cookie : undefined;
}

/** Synchronous when the credential is known in memory (a request answered from memory awaits nothing). */
export type ActorResolver = (
  request: FastifyRequest,
) => Actor | undefined | Promise<Actor | undefined>;

/** Resolves the actor from a session or API token (and, when allowed, the dev header first). */
export function actorResolver(
  database: Database,
  options: { devActors: boolean; now: () => Date; credentials?: CredentialCache | undefined },
): ActorResolver {
  const { credentials } = options;
  return (request) => {
    if (options.devActors) {
      const dev = devActorFromHeader(request);
      if (dev) return dev;
    }
    const secret = presentedSecret(request);
    if (!secret) return undefined;
    const now = options.now();
    const known = credentials && authenticateFromMemory(credentials, secret, now);
    if (known) return known.actor;
    return authenticate(database, secret, now, credentials).then((found) => found?.actor);
  };
}

/**
 * A check that throws, as a hook in Fastify's callback form (onRequest, preValidation): an async
 * hook would cost every request a promise and a turn of the microtask queue.
 */
export function checkHook(
  check: (request: FastifyRequest) => void,
): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  return (request, _reply, done) => {
    try {
      check(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };
}

/** The acting user of a request, or 401. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new DomainError('UNAUTHENTICATED');
  return request.actor;
}

/** `If-Match: "3"` (or `W/"3"`) → 3; absent → undefined; anything else → 400. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined) return undefined;
  const match = typeof raw === 'string' ? /^(?:W\/)?"(\d{1,9})"$/.exec(raw.trim()) : null;
  if (!match)
    throw new DomainError(
      'VALIDATION_FAILED',
      'If-Match must be an ETag this API returned, such as "3".',
      { field: 'headers.if-match' },
    );
  return Number(match[1]);
}

/** Sets the `ETag` of a versioned record on the reply. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, record: T): T {
  reply.header('etag', `"${record.version}"`);
  return record;
}

/** Query parameters of every list. */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMITS.pageSizeMax)
    .optional()
    .describe(`Rows per page, 1 to ${LIMITS.pageSizeMax} (default 50).`),
  cursor: z.string().max(500).optional().describe('The `nextCursor` of the previous page.'),
});

/** A page of a list, for response schemas. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Hooks that give every request its actor and make `idempotent` routes honour Idempotency-Key. */
export function requestContextHooks(
  database: Database,
  resolveActor: ActorResolver | undefined,
): {
  onRequest: onRequestHookHandler;
  preHandler: preHandlerHookHandler;
  onSend: onSendHookHandler;
} {
  // Each hook takes Fastify's callback form and answers at once when it has nothing to wait for
  // (a read, a known credential); only then does it return a promise.
  const claimKey = async (request: FastifyRequest, reply: FastifyReply, key: string | string[]) => {
    if (typeof key !== 'string')
      throw new DomainError('VALIDATION_FAILED', 'One Idempotency-Key header.', {
        field: 'headers.idempotency-key',
      });
    const outcome = await claimIdempotencyKey(
      database,
      actorOf(request),
      `${request.method} ${request.routeOptions.url}`,
      key,
      {
        params: request.params,
        body: request.body,
        // The version a write is conditioned on is part of the request: the same key with
        // another If-Match is another request (IDEMPOTENCY_CONFLICT), not a replay.
        ...(request.headers['if-match'] !== undefined
          ? { ifMatch: request.headers['if-match'] }
          : {}),
      },
    );
    if (outcome.kind === 'replay') {
      // The stored answer is already encoded JSON (dates as text): sent as it was, not encoded
      // again by the route's response schema. A reply serializer of our own makes Fastify leave
      // the content type unset: say it, as the first answer did.
      reply
        .code(outcome.status)
        .header('idempotent-replayed', 'true')
        .type('application/json; charset=utf-8')
        .serializer(serializeJson)
        .send(outcome.response);
      return undefined;
    }
    request.idempotencyClaim = outcome.claim;
    return outcome.claim;
  };
  const settleKey = async (
    request: FastifyRequest,
    claim: IdempotencyClaim,
    status: number,
    payload: unknown,
  ) => {
    let body: unknown;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : null;
    } catch {
      body = null;
    }
    try {
      await settleIdempotencyKey(database, claim, status, body);
    } catch (error) {
      // The database went away after the command: the answer is sent all the same. A command
      // that committed left its key marked so (a retry gets IDEMPOTENCY_ANSWER_LOST); one that
      // did not leaves a reservation that lapses after IDEMPOTENCY_STALE_SECONDS.
      request.log.warn({ err: error, status }, 'Idempotency-Key answer not stored');
    }
    return payload;
  };
  return {
    onRequest(request, _reply, done) {
      const resolved = resolveActor?.(request);
      if (resolved === undefined || !('then' in resolved)) {
        if (resolved) request.actor = resolved;
        done();
        return;
      }
      return resolved.then((actor) => {
        if (actor) request.actor = actor;
      });
    },
    preHandler(request, reply, done) {
      // Every POST (creating calls and commands alike) may be retried safely with a key.
      const idempotent = request.routeOptions.config?.idempotent;
      const key = request.headers['idempotency-key'];
      if (idempotent === false || (request.method !== 'POST' && !idempotent) || key === undefined) {
        done();
        return;
      }
      // The handler runs inside the claim's scope (called from `done`), so the transactions of
      // its command mark the key carried out as they commit.
      // A replay has been sent: `done` is not called.
      claimKey(request, reply, key).then(
        (claim) => (claim ? runWithIdempotencyClaim(claim, () => done()) : undefined),
        (error: Error) => done(error),
      );
    },
    onSend(request, reply, payload, done) {
      const claim = request.idempotencyClaim;
      if (!claim) {
        done(null, payload);
        return;
      }
      request.idempotencyClaim = undefined;
      return settleKey(request, claim, reply.statusCode, payload);
    },
  };
}
