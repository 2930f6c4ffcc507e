/**
 * The parts every list page repeats: the filter bar (a named group of inputs, with "Clear" when
 * a filter is set) and the paged results (loading and errors by QueryState, the empty message
 * or the table, then the pager).
 */
import { Button, Group, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ListSearch } from '../app/list-search';
import { Pager } from './Pager';
import { QueryState } from './QueryState';

export function FilterBar({
  label,
  testId,
  clear,
  children,
}: {
  /** The group's accessible name ("Filter the contributions"). */
  label?: string;
  testId: string;
  /** The "Clear" button, shown when given (say, when a filter is set). */
  clear?: { label: string; onClick: () => void } | undefined;
  children: ReactNode;
}) {
  return (
    <Group
      gap="sm"
      align="flex-start"
      wrap="wrap"
      {...(label ? { role: 'group', 'aria-label': label } : {})}
      data-testid={testId}
    >
      {children}
      {clear ? (
        <Button variant="subtle" mt={24} onClick={clear.onClick}>
          {clear.label}
        </Button>
      ) : null}
    </Group>
  );
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null | undefined;
}

export function PagedList<T>({
  query,
  list,
  height = 300,
  empty,
  emptyTestId,
  children,
}: {
  query: UseQueryResult<Page<T>>;
  list: Pick<ListSearch<string>, 'pageNumber' | 'next' | 'previous'>;
  height?: number;
  /** What an empty page says ("No contribution matches these filters."). */
  empty: string;
  emptyTestId: string;
  /** The table of a page's rows. */
  children: (items: T[]) => ReactNode;
}) {
  return (
    <QueryState query={query} height={height}>
      {(page) => (
        <Stack gap="xs">
          {page.items.length === 0 ? (
            <Text c="dimmed" data-testid={emptyTestId}>
              {empty}
            </Text>
          ) : (
            children(page.items)
          )}
          <Pager list={list} nextCursor={page.nextCursor} shown={page.items.length} />
        </Stack>
      )}
    </QueryState>
  );
}
