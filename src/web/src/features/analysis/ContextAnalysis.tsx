/**
 * Context: per donor, the Kiel Institute Ukraine Support Tracker's figures (EUR bn as
 * published, and converted to the reporting currency at the rate of the end of the row's
 * period) beside PURL's committed and paid. Without imported Kiel figures, PURL's figures stand
 * alone and the page says how the Kiel file is imported.
 */
import { Alert, Code, List, Paper, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { drillHref, useAnalysisOptions } from '../../api/analysis-options';
import { useKielContext, type KielContext } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { decimalToChartNumber, minorToDecimal, minorUnitOf } from '../../i18n/money';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { QueryState } from '../../ui/QueryState';
import { EChart } from '../../ui/charts/EChart';
import { compactTick, escapeHtml } from '../../ui/charts/chart-format';
import { GRID_LINE, INK, PALETTE } from '../../ui/charts/echarts';
import { AnalysisFrame } from './AnalysisFrame';
import { Headline } from './Headline';
import { TableSection } from './TableSection';

type Row = KielContext['rows'][number];

export function ContextAnalysis() {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const [options] = useAnalysisOptions();
  const context = useKielContext(options);
  return (
    <AnalysisFrame name="context" basis={context.data?.basis}>
      <QueryState query={context} height={300}>
        {(data) => (
          <Stack gap="lg">
            <Headline
              label={t('context.headline')}
              figure={data.totals.figures.committed}
              value={format.money(data.totals.committedMinor, data.basis.currency)}
              note={
                <>
                  <div>{t('context.paidTotal')}</div>
                  <div>
                    <FigureLink figure={data.totals.figures.paid} label={t('context.paidTotal')}>
                      {format.money(data.totals.paidMinor, data.basis.currency)}
                    </FigureLink>
                  </div>
                </>
              }
            />
            <Sources context={data} />
            <ContextChart context={data} />
            <ContextTable context={data} />
          </Stack>
        )}
      </QueryState>
    </AnalysisFrame>
  );
}

function Sources({ context }: { context: KielContext }) {
  const { t } = useTranslation(['analysis', 'common']);
  const format = useFormat();
  if (context.sources.length === 0) {
    return (
      <Alert color="blue" variant="light" title={t('context.noKielTitle')} data-testid="no-kiel">
        <Text size="sm">
          {t('context.noKiel')} <Code>purl import kiel data_explorer.csv</Code>
        </Text>
      </Alert>
    );
  }
  return (
    <Paper withBorder p="md" radius="md" data-testid="kiel-sources">
      <Stack gap={4}>
        <Text size="sm">
          {t('context.conversion', {
            currency: t(`common:analysis.currencyName.${context.basis.currency}`),
          })}
        </Text>
        <Text size="sm" fw={600}>
          {t('context.sources')}
        </Text>
        <List size="sm">
          {context.sources.map((source) => (
            <List.Item key={source.sourceSha256}>
              {t('context.source', {
                file: source.sourceFile,
                sha: source.sourceSha256.slice(0, 12),
                date: format.dateTime(source.importedAt),
              })}
            </List.Item>
          ))}
        </List>
      </Stack>
    </Paper>
  );
}

function ContextChart({ context }: { context: KielContext }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const navigate = useNavigate();
  const [options] = useAnalysisOptions();
  const currency = context.basis.currency;
  const exponent = minorUnitOf(currency);
  const rows = context.rows;
  const hasKiel = context.sources.length > 0;

  const option = useMemo((): EChartsOption => {
    const toNumber = (minor: string | null | undefined) =>
      minor ? decimalToChartNumber(minorToDecimal(minor, exponent)) : 0;
    const series = [
      ...(hasKiel
        ? [
            {
              name: t('context.kielMilitary'),
              value: (row: Row) => row.kiel?.amounts.military.amountMinor,
            },
          ]
        : []),
      { name: t('context.purlCommitted'), value: (row: Row) => row.purl?.committedMinor },
      { name: t('context.purlPaid'), value: (row: Row) => row.purl?.paidMinor },
    ];
    return {
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { color: INK } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: unknown) => {
          const items = params as { dataIndex: number; seriesIndex: number; marker: string }[];
          const row = rows[items[0]?.dataIndex ?? 0];
          if (!row) return '';
          const lines = items.map((item) => {
            const spec = series[item.seriesIndex];
            const minor = spec?.value(row);
            return `${item.marker}${escapeHtml(spec?.name ?? '')}: <b>${escapeHtml(minor ? format.money(minor, currency) : '—')}</b>`;
          });
          return [escapeHtml(row.names[format.language]), ...lines].join('<br/>');
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
        data: rows.map((row) => row.names[format.language]),
        axisLabel: { color: INK },
      },
      series: series.map((spec, index) => ({
        name: spec.name,
        type: 'bar' as const,
        data: rows.map((row) => toNumber(spec.value(row))),
        color: PALETTE[hasKiel ? index + 1 : index + 2],
        cursor: 'pointer',
      })),
    };
  }, [rows, hasKiel, t, format, currency, exponent]);

  const columns = useMemo(
    (): ColumnDef<Row, unknown>[] => [
      { id: 'donor', header: t('context.donor'), accessorFn: (row) => row.names[format.language] },
      ...(hasKiel
        ? [
            {
              id: 'kielMilitary',
              header: t('context.kielMilitary'),
              accessorFn: (row: Row) => BigInt(row.kiel?.amounts.military.amountMinor ?? '-1'),
              meta: { numeric: true },
              cell: ({ row }: { row: { original: Row } }) =>
                row.original.kiel?.amounts.military.amountMinor
                  ? format.money(row.original.kiel.amounts.military.amountMinor, currency)
                  : '—',
            } satisfies ColumnDef<Row, unknown>,
          ]
        : []),
      {
        id: 'committed',
        header: t('context.purlCommitted'),
        accessorFn: (row) => BigInt(row.purl?.committedMinor ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.purl ? format.money(row.original.purl.committedMinor, currency) : '—',
      },
      {
        id: 'paid',
        header: t('context.purlPaid'),
        accessorFn: (row) => BigInt(row.purl?.paidMinor ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.purl ? format.money(row.original.purl.paidMinor, currency) : '—',
      },
    ],
    [t, format, currency, hasKiel],
  );

  return (
    <ChartCard
      testId="context-chart-card"
      title={t('context.chartTitle')}
      description={hasKiel ? t('context.chartDescription') : t('context.chartDescriptionNoKiel')}
      chart={
        <EChart
          option={option}
          label={t('context.aria', { count: rows.length })}
          height={Math.max(260, rows.length * 34 + 60)}
          onItemClick={({ seriesIndex, dataIndex }) => {
            const row = rows[dataIndex];
            if (!row?.purl) return;
            const purlIndex = seriesIndex - (hasKiel ? 1 : 0);
            if (purlIndex < 0) return;
            const figure = purlIndex === 0 ? row.purl.figures.committed : row.purl.figures.paid;
            void navigate(drillHref(figure, options));
          }}
        />
      }
      table={
        <DataTable
          data={rows}
          columns={columns}
          caption={t('context.chartTitle')}
          rowKey={(row) => row.iso}
        />
      }
    />
  );
}

function ContextTable({ context }: { context: KielContext }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const currency = context.basis.currency;
  const columns = useMemo(
    (): ColumnDef<Row, unknown>[] => [
      { id: 'donor', header: t('context.donor'), accessorFn: (row) => row.names[format.language] },
      {
        id: 'period',
        header: t('context.period'),
        accessorFn: (row) => row.kiel?.period ?? '',
        meta: { nowrap: true },
        cell: ({ row }) => {
          const kiel = row.original.kiel;
          if (!kiel) return t('context.notInKiel');
          return kiel.month === null ? String(kiel.year) : format.month(kiel.period);
        },
      },
      {
        id: 'kielTotal',
        header: t('context.kielTotalEurBn'),
        accessorFn: (row) => decimalToChartNumber(row.kiel?.amounts.total.eurBn ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) => eurBn(row.original.kiel?.amounts.total.eurBn, format.decimal),
      },
      {
        id: 'kielMilitaryEurBn',
        header: t('context.kielMilitaryEurBn'),
        accessorFn: (row) => decimalToChartNumber(row.kiel?.amounts.military.eurBn ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) => eurBn(row.original.kiel?.amounts.military.eurBn, format.decimal),
      },
      {
        id: 'kielMilitary',
        header: t('context.kielMilitaryConverted', { currency }),
        accessorFn: (row) => BigInt(row.kiel?.amounts.military.amountMinor ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) => {
          const kiel = row.original.kiel;
          const minor = kiel?.amounts.military.amountMinor;
          if (!kiel || !minor) return '—';
          return (
            <Stack gap={0} align="flex-end">
              <span>{format.money(minor, currency)}</span>
              {kiel.rate && kiel.rateDate ? (
                <Text span size="xs" c="dimmed">
                  {t('context.rate', {
                    rate: format.decimal(kiel.rate),
                    date: format.day(kiel.rateDate),
                  })}
                </Text>
              ) : null}
            </Stack>
          );
        },
      },
      {
        id: 'pctGdp',
        header: t('context.kielPctGdp'),
        accessorFn: (row) => decimalToChartNumber(row.kiel?.pctGdp ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.kiel?.pctGdp ? format.percent(row.original.kiel.pctGdp, 4) : '—',
      },
      {
        id: 'committed',
        header: t('context.purlCommitted'),
        accessorFn: (row) => BigInt(row.purl?.committedMinor ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.purl ? (
            <FigureLink
              figure={row.original.purl.figures.committed}
              label={`${t('context.purlCommitted')}, ${row.original.names[format.language]}`}
            >
              {format.money(row.original.purl.committedMinor, currency)}
            </FigureLink>
          ) : (
            '—'
          ),
      },
      {
        id: 'paid',
        header: t('context.purlPaid'),
        accessorFn: (row) => BigInt(row.purl?.paidMinor ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.purl ? (
            <FigureLink
              figure={row.original.purl.figures.paid}
              label={`${t('context.purlPaid')}, ${row.original.names[format.language]}`}
            >
              {format.money(row.original.purl.paidMinor, currency)}
            </FigureLink>
          ) : (
            '—'
          ),
      },
      {
        id: 'share',
        header: t('context.committedPctOfKielMilitary'),
        accessorFn: (row) => decimalToChartNumber(row.committedPctOfKielMilitary ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.committedPctOfKielMilitary === null
            ? '—'
            : format.percent(row.original.committedPctOfKielMilitary),
      },
    ],
    [t, format, currency],
  );
  return (
    <TableSection title={t('context.tableTitle')} description={t('context.tableDescription')}>
      <DataTable
        data={context.rows}
        columns={columns}
        caption={t('context.tableTitle')}
        rowKey={(row) => row.iso}
        testId="context-table"
      />
    </TableSection>
  );
}

function eurBn(text: string | null | undefined, decimal: (text: string) => string): string {
  return text ? decimal(text) : '—';
}
