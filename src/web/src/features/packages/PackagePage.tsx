/**
 * One package (`/packages/:id`): its header (number, title, status, cycle, authorisation), its
 * funding (price, funded, gap, surplus, disbursed, with a bar), its lines (contents redacted for
 * a reader who may not see them), its allocations, its deliveries — and the actions the
 * signed-in user's role may take in the package's state: compose and open (coordinator, draft),
 * allocate (coordinator, open), authorise and disburse (supplier), ship (supplier), receive
 * (recipient), resolve discrepancies, cancel and close.
 */
import { Anchor, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  useContributionsOf,
  usePackage,
  type Allocation,
  type PackageDetail,
  type PackageLine,
} from '../../api/packages';
import { useMay } from '../../app/access';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { Money, RedactedMark, isRedacted } from '../../ui/Money';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/QueryState';
import { AllocationPanel } from './AllocationPanel';
import { ComposePanel, RemoveLineButton } from './ComposePanel';
import { DeliveriesSection } from './DeliveriesSection';
import { FundingBar, StatusBadge, useAreaName } from './parts';
import { StatusActions } from './StatusActions';
import { AuthorizePanel, DisbursePanel } from './SupplierPanels';

export default function PackagePage() {
  const { t } = useTranslation('packages');
  const { id } = useParams();
  const pkg = usePackage(id);
  return (
    <Stack gap="lg">
      <QueryState query={pkg} height={400}>
        {(data) => <PackageView pkg={data} />}
      </QueryState>
      <Anchor component={Link} to="/packages">
        {t('detail.back')}
      </Anchor>
    </Stack>
  );
}

function PackageView({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const mayWrite = useMay('packages.write');
  const mayAllocate = useMay('packages.allocate');
  const mayAuthorize = useMay('packages.authorize');
  const mayDisburse = useMay('packages.disburse');

  const facts = [
    t('detail.cycle', { cycle: format.month(pkg.cycle) }),
    pkg.authorizationReference
      ? t('detail.authorized', {
          reference: pkg.authorizationReference,
          date: pkg.authorizedOn ? format.day(pkg.authorizedOn) : '—',
        })
      : null,
  ].filter((fact): fact is string => fact !== null);

  return (
    <Stack gap="lg" data-testid="package-detail" data-version={pkg.version}>
      <PageHeader
        title={t('detail.title', { number: pkg.number, title: pkg.title })}
        description={
          <Group gap="sm" component="span" wrap="wrap">
            <StatusBadge status={pkg.status} />
            {facts.map((fact) => (
              <span key={fact}>{fact}</span>
            ))}
          </Group>
        }
      />
      {pkg.statusReason ? (
        <Text size="sm" c="dimmed" data-testid="status-reason">
          {t('detail.statusReason', { reason: pkg.statusReason })}
        </Text>
      ) : null}
      {pkg.synthetic ? (
        <Text size="sm" c="dimmed">
          {t('detail.synthetic')}
        </Text>
      ) : null}
      <FundingSummary pkg={pkg} />
      <LinesSection pkg={pkg} editable={mayWrite && pkg.status === 'draft'} />
      {mayWrite && pkg.status === 'draft' ? <ComposePanel pkg={pkg} /> : null}
      {mayAllocate && pkg.status === 'open' ? <AllocationPanel pkg={pkg} /> : null}
      <AllocationsSection pkg={pkg} />
      {mayAuthorize && pkg.status === 'funded' ? <AuthorizePanel pkg={pkg} /> : null}
      {mayDisburse && ['authorized', 'in_delivery', 'delivered'].includes(pkg.status) ? (
        <DisbursePanel pkg={pkg} />
      ) : null}
      {['authorized', 'in_delivery', 'delivered', 'closed'].includes(pkg.status) ? (
        <DeliveriesSection pkg={pkg} />
      ) : null}
      <StatusActions pkg={pkg} />
    </Stack>
  );
}

function FundingSummary({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const figures = [
    ['target', pkg.targetMinor],
    ['price', pkg.priceMinor],
    ['funded', pkg.fundedMinor],
    ['gap', pkg.gapMinor],
    ['surplus', pkg.surplusMinor],
    ['disbursed', pkg.disbursedMinor],
  ] as const;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="funding-heading">
      <Stack gap="sm" data-testid="funding-summary">
        <Title order={2} size="h4" id="funding-heading">
          {t('funding.heading', { currency: pkg.currency })}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} component="dl" m={0}>
          {figures.map(([key, minor]) => (
            <div key={key} data-testid={`funding-${key}`}>
              <Text component="dt" size="xs" c="dimmed">
                {t(`funding.${key}`)}
              </Text>
              <Text component="dd" m={0} fw={600}>
                <Money minor={minor} currency={pkg.currency} />
              </Text>
            </div>
          ))}
        </SimpleGrid>
        <FundingBar fundedMinor={pkg.fundedMinor} priceMinor={pkg.priceMinor} size="lg" />
      </Stack>
    </Paper>
  );
}

function LinesSection({ pkg, editable }: { pkg: PackageDetail; editable: boolean }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const areaName = useAreaName();
  const columns = useMemo((): ColumnDef<PackageLine, unknown>[] => {
    const list: ColumnDef<PackageLine, unknown>[] = [
      {
        id: 'area',
        header: t('lines.area'),
        accessorFn: (line) => line.capabilityArea,
        cell: ({ row }) => areaName(row.original.capabilityArea),
      },
      { id: 'category', header: t('lines.category'), accessorFn: (line) => line.category },
      {
        id: 'quantity',
        header: t('lines.quantity'),
        accessorFn: (line) => line.quantity,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.quantity),
      },
      { id: 'unit', header: t('lines.unit'), accessorFn: (line) => line.unit },
      {
        id: 'unitPrice',
        header: t('lines.unitPrice'),
        accessorFn: (line) => (isRedacted(line.unitPriceMinor) ? -1n : BigInt(line.unitPriceMinor)),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.unitPriceMinor} currency={pkg.currency} />,
      },
      {
        id: 'lineTotal',
        header: t('lines.lineTotal'),
        accessorFn: (line) => (isRedacted(line.lineTotalMinor) ? -1n : BigInt(line.lineTotalMinor)),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.lineTotalMinor} currency={pkg.currency} />,
      },
      {
        id: 'description',
        header: t('lines.description'),
        enableSorting: false,
        cell: ({ row }) => {
          const description = row.original.description;
          if (isRedacted(description)) return <RedactedMark />;
          return description ?? '—';
        },
      },
    ];
    if (editable) {
      list.push({
        id: 'remove',
        header: t('lines.actions'),
        enableSorting: false,
        cell: ({ row }) => <RemoveLineButton pkg={pkg} line={row.original} />,
      });
    }
    return list;
  }, [t, format, areaName, pkg, editable]);

  return (
    <Stack gap="xs" component="section" aria-labelledby="lines-heading">
      <Title order={2} size="h4" id="lines-heading">
        {t('lines.heading')}
      </Title>
      {pkg.lines.length === 0 ? (
        <Text c="dimmed" data-testid="lines-empty">
          {t('lines.empty')}
        </Text>
      ) : (
        <DataTable
          data={pkg.lines}
          columns={columns}
          caption={t('lines.caption', { number: pkg.number })}
          rowKey={(line) => line.id}
          testId="lines-table"
        />
      )}
    </Stack>
  );
}

type AllocationRow = Allocation & { donorPartyId: string | null };

function AllocationsSection({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const contributions = useContributionsOf(pkg.allocations.map((a) => a.contributionId));
  // The donor is part of each row (not looked up by a column), so the rows change when the
  // contributions arrive and the table shows and sorts by it.
  const rows = useMemo(
    (): AllocationRow[] =>
      pkg.allocations.map((a) => ({
        ...a,
        donorPartyId: contributions.data?.get(a.contributionId)?.donorPartyId ?? null,
      })),
    [pkg.allocations, contributions.data],
  );
  const columns = useMemo(
    (): ColumnDef<AllocationRow, unknown>[] => [
      {
        id: 'donor',
        header: t('allocations.donor'),
        accessorFn: (a) => (a.donorPartyId ? format.party(a.donorPartyId) : ''),
        cell: ({ row }) =>
          row.original.donorPartyId ? format.party(row.original.donorPartyId) : '—',
      },
      {
        id: 'contribution',
        header: t('allocations.contribution'),
        accessorFn: (a) => BigInt(a.contributionId),
        cell: ({ row }) => (
          <Anchor component={Link} to={`/contributions/${row.original.contributionId}`}>
            {t('allocations.contributionRef', { id: row.original.contributionId })}
          </Anchor>
        ),
      },
      {
        id: 'valueDate',
        header: t('allocations.valueDate'),
        accessorFn: (a) => a.valueDate,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.valueDate),
      },
      {
        id: 'amount',
        header: t('allocations.amount'),
        accessorFn: (a) => BigInt(a.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.amountMinor} currency={row.original.currency} />
        ),
      },
      {
        id: 'packageAmount',
        header: t('allocations.packageAmount', { currency: pkg.currency }),
        accessorFn: (a) => BigInt(a.packageAmountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.packageAmountMinor} currency={pkg.currency} />
        ),
      },
      {
        id: 'rate',
        header: t('allocations.rate'),
        enableSorting: false,
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.currency === pkg.currency ? '—' : format.decimal(row.original.rate),
      },
      {
        id: 'rateDate',
        header: t('allocations.rateDate'),
        accessorFn: (a) => a.rateDate,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.rateDate),
      },
      {
        id: 'source',
        header: t('allocations.source'),
        enableSorting: false,
        cell: ({ row }) => (
          <Text size="xs" c="dimmed">
            {row.original.currency === pkg.currency
              ? t('allocations.sameCurrency')
              : row.original.rateSource}
          </Text>
        ),
      },
      {
        id: 'status',
        header: t('allocations.status'),
        accessorFn: (a) => a.status,
        cell: ({ row }) => t(`allocations.statuses.${row.original.status}`),
      },
    ],
    [t, format, pkg.currency],
  );
  if (pkg.allocations.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="allocations-heading">
      <Title order={2} size="h4" id="allocations-heading">
        {t('allocations.heading')}
      </Title>
      <DataTable
        data={rows}
        columns={columns}
        caption={t('allocations.caption', { number: pkg.number })}
        rowKey={(a) => a.id}
        testId="allocations-table"
      />
    </Stack>
  );
}
