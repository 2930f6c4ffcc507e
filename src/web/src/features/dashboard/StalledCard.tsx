/**
 * Stalled packages: those whose current stage has lasted longer than the threshold, longest wait
 * first — what each waits for (funding, the supplier's authorisation, a first dispatch, the rest
 * of its delivery), since when, and its funding gap.
 */
import { Card, Stack, Text, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeadTimes } from '../../api/analytics';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { FigureLink } from '../../ui/FigureLink';

type Stalled = LeadTimes['stalled'][number];

export function StalledCard({ leadTimes }: { leadTimes: LeadTimes }) {
  const { t } = useTranslation(['dashboard', 'common']);
  const format = useFormat();
  const headingId = useId();
  const currency = leadTimes.basis.currency;
  const stalled = leadTimes.stalled;

  const columns = useMemo(
    (): ColumnDef<Stalled, unknown>[] => [
      {
        id: 'package',
        header: t('stalled.package'),
        accessorFn: (item) => item.number,
        cell: ({ row }) => (
          <Stack gap={0}>
            <Text size="sm" fw={600}>
              {row.original.number}
            </Text>
            <Text size="xs" c="dimmed">
              {row.original.title}
            </Text>
          </Stack>
        ),
      },
      {
        id: 'status',
        header: t('stalled.status'),
        accessorFn: (item) => item.status,
        cell: ({ row }) => (
          <Text size="sm">{t(`common:packageStatus.${row.original.status}`)}</Text>
        ),
      },
      {
        id: 'waitingFor',
        header: t('stalled.waitingFor'),
        accessorFn: (item) => item.stage,
        cell: ({ row }) =>
          row.original.stage === 'delivery'
            ? t('stalled.waitingDelivery', {
                received: row.original.linesReceived,
                total: row.original.linesTotal,
              })
            : t(`stalled.waiting.${row.original.stage}`),
      },
      {
        id: 'since',
        header: t('stalled.since'),
        accessorFn: (item) => item.since,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.since),
      },
      {
        id: 'days',
        header: t('stalled.days'),
        accessorFn: (item) => item.days,
        meta: { numeric: true },
        cell: ({ row }) => format.integer(row.original.days),
      },
      {
        id: 'gap',
        header: t('stalled.gap'),
        accessorFn: (item) => BigInt(item.gapMinor),
        meta: { numeric: true },
        cell: ({ row }) => format.money(row.original.gapMinor, currency),
      },
    ],
    [t, format, currency],
  );

  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      component="section"
      aria-labelledby={headingId}
      data-testid="stalled-card"
    >
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h4" id={headingId}>
            {t('stalled.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('stalled.description', { days: leadTimes.stalledAfterDays })}
          </Text>
        </Stack>
        {stalled.length === 0 ? (
          <Text size="sm">{t('stalled.none')}</Text>
        ) : (
          <>
            <DataTable
              data={stalled}
              columns={columns}
              caption={t('stalled.title')}
              rowKey={(item) => item.packageId}
            />
            <Text size="sm">
              {t('stalled.total', { count: stalled.length })}{' '}
              <FigureLink figure={leadTimes.stalledFigure} label={t('stalled.title')}>
                {format.money(leadTimes.stalledValueMinor, currency)}
              </FigureLink>
            </Text>
          </>
        )}
      </Stack>
    </Card>
  );
}
