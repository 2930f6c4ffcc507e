/**
 * Burden sharing: per donor, committed (pledges excluded), its share of the total, committed as
 * a percentage of GDP and per inhabitant, with the ranks. The chart ranks the donors by the
 * measure the reader chooses; the table sorts by any column. Where a commitment year had no GDP
 * (or population) figure and an earlier year's was used, the table says which year.
 */
import { Group, SegmentedControl, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { drillHref, useAnalysisOptions } from '../../api/analysis-options';
import { useBurdenSharing, type BurdenSharing } from '../../api/analytics';
import { useFormat, type Formatter } from '../../i18n/format';
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

type Donor = BurdenSharing['donors'][number];

export const BURDEN_MEASURES = ['committed', 'percentOfGdp', 'perCapita', 'share'] as const;
export type BurdenMeasure = (typeof BURDEN_MEASURES)[number];

/** The measure's value of a donor as exact decimal text (null: no figure). */
function measureText(donor: Donor, measure: BurdenMeasure, exponent: number): string | null {
  switch (measure) {
    case 'committed':
      return minorToDecimal(donor.committedMinor, exponent);
    case 'percentOfGdp':
      return donor.percentOfGdp;
    case 'perCapita':
      return donor.perCapita;
    case 'share':
      return donor.shareOfTotal;
  }
}

function formatMeasure(
  donor: Donor,
  measure: BurdenMeasure,
  format: Formatter,
  currency: string,
): string {
  switch (measure) {
    case 'committed':
      return format.money(donor.committedMinor, currency);
    case 'percentOfGdp':
      return donor.percentOfGdp === null ? '—' : format.percent(donor.percentOfGdp, 4);
    case 'perCapita':
      return donor.perCapita === null ? '—' : format.moneyDecimal(donor.perCapita, currency);
    case 'share':
      return donor.shareOfTotal === null ? '—' : format.percent(donor.shareOfTotal);
  }
}

export function BurdenAnalysis() {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const [options] = useAnalysisOptions();
  const burden = useBurdenSharing(options);
  return (
    <AnalysisFrame name="burden-sharing" basis={burden.data?.basis}>
      <QueryState query={burden} height={300}>
        {(data) => {
          const fallbacks = data.donors.filter(
            (donor) => donor.gdpFallback || donor.populationFallback,
          ).length;
          return (
            <Stack gap="lg">
              <Headline
                label={t('burden.headline')}
                figure={data.figures.totalCommitted}
                value={format.money(data.totalCommittedMinor, data.basis.currency)}
                note={t('burden.headlineNote', { count: data.donors.length })}
              />
              <BurdenChart burden={data} />
              <TableSection
                title={t('burden.tableTitle')}
                description={
                  fallbacks > 0 ? t('burden.fallbackNote', { count: fallbacks }) : undefined
                }
              >
                <BurdenTable burden={data} />
              </TableSection>
            </Stack>
          );
        }}
      </QueryState>
    </AnalysisFrame>
  );
}

function BurdenChart({ burden }: { burden: BurdenSharing }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const navigate = useNavigate();
  const [options] = useAnalysisOptions();
  const [measure, setMeasure] = useState<BurdenMeasure>('committed');
  const measureLabel = useId();
  const currency = burden.basis.currency;
  const exponent = minorUnitOf(currency);

  // Donors with a figure for the measure, largest first (ties: by name).
  const ranked = useMemo(() => {
    return burden.donors
      .map((donor) => ({ donor, text: measureText(donor, measure, exponent) }))
      .filter((entry): entry is { donor: Donor; text: string } => entry.text !== null)
      .sort((a, b) => {
        const difference = decimalToChartNumber(b.text) - decimalToChartNumber(a.text);
        return difference !== 0
          ? difference
          : a.donor.names[format.language].localeCompare(b.donor.names[format.language]);
      });
  }, [burden.donors, measure, exponent, format.language]);
  const missing = burden.donors.length - ranked.length;

  const option = useMemo((): EChartsOption => {
    const names = ranked.map(({ donor }) => donor.names[format.language]);
    const money = measure === 'committed' || measure === 'perCapita';
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (params: unknown) => {
          const entry = ranked[(params as { dataIndex: number }).dataIndex];
          if (!entry) return '';
          return `${escapeHtml(entry.donor.names[format.language])}: <b>${escapeHtml(formatMeasure(entry.donor, measure, format, currency))}</b>`;
        },
      },
      xAxis: {
        type: 'value',
        splitNumber: 4,
        axisLabel: {
          color: INK,
          hideOverlap: true,
          formatter: (value: number) =>
            money
              ? compactTick(format.language, value, currency)
              : format.percent(String(value), 3),
        },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      yAxis: { type: 'category', inverse: true, data: names, axisLabel: { color: INK } },
      series: [
        {
          type: 'bar',
          data: ranked.map(({ text }) => decimalToChartNumber(text)),
          color: PALETTE[BURDEN_MEASURES.indexOf(measure)],
          cursor: 'pointer',
        },
      ],
    };
  }, [ranked, measure, format, currency]);

  const tableColumns = useMemo(
    (): ColumnDef<{ donor: Donor; text: string }, unknown>[] => [
      {
        id: 'donor',
        header: t('burden.donor'),
        accessorFn: ({ donor }) => donor.names[format.language],
      },
      {
        id: 'value',
        header: t(`burden.measures.${measure}`),
        accessorFn: ({ text }) => decimalToChartNumber(text),
        meta: { numeric: true },
        cell: ({ row }) => formatMeasure(row.original.donor, measure, format, currency),
      },
    ],
    [t, format, measure, currency],
  );

  return (
    <ChartCard
      testId="burden-chart-card"
      title={t('burden.chartTitle', { measure: t(`burden.measures.${measure}`) })}
      description={
        missing > 0
          ? `${t('burden.chartDescription')} ${t('burden.missing', { count: missing })}`
          : t('burden.chartDescription')
      }
      footer={
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600} id={measureLabel}>
            {t('burden.measureLabel')}
          </Text>
          <SegmentedControl
            size="xs"
            aria-labelledby={measureLabel}
            value={measure}
            onChange={(value) => setMeasure(value as BurdenMeasure)}
            data={BURDEN_MEASURES.map((value) => ({
              value,
              label: t(`burden.measures.${value}`),
            }))}
            data-testid="burden-measure"
          />
        </Group>
      }
      chart={
        <EChart
          option={option}
          label={t('burden.aria', {
            measure: t(`burden.measures.${measure}`),
            summary: ranked
              .slice(0, 5)
              .map(
                ({ donor }) =>
                  `${donor.names[format.language]} ${formatMeasure(donor, measure, format, currency)}`,
              )
              .join('; '),
          })}
          height={Math.max(240, ranked.length * 26 + 40)}
          onItemClick={({ dataIndex }) => {
            const entry = ranked[dataIndex];
            if (entry) void navigate(drillHref(entry.donor.figures.committed, options));
          }}
        />
      }
      table={
        <DataTable
          data={ranked}
          columns={tableColumns}
          caption={t('burden.chartTitle', { measure: t(`burden.measures.${measure}`) })}
          rowKey={({ donor }) => donor.partyId}
        />
      }
    />
  );
}

function BurdenTable({ burden }: { burden: BurdenSharing }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const currency = burden.basis.currency;
  const columns = useMemo(
    (): ColumnDef<Donor, unknown>[] => [
      {
        id: 'rank',
        header: t('burden.rank'),
        accessorFn: (donor) => donor.rankByCommitted,
        meta: { numeric: true },
      },
      {
        id: 'donor',
        header: t('burden.donor'),
        accessorFn: (donor) => donor.names[format.language],
      },
      {
        id: 'contributions',
        header: t('burden.contributions'),
        accessorFn: (donor) => donor.contributions,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.contributions),
      },
      {
        id: 'committed',
        header: t('burden.measures.committed'),
        accessorFn: (donor) => BigInt(donor.committedMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <FigureLink
            figure={row.original.figures.committed}
            label={`${t('burden.measures.committed')}, ${row.original.names[format.language]}`}
          >
            {format.money(row.original.committedMinor, currency)}
          </FigureLink>
        ),
      },
      {
        id: 'share',
        header: t('burden.measures.share'),
        accessorFn: (donor) => decimalToChartNumber(donor.shareOfTotal ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) => formatMeasure(row.original, 'share', format, currency),
      },
      {
        id: 'percentOfGdp',
        header: t('burden.measures.percentOfGdp'),
        accessorFn: (donor) => decimalToChartNumber(donor.percentOfGdp ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) => (
          <IndicatorCell
            value={formatMeasure(row.original, 'percentOfGdp', format, currency)}
            missing={row.original.percentOfGdp === null}
            missingText={t('burden.noGdp')}
            fallback={row.original.gdpFallback}
            fallbackText={t('burden.gdpFallback', { year: row.original.gdpYear })}
          />
        ),
      },
      {
        id: 'rankByPercentOfGdp',
        header: t('burden.rankByGdp'),
        accessorFn: (donor) => donor.rankByPercentOfGdp ?? Number.MAX_SAFE_INTEGER,
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.rankByPercentOfGdp === null
            ? '—'
            : format.integer(row.original.rankByPercentOfGdp),
      },
      {
        id: 'perCapita',
        header: t('burden.measures.perCapita'),
        accessorFn: (donor) => decimalToChartNumber(donor.perCapita ?? '-1'),
        meta: { numeric: true },
        cell: ({ row }) => (
          <IndicatorCell
            value={formatMeasure(row.original, 'perCapita', format, currency)}
            missing={row.original.perCapita === null}
            missingText={t('burden.noPopulation')}
            fallback={row.original.populationFallback}
            fallbackText={t('burden.populationFallback', {
              year: row.original.populationYear,
            })}
          />
        ),
      },
    ],
    [t, format, currency],
  );
  return (
    <DataTable
      data={burden.donors}
      columns={columns}
      caption={t('burden.tableTitle')}
      rowKey={(donor) => donor.partyId}
      testId="burden-table"
    />
  );
}

/** A ratio with, under it, the year of the indicator when an earlier one stood in. */
function IndicatorCell({
  value,
  missing,
  missingText,
  fallback,
  fallbackText,
}: {
  value: string;
  missing: boolean;
  missingText: string;
  fallback: boolean;
  fallbackText: string;
}) {
  if (missing) {
    return (
      <Text span size="sm" c="dimmed">
        {missingText}
      </Text>
    );
  }
  return (
    <Stack gap={0} align="flex-end">
      <span>{value}</span>
      {fallback ? (
        <Text span size="xs" c="dimmed" data-testid="gdp-fallback">
          {fallbackText}
        </Text>
      ) : null}
    </Stack>
  );
}
