/**
 * Cursor pagination, the same for every list: a page asks for `limit` rows (1 to
 * `LIMITS.pageSizeMax`, default `PAGE_SIZE_DEFAULT`) after an opaque `cursor`; the answer carries
 * `nextCursor` (null on the last page). A cursor encodes the sort key of the last row returned
 * (and its id, the tie-breaker), so pages stay stable while rows are added.
 */
import { DomainError } from './errors.js';
import { LIMITS } from './limits.js';

export const PAGE_SIZE_DEFAULT = 50;

export interface PageRequest {
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CursorKey = readonly (string | number)[];

export function pageLimit(limit: number | undefined): number {
  const value = limit ?? PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(value) || value < 1 || value > LIMITS.pageSizeMax) {
    throw new DomainError('LIMIT_EXCEEDED', `limit must be 1 to ${LIMITS.pageSizeMax}.`, {
      field: 'limit',
      limit: 'pageSizeMax',
    });
  }
  return value;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): CursorKey | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return key as CursorKey;
    }
  } catch {
    // fall through
  }
  throw new DomainError(
    'VALIDATION_FAILED',
    'cursor is not one this server issued; start again without it.',
    { field: 'cursor' },
  );
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says that more exist. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return {
    items,
    nextCursor: more && items.length > 0 ? encodeCursor(keyOf(items.at(-1)!)) : null,
  };
}

/** The optimistic-concurrency check of an update: `expected` comes from `If-Match`. */
export function checkVersion(entity: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new DomainError('PRECONDITION_FAILED', undefined, {
      entity,
      currentVersion: current,
      expectedVersion: expected,
    });
  }
}
