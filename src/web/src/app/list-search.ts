/**
 * A list page's state in its URL, so a filtered list at a given page is a link one can share:
 * each filter is a search parameter, and the page is the cursor the server gave (`cursor`) with
 * the cursors of the pages before it (`back`, dot-separated: cursors are base64url and never
 * contain a dot). Changing a filter goes back to the first page.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export interface ListSearch<K extends string> {
  /** Each filter's value ('' when unset). */
  filters: Record<K, string>;
  /** Sets one filter (empty removes it) and returns to the first page. */
  setFilter: (key: K, value: string) => void;
  /**
   * Sets several filters in one URL change (empty removes one; those not named stay) and returns
   * to the first page. Calling `setFilter` once per key in one event would not do: each call
   * starts from the same URL, and only the last would stay.
   */
  setFilters: (values: Partial<Record<K, string>>) => void;
  /** Clears every filter. */
  clearFilters: () => void;
  /** The cursor of the page shown (undefined on the first page). */
  cursor: string | undefined;
  /** 1 on the first page. */
  pageNumber: number;
  /** Goes to the page after this one. */
  next: (nextCursor: string) => void;
  /** Goes to the page before this one (no-op on the first). */
  previous: () => void;
}

const CURSOR = 'cursor';
const BACK = 'back';

export function useListSearch<K extends string>(keys: readonly K[]): ListSearch<K> {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(
    () => Object.fromEntries(keys.map((key) => [key, search.get(key) ?? ''])) as Record<K, string>,
    [keys, search],
  );
  const cursor = search.get(CURSOR) ?? undefined;
  const back = (search.get(BACK) ?? '').split('.').filter(Boolean);

  const setFilters = useCallback(
    (values: Partial<Record<K, string>>) =>
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(values) as [K, string | undefined][]) {
            if (value === undefined) continue;
            if (value === '') next.delete(key);
            else next.set(key, value);
          }
          next.delete(CURSOR);
          next.delete(BACK);
          return next;
        },
        { replace: true },
      ),
    [setSearch],
  );
  const setFilter = useCallback(
    (key: K, value: string) => setFilters({ [key]: value } as Partial<Record<K, string>>),
    [setFilters],
  );
  const clearFilters = useCallback(
    () =>
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          for (const key of keys) next.delete(key);
          next.delete(CURSOR);
          next.delete(BACK);
          return next;
        },
        { replace: true },
      ),
    [keys, setSearch],
  );
  const next = useCallback(
    (nextCursor: string) =>
      setSearch((current) => {
        const params = new URLSearchParams(current);
        const stack = (params.get(BACK) ?? '').split('.').filter(Boolean);
        const here = params.get(CURSOR);
        // The first page has no cursor: '-' stands for it in the stack.
        stack.push(here ?? '-');
        params.set(BACK, stack.join('.'));
        params.set(CURSOR, nextCursor);
        return params;
      }),
    [setSearch],
  );
  const previous = useCallback(
    () =>
      setSearch((current) => {
        const params = new URLSearchParams(current);
        const stack = (params.get(BACK) ?? '').split('.').filter(Boolean);
        const before = stack.pop();
        if (before === undefined) return params;
        if (before === '-') params.delete(CURSOR);
        else params.set(CURSOR, before);
        if (stack.length > 0) params.set(BACK, stack.join('.'));
        else params.delete(BACK);
        return params;
      }),
    [setSearch],
  );
  return {
    filters,
    setFilter,
    setFilters,
    clearFilters,
    cursor,
    pageNumber: back.length + 1,
    next,
    previous,
  };
}
