import { DomainError } from './errors.js';
import { LIMITS } from './limits.js';

/**
 * Canonical JSON for hashing (in the spirit of RFC 8785): object keys sorted by code point, no
 * whitespace, `undefined` members dropped, bigint written as a decimal string, Date as ISO 8601.
 * Non-finite numbers are refused: they have no JSON form and would hash ambiguously. A value
 * nested deeper than `LIMITS.jsonNestingMax` (a client's body, hashed for its Idempotency-Key)
 * is `LIMIT_EXCEEDED`, before the recursion could overflow the stack.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

function encode(value: unknown, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (depth >= LIMITS.jsonNestingMax) {
        throw new DomainError(
          'LIMIT_EXCEEDED',
          `JSON nested deeper than ${LIMITS.jsonNestingMax} levels; send a flatter value.`,
          { limit: 'jsonNestingMax', max: LIMITS.jsonNestingMax },
        );
      }
      const inner = depth + 1;
      if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined ? 'null' : encode(v, inner))).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${encode(v, inner)}`).join(',')}}`;
    }
    default:
      throw new Error(`canonicalJson: cannot encode ${typeof value}`);
  }
}

/** Plain JSON value with bigint and Date turned into strings, as stored in a jsonb column. */
export function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(canonicalJson(value));
}
