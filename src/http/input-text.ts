/**
 * No text of a request may hold what PostgreSQL cannot store: the NUL character (U+0000) —
 * `text` and `jsonb` refuse it (`invalid byte sequence for encoding "UTF8": 0x00`) — or a lone
 * UTF-16 surrogate (`"\udfff"` in a JSON body), which is no Unicode character at all and which
 * `jsonb` refuses (every write keeps its input in the audit log's jsonb details). Either would
 * fail in the database as a 500; both are refused before validation instead, as 400
 * `VALIDATION_FAILED` naming the field: `body.title`, `query.cursor`, `params.id`.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError } from '../core/errors.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** The dotted path of the first string (value or key) PostgreSQL cannot store, or undefined. */
export function findUnstorableText(value: unknown, root: string): string | undefined {
  // A walk with its own stack: a body of 1 MiB can nest half a million arrays.
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length > 0) {
    const [current, path] = pending.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (unstorable(current)) return path;
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push([item, `${path}.${index}`]));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        if (unstorable(key)) return path;
        pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/** A preValidation hook: 400 for unstorable text in the params, the query or the body. */
export function rejectUnstorableText(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const field =
    findUnstorableText(request.params, 'params') ??
    findUnstorableText(request.query, 'query') ??
    findUnstorableText(request.body, 'body');
  if (field === undefined) {
    done();
    return;
  }
  done(
    new DomainError(
      'VALIDATION_FAILED',
      `${field}: text may not contain the NUL character or an unpaired surrogate (\\uD800–\\uDFFF).`,
      { field },
    ),
  );
}
