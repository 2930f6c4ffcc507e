/**
 * Coverage: per cycle (of the requirement list) and capability area, requested, approved,
 * packaged, funded and delivered value, and the share funded (funded / approved) — as the
 * dashboard's heatmap and in full, with the totals.
 */
import { Stack, Table } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnalysisOptions } from '../../api/analysis-options';
import { useCoverage, type Coverage } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { QueryState } from '../../ui/QueryState';
import { CoverageCard } from '../dashboard/CoverageCard';
import { AnalysisFrame } from './AnalysisFrame';
import { Headline } from './Headline';
import { TableSection } from './TableSection';

type Row = Coverage['rows'][number];
const MEASURES = ['requested', 'approved', 'packaged', 'funded', 'delivered'] as const;
type Measure = (typeof MEASURES)[number];

export function CoverageAnalysis() {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const [options] = useAnalysisOptions();
  const coverage = useCoverage(options);
  return (
    <AnalysisFrame name="coverage" basis={coverage.data?.basis}>
      <QueryState query={coverage} height={300}>
        {(data) => (
          <Stack gap="lg">
            <Headline
              label={t('coverage.headline')}
              figure={data.totals.figures.funded}
              value={format.money(data.totals.fundedMinor, data.basis.currency)}
              note={
                data.totals.percentFunded === null
                  ? t('coverage.headlineNoApproved')
                  : t('coverage.headlineNote', {
                      percent: format.percent(data.totals.percentFunded),
                      approved: format.money(data.totals.approvedMinor, data.basis.currency),
                    })
              }
            />
            <CoverageCard coverage={data} />
            <CoverageTable coverage={data} />
          </Stack>
        )}
      </QueryState>
    </AnalysisFrame>
  );
}

function CoverageTable({ coverage }: { coverage: Coverage }) {
  const { t } = useTranslation('analysis');
  const format = useFormat();
  const currency = coverage.basis.currency;
  const columns = useMemo((): ColumnDef<Row, unknown>[] => {
    const money = (measure: Measure): ColumnDef<Row, unknown> => ({
      id: measure,
      header: t(`coverage.measures.${measure}`),
      accessorFn: (row) => BigInt(row[`${measure}Minor`]),
      meta: { numeric: true },
      cell: ({ row }) => (
        <FigureLink
          figure={row.original.figures[measure]}
          label={`${t(`coverage.measures.${measure}`)}, ${row.original.areaNames[format.language]}, ${format.month(row.original.cycle)}`}
        >
          {format.money(row.original[`${measure}Minor`], currency)}
        </FigureLink>
      ),
    });
    return [
      {
        id: 'cycle',
        header: t('coverage.cycle'),
        accessorFn: (row) => row.cycle,
        meta: { nowrap: true },
        cell: ({ row }) => format.month(row.original.cycle),
      },
      {
        id: 'area',
        header: t('coverage.area'),
        accessorFn: (row) => row.areaNames[format.language],
      },
      ...MEASURES.map(money),
      {
        id: 'percentFunded',
        header: t('coverage.percentFunded'),
        accessorFn: (row) => Number(row.percentFunded ?? -1),
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.percentFunded === null ? '—' : format.percent(row.original.percentFunded),
      },
    ];
  }, [t, format, currency]);

  const { totals } = coverage;
  return (
    <TableSection title={t('coverage.tableTitle')} description={t('coverage.tableDescription')}>
      <DataTable
        data={coverage.rows}
        columns={columns}
        caption={t('coverage.tableTitle')}
        rowKey={(row) => `${row.cycle}:${row.capabilityArea}`}
        testId="coverage-table"
        footer={
          <Table.Tr>
            <Table.Th scope="row" colSpan={2}>
              {t('coverage.total')}
            </Table.Th>
            {MEASURES.map((measure) => (
              <Table.Td
                key={measure}
                ta="right"
                style={{
                  fontVariantNumeric: 'tabular-nums',
                  whiteSpace: 'nowrap',
                  fontWeight: 700,
                }}
              >
                <FigureLink
                  figure={totals.figures[measure]}
                  label={`${t(`coverage.measures.${measure}`)}, ${t('coverage.total')}`}
                >
                  {format.money(totals[`${measure}Minor`], currency)}
                </FigureLink>
              </Table.Td>
            ))}
            <Table.Td ta="right" style={{ fontWeight: 700 }}>
              {totals.percentFunded === null ? '—' : format.percent(totals.percentFunded)}
            </Table.Td>
          </Table.Tr>
        }
      />
    </TableSection>
  );
}
