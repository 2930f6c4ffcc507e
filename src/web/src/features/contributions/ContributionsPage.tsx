/**
 * The contributions (`/contributions`): filtered by donor, status, currency, capability area and
 * announcement dates (in the URL, so a filtered page is a link), a page at a time, each row with
 * its amounts in its own currency and linking to the contribution. Whoever may write
 * contributions records a pledge here (a contributor only for its own party).
 */
import { Anchor, Button, Select, Stack, Text, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  CONTRIBUTION_STATUSES,
  useContributions,
  type Contribution,
  type ContributionListQuery,
  type ContributionStatus,
} from '../../api/contributions';
import { useCapabilityAreas, useDonorParties } from '../../api/reference';
import { useMay } from '../../app/access';
import { useListSearch } from '../../app/list-search';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { Money } from '../../ui/Money';
import { PageHeader } from '../../ui/PageHeader';
import { ContributionStatusBadge } from './parts';
import { isIsoDay } from '../../ui/days';
import { PledgeForm } from './PledgeForm';
import { FilterBar, PagedList } from '../../ui/ListFrame';
import { usePartyOptions } from '../../ui/party-options';

const FILTERS = [
  'donor',
  'status',
  'currency',
  'capabilityArea',
  'announcedFrom',
  'announcedTo',
] as const;
const PAGE_SIZE = 25;
const CURRENCY = /^[A-Z]{3}$/;

export default function ContributionsPage() {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const list = useListSearch(FILTERS);
  const mayWrite = useMay('contributions.write');
  const [pledging, setPledging] = useState(false);
  const areas = useCapabilityAreas();
  const donors = useDonorParties();
  const [currencyText, setCurrencyText] = useState(list.filters.currency);
  const f = list.filters;

  const query: ContributionListQuery = {
    limit: PAGE_SIZE,
    ...(list.cursor ? { cursor: list.cursor } : {}),
    ...(f.donor ? { donor: f.donor } : {}),
    ...(f.status ? { status: f.status as ContributionStatus } : {}),
    ...(CURRENCY.test(f.currency) ? { currency: f.currency } : {}),
    ...(f.capabilityArea ? { capabilityArea: f.capabilityArea } : {}),
    ...(isIsoDay(f.announcedFrom) ? { announcedFrom: f.announcedFrom } : {}),
    ...(isIsoDay(f.announcedTo) ? { announcedTo: f.announcedTo } : {}),
  };
  const contributions = useContributions(query);
  const currencyError =
    currencyText !== '' && !CURRENCY.test(currencyText)
      ? t('filters.currencyHint', { example: 'EUR' })
      : undefined;

  const donorOptions = usePartyOptions(donors.data);
  const anyFilter = FILTERS.some((key) => f[key] !== '');

  return (
    <Stack gap="lg">
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          mayWrite && !pledging ? (
            <Button onClick={() => setPledging(true)} data-testid="record-pledge">
              {t('pledge.open')}
            </Button>
          ) : undefined
        }
      />
      {pledging ? <PledgeForm onClose={() => setPledging(false)} /> : null}
      <FilterBar
        label={t('filters.label')}
        testId="contribution-filters"
        clear={
          anyFilter
            ? {
                label: t('filters.clear'),
                onClick: () => {
                  setCurrencyText('');
                  list.clearFilters();
                },
              }
            : undefined
        }
      >
        <Select
          label={t('filters.donor')}
          placeholder={t('filters.any')}
          clearable
          searchable
          data={donorOptions}
          value={f.donor || null}
          onChange={(value) => list.setFilter('donor', value ?? '')}
          w={200}
        />
        <Select
          label={t('filters.status')}
          placeholder={t('filters.any')}
          clearable
          data={CONTRIBUTION_STATUSES.map((status) => ({
            value: status,
            label: t(`status.${status}`),
          }))}
          value={f.status || null}
          onChange={(value) => list.setFilter('status', value ?? '')}
          w={170}
        />
        <TextInput
          label={t('filters.currency')}
          placeholder="EUR"
          value={currencyText}
          error={currencyError}
          maxLength={3}
          onChange={(event) => {
            const value = event.currentTarget.value.trim().toUpperCase();
            setCurrencyText(value);
            if (value === '' || CURRENCY.test(value)) list.setFilter('currency', value);
          }}
          w={110}
        />
        <Select
          label={t('filters.capabilityArea')}
          placeholder={t('filters.any')}
          clearable
          data={(areas.data?.items ?? []).map((area) => ({
            value: area.code,
            label: area.names[format.language],
          }))}
          value={f.capabilityArea || null}
          onChange={(value) => list.setFilter('capabilityArea', value ?? '')}
          w={220}
        />
        <TextInput
          type="date"
          label={t('filters.announcedFrom')}
          value={f.announcedFrom}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (value === '' || isIsoDay(value)) list.setFilter('announcedFrom', value);
          }}
          w={170}
        />
        <TextInput
          type="date"
          label={t('filters.announcedTo')}
          value={f.announcedTo}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (value === '' || isIsoDay(value)) list.setFilter('announcedTo', value);
          }}
          w={170}
        />
      </FilterBar>
      <PagedList
        query={contributions}
        list={list}
        empty={t('list.empty')}
        emptyTestId="contributions-empty"
      >
        {(items) => <ContributionsTable items={items} />}
      </PagedList>
    </Stack>
  );
}

function ContributionsTable({ items }: { items: Contribution[] }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const columns = useMemo(
    (): ColumnDef<Contribution, unknown>[] => [
      {
        id: 'donor',
        header: t('columns.donor'),
        accessorFn: (c) => format.party(c.donorPartyId),
        cell: ({ row }) => (
          <Text size="sm" span>
            {format.party(row.original.donorPartyId)}{' '}
            <Text span size="xs" c="dimmed">
              {row.original.donorPartyId}
            </Text>
          </Text>
        ),
      },
      {
        id: 'title',
        header: t('columns.title'),
        accessorFn: (c) => c.title,
        cell: ({ row }) => (
          <Anchor component={Link} to={`/contributions/${row.original.id}`} fw={600} size="sm">
            {row.original.title}
          </Anchor>
        ),
      },
      {
        id: 'currency',
        header: t('columns.currency'),
        accessorFn: (c) => c.currency,
      },
      ...(['pledged', 'committed', 'paid', 'available'] as const).map(
        (key): ColumnDef<Contribution, unknown> => ({
          id: key,
          header: t(`columns.${key}`),
          accessorFn: (c) => BigInt(c[`${key}Minor`]),
          meta: { numeric: true },
          cell: ({ row }) => (
            <Money minor={row.original[`${key}Minor`]} currency={row.original.currency} />
          ),
        }),
      ),
      {
        id: 'status',
        header: t('columns.status'),
        accessorFn: (c) => CONTRIBUTION_STATUSES.indexOf(c.status),
        cell: ({ row }) => <ContributionStatusBadge status={row.original.status} />,
      },
      {
        id: 'announcedOn',
        header: t('columns.announcedOn'),
        accessorFn: (c) => c.announcedOn,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.announcedOn),
      },
    ],
    [t, format],
  );
  return (
    <DataTable
      data={items}
      columns={columns}
      caption={t('list.caption')}
      rowKey={(c) => c.id}
      testId="contributions-table"
    />
  );
}
