/**
 * The base plan and the what-if side by side: the headline figures of each (planned value,
 * packages, items funded) with the differences, the value covered per capability area in each
 * (grouped bars, and the same figures as a table), and the items whose planned quantity
 * changes. Nothing is written; the page says so.
 */
import { Alert, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanComparison, PlanResult, ScenarioPlan } from '../../api/plans';
import { useFormat } from '../../i18n/format';
import { decimalToChartNumber, minorToDecimal, minorUnitOf } from '../../i18n/money';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { EChart } from '../../ui/charts/EChart';
import { compactTick, escapeHtml } from '../../ui/charts/chart-format';
import { GRID_LINE, INK, PALETTE } from '../../ui/charts/echarts';
import { Money } from '../../ui/Money';
import { useAreaName } from '../packages/parts';
import { itemCounts, signed } from './plan-request';
import { SolverLine, useItemName } from './parts';

const USD = 'USD';

export function ComparisonSection({ result }: { result: PlanResult }) {
  const { t } = useTranslation('planner');
  const headingId = useId();
  const [base, other] = result.scenarios;
  if (!base || !other || !result.comparison) return null;
  return (
    <Stack gap="md" component="section" aria-labelledby={headingId} data-testid="comparison">
      <Title order={2} size="h3" id={headingId}>
        {t('compare.heading')}
      </Title>
      <Alert color="blue" variant="light" data-testid="nothing-written">
        {t('compare.nothingWritten')}
      </Alert>
      <Headlines base={base} other={other} comparison={result.comparison} />
      <AreasCard comparison={result.comparison} />
      <ChangedItems base={base} comparison={result.comparison} />
    </Stack>
  );
}

function Headlines({
  base,
  other,
  comparison,
}: {
  base: ScenarioPlan;
  other: ScenarioPlan;
  comparison: PlanComparison;
}) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const baseCounts = itemCounts(base);
  const otherCounts = itemCounts(other);
  const money = (minor: string) => format.money(minor, USD);
  const integer = (abs: string) => format.integer(Number(abs));
  const rows = [
    {
      key: 'planned',
      label: t('figures.planned'),
      base: money(base.plannedValueMinor),
      other: money(other.plannedValueMinor),
      delta: signed(BigInt(comparison.plannedValueDeltaMinor), money),
    },
    {
      key: 'packages',
      label: t('figures.packages'),
      base: format.integer(base.packages.length),
      other: format.integer(other.packages.length),
      delta: signed(comparison.packagesDelta, integer),
    },
    {
      key: 'funded',
      label: t('compare.itemsFunded'),
      base: format.integer(baseCounts.funded),
      other: format.integer(otherCounts.funded),
      delta: signed(otherCounts.funded - baseCounts.funded, integer),
    },
    {
      key: 'partly',
      label: t('compare.itemsPartly'),
      base: format.integer(baseCounts.partly),
      other: format.integer(otherCounts.partly),
      delta: signed(otherCounts.partly - baseCounts.partly, integer),
    },
  ];
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {[
          { plan: base, title: t('compare.base') },
          { plan: other, title: t('compare.whatIf') },
        ].map(({ plan, title }) => (
          <Paper key={title} withBorder p="md" radius="md" data-testid="scenario-card">
            <Stack gap={4}>
              <Title order={3} size="h4">
                {title}
              </Title>
              <Text size="xl" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {money(plan.plannedValueMinor)}
              </Text>
              <Text size="sm">
                {t('compare.summary', {
                  count: plan.packages.length,
                  funded: format.integer(itemCounts(plan).funded),
                  partly: format.integer(itemCounts(plan).partly),
                })}
              </Text>
              <SolverLine plan={plan} />
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
      <Table.ScrollContainer minWidth={480}>
        <Table striped verticalSpacing="xs" fz="sm" data-testid="comparison-deltas">
          <caption>{t('compare.deltasCaption')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('compare.figure')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('compare.base')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('compare.whatIf')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('compare.delta')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key} data-figure={row.key}>
                <Table.Th scope="row">{row.label}</Table.Th>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {row.base}
                </Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {row.other}
                </Table.Td>
                <Table.Td
                  ta="right"
                  fw={700}
                  style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
                  data-delta
                >
                  {row.delta}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

type AreaRow = PlanComparison['areas'][number];

function AreasCard({ comparison }: { comparison: PlanComparison }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areaName = useAreaName();
  const exponent = minorUnitOf(USD);
  const areas = comparison.areas;

  const option = useMemo((): EChartsOption => {
    const names = areas.map((a) => areaName(a.capabilityArea));
    const seriesNames = [t('compare.base'), t('compare.whatIf')];
    const value = (minor: string) => decimalToChartNumber(minorToDecimal(minor, exponent));
    return {
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { color: INK } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: unknown) => {
          const list = params as { dataIndex: number; seriesIndex: number }[];
          const area = areas[list[0]?.dataIndex ?? -1];
          if (!area) return '';
          return [
            `<b>${escapeHtml(areaName(area.capabilityArea))}</b>`,
            `${escapeHtml(seriesNames[0]!)}: ${escapeHtml(format.money(area.baseMinor, USD))}`,
            `${escapeHtml(seriesNames[1]!)}: ${escapeHtml(format.money(area.otherMinor, USD))}`,
          ].join('<br/>');
        },
      },
      xAxis: {
        type: 'value',
        splitNumber: 4,
        axisLabel: {
          color: INK,
          hideOverlap: true,
          formatter: (v: number) => compactTick(format.language, v, USD),
        },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      yAxis: { type: 'category', inverse: true, data: names, axisLabel: { color: INK } },
      series: [
        {
          type: 'bar',
          name: seriesNames[0],
          data: areas.map((a) => value(a.baseMinor)),
          color: PALETTE[0],
        },
        {
          type: 'bar',
          name: seriesNames[1],
          data: areas.map((a) => value(a.otherMinor)),
          color: PALETTE[1],
        },
      ],
    };
  }, [areas, areaName, format, exponent, t]);

  const columns = useMemo(
    (): ColumnDef<AreaRow, unknown>[] => [
      {
        id: 'area',
        header: t('compare.area'),
        accessorFn: (a) => areaName(a.capabilityArea),
        cell: ({ row }) => areaName(row.original.capabilityArea),
      },
      {
        id: 'base',
        header: t('compare.base'),
        accessorFn: (a) => BigInt(a.baseMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.baseMinor} currency={USD} />,
      },
      {
        id: 'other',
        header: t('compare.whatIf'),
        accessorFn: (a) => BigInt(a.otherMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.otherMinor} currency={USD} />,
      },
      {
        id: 'delta',
        header: t('compare.delta'),
        accessorFn: (a) => BigInt(a.otherMinor) - BigInt(a.baseMinor),
        meta: { numeric: true },
        cell: ({ row }) =>
          signed(BigInt(row.original.otherMinor) - BigInt(row.original.baseMinor), (abs) =>
            format.money(abs, USD),
          ),
      },
    ],
    [t, areaName, format],
  );

  return (
    <ChartCard
      testId="areas-card"
      title={t('compare.areasTitle')}
      description={t('compare.areasDescription')}
      chart={
        <EChart
          option={option}
          label={t('compare.areasAria', {
            summary: areas
              .map(
                (a) =>
                  `${areaName(a.capabilityArea)} ${format.money(a.baseMinor, USD, { compact: true })} → ${format.money(a.otherMinor, USD, { compact: true })}`,
              )
              .join('; '),
          })}
          height={Math.max(240, areas.length * 56 + 60)}
        />
      }
      table={
        <DataTable
          data={areas}
          columns={columns}
          caption={t('compare.areasTitle')}
          rowKey={(a) => a.capabilityArea}
        />
      }
    />
  );
}

type ItemRow = PlanComparison['items'][number];

function ChangedItems({ base, comparison }: { base: ScenarioPlan; comparison: PlanComparison }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areaName = useAreaName();
  const itemName = useItemName(base);
  const headingId = useId();
  const columns = useMemo(
    (): ColumnDef<ItemRow, unknown>[] => [
      {
        id: 'rank',
        header: t('lines.rank'),
        accessorFn: (i) => i.priorityRank,
        meta: { numeric: true },
      },
      {
        id: 'item',
        header: t('lines.item'),
        accessorFn: (i) => itemName(i.requirementItemId),
        cell: ({ row }) => itemName(row.original.requirementItemId),
      },
      {
        id: 'area',
        header: t('lines.area'),
        accessorFn: (i) => areaName(i.capabilityArea),
        cell: ({ row }) => areaName(row.original.capabilityArea),
      },
      {
        id: 'base',
        header: t('compare.baseQuantity'),
        accessorFn: (i) => i.baseQuantity,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.baseQuantity),
      },
      {
        id: 'other',
        header: t('compare.otherQuantity'),
        accessorFn: (i) => i.otherQuantity,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.otherQuantity),
      },
      {
        id: 'change',
        header: t('compare.change'),
        accessorFn: (i) => i.otherQuantity - i.baseQuantity,
        meta: { numeric: true },
        cell: ({ row }) =>
          signed(row.original.otherQuantity - row.original.baseQuantity, (abs) =>
            format.integer(Number(abs)),
          ),
      },
    ],
    [t, format, areaName, itemName],
  );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Title order={3} size="h4" id={headingId}>
          {t('compare.itemsTitle')}
        </Title>
        {comparison.items.length === 0 ? (
          <Text size="sm">{t('compare.noItemChange')}</Text>
        ) : (
          <DataTable
            data={comparison.items}
            columns={columns}
            caption={t('compare.itemsTitle')}
            rowKey={(i) => i.requirementItemId}
            testId="changed-items-table"
          />
        )}
      </Stack>
    </Paper>
  );
}
