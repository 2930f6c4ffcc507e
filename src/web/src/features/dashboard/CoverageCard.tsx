/**
 * Coverage: a heatmap of the share funded (funded / approved) per capability area (rows) and
 * cycle (columns); a cell without approved requirements shows "—". A cell opens the records of
 * its funded figure. The table lists approved, funded and the share per cell.
 */
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { drillHref, useAnalysisOptions } from '../../api/analysis-options';
import type { Coverage } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { EChart } from '../../ui/charts/EChart';
import { escapeHtml } from '../../ui/charts/chart-format';
import { INK } from '../../ui/charts/echarts';

type Row = Coverage['rows'][number];

/** Light to dark blue; text turns white on the darker half. */
const SCALE = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
const DARK_FROM_PERCENT = 55;

export function CoverageCard({ coverage }: { coverage: Coverage }) {
  const { t } = useTranslation('dashboard');
  const format = useFormat();
  const navigate = useNavigate();
  const [options] = useAnalysisOptions();
  const currency = coverage.basis.currency;
  const rows = coverage.rows;

  const { cycles, areas } = useMemo(() => {
    const cycleSet = [...new Set(rows.map((row) => row.cycle))].sort();
    const areaOrder: { code: string; row: Row }[] = [];
    for (const row of rows) {
      if (!areaOrder.some((area) => area.code === row.capabilityArea)) {
        areaOrder.push({ code: row.capabilityArea, row });
      }
    }
    return { cycles: cycleSet, areas: areaOrder };
  }, [rows]);

  const option = useMemo((): EChartsOption => {
    const cells = rows.map((row) => {
      const percent = row.percentFunded === null ? null : Number(row.percentFunded);
      return {
        value: [
          cycles.indexOf(row.cycle),
          areas.findIndex((area) => area.code === row.capabilityArea),
          percent ?? '-',
        ],
        label: {
          color: percent !== null && percent >= DARK_FROM_PERCENT ? '#ffffff' : '#212529',
        },
      };
    });
    return {
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      tooltip: {
        formatter: (params: unknown) => {
          const row = rows[(params as { dataIndex: number }).dataIndex];
          if (!row) return '';
          const percent =
            row.percentFunded === null
              ? t('coverage.noApproved')
              : format.percent(row.percentFunded);
          return [
            `${escapeHtml(row.areaNames[format.language])} — ${escapeHtml(format.month(row.cycle))}`,
            `${escapeHtml(t('coverage.percentFunded'))}: <b>${escapeHtml(percent)}</b>`,
            `${escapeHtml(t('coverage.funded'))}: ${escapeHtml(format.money(row.fundedMinor, currency))}`,
            `${escapeHtml(t('coverage.approved'))}: ${escapeHtml(format.money(row.approvedMinor, currency))}`,
          ].join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        data: cycles.map((cycle) => format.month(cycle)),
        axisLabel: { color: INK, hideOverlap: true },
        splitArea: { show: true },
      },
      yAxis: {
        type: 'category',
        data: areas.map((area) => area.row.areaNames[format.language]),
        // Long names (in Ukrainian above all) are cut to leave the cells room; the tooltip and
        // the table give them whole.
        axisLabel: { color: INK, width: 130, overflow: 'truncate' },
        inverse: true,
      },
      visualMap: {
        min: 0,
        max: 100,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        inRange: { color: SCALE },
        text: ['100 %', '0 %'],
        textStyle: { color: INK },
      },
      series: [
        {
          type: 'heatmap',
          data: cells,
          label: {
            show: true,
            fontSize: 10,
            formatter: (params: unknown) => {
              const row = rows[(params as { dataIndex: number }).dataIndex];
              return row?.percentFunded ? format.percent(row.percentFunded, 0) : '—';
            },
          },
          itemStyle: { borderColor: '#ffffff', borderWidth: 2 },
          cursor: 'pointer',
        },
      ],
    };
  }, [rows, cycles, areas, t, format, currency]);

  const columns = useMemo(
    (): ColumnDef<Row, unknown>[] => [
      {
        id: 'cycle',
        header: t('coverage.cycle'),
        accessorFn: (row) => row.cycle,
        cell: ({ row }) => format.month(row.original.cycle),
      },
      {
        id: 'area',
        header: t('coverage.area'),
        accessorFn: (row) => row.areaNames[format.language],
      },
      {
        id: 'approved',
        header: t('coverage.approved'),
        accessorFn: (row) => BigInt(row.approvedMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <FigureLink
            figure={row.original.figures.approved}
            label={`${t('coverage.approved')}, ${row.original.areaNames[format.language]}, ${format.month(row.original.cycle)}`}
          >
            {format.money(row.original.approvedMinor, currency)}
          </FigureLink>
        ),
      },
      {
        id: 'funded',
        header: t('coverage.funded'),
        accessorFn: (row) => BigInt(row.fundedMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <FigureLink
            figure={row.original.figures.funded}
            label={`${t('coverage.funded')}, ${row.original.areaNames[format.language]}, ${format.month(row.original.cycle)}`}
          >
            {format.money(row.original.fundedMinor, currency)}
          </FigureLink>
        ),
      },
      {
        id: 'percent',
        header: t('coverage.percentFunded'),
        accessorFn: (row) => Number(row.percentFunded ?? -1),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.percentFunded === null ? '—' : format.percent(row.original.percentFunded),
      },
    ],
    [t, format, currency],
  );

  return (
    <ChartCard
      testId="coverage-card"
      title={t('coverage.title')}
      description={t('coverage.description')}
      chart={
        <EChart
          option={option}
          label={t('coverage.aria', { areas: areas.length, cycles: cycles.length })}
          height={Math.max(260, areas.length * 34 + 110)}
          onItemClick={({ dataIndex }) => {
            const row = rows[dataIndex];
            if (row) void navigate(drillHref(row.figures.funded, options));
          }}
        />
      }
      table={
        <DataTable
          data={rows}
          columns={columns}
          caption={t('coverage.title')}
          rowKey={(row) => `${row.cycle}:${row.capabilityArea}`}
        />
      }
    />
  );
}
