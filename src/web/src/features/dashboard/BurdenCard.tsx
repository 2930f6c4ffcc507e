/**
 * Burden sharing: committed per donor, ranked (bars), with each donor's share of the total, its
 * commitment as a percentage of its GDP (or why there is none) and per person.
 */
import { Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { drillHref, useAnalysisOptions } from '../../api/analysis-options';
import type { BurdenSharing } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { decimalToChartNumber, minorToDecimal, minorUnitOf } from '../../i18n/money';
import { ChartCard } from '../../ui/ChartCard';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { EChart } from '../../ui/charts/EChart';
import { compactTick, escapeHtml } from '../../ui/charts/chart-format';
import { GRID_LINE, INK, PALETTE } from '../../ui/charts/echarts';

type Donor = BurdenSharing['donors'][number];

export function BurdenCard({ burden }: { burden: BurdenSharing }) {
  const { t } = useTranslation('dashboard');
  const format = useFormat();
  const navigate = useNavigate();
  const [options] = useAnalysisOptions();
  const currency = burden.basis.currency;
  const exponent = minorUnitOf(currency);
  const donors = useMemo(
    () => [...burden.donors].sort((a, b) => a.rankByCommitted - b.rankByCommitted),
    [burden.donors],
  );
  const nameOf = (donor: Donor) => donor.names[format.language];

  const option = useMemo((): EChartsOption => {
    const names = donors.map((donor) => donor.names[format.language]);
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (params: unknown) => {
          const donor = donors[(params as { dataIndex: number }).dataIndex];
          if (!donor) return '';
          const share =
            donor.shareOfTotal === null ? '' : ` (${format.percent(donor.shareOfTotal)})`;
          return `${escapeHtml(names[donors.indexOf(donor)] ?? '')}: <b>${escapeHtml(format.money(donor.committedMinor, currency))}</b>${escapeHtml(share)}`;
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
      yAxis: { type: 'category', inverse: true, data: names, axisLabel: { color: INK } },
      series: [
        {
          type: 'bar',
          data: donors.map((donor) =>
            decimalToChartNumber(minorToDecimal(donor.committedMinor, exponent)),
          ),
          color: PALETTE[0],
          cursor: 'pointer',
        },
      ],
    };
  }, [donors, format, currency, exponent]);

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
        id: 'committed',
        header: t('burden.committed'),
        accessorFn: (donor) => BigInt(donor.committedMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <FigureLink
            figure={row.original.figures.committed}
            label={`${t('burden.committed')}, ${row.original.names[format.language]}`}
          >
            {format.money(row.original.committedMinor, currency)}
          </FigureLink>
        ),
      },
      {
        id: 'share',
        header: t('burden.share'),
        accessorFn: (donor) => Number(donor.shareOfTotal ?? -1),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.shareOfTotal === null ? '—' : format.percent(row.original.shareOfTotal),
      },
      {
        id: 'gdp',
        header: t('burden.percentOfGdp'),
        accessorFn: (donor) => Number(donor.percentOfGdp ?? -1),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.percentOfGdp === null ? (
            <Text span size="sm" c="dimmed">
              {t('burden.noGdp')}
            </Text>
          ) : (
            `${format.decimal(row.original.percentOfGdp, 4)}${row.original.gdpFallback ? ` (${t('burden.gdpYear', { year: row.original.gdpYear })})` : ''}`
          ),
      },
      {
        id: 'perCapita',
        header: t('burden.perCapita'),
        accessorFn: (donor) => Number(donor.perCapita ?? -1),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.perCapita === null ? (
            <Text span size="sm" c="dimmed">
              {t('burden.noPopulation')}
            </Text>
          ) : (
            format.moneyDecimal(row.original.perCapita, currency)
          ),
      },
    ],
    [t, format, currency],
  );

  return (
    <ChartCard
      testId="burden-card"
      title={t('burden.title')}
      description={t('burden.description', {
        total: format.money(burden.totalCommittedMinor, currency, { compact: true }),
      })}
      chart={
        <EChart
          option={option}
          label={t('burden.aria', {
            summary: donors
              .slice(0, 5)
              .map(
                (donor) =>
                  `${nameOf(donor)} ${format.money(donor.committedMinor, currency, { compact: true })}`,
              )
              .join('; '),
          })}
          height={Math.max(240, donors.length * 26 + 40)}
          onItemClick={({ dataIndex }) => {
            const donor = donors[dataIndex];
            if (donor) void navigate(drillHref(donor.figures.committed, options));
          }}
        />
      }
      table={
        <DataTable
          data={donors}
          columns={columns}
          caption={t('burden.title')}
          rowKey={(donor) => donor.partyId}
        />
      }
    />
  );
}
