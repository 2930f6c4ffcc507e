/**
 * The requirement lists (`/requirements?status=…&cycle=…`): newest cycle first, filtered by
 * status and cycle in the URL, cursor-paged, each row a link to its list. The recipient may
 * start the draft list of a cycle here.
 */
import { Anchor, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  APPROVAL_ROLES,
  REQUIREMENT_LIST_STATUSES,
  useRequirementLists,
  type RequirementListStatus,
  type RequirementListSummary,
} from '../../api/requirements';
import { useMay } from '../../app/access';
import { useListSearch } from '../../app/list-search';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { Money } from '../../ui/Money';
import { PageHeader } from '../../ui/PageHeader';
import { checkCycle } from './item-form';
import { NewListButton } from './NewListButton';
import { StatusBadge } from './StatusBadge';
import { PagedList } from '../../ui/ListFrame';

const FILTERS = ['status', 'cycle'] as const;

function isStatus(value: string): value is RequirementListStatus {
  return (REQUIREMENT_LIST_STATUSES as readonly string[]).includes(value);
}

export default function RequirementListsPage() {
  const { t } = useTranslation('requirements');
  const search = useListSearch(FILTERS);
  const mayWrite = useMay('requirements.write');
  const status = isStatus(search.filters.status) ? search.filters.status : undefined;
  const cycle = checkCycle(search.filters.cycle) === undefined ? search.filters.cycle : undefined;
  const lists = useRequirementLists({ status, cycle, cursor: search.cursor });

  return (
    <Stack gap="lg">
      <PageHeader
        title={t('title')}
        description={t('listsDescription')}
        actions={mayWrite ? <NewListButton /> : undefined}
      />
      <Filters search={search} />
      <section aria-label={t('lists.heading')} data-testid="requirement-lists">
        <PagedList
          query={lists}
          list={search}
          height={240}
          empty={t('lists.empty')}
          emptyTestId="requirement-lists-empty"
        >
          {(items) => <ListsTable rows={items} />}
        </PagedList>
      </section>
    </Stack>
  );
}

function Filters({ search }: { search: ReturnType<typeof useListSearch<'status' | 'cycle'>> }) {
  const { t } = useTranslation('requirements');
  // The month is typed: it reaches the URL once it is a month (or empty).
  const [cycleText, setCycleText] = useState(search.filters.cycle);
  const cycleProblem = cycleText === '' ? undefined : checkCycle(cycleText);
  return (
    <Group align="flex-end" gap="md" wrap="wrap" data-testid="requirement-list-filters">
      <Select
        label={t('filters.status')}
        placeholder={t('filters.anyStatus')}
        data={REQUIREMENT_LIST_STATUSES.map((status) => ({
          value: status,
          label: t(`status.${status}`),
        }))}
        value={search.filters.status || null}
        onChange={(value) => search.setFilter('status', value ?? '')}
        clearable
        w={220}
        data-testid="filter-status"
      />
      <TextInput
        label={t('filters.cycle')}
        description={t('filters.cycleHint')}
        type="month"
        value={cycleText}
        error={cycleProblem ? t(cycleProblem) : undefined}
        onChange={(event) => {
          const value = event.currentTarget.value;
          setCycleText(value);
          if (value === '' || checkCycle(value) === undefined) search.setFilter('cycle', value);
        }}
        w={220}
        data-testid="filter-cycle"
      />
      {search.filters.status || search.filters.cycle ? (
        <Button
          variant="subtle"
          onClick={() => {
            setCycleText('');
            search.clearFilters();
          }}
        >
          {t('filters.clear')}
        </Button>
      ) : null}
    </Group>
  );
}

function ListsTable({ rows }: { rows: RequirementListSummary[] }) {
  const { t } = useTranslation('requirements');
  const format = useFormat();
  const columns = useMemo((): ColumnDef<RequirementListSummary, unknown>[] => {
    // Signatures are collected on a validated list (the summary lists who signed); an approved
    // or closed list has all three.
    const signed = (row: RequirementListSummary): number | null =>
      row.status === 'approved' || row.status === 'closed'
        ? APPROVAL_ROLES.length
        : row.status === 'validated'
          ? row.signedRoles.length
          : null;
    return [
      {
        id: 'cycle',
        header: t('columns.cycle'),
        accessorFn: (row) => row.cycle,
        meta: { nowrap: true },
        cell: ({ row }) => format.month(row.original.cycle),
      },
      {
        id: 'title',
        header: t('columns.title'),
        accessorFn: (row) => row.title,
        cell: ({ row }) => (
          <Group gap="xs" wrap="nowrap">
            <Anchor component={Link} to={`/requirements/${row.original.id}`}>
              {row.original.title}
            </Anchor>
          </Group>
        ),
      },
      {
        id: 'status',
        header: t('columns.status'),
        accessorFn: (row) => REQUIREMENT_LIST_STATUSES.indexOf(row.status),
        meta: { nowrap: true },
        cell: ({ row }) => <StatusBadge status={row.original.status} />,
      },
      {
        id: 'items',
        header: t('columns.items'),
        accessorFn: (row) => row.itemCount,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.itemCount),
      },
      {
        id: 'requested',
        header: t('columns.requestedTotal'),
        accessorFn: (row) => BigInt(row.totals.requested.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.totals.requested.amountMinor} currency="USD" compact />
        ),
      },
      {
        id: 'approved',
        header: t('columns.approvedTotal'),
        accessorFn: (row) => BigInt(row.totals.approved.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.totals.approved.amountMinor} currency="USD" compact />
        ),
      },
      {
        id: 'signatures',
        header: t('columns.signatures'),
        accessorFn: (row) => signed(row) ?? -1,
        meta: { numeric: true },
        cell: ({ row }) => {
          const count = signed(row.original);
          return count === null
            ? '—'
            : t('signaturesOf', { signed: count, total: APPROVAL_ROLES.length });
        },
      },
      {
        id: 'updated',
        header: t('columns.updated'),
        accessorFn: (row) => row.updatedAt,
        meta: { nowrap: true },
        cell: ({ row }) => format.dateTime(row.original.updatedAt),
      },
    ];
  }, [t, format]);

  return (
    <DataTable
      data={rows}
      columns={columns}
      caption={t('lists.caption')}
      rowKey={(row) => row.id}
      testId="requirement-lists-table"
    />
  );
}
