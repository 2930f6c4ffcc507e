/**
 * The funding funnel: pledged → committed → paid → allocated → authorised → disbursed →
 * delivered value, as a chart (the dashboard's card) and in full; each stage per original
 * currency, without conversion; and the reconciliation of the stages the ledger holds with the
 * ledger's balances, per currency.
 */
import { Badge, Code, Group, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnalysisOptions } from '../../api/analysis-options';
import { useFunnel, type Funnel } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';
import { QueryState } from '../../ui/QueryState';
import { FunnelCard } from '../dashboard/FunnelCard';
import { AnalysisFrame } from './AnalysisFrame';
import { Headline } from './Headline';
import { TableSection } from './TableSection';

type Stage = Funnel['stages'][number];
type CurrencyRow = Stage['byCurrency'][number] & { stage: Stage['stage'] };
type ReconciliationLine = Funnel['reconciliation']['lines'][number];

export function FunnelAnalysis() {
  const { t } = useTranslation(['analysis', 'dashboard']);
  const format = useFormat();
  const [options] = useAnalysisOptions();
  const funnel = useFunnel(options);
  return (
    <AnalysisFrame name="funnel" basis={funnel.data?.basis}>
      <QueryState query={funnel} height={300}>
        {(data) => {
          const committed = data.stages.find((stage) => stage.stage === 'committed');
          return (
            <Stack gap="lg">
              {committed ? (
                <Headline
                  label={t('funnel.headline')}
                  figure={committed.figures.amount}
                  value={format.money(committed.amountMinor, data.basis.currency)}
                  note={t('funnel.headlineNote', { count: committed.records })}
                />
              ) : null}
              <FunnelCard funnel={data} />
              <StagesTable funnel={data} />
              <CurrencyTable funnel={data} />
              <ReconciliationTable funnel={data} />
            </Stack>
          );
        }}
      </QueryState>
    </AnalysisFrame>
  );
}

function StagesTable({ funnel }: { funnel: Funnel }) {
  const { t } = useTranslation(['analysis', 'dashboard']);
  const format = useFormat();
  const currency = funnel.basis.currency;
  const columns = useMemo(
    (): ColumnDef<Stage, unknown>[] => [
      {
        id: 'stage',
        header: t('funnel.stage'),
        accessorFn: (stage) => funnel.stages.indexOf(stage),
        cell: ({ row }) => (
          <Group gap="xs" wrap="nowrap">
            <Text size="sm">{t(`dashboard:stages.${row.original.stage}`)}</Text>
            {row.original.funding ? null : (
              <Badge variant="outline" color="gray" radius="sm" size="sm">
                {t('funnel.notFunding')}
              </Badge>
            )}
          </Group>
        ),
      },
      {
        id: 'amount',
        header: t('funnel.amount', { currency }),
        accessorFn: (stage) => BigInt(stage.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <FigureLink
            figure={row.original.figures.amount}
            label={t(`dashboard:stages.${row.original.stage}`)}
          >
            {format.money(row.original.amountMinor, currency)}
          </FigureLink>
        ),
      },
      {
        id: 'percent',
        header: t('funnel.percentOfCommitted'),
        accessorFn: (stage) => Number(stage.percentOfCommitted ?? -1),
        meta: { numeric: true },
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
        cell: ({ row }) => format.integer(row.original.records),
      },
      {
        id: 'currencies',
        header: t('funnel.originalCurrencies'),
        accessorFn: (stage) => stage.byCurrency.map((part) => part.currency).join(' '),
        enableSorting: false,
        cell: ({ row }) => format.list(row.original.byCurrency.map((part) => part.currency)),
      },
    ],
    [t, format, currency, funnel.stages],
  );
  return (
    <TableSection title={t('funnel.stagesTitle')} description={t('funnel.stagesDescription')}>
      <DataTable
        data={funnel.stages}
        columns={columns}
        caption={t('funnel.stagesTitle')}
        rowKey={(stage) => stage.stage}
        testId="funnel-table"
      />
    </TableSection>
  );
}

function CurrencyTable({ funnel }: { funnel: Funnel }) {
  const { t } = useTranslation(['analysis', 'dashboard']);
  const format = useFormat();
  const rows = useMemo(
    (): CurrencyRow[] =>
      funnel.stages.flatMap((stage) =>
        stage.byCurrency.map((part) => ({ ...part, stage: stage.stage })),
      ),
    [funnel.stages],
  );
  const order = useMemo(() => funnel.stages.map((stage) => stage.stage), [funnel.stages]);
  const columns = useMemo(
    (): ColumnDef<CurrencyRow, unknown>[] => [
      {
        id: 'stage',
        header: t('funnel.stage'),
        accessorFn: (row) => order.indexOf(row.stage),
        cell: ({ row }) => t(`dashboard:stages.${row.original.stage}`),
      },
      {
        id: 'currency',
        header: t('funnel.currency'),
        accessorFn: (row) => row.currency,
      },
      {
        id: 'amount',
        header: t('funnel.originalAmount'),
        accessorFn: (row) => BigInt(row.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <FigureLink
            figure={row.original.figure}
            label={`${t(`dashboard:stages.${row.original.stage}`)}, ${row.original.currency}`}
          >
            {format.money(row.original.amountMinor, row.original.currency)}
          </FigureLink>
        ),
      },
      {
        id: 'records',
        header: t('funnel.records'),
        accessorFn: (row) => row.records,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.records),
      },
    ],
    [t, format, order],
  );
  return (
    <TableSection
      title={t('funnel.byCurrencyTitle')}
      description={t('funnel.byCurrencyDescription')}
    >
      <DataTable
        data={rows}
        columns={columns}
        caption={t('funnel.byCurrencyTitle')}
        rowKey={(row) => `${row.stage}:${row.currency}`}
        testId="funnel-currency-table"
      />
    </TableSection>
  );
}

function ReconciliationTable({ funnel }: { funnel: Funnel }) {
  const { t } = useTranslation(['analysis', 'dashboard']);
  const format = useFormat();
  const { reconciliation } = funnel;
  const columns = useMemo(
    (): ColumnDef<ReconciliationLine, unknown>[] => [
      {
        id: 'stage',
        header: t('funnel.stage'),
        accessorFn: (line) => line.stage,
        cell: ({ row }) => t(`dashboard:stages.${row.original.stage}`),
      },
      { id: 'currency', header: t('funnel.currency'), accessorFn: (line) => line.currency },
      {
        id: 'analytics',
        header: t('funnel.analyticsAmount'),
        accessorFn: (line) => BigInt(line.analyticsMinor),
        meta: { numeric: true },
        cell: ({ row }) => format.money(row.original.analyticsMinor, row.original.currency),
      },
      {
        id: 'ledger',
        header: t('funnel.ledgerAmount'),
        accessorFn: (line) => BigInt(line.ledgerMinor),
        meta: { numeric: true },
        cell: ({ row }) => format.money(row.original.ledgerMinor, row.original.currency),
      },
      {
        id: 'matches',
        header: t('funnel.matches'),
        accessorFn: (line) => (line.matches ? 1 : 0),
        cell: ({ row }) => (
          <Text size="sm" fw={600}>
            {row.original.matches ? `✓ ${t('funnel.yes')}` : `✗ ${t('funnel.no')}`}
          </Text>
        ),
      },
      {
        id: 'accounts',
        header: t('funnel.ledgerAccounts'),
        accessorFn: (line) => line.ledgerAccounts,
        enableSorting: false,
        cell: ({ row }) => <Code>{row.original.ledgerAccounts}</Code>,
      },
    ],
    [t, format],
  );
  return (
    <TableSection
      title={t('funnel.reconciliationTitle')}
      description={t('funnel.reconciliationDescription')}
      testId="reconciliation-section"
    >
      <Text size="sm" fw={600} data-testid="reconciliation-status">
        {reconciliation.ok ? `✓ ${t('funnel.reconciled')}` : `✗ ${t('funnel.notReconciled')}`}
      </Text>
      <DataTable
        data={reconciliation.lines}
        columns={columns}
        caption={t('funnel.reconciliationTitle')}
        rowKey={(line) => `${line.stage}:${line.currency}`}
        testId="reconciliation-table"
      />
    </TableSection>
  );
}
