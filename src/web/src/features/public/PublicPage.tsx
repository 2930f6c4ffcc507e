/**
 * The public transparency page (`/public`, no sign-in): the figures a coordinator last
 * published — funded, disbursed and delivered value, packages by status, committed per donor in
 * each contribution's currency (pledges excluded) — with the day they were published and the
 * snapshot's fingerprint (SHA-256), so a reader can quote exactly what they saw.
 */
import {
  Alert,
  Badge,
  Card,
  Code,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePublicSummary, type PublicSummary } from '../../api/public';
import { isApiError } from '../../api/errors';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorState, LoadingState } from '../../ui/QueryState';

type Figures = PublicSummary['figures'];
type PackageStatus = keyof Figures['packagesByStatus'];

/** In the order a package goes through them. */
const PACKAGE_STATUSES = [
  'draft',
  'open',
  'funded',
  'authorized',
  'in_delivery',
  'delivered',
  'closed',
  'cancelled',
] as const satisfies readonly PackageStatus[];
type DonorRow = Figures['committedByDonor'][number];

export default function PublicPage() {
  const { t } = useTranslation('public');
  const summary = usePublicSummary();
  return (
    <Stack gap="lg">
      <PageHeader title={t('title')} description={t('intro')} />
      {summary.data ? (
        <PublishedFigures summary={summary.data} />
      ) : summary.isError && isApiError(summary.error) && summary.error.status === 404 ? (
        <Alert color="gray" variant="light" title={t('noneTitle')}>
          {t('none')}
        </Alert>
      ) : summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <LoadingState height={200} />
      )}
    </Stack>
  );
}

function PublishedFigures({ summary }: { summary: PublicSummary }) {
  const { t } = useTranslation('public');
  const format = useFormat();
  const { figures } = summary;
  const tiles = [
    { key: 'funded', label: t('funded'), amount: figures.funded },
    { key: 'disbursed', label: t('disbursed'), amount: figures.disbursed },
    { key: 'delivered', label: t('delivered'), amount: figures.deliveredValue },
  ];
  return (
    <Stack gap="lg">
      <Group gap="sm">
        <Text data-testid="published-at">
          {t('publishedAt', { date: format.dateTime(summary.publishedAt) })}
        </Text>
        {figures.includesSyntheticData ? (
          <Badge variant="outline" color="dark" radius="sm">
            {t('synthetic')}
          </Badge>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" data-testid="public-tiles">
        {tiles.map((tile) => (
          <Paper key={tile.key} withBorder p="md" radius="md">
            <Text size="sm" c="dimmed" fw={600}>
              {tile.label}
            </Text>
            <Text size="xl" fw={700}>
              {format.money(tile.amount.amountMinor, tile.amount.currency, { compact: true })}
            </Text>
            <Text size="xs" c="dimmed">
              {format.money(tile.amount.amountMinor, tile.amount.currency)}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder radius="md">
            <PackagesByStatus figures={figures} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card withBorder radius="md">
            <DonorTable figures={figures} />
          </Card>
        </Grid.Col>
      </Grid>
      <Text size="xs" c="dimmed">
        {t('fingerprint')} <Code>{summary.hash}</Code>
      </Text>
    </Stack>
  );
}

function PackagesByStatus({ figures }: { figures: Figures }) {
  const { t } = useTranslation(['public', 'common']);
  const format = useFormat();
  const entries = PACKAGE_STATUSES.map(
    (status) => [status, figures.packagesByStatus[status] ?? 0] as const,
  );
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('packages', { count: figures.packageCount })}
      </Title>
      <dl style={{ margin: 0 }}>
        {entries
          .filter(([, count]) => count > 0)
          .map(([status, count]) => (
            <Group key={status} justify="space-between" component="div">
              <Text component="dt" size="sm">
                {t(`common:packageStatus.${status}`)}
              </Text>
              <Text component="dd" size="sm" fw={600} m={0}>
                {format.integer(count)}
              </Text>
            </Group>
          ))}
      </dl>
    </Stack>
  );
}

function DonorTable({ figures }: { figures: Figures }) {
  const { t } = useTranslation('public');
  const format = useFormat();
  const columns = useMemo(
    (): ColumnDef<DonorRow, unknown>[] => [
      {
        id: 'donor',
        header: t('donor'),
        accessorFn: (row) => format.party(row.partyId),
      },
      {
        id: 'committed',
        header: t('committed'),
        accessorFn: (row) => BigInt(row.committed.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) =>
          format.money(row.original.committed.amountMinor, row.original.committed.currency),
      },
      {
        id: 'currency',
        header: t('currency'),
        accessorFn: (row) => row.committed.currency,
      },
      {
        id: 'contributions',
        header: t('contributions'),
        accessorFn: (row) => row.contributions,
        meta: { numeric: true },
      },
    ],
    [t, format],
  );
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('byDonor')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('byDonorNote')}
      </Text>
      <DataTable
        data={figures.committedByDonor}
        columns={columns}
        caption={t('byDonor')}
        rowKey={(row) => `${row.partyId}:${row.committed.currency}`}
        testId="public-donors"
      />
    </Stack>
  );
}
