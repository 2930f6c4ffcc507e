/**
 * Answers of read routes kept in memory, so a reader asking again what nothing has changed gets
 * the same bytes without a database round trip, a query or an encoding. A route opts in with
 * `config: { readCache: true }` (a GET whose answer depends only on the reader and the URL).
 *
 * - Per reader: the key is the acting user or token, its role, party and read-only flag, and the
 *   URL with its query — one reader never gets another's answer (redaction differs by reader).
 * - Fresh: an answer is kept with the data stamp taken before its route read anything, and is
 *   served only while that stamp is current (`services/freshness-service.ts`): any change
 *   committed by any process — this one's own writes announced before they resolve — ends it; so does midnight UTC (answers "as of today").
 * - Bounded: `LIMITS.readCacheEntriesMax`, `readCacheBytesMax`, `readCacheEntryBytesMax`; least
 *   recently used first out. Only 200 answers are kept; errors are computed every time.
 */
import type { onSendHookHandler, preValidationHookHandler, RouteOptions } from 'fastify';
import type { Actor } from '../core/actor.js';
import { LIMITS } from '../core/limits.js';
import type { Freshness } from '../services/freshness-service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Keep this GET route's answers in memory per reader and URL (see `http/read-cache.ts`). */
    readCache?: boolean;
  }
  interface FastifyRequest {
    readCacheMiss?: { key: string; stamp: number; day: number };
  }
}

interface KeptAnswer {
  /** The answer's UTF-8 bytes. */
  body: Buffer;
  etag: string | undefined;
  stamp: number;
  /** The UTC day it was computed on: "today" (analyses, rates as of today) moves at midnight. */
  day: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function readerKey(actor: Actor): string {
  return `${actor.id}|${actor.role}|${actor.partyId ?? ''}|${actor.readOnly === true ? 'r' : 'w'}`;
}

export interface ReadCache {
  /**
   * Synchronous (Fastify's callback form): a hit awaits nothing. Registered after the route
   * policy's check (app.ts), so a hit is answered once the reader is known to be allowed, and
   * before input validation: only a 200 is kept, a kept route validates nothing but its URL
   * (`checkKeptRoute`), and the URL is the key — checking it again cannot fail.
   */
  preValidation: preValidationHookHandler;
  onSend: onSendHookHandler;
  /** Answers kept now and their bytes (for tests and diagnostics). */
  size(): { entries: number; bytes: number };
}

export function readCache(freshness: Freshness, now: () => Date = () => new Date()): ReadCache {
  const today = () => Math.floor(now().getTime() / 86_400_000); // days since 1970-01-01 UTC
  const kept = new Map<string, KeptAnswer>();
  let bytes = 0;
  const forget = (key: string, answer: KeptAnswer) => {
    kept.delete(key);
    bytes -= answer.body.length;
  };
  const keep = (key: string, answer: KeptAnswer) => {
    const previous = kept.get(key);
    if (previous) forget(key, previous);
    while (
      kept.size > 0 &&
      (kept.size >= LIMITS.readCacheEntriesMax ||
        bytes + answer.body.length > LIMITS.readCacheBytesMax)
    ) {
      const [oldestKey, oldest] = kept.entries().next().value as [string, KeptAnswer];
      forget(oldestKey, oldest);
    }
    kept.set(key, answer);
    bytes += answer.body.length;
  };

  return {
    preValidation(request, reply, done) {
      const actor = request.actor;
      if (request.method !== 'GET' || request.routeOptions.config?.readCache !== true || !actor) {
        done();
        return;
      }
      const key = `${readerKey(actor)}\n${request.url}`;
      const answer = kept.get(key);
      if (answer) {
        forget(key, answer);
        if (freshness.isCurrent('data', answer.stamp) && answer.day === today()) {
          keep(key, answer); // most recently used last
          if (answer.etag !== undefined) reply.header('etag', answer.etag);
          reply.header('content-type', JSON_TYPE).send(answer.body); // answered: no done()
          return;
        }
      }
      // Taken before the route reads: a change committed meanwhile makes it stale at once.
      const stamp = freshness.stamp('data');
      if (stamp !== undefined) request.readCacheMiss = { key, stamp, day: today() };
      done();
    },
    onSend(request, reply, payload, done) {
      // A write needs no step here: the database announced it to this process before the
      // write's own statement resolved (services/freshness-service.ts).
      const miss = request.readCacheMiss;
      if (
        miss &&
        reply.statusCode === 200 &&
        typeof payload === 'string' &&
        // Never fewer UTF-8 bytes than UTF-16 units: an answer too long is not even encoded.
        payload.length <= LIMITS.readCacheEntryBytesMax
      ) {
        // Kept encoded: a hit sends these bytes with no UTF-8 encoding and no length count. In
        // memory of their own: `Buffer.from` puts short texts in Node's shared 8 KB pool, and a
        // kept answer would hold its whole block alive, uncounted by the limits.
        const body = Buffer.allocUnsafeSlow(Buffer.byteLength(payload, 'utf8'));
        body.write(payload, 'utf8');
        if (
          body.length <= LIMITS.readCacheEntryBytesMax &&
          freshness.isCurrent('data', miss.stamp)
        ) {
          const etag = reply.getHeader('etag');
          keep(miss.key, {
            body,
            etag: typeof etag === 'string' ? etag : undefined,
            stamp: miss.stamp,
            day: miss.day,
          });
        }
      }
      done(null, payload);
    },
    size: () => ({ entries: kept.size, bytes }),
  };
}

/**
 * An onRoute hook: a route whose answers are kept is a GET whose input is its URL alone (params
 * and query, both in the key) — no header or body schema — so that answering before input
 * validation is answering what validation would let through. Refused when the app is built.
 */
export function checkKeptRoute(route: RouteOptions): void {
  if ((route.config as { readCache?: boolean } | undefined)?.readCache !== true) return;
  const methods = [route.method].flat();
  const schema = route.schema as { headers?: unknown; body?: unknown } | undefined;
  if (
    methods.some((method) => method !== 'GET' && method !== 'HEAD') ||
    schema?.headers !== undefined ||
    schema?.body !== undefined
  ) {
    throw new Error(
      `${methods.join(',')} ${route.url}: config.readCache is for a GET whose input is its URL ` +
        '(params and query) alone — no headers or body schema (http/read-cache.ts).',
    );
  }
}
