/**
 * Pace against target: committed per month (bars) with the cumulative committed and the
 * cumulative target (lines), and the projected day the goal is reached at the current pace —
 * or, in words, why there is no projection.
 */
import { Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { drillHref, useAnalysisOptions } from '../../api/analysis-options';
import type { Pace } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { decimalToChartNumber, minorToDecimal, minorUnitOf } from '../../i18n/money';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { EChart } from '../../ui/charts/EChart';
import { compactTick, escapeHtml } from '../../ui/charts/chart-format';
import { GRID_LINE, INK, PALETTE } from '../../ui/charts/echarts';

type Month = Pace['months'][number];

export function PaceCard({ pace }: { pace: Pace }) {
  const { t } = useTranslation('dashboard');
  const format = useFormat();
  const navigate = useNavigate();
  const [options] = useAnalysisOptions();
  const currency = pace.basis.currency;
  const exponent = minorUnitOf(currency);
  const months = pace.months;

  const option = useMemo((): EChartsOption => {
    const toNumber = (minor: string) => decimalToChartNumber(minorToDecimal(minor, exponent));
    const series = [
      { key: 'committedMinor', name: t('pace.committed'), type: 'bar' },
      { key: 'cumulativeCommittedMinor', name: t('pace.cumulative'), type: 'line' },
      { key: 'cumulativeTargetMinor', name: t('pace.cumulativeTarget'), type: 'line' },
    ] as const;
    return {
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { color: INK } },
      tooltip: {
        trigger: 'axis',
        formatter: (params: unknown) => {
          const items = params as { dataIndex: number; seriesIndex: number; marker: string }[];
          const month = months[items[0]?.dataIndex ?? 0];
          if (!month) return '';
          const lines = items.map((item) => {
            const spec = series[item.seriesIndex];
            if (!spec) return '';
            return `${item.marker}${escapeHtml(spec.name)}: <b>${escapeHtml(format.money(month[spec.key], currency))}</b>`;
          });
          return [escapeHtml(format.month(month.month)), ...lines].join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        data: months.map((month) => format.month(month.month)),
        axisLabel: { color: INK, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        axisLabel: {
          color: INK,
          hideOverlap: true,
          formatter: (value: number) => compactTick(format.language, value, currency),
        },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      series: series.map((spec, index) => ({
        name: spec.name,
        type: spec.type,
        data: months.map((month) => toNumber(month[spec.key])),
        color: PALETTE[index === 2 ? 4 : index],
        ...(spec.type === 'line'
          ? {
              symbolSize: 6,
              lineStyle: { width: 2, ...(index === 2 ? { type: 'dashed' as const } : {}) },
            }
          : { cursor: 'pointer' }),
      })),
    };
  }, [months, t, format, currency, exponent]);

  const columns = useMemo((): ColumnDef<Month, unknown>[] => {
    const money = (
      key: keyof Month['figures'],
      minorKey: `${'committed' | 'paid' | 'delivered' | 'cumulativeCommitted'}Minor`,
      label: string,
    ) =>
      ({
        id: key,
        header: label,
        accessorFn: (month: Month) => BigInt(month[minorKey]),
        meta: { numeric: true },
        enableSorting: false,
        cell: ({ row }: { row: { original: Month } }) => (
          <FigureLink
            figure={row.original.figures[key]}
            label={`${label}, ${format.month(row.original.month)}`}
          >
            {format.money(row.original[minorKey], currency)}
          </FigureLink>
        ),
      }) satisfies ColumnDef<Month, unknown>;
    return [
      {
        id: 'month',
        header: t('pace.month'),
        accessorFn: (month) => month.month,
        cell: ({ row }) => format.month(row.original.month),
      },
      money('committed', 'committedMinor', t('pace.committed')),
      money('paid', 'paidMinor', t('pace.paid')),
      money('delivered', 'deliveredMinor', t('pace.delivered')),
      money('cumulativeCommitted', 'cumulativeCommittedMinor', t('pace.cumulative')),
      {
        id: 'cumulativeTarget',
        header: t('pace.cumulativeTarget'),
        accessorFn: (month) => BigInt(month.cumulativeTargetMinor),
        meta: { numeric: true },
        enableSorting: false,
        cell: ({ row }) => format.money(row.original.cumulativeTargetMinor, currency),
      },
    ];
  }, [t, format, currency]);

  return (
    <ChartCard
      testId="pace-card"
      title={t('pace.title')}
      description={t('pace.description', {
        target: format.money(pace.target.amountMinor, currency, { compact: true }),
      })}
      chart={
        <EChart
          option={option}
          label={t('pace.aria')}
          height={300}
          onItemClick={({ seriesIndex, dataIndex }) => {
            const month = months[dataIndex];
            if (!month || seriesIndex === 2) return;
            const figure =
              seriesIndex === 0 ? month.figures.committed : month.figures.cumulativeCommitted;
            void navigate(drillHref(figure, options));
          }}
        />
      }
      table={
        <DataTable
          data={months}
          columns={columns}
          caption={t('pace.title')}
          rowKey={(month) => month.month}
        />
      }
      footer={<Projection pace={pace} />}
    />
  );
}

function Projection({ pace }: { pace: Pace }) {
  const { t } = useTranslation('dashboard');
  const format = useFormat();
  const currency = pace.basis.currency;
  const goal = format.money(pace.goal.amountMinor, currency, { compact: true });
  const { projection } = pace;
  let text: string;
  if (projection.reachedOn) {
    text = t('pace.reached', { goal, date: format.day(projection.reachedOn) });
  } else if (projection.projectedDate && pace.pace.perMonthMinor) {
    text = t('pace.projection', {
      goal,
      date: format.day(projection.projectedDate),
      pace: format.money(pace.pace.perMonthMinor, currency, { compact: true }),
    });
  } else {
    const reason = projection.reasonCode ?? pace.pace.reasonCode ?? 'no_pace';
    text = t('pace.noProjection', { reason: t(`pace.reasons.${reason}`) });
  }
  return (
    <Text size="sm" fw={600} data-testid="pace-projection">
      {text}
    </Text>
  );
}
