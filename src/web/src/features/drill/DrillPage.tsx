/**
 * The drill-down of a figure (`/analysis/drill?figure=KEY&currency=…`): the records it is made
 * of, each with its original amount and currency, the rate and rate date it was converted at,
 * and its amount in the reporting currency; their total is the figure. Records the reader may
 * not see in detail come as one "redacted" line standing for them (their amounts still count).
 */
import { Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { analysisSearchEntries, useAnalysisOptions } from '../../api/analysis-options';
import { useDrill, type DrillDown, type DrillRecord } from '../../api/analytics';
import { useCapabilityAreas } from '../../api/reference';
import { useFormat } from '../../i18n/format';
import { AnalysisControls } from '../../ui/AnalysisControls';
import { BasisNote } from '../../ui/BasisNote';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/QueryState';
import { describeFigure } from './figure-label';

export default function DrillPage() {
  const { t, i18n } = useTranslation(['drill', 'common']);
  const format = useFormat();
  const [search] = useSearchParams();
  const [options] = useAnalysisOptions();
  const figure = search.get('figure');
  const drill = useDrill(figure, options);
  const navigate = useNavigate();
  // Opened from a page of the app (not a shared link): "Back" returns there, basis included.
  const cameFromApp = useLocation().key !== 'default';
  const areas = useCapabilityAreas();

  const words = figure
    ? describeFigure(
        figure,
        t,
        (key) => i18n.exists(key),
        format,
        (code) => areas.data?.items.find((area) => area.code === code)?.names[format.language],
      )
    : undefined;
  const backSearch = new URLSearchParams(analysisSearchEntries(options)).toString();

  return (
    <Stack gap="lg">
      <PageHeader
        title={t('title')}
        description={
          words
            ? [words.analysis, words.measure, ...words.dimensions].filter(Boolean).join(' · ')
            : undefined
        }
        actions={
          <Anchor
            component={Link}
            to={backSearch ? `/?${backSearch}` : '/'}
            onClick={(event: React.MouseEvent) => {
              if (!cameFromApp) return;
              event.preventDefault();
              void navigate(-1);
            }}
          >
            {cameFromApp ? t('backToPrevious') : t('back')}
          </Anchor>
        }
      />
      {figure ? (
        <>
          <AnalysisControls />
          <QueryState query={drill} height={240}>
            {(data) => <DrillResult drill={data} />}
          </QueryState>
        </>
      ) : (
        <Text>{t('noFigure')}</Text>
      )}
    </Stack>
  );
}

function DrillResult({ drill }: { drill: DrillDown }) {
  const { t } = useTranslation(['drill', 'common']);
  const format = useFormat();
  const currency = drill.basis.currency;
  const records = drill.records;
  const count = records.reduce((sum, record) => sum + record.count, 0);
  const hasQuantity = records.some((record) => record.quantity !== null);
  const hasDays = records.some((record) => record.days !== null);
  const redacted = records.some((record) => record.kind === 'redacted');

  const columns = useMemo((): ColumnDef<DrillRecord, unknown>[] => {
    const list: ColumnDef<DrillRecord, unknown>[] = [
      {
        id: 'record',
        header: t('columns.record'),
        accessorFn: (record) => record.label,
        cell: ({ row }) =>
          row.original.kind === 'redacted' ? (
            <Group gap="xs" wrap="nowrap" data-testid="redacted-record">
              <Badge variant="outline" color="dark" radius="sm">
                {t('common:redacted')}
              </Badge>
              <Text size="sm">{t('redactedLine', { count: row.original.count })}</Text>
            </Group>
          ) : (
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                {t(`kinds.${row.original.kind}`)}
              </Text>
              <Text size="sm">{row.original.label}</Text>
            </Stack>
          ),
      },
      {
        id: 'date',
        header: t('columns.date'),
        accessorFn: (record) => record.date ?? '',
        meta: { nowrap: true },
        cell: ({ row }) => (row.original.date ? format.day(row.original.date) : '—'),
      },
      {
        id: 'party',
        header: t('columns.party'),
        accessorFn: (record) => record.partyId ?? '',
        cell: ({ row }) => (row.original.partyId ? format.party(row.original.partyId) : '—'),
      },
    ];
    if (hasQuantity) {
      list.push({
        id: 'quantity',
        header: t('columns.quantity'),
        accessorFn: (record) => record.quantity ?? -1,
        meta: { numeric: true },
        cell: ({ row }) =>
          row.original.quantity === null ? '—' : format.integer(row.original.quantity),
      });
    }
    if (hasDays) {
      list.push({
        id: 'days',
        header: t('columns.days'),
        accessorFn: (record) => record.days ?? -1,
        meta: { numeric: true },
        cell: ({ row }) => (row.original.days === null ? '—' : format.integer(row.original.days)),
      });
    }
    list.push(
      {
        id: 'original',
        header: t('columns.original'),
        accessorFn: (record) => BigInt(record.originalAmountMinor),
        meta: { numeric: true },
        cell: ({ row }) =>
          format.money(row.original.originalAmountMinor, row.original.originalCurrency),
      },
      {
        id: 'rate',
        header: t('columns.rate'),
        accessorFn: (record) => Number(record.rate),
        meta: { numeric: true },
        enableSorting: false,
        cell: ({ row }) => format.decimal(row.original.rate),
      },
      {
        id: 'rateDate',
        header: t('columns.rateDate'),
        accessorFn: (record) => record.rateDate ?? '',
        meta: { nowrap: true },
        cell: ({ row }) => (row.original.rateDate ? format.day(row.original.rateDate) : '—'),
      },
      {
        id: 'amount',
        header: t('columns.amount', { currency }),
        accessorFn: (record) => BigInt(record.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => format.money(row.original.amountMinor, currency),
      },
    );
    return list;
  }, [t, format, currency, hasQuantity, hasDays]);

  return (
    <Stack gap="sm">
      <BasisNote basis={drill.basis} />
      <Text fw={700} size="lg" data-testid="drill-total">
        {t('total', { amount: format.money(drill.totalMinor, currency), count })}
      </Text>
      {drill.truncated ? (
        <Text size="sm" c="dimmed">
          {t('truncated')}
        </Text>
      ) : null}
      {redacted ? (
        <Text size="sm" c="dimmed">
          {t('redactedNote')}
        </Text>
      ) : null}
      <DataTable
        data={records}
        columns={columns}
        caption={t('caption')}
        rowKey={(record, index) => `${record.kind}:${record.id}:${index}`}
        testId="drill-table"
        footer={
          <Table.Tr>
            <Table.Th scope="row" colSpan={columns.length - 1}>
              {t('columns.total')}
            </Table.Th>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums', fontWeight: 700 }}>
              {format.money(drill.totalMinor, currency)}
            </Table.Td>
          </Table.Tr>
        }
      />
    </Stack>
  );
}
