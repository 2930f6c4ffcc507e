/**
 * A table of records (TanStack Table under Mantine's table): a caption for screen readers,
 * sortable columns (a button in the header, `aria-sort` on the column), numbers aligned right,
 * horizontal scrolling on narrow screens. Lists the rows it is given (the caller pages them).
 */
import { Table, UnstyledButton, VisuallyHidden } from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData, TValue> {
    /** Right-aligned, tabular figures (never wrapped). */
    numeric?: boolean;
    /** Kept on one line (dates). */
    nowrap?: boolean;
  }
}

export interface DataTableProps<T> {
  data: T[];
  columns: ColumnDef<T, unknown>[];
  /** Says what the table lists (read by screen readers; visible when `showCaption`). */
  caption: string;
  showCaption?: boolean;
  /** A row's stable key. */
  rowKey?: (row: T, index: number) => string;
  /** A last row (totals), outside the sorting. */
  footer?: React.ReactNode;
  initialSorting?: SortingState;
  testId?: string;
}

export function DataTable<T>({
  data,
  columns,
  caption,
  showCaption = false,
  rowKey,
  footer,
  initialSorting = [],
  testId,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  // TanStack Table's hook returns functions the React compiler cannot memoise; fine here.
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    ...(rowKey ? { getRowId: rowKey } : {}),
  });
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover verticalSpacing="xs" fz="sm" data-testid={testId}>
        {showCaption ? (
          <Table.Caption>{caption}</Table.Caption>
        ) : (
          <caption>
            <VisuallyHidden>{caption}</VisuallyHidden>
          </caption>
        )}
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const numeric = header.column.columnDef.meta?.numeric === true;
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <Table.Th
                    key={header.id}
                    scope="col"
                    ta={numeric ? 'right' : 'left'}
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                    }
                  >
                    {header.column.getCanSort() ? (
                      <UnstyledButton
                        onClick={header.column.getToggleSortingHandler()}
                        fw={700}
                        fz="sm"
                        title={t('table.sort')}
                      >
                        {label}
                        <span aria-hidden="true">
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </span>
                      </UnstyledButton>
                    ) : (
                      label
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => (
            <Table.Tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <Table.Td
                  key={cell.id}
                  ta={cell.column.columnDef.meta?.numeric ? 'right' : 'left'}
                  style={
                    cell.column.columnDef.meta?.numeric
                      ? { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }
                      : cell.column.columnDef.meta?.nowrap
                        ? { whiteSpace: 'nowrap' }
                        : undefined
                  }
                >
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {footer ? <Table.Tfoot>{footer}</Table.Tfoot> : null}
      </Table>
    </Table.ScrollContainer>
  );
}
