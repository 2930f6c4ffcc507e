/**
 * The proposal: per proposed package a card — its kind (joint, themed by an earmark's areas, or
 * one donor's own), its value against the target range (flagged when below it), its lines and
 * the allocations that fund it (each in its contribution's currency, its US value and the rate
 * and day it was valued at) — then the money per currency (available, planned, left) and the
 * solver's verdict.
 */
import { Anchor, Badge, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type {
  FundUse,
  PlannedAllocation,
  PlannedLine,
  PlannedPackage,
  PlanResult,
  ScenarioPlan,
} from '../../api/plans';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { Money } from '../../ui/Money';
import { useAreaName } from '../packages/parts';
import { itemCounts } from './plan-request';
import { SolverLine, useItemName, usePackageKind } from './parts';

const USD = 'USD';

export function ProposalSection({ result, plan }: { result: PlanResult; plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const headingId = useId();
  const counts = itemCounts(plan);
  return (
    <Stack gap="md" component="section" aria-labelledby={headingId} data-testid="proposal">
      <Title order={2} size="h3" id={headingId}>
        {t('proposal.heading')}
      </Title>
      <Text size="sm" c="dimmed" data-testid="plan-basis">
        {t('proposal.basis', {
          list: result.list.title,
          cycle: format.month(result.list.cycle),
          date: format.day(result.asOf),
          items: format.integer(result.itemsConsidered),
          funds: format.integer(result.fundsConsidered),
        })}
        {result.fundsLeftOut > 0
          ? ` ${t('proposal.fundsLeftOut', { count: result.fundsLeftOut })}`
          : ''}
      </Text>
      <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="plan-figures">
        <Figure label={t('figures.planned')} value={format.money(plan.plannedValueMinor, USD)} />
        <Figure label={t('figures.packages')} value={format.integer(plan.packages.length)} />
        <Figure
          label={t('figures.itemsFunded')}
          value={t('figures.itemsFundedValue', {
            funded: format.integer(counts.funded),
            partly: format.integer(counts.partly),
          })}
        />
        <Figure
          label={t('figures.itemsOut')}
          value={format.integer(counts.not)}
          note={t('figures.ofItems', { count: plan.items.length })}
        />
      </SimpleGrid>
      <SolverLine plan={plan} />
      {plan.packages.length === 0 ? (
        <Paper withBorder p="md" data-testid="no-package">
          <Text>{t('proposal.none')}</Text>
        </Paper>
      ) : (
        plan.packages.map((pkg, index) => (
          <PackageCard
            key={pkg.slot}
            pkg={pkg}
            index={index}
            count={plan.packages.length}
            plan={plan}
          />
        ))
      )}
      <CurrencyTotals plan={plan} />
    </Stack>
  );
}

export function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="sm" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      {note ? (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      ) : null}
    </Paper>
  );
}

function PackageCard({
  pkg,
  index,
  count,
  plan,
}: {
  pkg: PlannedPackage;
  index: number;
  count: number;
  plan: ScenarioPlan;
}) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const kindOf = usePackageKind();
  const headingId = useId();
  const money = (minor: string) => format.money(minor, USD);
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="article"
      aria-labelledby={headingId}
      data-testid="package-card"
      data-kind={pkg.kind}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={2}>
            <Title order={3} size="h4" id={headingId}>
              {t('proposal.packageTitle', { number: index + 1, count })}
            </Title>
            <Text fw={600} data-testid="package-kind">
              {kindOf(pkg)}
            </Text>
          </Stack>
          {pkg.belowRange ? (
            <Badge color="red.9" variant="filled" data-testid="below-range">
              {t('proposal.belowRange')}
            </Badge>
          ) : (
            <Badge color="teal.9" variant="filled" data-testid="in-range">
              {t('proposal.inRange')}
            </Badge>
          )}
        </Group>
        <Text size="sm" data-testid="package-value">
          {t('proposal.value', {
            value: money(pkg.valueMinor),
            target: money(plan.options.targetMinor),
            lower: money(pkg.lowerMinor),
            upper: money(pkg.upperMinor),
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {BigInt(pkg.roundingMinor) > 0n
            ? t('proposal.fundedRounding', {
                funded: money(pkg.fundedMinor),
                rounding: money(pkg.roundingMinor),
              })
            : t('proposal.funded', { funded: money(pkg.fundedMinor) })}
        </Text>
        <Title order={4} size="h5">
          {t('lines.heading')}
        </Title>
        <LinesTable pkg={pkg} plan={plan} />
        <Title order={4} size="h5">
          {t('allocations.heading')}
        </Title>
        <AllocationsTable pkg={pkg} plan={plan} />
      </Stack>
    </Card>
  );
}

function LinesTable({ pkg, plan }: { pkg: PlannedPackage; plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const areaName = useAreaName();
  const itemName = useItemName(plan);
  const items = plan.items;
  const columns = useMemo((): ColumnDef<PlannedLine, unknown>[] => {
    const unitOf = (line: PlannedLine) =>
      items.find((i) => i.requirementItemId === line.requirementItemId)?.unit ?? '';
    return [
      {
        id: 'rank',
        header: t('lines.rank'),
        accessorFn: (l) => l.priorityRank,
        meta: { numeric: true },
      },
      {
        id: 'item',
        header: t('lines.item'),
        accessorFn: (l) => itemName(l.requirementItemId),
        cell: ({ row }) => itemName(row.original.requirementItemId),
      },
      {
        id: 'area',
        header: t('lines.area'),
        accessorFn: (l) => areaName(l.capabilityArea),
        cell: ({ row }) => areaName(row.original.capabilityArea),
      },
      {
        id: 'quantity',
        header: t('lines.quantity'),
        accessorFn: (l) => l.quantity,
        meta: { numeric: true },
        cell: ({ row }) => `${format.integer(row.original.quantity)} ${unitOf(row.original)}`,
      },
      {
        id: 'unitCost',
        header: t('lines.unitCost'),
        accessorFn: (l) => BigInt(l.unitCostMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.unitCostMinor} currency={USD} />,
      },
      {
        id: 'value',
        header: t('lines.value'),
        accessorFn: (l) => BigInt(l.valueMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.valueMinor} currency={USD} />,
      },
    ];
  }, [t, format, areaName, itemName, items]);
  return (
    <DataTable
      data={pkg.lines}
      columns={columns}
      caption={t('lines.caption')}
      rowKey={(l) => l.requirementItemId}
      testId="plan-lines-table"
    />
  );
}

function AllocationsTable({ pkg, plan }: { pkg: PlannedPackage; plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const fundOf = useMemo(() => new Map(plan.funds.map((f) => [f.fundKey, f])), [plan.funds]);
  const columns = useMemo((): ColumnDef<PlannedAllocation, unknown>[] => {
    const rateText = (fund: FundUse | undefined) =>
      fund
        ? t('allocations.rateValue', {
            rate: format.decimal(fund.rate.rate),
            date: format.day(fund.rate.rateDate),
          })
        : '—';
    return [
      {
        id: 'donor',
        header: t('allocations.donor'),
        accessorFn: (a) => format.party(a.donorPartyId),
        cell: ({ row }) => format.party(row.original.donorPartyId),
      },
      {
        id: 'contribution',
        header: t('allocations.contribution'),
        accessorFn: (a) => a.contributionId ?? a.fundKey,
        cell: ({ row }) =>
          row.original.contributionId === null ? (
            <Text span size="sm" fs="italic">
              {t('allocations.hypothetical')}
            </Text>
          ) : (
            <Anchor
              component={Link}
              to={`/contributions/${row.original.contributionId}`}
              size="sm"
              aria-label={t('allocations.contributionLink', {
                id: row.original.contributionId,
                donor: format.party(row.original.donorPartyId),
              })}
            >
              {t('allocations.contributionNumber', { id: row.original.contributionId })}
            </Anchor>
          ),
      },
      {
        id: 'amount',
        header: t('allocations.amount'),
        accessorFn: (a) => BigInt(a.amountMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money minor={row.original.amountMinor} currency={row.original.currency} />
        ),
      },
      {
        id: 'usd',
        header: t('allocations.usd'),
        accessorFn: (a) => BigInt(a.usdMinor),
        meta: { numeric: true },
        cell: ({ row }) => <Money minor={row.original.usdMinor} currency={USD} />,
      },
      {
        id: 'rate',
        header: t('allocations.rate'),
        enableSorting: false,
        meta: { nowrap: true },
        cell: ({ row }) => rateText(fundOf.get(row.original.fundKey)),
      },
    ];
  }, [t, format, fundOf]);
  return (
    <DataTable
      data={pkg.allocations}
      columns={columns}
      caption={t('allocations.caption')}
      rowKey={(a) => a.fundKey}
      testId="plan-allocations-table"
    />
  );
}

type CurrencyRow = ScenarioPlan['currencies'][number];

function CurrencyTotals({ plan }: { plan: ScenarioPlan }) {
  const { t } = useTranslation('planner');
  const headingId = useId();
  const columns = useMemo(
    (): ColumnDef<CurrencyRow, unknown>[] => [
      { id: 'currency', header: t('currencies.currency'), accessorFn: (c) => c.currency },
      ...(['available', 'planned', 'left'] as const).map(
        (measure): ColumnDef<CurrencyRow, unknown> => ({
          id: measure,
          header: t(`currencies.${measure}`),
          accessorFn: (c) => BigInt(c[`${measure}Minor`]),
          meta: { numeric: true },
          cell: ({ row }) => (
            <Money minor={row.original[`${measure}Minor`]} currency={row.original.currency} />
          ),
        }),
      ),
    ],
    [t],
  );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <Title order={3} size="h4" id={headingId}>
          {t('currencies.heading')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('currencies.description')}
        </Text>
        <DataTable
          data={plan.currencies}
          columns={columns}
          caption={t('currencies.heading')}
          rowKey={(c) => c.currency}
          testId="plan-currencies-table"
        />
      </Stack>
    </Paper>
  );
}
