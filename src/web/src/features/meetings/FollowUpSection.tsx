/**
 * The follow-up of a meeting on the chosen basis (`/analytics/meetings/:id/follow-up`): for each
 * announcement and the whole meeting, announced → committed → paid → delivered since, as a bar
 * chart and as a table whose every figure opens its drill-down (FigureLink).
 */
import { Table, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalyticsFollowUp } from '../../api/meetings';
import { useFormat } from '../../i18n/format';
import { decimalToChartNumber, minorToDecimal, minorUnitOf } from '../../i18n/money';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { EChart } from '../../ui/charts/EChart';
import { compactTick, escapeHtml } from '../../ui/charts/chart-format';
import { GRID_LINE, INK, PALETTE } from '../../ui/charts/echarts';

type Row = AnalyticsFollowUp['announcements'][number];
const MEASURES = ['announced', 'committed', 'paid', 'delivered'] as const;
type Measure = (typeof MEASURES)[number];

function amountOf(row: Pick<Row, `${Measure}Minor`>, measure: Measure): string | null {
  return row[`${measure}Minor`];
}

export function FollowUpSection({ followUp }: { followUp: AnalyticsFollowUp }) {
  const { t } = useTranslation('meetings');
  const format = useFormat();
  const currency = followUp.basis.currency;
  const exponent = minorUnitOf(currency);
  const rows = followUp.announcements;

  const option = useMemo((): EChartsOption => {
    const names = rows.map((a) => `${format.party(a.partyId)}: ${a.text.slice(0, 40)}`);
    return {
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { color: INK } },
      tooltip: {
        trigger: 'item',
        formatter: (params: unknown) => {
          const p = params as { dataIndex: number; seriesIndex: number };
          const measure = MEASURES[p.seriesIndex]!;
          const row = rows[p.dataIndex];
          const minor = row ? amountOf(row, measure) : null;
          return `${escapeHtml(names[p.dataIndex] ?? '')}<br/>${escapeHtml(t(`followUp.${measure}`))}: <b>${escapeHtml(
            minor === null ? t('followUp.noAmount') : format.money(minor, currency),
          )}</b>`;
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
        axisLabel: { color: INK, width: 220, overflow: 'truncate' },
      },
      series: MEASURES.map((measure, index) => ({
        type: 'bar',
        name: t(`followUp.${measure}`),
        itemStyle: { color: PALETTE[index] },
        data: rows.map((row) => {
          const minor = amountOf(row, measure);
          return minor === null ? 0 : decimalToChartNumber(minorToDecimal(minor, exponent));
        }),
      })),
    };
  }, [rows, t, format, currency, exponent]);

  const columns = useMemo(
    (): ColumnDef<Row, unknown>[] => [
      {
        id: 'party',
        header: t('followUp.party'),
        accessorFn: (a) => format.party(a.partyId),
      },
      { id: 'announcement', header: t('followUp.announcement'), accessorFn: (a) => a.text },
      {
        id: 'status',
        header: t('followUp.status'),
        accessorFn: (a) => a.status,
        cell: ({ row }) => t(`followUp.statuses.${row.original.status}`),
      },
      ...MEASURES.map((measure): ColumnDef<Row, unknown> => ({
        id: measure,
        header: t(`followUp.${measure}`),
        accessorFn: (a) => {
          const minor = amountOf(a, measure);
          return minor === null ? -1n : BigInt(minor);
        },
        meta: { numeric: true },
        cell: ({ row }) => {
          const minor = amountOf(row.original, measure);
          if (minor === null) return t('followUp.noAmount');
          return (
            <FigureLink
              figure={row.original.figures[measure]}
              label={`${t(`followUp.${measure}`)}, ${format.party(row.original.partyId)}`}
            >
              {format.money(minor, currency)}
            </FigureLink>
          );
        },
      })),
    ],
    [t, format, currency],
  );

  const totals = followUp.totals;
  const footer = (
    <Table.Tr data-testid="follow-up-totals">
      <Table.Th scope="row" colSpan={3}>
        {t('followUp.totals')}
      </Table.Th>
      {MEASURES.map((measure) => {
        const minor = amountOf(totals, measure);
        return (
          <Table.Td key={measure} ta="right" style={{ whiteSpace: 'nowrap' }}>
            {minor === null ? (
              t('followUp.noAmount')
            ) : (
              <FigureLink
                figure={totals.figures[measure]}
                label={`${t(`followUp.${measure}`)}, ${t('followUp.totals')}`}
              >
                {format.money(minor, currency)}
              </FigureLink>
            )}
          </Table.Td>
        );
      })}
    </Table.Tr>
  );

  const summary = MEASURES.map((measure) => {
    const minor = amountOf(totals, measure);
    return `${t(`followUp.${measure}`)} ${
      minor === null ? t('followUp.noAmount') : format.money(minor, currency, { compact: true })
    }`;
  }).join('; ');

  return (
    <ChartCard
      testId="follow-up-card"
      title={t('followUp.title')}
      description={t('followUp.description')}
      chart={
        rows.length === 0 ? (
          <Text size="sm">{t('announcements.none')}</Text>
        ) : (
          <EChart
            option={option}
            label={t('followUp.aria', { summary })}
            height={Math.max(220, 80 + rows.length * 56)}
          />
        )
      }
      table={
        <DataTable
          data={rows}
          columns={columns}
          caption={t('followUp.caption')}
          rowKey={(a) => a.announcementId}
          footer={footer}
          testId="follow-up-table"
        />
      }
    />
  );
}
