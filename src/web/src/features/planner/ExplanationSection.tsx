/**
 * Why the plan is what it is: every item of the list with what the plan gives it (funded, partly
 * funded, not funded) and, for the rest, the reason in words with its numbers (the cost of the
 * next part, the money or package room left); the constraints that bind, in sentences; and per
 * capability area the extra money that would cover its next items — a bar chart of the extra
 * money for the next item, and a table of the next few items with the money each would need.
 */
import { List, Paper, Stack, Text, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useCallback, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BindingConstraint, ItemExplanation, NextMoney, ScenarioPlan } from '../../api/plans';
import { useFormat } from '../../i18n/format';
import { decimalToChartNumber, minorToDecimal, minorUnitOf } from '../../i18n/money';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { EChart } from '../../ui/charts/EChart';
import { compactTick, escapeHtml } from '../../ui/charts/chart-format';
import { GRID_LINE, INK, PALETTE } from '../../ui/charts/echarts';
import { Money } from '../../ui/Money';
import { useAreaName } from '../packages/parts';
import { ItemStatusBadge, useItemName } from './parts';

const USD = 'USD';

export function ExplanationSection({ plan }: { plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const headingId = useId();
  return (
    <Stack gap="md" component="section" aria-labelledby={headingId} data-testid="explanation">
      <Title order={2} size="h3" id={headingId}>
        {t('explain.heading')}
      </Title>
      <ItemsTable plan={plan} />
      <BindingList plan={plan} />
      <NextMoneyCard plan={plan} />
    </Stack>
  );
}

/** An item's reason in a sentence, with its numbers. */
function useReasonText(): (item: ItemExplanation) => string {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areaName = useAreaName();
  return useCallback(
    (item: ItemExplanation) => {
      const money = (minor: string | null) => (minor === null ? '—' : format.money(minor, USD));
      switch (item.reason) {
        case null:
          return t('reason.funded');
        case 'no_eligible_money':
          return t('reason.no_eligible_money', {
            area: areaName(item.capabilityArea),
            next: money(item.nextPartMinor),
          });
        case 'money_ran_out':
          return t('reason.money_ran_out', {
            next: money(item.nextPartMinor),
            left: money(item.leftMinor),
          });
        case 'ranked_below_cut':
          return t('reason.ranked_below_cut', {
            next: money(item.nextPartMinor),
            left: money(item.leftMinor),
          });
        case 'too_large_for_room':
          return t('reason.too_large_for_room', {
            next: money(item.nextPartMinor),
            left: money(item.leftMinor),
          });
        case 'step_larger_than_remaining':
          return t('reason.step_larger_than_remaining');
      }
    },
    [t, format, areaName],
  );
}

function ItemsTable({ plan }: { plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areaName = useAreaName();
  const reasonText = useReasonText();
  const columns = useMemo(
    (): ColumnDef<ItemExplanation, unknown>[] => [
      {
        id: 'rank',
        header: t('items.rank'),
        accessorFn: (i) => i.priorityRank,
        meta: { numeric: true },
      },
      {
        id: 'item',
        header: t('items.item'),
        accessorFn: (i) => i.category,
        cell: ({ row }) => (
          <Stack gap={0} miw={160}>
            <Text span size="sm">
              {row.original.category}
            </Text>
            <Text span size="xs" c="dimmed">
              {areaName(row.original.capabilityArea)}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'planned',
        header: t('items.planned'),
        accessorFn: (i) => i.plannedQuantity,
        meta: { numeric: true },
        cell: ({ row }) =>
          t('items.plannedOf', {
            planned: format.integer(row.original.plannedQuantity),
            remaining: format.integer(row.original.remainingQuantity),
            unit: row.original.unit,
          }),
      },
      {
        id: 'unitCost',
        header: t('items.unitCost'),
        accessorFn: (i) => BigInt(i.unitCostMinor),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.unitCostMinor === row.original.listUnitCostMinor ? (
            <Money minor={row.original.unitCostMinor} currency={USD} />
          ) : (
            <Stack gap={0} align="flex-end">
              <Money minor={row.original.unitCostMinor} currency={USD} />
              <Text span size="xs" c="dimmed">
                {t('items.listCost', {
                  cost: format.money(row.original.listUnitCostMinor, USD),
                })}
              </Text>
            </Stack>
          ),
      },
      {
        id: 'value',
        header: t('items.value'),
        accessorFn: (i) => BigInt(i.plannedValueMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.plannedValueMinor} currency={USD} />,
      },
      {
        id: 'status',
        header: t('items.status'),
        accessorFn: (i) => ['funded', 'partly_funded', 'not_funded'].indexOf(i.status),
        cell: ({ row }) => (
          <Stack gap={4} align="flex-start" miw={260} maw={420}>
            <ItemStatusBadge status={row.original.status} />
            <Text span size="sm" data-reason={row.original.reason ?? 'funded'}>
              {reasonText(row.original)}
            </Text>
          </Stack>
        ),
      },
    ],
    [t, format, areaName, reasonText],
  );
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('items.heading')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('items.description')}
        </Text>
        <DataTable
          data={plan.items}
          columns={columns}
          caption={t('items.heading')}
          rowKey={(i) => i.requirementItemId}
          testId="plan-items-table"
        />
      </Stack>
    </Paper>
  );
}

function BindingList({ plan }: { plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areaName = useAreaName();
  const sentence = (b: BindingConstraint): string => {
    const amount = format.money(b.amountMinor, USD);
    const count = b.itemsKeptOut;
    const fund = plan.funds.find((f) => f.fundKey === b.fundKey);
    const donor = fund ? format.party(fund.donorPartyId) : '—';
    switch (b.kind) {
      case 'package_size': {
        const index = plan.packages.findIndex((p) => p.slot === b.slot);
        return t('binding.package_size', { number: index + 1, amount, count });
      }
      case 'money':
        return t('binding.money', { area: areaName(b.capabilityArea ?? ''), amount, count });
      case 'earmark':
        return t('binding.earmark', {
          donor,
          areas: format.list((fund?.earmarkAreas ?? []).map(areaName)),
          amount,
          count,
        });
      case 'sole_funding':
        return t('binding.sole_funding', { donor, amount, count });
    }
  };
  return (
    <Paper withBorder p="md" data-testid="binding">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('binding.heading')}
        </Title>
        {plan.binding.length === 0 ? (
          <Text size="sm">{t('binding.none')}</Text>
        ) : (
          <List size="sm" spacing={4}>
            {plan.binding.map((b, index) => (
              <List.Item key={index} data-kind={b.kind}>
                {sentence(b)}
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Paper>
  );
}

interface NextRow {
  area: string;
  unusedMinor: string;
  requirementItemId: string;
  priorityRank: number;
  costMinor: string;
  extraMinor: string;
}

function NextMoneyCard({ plan }: { plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areaName = useAreaName();
  const itemName = useItemName(plan);
  const exponent = minorUnitOf(USD);
  const areas = useMemo(() => plan.nextMoney.filter((a) => a.next.length > 0), [plan.nextMoney]);
  const rows: NextRow[] = useMemo(
    () =>
      plan.nextMoney.flatMap((a) =>
        a.next.map((n) => ({
          area: a.capabilityArea,
          unusedMinor: a.unusedEligibleMinor,
          requirementItemId: n.requirementItemId,
          priorityRank: n.priorityRank,
          costMinor: n.costMinor,
          extraMinor: n.extraMinor,
        })),
      ),
    [plan.nextMoney],
  );

  const option = useMemo((): EChartsOption => {
    const names = areas.map((a) => areaName(a.capabilityArea));
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (params: unknown) => {
          const area = areas[(params as { dataIndex: number }).dataIndex];
          const next = area?.next[0];
          if (!area || !next) return '';
          return `${escapeHtml(areaName(area.capabilityArea))}: <b>${escapeHtml(format.money(next.extraMinor, USD))}</b><br/>${escapeHtml(itemName(next.requirementItemId))}`;
        },
      },
      xAxis: {
        type: 'value',
        splitNumber: 4,
        axisLabel: {
          color: INK,
          hideOverlap: true,
          formatter: (value: number) => compactTick(format.language, value, USD),
        },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      yAxis: { type: 'category', inverse: true, data: names, axisLabel: { color: INK } },
      series: [
        {
          type: 'bar',
          name: t('next.series'),
          data: areas.map((a) =>
            decimalToChartNumber(minorToDecimal(a.next[0]?.extraMinor ?? '0', exponent)),
          ),
          color: PALETTE[1],
        },
      ],
    };
  }, [areas, areaName, itemName, format, exponent, t]);

  const columns = useMemo(
    (): ColumnDef<NextRow, unknown>[] => [
      {
        id: 'area',
        header: t('next.area'),
        accessorFn: (r) => areaName(r.area),
        cell: ({ row }) => areaName(row.original.area),
      },
      {
        id: 'unused',
        header: t('next.unused'),
        accessorFn: (r) => BigInt(r.unusedMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.unusedMinor} currency={USD} />,
      },
      {
        id: 'rank',
        header: t('next.rank'),
        accessorFn: (r) => r.priorityRank,
        meta: { numeric: true },
      },
      {
        id: 'item',
        header: t('next.item'),
        accessorFn: (r) => itemName(r.requirementItemId),
        cell: ({ row }) => itemName(row.original.requirementItemId),
      },
      {
        id: 'cost',
        header: t('next.cost'),
        accessorFn: (r) => BigInt(r.costMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.costMinor} currency={USD} />,
      },
      {
        id: 'extra',
        header: t('next.extra'),
        accessorFn: (r) => BigInt(r.extraMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.extraMinor} currency={USD} />,
      },
    ],
    [t, areaName, itemName],
  );

  const perArea = useMemo(
    (): ColumnDef<NextMoney, unknown>[] => [
      {
        id: 'area',
        header: t('next.area'),
        accessorFn: (a) => areaName(a.capabilityArea),
        cell: ({ row }) => areaName(row.original.capabilityArea),
      },
      {
        id: 'item',
        header: t('next.nextItem'),
        accessorFn: (a) => (a.next[0] ? itemName(a.next[0].requirementItemId) : '—'),
        cell: ({ row }) =>
          row.original.next[0] ? itemName(row.original.next[0].requirementItemId) : '—',
      },
      {
        id: 'extra',
        header: t('next.extraNext'),
        accessorFn: (a) => BigInt(a.next[0]?.extraMinor ?? '0'),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.next[0]?.extraMinor ?? '0'} currency={USD} />,
      },
    ],
    [t, areaName, itemName],
  );

  const detail = (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('next.tableTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('next.tableDescription')}
        </Text>
        <DataTable
          data={rows}
          columns={columns}
          caption={t('next.tableTitle')}
          rowKey={(r) => `${r.area}:${r.requirementItemId}`}
          testId="next-money-table"
        />
      </Stack>
    </Paper>
  );
  if (areas.length === 0) {
    return (
      <Paper withBorder p="md" data-testid="next-money-card">
        <Title order={3} size="h4">
          {t('next.title')}
        </Title>
        <Text size="sm">{t('next.none')}</Text>
      </Paper>
    );
  }
  return (
    <Stack gap="md">
      <ChartCard
        testId="next-money-card"
        title={t('next.title')}
        description={t('next.description')}
        chart={
          <EChart
            option={option}
            label={t('next.aria', {
              summary: areas
                .map(
                  (a) =>
                    `${areaName(a.capabilityArea)} ${format.money(a.next[0]?.extraMinor ?? '0', USD, { compact: true })}`,
                )
                .join('; '),
            })}
            height={Math.max(200, areas.length * 36 + 40)}
          />
        }
        table={
          <DataTable
            data={areas}
            columns={perArea}
            caption={t('next.title')}
            rowKey={(a) => a.capabilityArea}
          />
        }
      />
      {detail}
    </Stack>
  );
}
