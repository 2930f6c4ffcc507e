/**
 * "Where each euro went": a contribution's flow as a Sankey diagram (committed → packages →
 * delivered / paid to the supplier, not yet delivered / neither; and what is still available),
 * with the same figures as tables — per package (its shares of the package's disbursed amount
 * and delivered value, and the three parts in the contribution's currency, totalled) and per
 * allocation (what left, what reached the package, at which rate, rate date and source).
 */
import { Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContributionFlow, FlowOutcome } from '../../api/contributions';
import { useFormat } from '../../i18n/format';
import { decimalToChartNumber, minorToDecimal, minorUnitOf } from '../../i18n/money';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { EChart } from '../../ui/charts/EChart';
import { escapeHtml } from '../../ui/charts/chart-format';
import { INK, PALETTE } from '../../ui/charts/echarts';
import { Money, RedactedMark, isRedacted, type Restricted } from '../../ui/Money';
import { flowChartData, type FlowNode } from './flow-chart';
import './sankey';

type FlowPackage = ContributionFlow['packages'][number];
type FlowAllocation = ContributionFlow['allocations'][number];

const NODE_COLOURS: Record<FlowNode['kind'], string> = {
  committed: PALETTE[0],
  package: PALETTE[5],
  available: '#868e96',
  delivered: PALETTE[2],
  disbursedNotDelivered: PALETTE[1],
  notDisbursed: PALETTE[3],
  restricted: '#adb5bd',
};

const OUTCOME_KEYS = ['delivered', 'disbursedNotDelivered', 'notDisbursed'] as const;

export function FlowSection({ flow }: { flow: ContributionFlow }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const currency = flow.contribution.currency;
  const exponent = minorUnitOf(currency);
  const data = useMemo(() => flowChartData(flow), [flow]);

  const nodeLabel = useMemo(
    () =>
      (node: FlowNode): string =>
        node.kind === 'package'
          ? (node.packageNumber ?? '')
          : node.kind === 'committed'
            ? t('flow.nodes.committed')
            : t(`flow.nodes.${node.kind}`),
    [t],
  );

  const option = useMemo((): EChartsOption => {
    const labels = new Map(data.nodes.map((n) => [n.id, nodeLabel(n)]));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (params: unknown) => {
          const p = params as {
            dataType?: string;
            name?: string;
            data?: { source?: string; target?: string; valueMinor?: string };
          };
          if (p.dataType === 'edge' && p.data?.valueMinor) {
            const from = labels.get(p.data.source ?? '') ?? '';
            const to = labels.get(p.data.target ?? '') ?? '';
            return `${escapeHtml(from)} → ${escapeHtml(to)}: <b>${escapeHtml(format.money(p.data.valueMinor, currency))}</b>`;
          }
          return escapeHtml(labels.get(p.name ?? '') ?? '');
        },
      },
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 230,
          top: 8,
          bottom: 8,
          nodeGap: 12,
          draggable: false,
          emphasis: { focus: 'adjacency' },
          lineStyle: { color: 'gradient', opacity: 0.35 },
          label: {
            color: INK,
            width: 220,
            overflow: 'break',
            formatter: (params: { name: string }) => labels.get(params.name) ?? params.name,
          },
          data: data.nodes.map((n) => ({
            name: n.id,
            itemStyle: { color: NODE_COLOURS[n.kind] },
          })),
          links: data.links.map((l) => ({
            source: l.source,
            target: l.target,
            value: decimalToChartNumber(minorToDecimal(l.valueMinor, exponent)),
            valueMinor: l.valueMinor,
          })),
        },
      ],
    };
  }, [data, nodeLabel, format, currency, exponent]);

  const summary = data.links
    .map(
      (l) =>
        `${nodeLabel(data.nodes.find((n) => n.id === l.source)!)} → ${nodeLabel(
          data.nodes.find((n) => n.id === l.target)!,
        )} ${format.money(l.valueMinor, currency, { compact: true })}`,
    )
    .join('; ');

  const empty = flow.packages.length === 0;
  return (
    <Stack gap="md">
      <ChartCard
        testId="flow-card"
        title={t('flow.title')}
        description={t('flow.description')}
        chart={
          empty ? (
            <Text size="sm" data-testid="flow-empty">
              {flow.contribution.status === 'pledged' ? t('flow.pledgeOnly') : t('flow.empty')}
            </Text>
          ) : (
            <EChart
              option={option}
              label={t('flow.aria', { summary })}
              height={Math.max(260, 60 + flow.packages.length * 44)}
            />
          )
        }
        table={<PackagesTable flow={flow} />}
        footer={
          flow.complete ? null : (
            <Text size="sm" c="dimmed" data-testid="flow-restricted-note">
              {t('flow.restrictedNote')}
            </Text>
          )
        }
      />
      {flow.allocations.length > 0 ? <AllocationsTable flow={flow} /> : null}
    </Stack>
  );
}

function OutcomePart({
  outcome,
  part,
  currency,
}: {
  outcome: Restricted<FlowOutcome>;
  part: (typeof OUTCOME_KEYS)[number];
  currency: string;
}) {
  if (isRedacted(outcome)) return <RedactedMark />;
  return <Money minor={outcome[`${part}Minor`]} currency={currency} />;
}

function PackagesTable({ flow }: { flow: ContributionFlow }) {
  const { t } = useTranslation(['contributions', 'common']);
  const format = useFormat();
  const currency = flow.contribution.currency;
  const columns = useMemo(
    (): ColumnDef<FlowPackage, unknown>[] => [
      {
        id: 'package',
        header: t('flow.columns.package'),
        accessorFn: (p) => p.package.number,
        cell: ({ row }) => (
          <Stack gap={0}>
            <Anchor component={Link} to={`/packages/${row.original.package.id}`} fw={600} size="sm">
              {row.original.package.number}
            </Anchor>
            <Text size="xs" c="dimmed">
              {row.original.package.title}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'packageStatus',
        header: t('flow.columns.packageStatus'),
        accessorFn: (p) => p.package.status,
        cell: ({ row }) => t(`common:packageStatus.${row.original.package.status}`),
      },
      {
        id: 'allocated',
        header: t('flow.columns.allocated'),
        accessorFn: (p) => BigInt(p.netAllocatedMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Stack gap={0} align="flex-end">
            <Money minor={row.original.netAllocatedMinor} currency={currency} />
            {BigInt(row.original.returnedMinor) > 0n ? (
              <Text size="xs" c="dimmed">
                {t('flow.columns.returned')}: {format.money(row.original.returnedMinor, currency)}
              </Text>
            ) : null}
          </Stack>
        ),
      },
      {
        id: 'reaching',
        header: t('flow.columns.reaching'),
        accessorFn: (p) => BigInt(p.netFundedMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.netFundedMinor} currency={row.original.package.currency} />
        ),
      },
      {
        id: 'disbursedShare',
        header: t('flow.columns.disbursedShare'),
        accessorFn: (p) => BigInt(p.disbursedShareMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Stack gap={0} align="flex-end">
            <Money
              minor={row.original.disbursedShareMinor}
              currency={row.original.package.currency}
            />
            <Text size="xs" c="dimmed">
              {t('flow.ofPackage', {
                total: format.money(
                  row.original.package.disbursedMinor,
                  row.original.package.currency,
                ),
              })}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'deliveredShare',
        header: t('flow.columns.deliveredShare'),
        accessorFn: (p) =>
          isRedacted(p.deliveredShareMinor) ? -1n : BigInt(p.deliveredShareMinor),
        meta: { numeric: true },
        cell: ({ row }) => {
          const p = row.original;
          return (
            <Stack gap={0} align="flex-end">
              <Money minor={p.deliveredShareMinor} currency={p.package.currency} />
              {isRedacted(p.package.deliveredMinor) ? null : (
                <Text size="xs" c="dimmed">
                  {t('flow.ofPackage', {
                    total: format.money(p.package.deliveredMinor, p.package.currency),
                  })}
                </Text>
              )}
            </Stack>
          );
        },
      },
      ...OUTCOME_KEYS.map((part): ColumnDef<FlowPackage, unknown> => ({
        id: part,
        header: t(`flow.columns.${part}`),
        accessorFn: (p) => (isRedacted(p.outcome) ? -1n : BigInt(p.outcome[`${part}Minor`])),
        meta: { numeric: true },
        cell: ({ row }) => (
          <OutcomePart outcome={row.original.outcome} part={part} currency={currency} />
        ),
      })),
    ],
    [t, format, currency],
  );
  const totals = flow.totals;
  const footer = (
    <>
      <Table.Tr data-testid="flow-totals">
        <Table.Th scope="row" colSpan={2}>
          {t('flow.totals')}
        </Table.Th>
        <Table.Td ta="right" data-total="netAllocated">
          <Money minor={totals.netAllocatedMinor} currency={currency} />
        </Table.Td>
        <Table.Td />
        <Table.Td />
        <Table.Td />
        {OUTCOME_KEYS.map((part) => (
          <Table.Td key={part} ta="right" data-total={part}>
            <OutcomePart outcome={totals.outcome} part={part} currency={currency} />
          </Table.Td>
        ))}
      </Table.Tr>
      <Table.Tr>
        <Table.Th scope="row" colSpan={2}>
          {t('flow.available')}
        </Table.Th>
        <Table.Td ta="right" data-total="available">
          <Money minor={totals.availableMinor} currency={currency} />
        </Table.Td>
        <Table.Td colSpan={6} />
      </Table.Tr>
    </>
  );
  return (
    <DataTable
      data={flow.packages}
      columns={columns}
      caption={t('flow.packagesCaption')}
      rowKey={(p) => p.package.id}
      footer={footer}
      testId="flow-table"
    />
  );
}

function AllocationsTable({ flow }: { flow: ContributionFlow }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const columns = useMemo(
    (): ColumnDef<FlowAllocation, unknown>[] => [
      {
        id: 'package',
        header: t('flow.columns.package'),
        accessorFn: (a) => a.packageNumber,
        meta: { nowrap: true },
        cell: ({ row }) => (
          <Anchor component={Link} to={`/packages/${row.original.packageId}`} size="sm">
            {row.original.packageNumber}
          </Anchor>
        ),
      },
      {
        id: 'status',
        header: t('flow.columns.status'),
        accessorFn: (a) => a.status,
        cell: ({ row }) => (
          <Badge variant="filled" color={row.original.status === 'voided' ? 'gray.7' : 'blue.8'}>
            {t(`flow.allocationStatus.${row.original.status}`)}
          </Badge>
        ),
      },
      {
        id: 'amount',
        header: t('flow.columns.amount'),
        accessorFn: (a) => BigInt(a.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.amountMinor} currency={row.original.currency} />
        ),
      },
      {
        id: 'reaching',
        header: t('flow.columns.reaching'),
        accessorFn: (a) => BigInt(a.packageAmountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.packageAmountMinor} currency={row.original.packageCurrency} />
        ),
      },
      {
        id: 'rate',
        header: t('flow.columns.rate'),
        accessorFn: (a) => a.rate,
        meta: { numeric: true },
        cell: ({ row }) => format.decimal(row.original.rate, 10),
      },
      {
        id: 'rateDate',
        header: t('flow.columns.rateDate'),
        accessorFn: (a) => a.rateDate,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.rateDate),
      },
      {
        id: 'valueDate',
        header: t('flow.columns.valueDate'),
        accessorFn: (a) => a.valueDate,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.valueDate),
      },
      {
        id: 'rateSource',
        header: t('flow.columns.rateSource'),
        accessorFn: (a) => a.rateSource,
      },
    ],
    [t, format],
  );
  return (
    <Stack gap="xs" component="section" aria-labelledby="flow-allocations-heading">
      <Title order={3} size="h4" id="flow-allocations-heading">
        {t('flow.allocationsTitle')}
      </Title>
      <DataTable
        data={flow.allocations}
        columns={columns}
        caption={t('flow.allocationsCaption')}
        rowKey={(a) => a.id}
        testId="flow-allocations"
      />
    </Stack>
  );
}
