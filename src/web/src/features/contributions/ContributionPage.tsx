/**
 * One contribution (`/contributions/:id`): its facts (donor, status, dates, earmarks, notes — an
 * internal note the reader may not see shows as redacted), its amounts, the payments received,
 * the commands the reader may use on it now, and where its money went (FlowSection).
 */
import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useId, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  useContribution,
  useContributionFlow,
  type ContributionDetail,
} from '../../api/contributions';
import { useCapabilityAreas } from '../../api/reference';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { Money, RedactedMark, isRedacted } from '../../ui/Money';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/QueryState';
import { ContributionActions } from './ContributionActions';
import { FlowSection } from './FlowSection';
import { ContributionStatusBadge } from './parts';

type Payment = ContributionDetail['payments'][number];

export default function ContributionPage() {
  const { t } = useTranslation(['contributions', 'common']);
  const { id } = useParams();
  const contribution = useContribution(id);
  const flow = useContributionFlow(id);
  const title = contribution.data?.title ?? t('detailTitle', { id: id ?? '' });
  return (
    <Stack gap="lg">
      <PageHeader
        title={title}
        description={
          contribution.data ? (
            <Group gap="xs" component="span">
              <ContributionStatusBadge status={contribution.data.status} />
              {contribution.data.synthetic ? (
                <Badge variant="default" radius="sm">
                  {t('common:synthetic')}
                </Badge>
              ) : null}
            </Group>
          ) : undefined
        }
      />
      <QueryState query={contribution} height={240}>
        {(c) => (
          <Stack gap="lg">
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <Facts contribution={c} />
              <Amounts contribution={c} />
            </SimpleGrid>
            <Payments contribution={c} />
            <ContributionActions contribution={c} />
          </Stack>
        )}
      </QueryState>
      <QueryState query={flow} height={300}>
        {(data) => <FlowSection flow={data} />}
      </QueryState>
    </Stack>
  );
}

function Section({
  title,
  testId,
  children,
}: {
  title: string;
  testId: string;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      component="section"
      aria-labelledby={headingId}
      data-testid={testId}
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function FactTable({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Table verticalSpacing={4} fz="sm">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th scope="row" w="40%" fw={600}>
              {label}
            </Table.Th>
            <Table.Td>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Facts({ contribution: c }: { contribution: ContributionDetail }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const areas = useCapabilityAreas();
  const none = t('facts.none');
  const areaName = (code: string) =>
    areas.data?.items.find((a) => a.code === code)?.names[format.language] ?? code;
  const earmarks =
    c.earmarks.packageId !== null ? (
      <Anchor component={Link} to={`/packages/${c.earmarks.packageId}`}>
        {t('facts.earmarkPackage', { id: c.earmarks.packageId })}
      </Anchor>
    ) : c.earmarks.capabilityAreas.length > 0 ? (
      format.list(c.earmarks.capabilityAreas.map(areaName))
    ) : (
      t('facts.noEarmarks')
    );
  const note = c.internalNote;
  return (
    <Section title={t('facts.title')} testId="contribution-facts">
      <FactTable
        rows={[
          [t('facts.donor'), `${format.party(c.donorPartyId)} (${c.donorPartyId})`],
          [t('facts.status'), <ContributionStatusBadge key="s" status={c.status} />],
          [t('facts.currency'), c.currency],
          [t('facts.announcedOn'), format.day(c.announcedOn)],
          [t('facts.committedOn'), c.committedOn ? format.day(c.committedOn) : none],
          [t('facts.earmarks'), earmarks],
          [t('facts.sourceNote'), c.sourceNote ?? none],
          [
            t('facts.internalNote'),
            isRedacted(note) ? (
              <span data-testid="internal-note">
                <RedactedMark />
              </span>
            ) : (
              <span data-testid="internal-note">{note ?? none}</span>
            ),
          ],
          ...(c.statusReason
            ? ([[t('facts.statusReason'), c.statusReason]] as [string, ReactNode][])
            : []),
          [t('facts.version'), format.integer(c.version)],
        ]}
      />
    </Section>
  );
}

function Amounts({ contribution: c }: { contribution: ContributionDetail }) {
  const { t } = useTranslation('contributions');
  const rows = (['pledged', 'committed', 'paid', 'allocated', 'available'] as const).map(
    (key): [string, ReactNode] => [
      t(`amounts.${key}`),
      <span key={key} data-amount={key}>
        <Money minor={c[`${key}Minor`]} currency={c.currency} />
      </span>,
    ],
  );
  return (
    <Section title={t('amounts.title')} testId="contribution-amounts">
      <FactTable rows={rows} />
      {c.status === 'pledged' ? (
        <Text size="sm" c="dimmed">
          {t('amounts.pledgeNote')}
        </Text>
      ) : null}
    </Section>
  );
}

function Payments({ contribution: c }: { contribution: ContributionDetail }) {
  const { t } = useTranslation('contributions');
  const format = useFormat();
  const columns = useMemo(
    (): ColumnDef<Payment, unknown>[] => [
      {
        id: 'paidOn',
        header: t('payments.paidOn'),
        accessorFn: (p) => p.paidOn,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.paidOn),
      },
      {
        id: 'amount',
        header: t('payments.amount'),
        accessorFn: (p) => BigInt(p.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.amountMinor} currency={c.currency} />,
      },
      {
        id: 'reference',
        header: t('payments.reference'),
        accessorFn: (p) => p.reference ?? '',
        cell: ({ row }) => row.original.reference ?? t('facts.none'),
      },
    ],
    [t, format, c.currency],
  );
  return (
    <Section title={t('payments.title')} testId="contribution-payments">
      {c.payments.length === 0 ? (
        <Text size="sm">{t('payments.none')}</Text>
      ) : (
        <DataTable
          data={c.payments}
          columns={columns}
          caption={t('payments.caption')}
          rowKey={(p) => p.id}
          testId="payments-table"
        />
      )}
    </Section>
  );
}
