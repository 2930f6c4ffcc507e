/**
 * Allocating to an open package (coordinator): the committed contributions with something left
 * to allocate whose earmarks let them fund this package — both decided by the server
 * (`GET /contributions?available=true&eligibleFor=…`, the rule the allocation enforces), a page
 * at a time — each with its donor, currency, available balance and earmarks; for the one
 * chosen, an amount in its own currency and a value date, with the funding gap live — now, and
 * after this allocation (exact in the same currency; in another, an estimate at the ECB rate of
 * the value date, saying which rate, day and source). "Allocate the gap" fills the amount that
 * covers the gap when the balance allows.
 */
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import {
  useAllocatableContributions,
  useAllocate,
  useFxRate,
  type Contribution,
  type PackageDetail,
} from '../../api/packages';
import { Pager } from '../../ui/Pager';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { Money } from '../../ui/Money';
import { MoneyInput } from '../../ui/MoneyInput';
import { QueryState } from '../../ui/QueryState';
import { amountCovering, convertMinor } from './funding';
import { isIsoDay, todayIso } from '../../ui/days';
import { useAreaName } from './parts';
import { useNotify } from '../../ui/notify';

interface Candidate {
  contribution: Contribution;
}

export function AllocationPanel({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const areaName = useAreaName();
  // The cursors of the pages before the one shown (the first page has none), for this package:
  // another package starts again at its first page.
  const [paging, setPaging] = useState<{ packageId: string; cursors: string[] }>({
    packageId: pkg.id,
    cursors: [],
  });
  const cursors = paging.packageId === pkg.id ? paging.cursors : [];
  const contributions = useAllocatableContributions(pkg.id, cursors.at(-1));
  const [chosen, setChosen] = useState<string | null>(null);
  const pages = {
    pageNumber: cursors.length + 1,
    next: (cursor: string) => setPaging({ packageId: pkg.id, cursors: [...cursors, cursor] }),
    previous: () => setPaging({ packageId: pkg.id, cursors: cursors.slice(0, -1) }),
  };

  const columns = useMemo(
    (): ColumnDef<Candidate, unknown>[] => [
      {
        id: 'donor',
        header: t('allocate.donor'),
        accessorFn: (c) => format.party(c.contribution.donorPartyId),
      },
      { id: 'title', header: t('allocate.contribution'), accessorFn: (c) => c.contribution.title },
      {
        id: 'currency',
        header: t('allocate.currency'),
        accessorFn: (c) => c.contribution.currency,
      },
      {
        id: 'available',
        header: t('allocate.available'),
        accessorFn: (c) => BigInt(c.contribution.availableMinor),
        meta: { numeric: true },
        cell: ({ row }) => (
          <Money
            minor={row.original.contribution.availableMinor}
            currency={row.original.contribution.currency}
          />
        ),
      },
      {
        id: 'earmarks',
        header: t('allocate.earmarks'),
        enableSorting: false,
        cell: ({ row }) => {
          const { capabilityAreas, packageId } = row.original.contribution.earmarks;
          const parts = [
            ...capabilityAreas.map(areaName),
            ...(packageId ? [t('allocate.earmarkPackage', { id: packageId })] : []),
          ];
          return parts.length === 0 ? t('allocate.noEarmark') : format.list(parts);
        },
      },
      {
        id: 'choose',
        header: t('lines.actions'),
        enableSorting: false,
        cell: ({ row }) => {
          const id = row.original.contribution.id;
          return (
            <Button
              size="xs"
              variant={chosen === id ? 'filled' : 'light'}
              aria-pressed={chosen === id}
              aria-label={t('allocate.chooseContribution', {
                title: row.original.contribution.title,
              })}
              onClick={() => setChosen(id)}
            >
              {t('compose.choose')}
            </Button>
          );
        },
      },
    ],
    [t, format, areaName, chosen],
  );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="allocate-heading">
      <Stack gap="sm" data-testid="allocation-panel">
        <Title order={2} size="h4" id="allocate-heading">
          {t('allocate.heading')}
        </Title>
        <Text size="sm" data-testid="current-gap">
          {t('allocate.currentGap', { gap: format.money(pkg.gapMinor, pkg.currency) })}
        </Text>
        <QueryState query={contributions} height={160}>
          {(page) => {
            const candidates = page.items.map((contribution) => ({ contribution }));
            const selected = candidates.find((c) => c.contribution.id === chosen);
            return (
              <Stack gap="sm">
                {candidates.length === 0 ? (
                  <Text c="dimmed">{t('allocate.none')}</Text>
                ) : (
                  <DataTable
                    data={candidates}
                    columns={columns}
                    caption={t('allocate.caption')}
                    rowKey={(c) => c.contribution.id}
                    testId="contributions-table"
                  />
                )}
                {pages.pageNumber > 1 || page.nextCursor ? (
                  <Pager list={pages} nextCursor={page.nextCursor} shown={candidates.length} />
                ) : null}
                {selected ? (
                  <AllocationForm
                    key={selected.contribution.id}
                    pkg={pkg}
                    contribution={selected.contribution}
                    onDone={() => setChosen(null)}
                  />
                ) : null}
              </Stack>
            );
          }}
        </QueryState>
      </Stack>
    </Paper>
  );
}

const ALLOCATION_FIELDS = ['amountMinor', 'valueDate', 'contributionId'] as const;

function AllocationForm({
  pkg,
  contribution,
  onDone,
}: {
  pkg: PackageDetail;
  contribution: Contribution;
  onDone: () => void;
}) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const allocate = useAllocate();
  const [amountMinor, setAmountMinor] = useState<string | null>(null);
  // Remounts the money field when the amount is filled in for the user.
  const [amountKey, setAmountKey] = useState(0);
  const currency = contribution.currency;
  const same = currency === pkg.currency;
  // The value date proposed: today, or — when today has no ECB rate yet — the latest day that
  // has one (the server values every allocation at a day's rates).
  const today = todayIso();
  const todayRate = useFxRate(currency, pkg.currency, today);
  const todayLatest =
    isApiError(todayRate.error) && typeof todayRate.error.details.latestRateDate === 'string'
      ? todayRate.error.details.latestRateDate
      : undefined;
  const [typedDate, setValueDate] = useState<string | null>(null);
  const valueDate = typedDate ?? todayLatest ?? today;
  const dateValid = isIsoDay(valueDate);
  const rate = useFxRate(currency, pkg.currency, dateValid ? valueDate : undefined);
  const latestRateDate =
    isApiError(rate.error) && typeof rate.error.details.latestRateDate === 'string'
      ? rate.error.details.latestRateDate
      : undefined;
  const gap = BigInt(pkg.gapMinor);
  const available = BigInt(contribution.availableMinor);

  // The amount in the package currency: exact in the same currency, estimated otherwise.
  const inPackage =
    amountMinor === null
      ? null
      : same
        ? BigInt(amountMinor)
        : rate.data
          ? convertMinor(BigInt(amountMinor), rate.data)
          : null;
  // The server lets the last allocation overshoot the gap by less than one minor unit of the
  // contribution's currency (an exact fill is not always reachable): that is no overshoot.
  const amount = amountMinor === null ? 0n : BigInt(amountMinor);
  const oneUnit = inPackage !== null && amount > 0n ? (inPackage + amount - 1n) / amount : 1n;
  const rawGapAfter = inPackage === null ? null : gap - inPackage;
  const gapAfter =
    rawGapAfter !== null && rawGapAfter < 0n && -rawGapAfter < oneUnit ? 0n : rawGapAfter;

  const coverGap = () => {
    let amount: bigint;
    if (same) amount = gap;
    else if (rate.data) amount = amountCovering(gap, rate.data);
    else return;
    const capped = amount > available ? available : amount;
    setAmountMinor(capped.toString());
    setAmountKey((k) => k + 1);
  };

  const dateError = !dateValid
    ? t('allocate.dateFormat')
    : rate.isError
      ? latestRateDate
        ? t('allocate.noRateLatest', { date: format.day(latestRateDate) })
        : t('allocate.noRate')
      : undefined;
  const valid = amountMinor !== null && dateValid && !rate.isError;
  const aboveForm = formError(allocate.error, ALLOCATION_FIELDS);

  return (
    <form
      data-testid="allocation-form"
      aria-label={t('allocate.formLabel', { title: contribution.title })}
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid || amountMinor === null) return;
        allocate.mutate(
          { pkg, body: { contributionId: contribution.id, amountMinor, valueDate } },
          {
            onSuccess: (done) => {
              notify.success(
                t('allocate.done', {
                  amount: format.money(amountMinor, currency),
                  number: done.number,
                }),
              );
              onDone();
            },
          },
        );
      }}
    >
      <Stack gap="xs">
        <Text fw={600}>{t('allocate.from', { title: contribution.title })}</Text>
        {aboveForm ? (
          <Alert color="red" role="alert">
            {aboveForm}
          </Alert>
        ) : null}
        <Group align="flex-start" wrap="wrap">
          <MoneyInput
            key={amountKey}
            label={t('allocate.amount', { currency })}
            description={t('allocate.availableHint', {
              amount: format.money(contribution.availableMinor, currency),
            })}
            required
            currency={currency}
            valueMinor={amountMinor}
            onChangeMinor={setAmountMinor}
            error={fieldErrorOf(allocate.error, 'amountMinor', 'contributionId')}
            w={260}
            data-testid="allocation-amount"
          />
          <TextInput
            type="date"
            label={t('allocate.valueDate')}
            description={
              typedDate === null && todayLatest
                ? t('allocate.latestProposed', { date: format.day(todayLatest) })
                : undefined
            }
            required
            value={valueDate}
            onChange={(event) => setValueDate(event.currentTarget.value)}
            error={dateError ?? fieldErrorOf(allocate.error, 'valueDate')}
            w={200}
          />
          <Stack gap={4} pt={24}>
            <Button
              variant="light"
              onClick={coverGap}
              disabled={gap <= 0n || (!same && !rate.data)}
              data-testid="allocate-gap"
            >
              {t('allocate.fillGap')}
            </Button>
          </Stack>
        </Group>
        {latestRateDate ? (
          <Group gap="xs">
            <Button size="xs" variant="subtle" onClick={() => setValueDate(latestRateDate)}>
              {t('allocate.useLatestRate', { date: format.day(latestRateDate) })}
            </Button>
          </Group>
        ) : null}
        <GapPreview
          pkg={pkg}
          gap={gap}
          gapAfter={gapAfter}
          inPackage={inPackage}
          estimate={!same}
          rate={same ? undefined : rate.data}
        />
        <Group>
          <Button
            type="submit"
            data-testid="allocate"
            disabled={!valid || allocate.isPending}
            loading={allocate.isPending}
          >
            {t('allocate.submit')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('actions.cancelForm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function GapPreview({
  pkg,
  gap,
  gapAfter,
  inPackage,
  estimate,
  rate,
}: {
  pkg: PackageDetail;
  gap: bigint;
  gapAfter: bigint | null;
  inPackage: bigint | null;
  estimate: boolean;
  rate: { rate: string; rateDate: string; source: string; fellBack: boolean } | undefined;
}) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const money = (minor: bigint) => format.money(minor.toString(), pkg.currency);
  return (
    <Stack gap={2} aria-live="polite" data-testid="gap-preview">
      <Text size="sm">{t('allocate.gapNow', { gap: money(gap) })}</Text>
      {gapAfter !== null && inPackage !== null ? (
        <Text size="sm" fw={600} data-testid="gap-after">
          {gapAfter >= 0n
            ? t(estimate ? 'allocate.gapAfterEstimate' : 'allocate.gapAfter', {
                amount: money(inPackage),
                gap: money(gapAfter),
              })
            : t(estimate ? 'allocate.overGapEstimate' : 'allocate.overGap', {
                amount: money(inPackage),
                over: money(-gapAfter),
              })}
        </Text>
      ) : null}
      {rate ? (
        <Text size="xs" c="dimmed" data-testid="rate-note">
          {t(rate.fellBack ? 'allocate.rateNoteFellBack' : 'allocate.rateNote', {
            rate: format.decimal(rate.rate),
            date: format.day(rate.rateDate),
            source: rate.source,
          })}
        </Text>
      ) : null}
    </Stack>
  );
}
