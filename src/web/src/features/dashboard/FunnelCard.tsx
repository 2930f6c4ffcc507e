/**
 * The funding funnel: each stage's amount as a bar (pledged in grey: not funding), with its share
 * of committed; whether the stages the ledger holds match the ledger's balances.
 */
import { Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { drillHref, useAnalysisOptions } from '../../api/analysis-options';
import type { Funnel } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { decimalToChartNumber, minorToDecimal, minorUnitOf } from '../../i18n/money';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { EChart } from '../../ui/charts/EChart';
import { compactTick, escapeHtml } from '../../ui/charts/chart-format';
import { GRID_LINE, INK, PALETTE } from '../../ui/charts/echarts';

type Stage = Funnel['stages'][number];

export function FunnelCard({ funnel }: { funnel: Funnel }) {
  const { t } = useTranslation('dashboard');
  const format = useFormat();
  const navigate = useNavigate();
  const [options] = useAnalysisOptions();
  const currency = funnel.basis.currency;
  const exponent = minorUnitOf(currency);
  const stages = funnel.stages;

  const option = useMemo((): EChartsOption => {
    const names = stages.map((stage) => t(`stages.${stage.stage}`));
    const exact = stages.map((stage) => format.money(stage.amountMinor, currency));
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (params: unknown) => {
          const index = (params as { dataIndex: number }).dataIndex;
          return `${escapeHtml(names[index] ?? '')}: <b>${escapeHtml(exact[index] ?? '')}</b>`;
        },
      },
      xAxis: {
        type: 'value',
        splitNumber: 4,
        axisLabel: {
          color: INK,
          hideOverlap: true,
          formatter: (value: number) => compactTick(format.language, value, currency),
        },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: names,
        axisLabel: { color: INK },
      },
      series: [
        {
          type: 'bar',
          data: stages.map((stage) => ({
            value: decimalToChartNumber(minorToDecimal(stage.amountMinor, exponent)),
            itemStyle: { color: stage.funding ? PALETTE[0] : '#868e96' },
          })),
          cursor: 'pointer',
        },
      ],
    };
  }, [stages, t, format, currency, exponent]);

  const columns = useMemo(
    (): ColumnDef<Stage, unknown>[] => [
      {
        id: 'stage',
        header: t('funnel.stage'),
        accessorFn: (stage) => t(`stages.${stage.stage}`),
        enableSorting: false,
      },
      {
        id: 'amount',
        header: t('funnel.amount'),
        accessorFn: (stage) => BigInt(stage.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <FigureLink
            figure={row.original.figures.amount}
            label={t(`stages.${row.original.stage}`)}
          >
            {format.money(row.original.amountMinor, currency)}
          </FigureLink>
        ),
      },
      {
        id: 'percent',
        header: t('funnel.percentOfCommitted'),
        accessorFn: (stage) => stage.percentOfCommitted ?? '',
        meta: { numeric: true },
        enableSorting: false,
        cell: ({ row }) =>
          row.original.percentOfCommitted === null
            ? '—'
            : format.percent(row.original.percentOfCommitted),
      },
      {
        id: 'records',
        header: t('funnel.records'),
        accessorFn: (stage) => stage.records,
        meta: { numeric: true },
        enableSorting: false,
        cell: ({ row }) => format.integer(row.original.records),
      },
    ],
    [t, format, currency],
  );

  return (
    <ChartCard
      testId="funnel-card"
      title={t('funnel.title')}
      description={t('funnel.description')}
      chart={
        <EChart
          option={option}
          label={t('funnel.aria', {
            summary: stages
              .map(
                (stage) =>
                  `${t(`stages.${stage.stage}`)} ${format.money(stage.amountMinor, currency, { compact: true })}`,
              )
              .join('; '),
          })}
          height={300}
          onItemClick={({ dataIndex }) => {
            const stage = stages[dataIndex];
            if (stage) void navigate(drillHref(stage.figures.amount, options));
          }}
        />
      }
      table={
        <DataTable
          data={stages}
          columns={columns}
          caption={t('funnel.title')}
          rowKey={(stage) => stage.stage}
        />
      }
      footer={
        <Text size="sm" data-testid="reconciliation">
          <Text span c={funnel.reconciliation.ok ? 'green.9' : 'red.9'} fw={700} aria-hidden="true">
            {funnel.reconciliation.ok ? '✓ ' : '✗ '}
          </Text>
          {funnel.reconciliation.ok ? t('funnel.reconciled') : t('funnel.notReconciled')}
        </Text>
      }
    />
  );
}
