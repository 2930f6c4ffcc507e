/**
 * The packages (`/packages`): filtered by status, cycle, capability area and donor (in the URL,
 * so a filtered page is a link), a page at a time; each row with its price, funding and gap in
 * the package currency and a funded/price bar, linking to the package. A coordinator starts a
 * new draft package here.
 */
import { Anchor, Button, Select, Stack, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  PACKAGE_STATUSES,
  usePackages,
  type PackageListQuery,
  type PackageStatus,
  type PackageSummary,
} from '../../api/packages';
import { useCapabilityAreas, useDonorParties } from '../../api/reference';
import { useMay } from '../../app/access';
import { useListSearch } from '../../app/list-search';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { Money } from '../../ui/Money';
import { PageHeader } from '../../ui/PageHeader';
import { isCycle } from './funding';
import { NewPackageForm } from './NewPackageForm';
import { FundingBar, StatusBadge } from './parts';
import { FilterBar, PagedList } from '../../ui/ListFrame';
import { usePartyOptions } from '../../ui/party-options';

const FILTERS = ['status', 'cycle', 'capabilityArea', 'donor'] as const;
const PAGE_SIZE = 25;

export default function PackagesPage() {
  const { t } = useTranslation(['packages', 'common']);
  const format = useFormat();
  const list = useListSearch(FILTERS);
  const mayWrite = useMay('packages.write');
  const [creating, setCreating] = useState(false);
  const areas = useCapabilityAreas();
  const donors = useDonorParties();
  const [cycleText, setCycleText] = useState(list.filters.cycle);

  const query: PackageListQuery = {
    limit: PAGE_SIZE,
    ...(list.cursor ? { cursor: list.cursor } : {}),
    ...(list.filters.status ? { status: list.filters.status as PackageStatus } : {}),
    ...(isCycle(list.filters.cycle) ? { cycle: list.filters.cycle } : {}),
    ...(list.filters.capabilityArea ? { capabilityArea: list.filters.capabilityArea } : {}),
    ...(list.filters.donor ? { donor: list.filters.donor } : {}),
  };
  const packages = usePackages(query);
  const cycleError = cycleText !== '' && !isCycle(cycleText) ? t('filters.cycleFormat') : undefined;

  const donorOptions = usePartyOptions(donors.data);

  return (
    <Stack gap="lg">
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          mayWrite && !creating ? (
            <Button onClick={() => setCreating(true)} data-testid="new-package">
              {t('create.open')}
            </Button>
          ) : undefined
        }
      />
      {creating ? <NewPackageForm onCancel={() => setCreating(false)} /> : null}
      <FilterBar testId="package-filters">
        <Select
          label={t('filters.status')}
          placeholder={t('filters.any')}
          clearable
          data={PACKAGE_STATUSES.map((status) => ({
            value: status,
            label: t(`common:packageStatus.${status}`),
          }))}
          value={list.filters.status || null}
          onChange={(value) => list.setFilter('status', value ?? '')}
          w={200}
        />
        <TextInput
          label={t('filters.cycle')}
          placeholder="2025-10"
          value={cycleText}
          error={cycleError}
          onChange={(event) => {
            const value = event.currentTarget.value.trim();
            setCycleText(value);
            if (value === '' || isCycle(value)) list.setFilter('cycle', value);
          }}
          w={140}
        />
        <Select
          label={t('filters.capabilityArea')}
          placeholder={t('filters.any')}
          clearable
          data={(areas.data?.items ?? []).map((area) => ({
            value: area.code,
            label: area.names[format.language],
          }))}
          value={list.filters.capabilityArea || null}
          onChange={(value) => list.setFilter('capabilityArea', value ?? '')}
          w={220}
        />
        <Select
          label={t('filters.donor')}
          placeholder={t('filters.any')}
          clearable
          searchable
          data={donorOptions}
          value={list.filters.donor || null}
          onChange={(value) => list.setFilter('donor', value ?? '')}
          w={220}
        />
      </FilterBar>
      <PagedList query={packages} list={list} empty={t('list.empty')} emptyTestId="packages-empty">
        {(items) => <PackagesTable items={items} />}
      </PagedList>
    </Stack>
  );
}

function PackagesTable({ items }: { items: PackageSummary[] }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const columns = useMemo(
    (): ColumnDef<PackageSummary, unknown>[] => [
      {
        id: 'number',
        header: t('columns.number'),
        accessorFn: (p) => p.number,
        meta: { nowrap: true },
        cell: ({ row }) => (
          <Anchor component={Link} to={`/packages/${row.original.id}`} fw={600}>
            {row.original.number}
          </Anchor>
        ),
      },
      { id: 'title', header: t('columns.title'), accessorFn: (p) => p.title },
      {
        id: 'cycle',
        header: t('columns.cycle'),
        accessorFn: (p) => p.cycle,
        meta: { nowrap: true },
        cell: ({ row }) => format.month(row.original.cycle),
      },
      {
        id: 'status',
        header: t('columns.status'),
        accessorFn: (p) => PACKAGE_STATUSES.indexOf(p.status),
        cell: ({ row }) => <StatusBadge status={row.original.status} />,
      },
      {
        id: 'price',
        header: t('columns.price'),
        accessorFn: (p) => BigInt(p.priceMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.priceMinor} currency={row.original.currency} />
        ),
      },
      {
        id: 'funded',
        header: t('columns.funded'),
        accessorFn: (p) => BigInt(p.fundedMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.fundedMinor} currency={row.original.currency} />
        ),
      },
      {
        id: 'gap',
        header: t('columns.gap'),
        accessorFn: (p) => BigInt(p.gapMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.gapMinor} currency={row.original.currency} />,
      },
      {
        id: 'progress',
        header: t('columns.progress'),
        enableSorting: false,
        cell: ({ row }) => (
          <FundingBar fundedMinor={row.original.fundedMinor} priceMinor={row.original.priceMinor} />
        ),
      },
    ],
    [t, format],
  );
  return (
    <DataTable
      data={items}
      columns={columns}
      caption={t('list.caption')}
      rowKey={(p) => p.id}
      testId="packages-table"
    />
  );
}
