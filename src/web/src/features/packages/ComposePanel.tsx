/**
 * Composing a draft package (coordinator): the approved items of approved requirement lists
 * not yet (fully) packaged, filtered by capability area; one is chosen, its quantity (at most
 * what remains of the approved quantity) and unit price (the estimate by default) set, and it
 * becomes a line. A line can be removed; once priced, the package opens for funding.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useAddPackageLine,
  useApprovedItems,
  useOpenPackage,
  useRemovePackageLine,
  type ApprovedItem,
  type PackageDetail,
  type PackageLine,
} from '../../api/packages';
import { useCapabilityAreas } from '../../api/reference';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { Money, isRedacted } from '../../ui/Money';
import { MoneyInput } from '../../ui/MoneyInput';
import { QueryState } from '../../ui/QueryState';
import { useAreaName } from './parts';
import { lineQuantityProblem } from './line-quantity';
import { useNotify } from '../../ui/notify';

export function ComposePanel({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const notify = useNotify();
  const formError = useFormError();
  const open = useOpenPackage();
  const openError = formError(open.error);
  return (
    <Stack gap="md">
      <AddItemsPanel pkg={pkg} />
      <Paper withBorder p="md" component="section" aria-labelledby="open-heading">
        <Stack gap="xs">
          <Title order={2} size="h4" id="open-heading">
            {t('compose.openHeading')}
          </Title>
          <Text size="sm">{t('compose.openHint')}</Text>
          {openError ? (
            <Alert color="red" role="alert">
              {openError}
            </Alert>
          ) : null}
          <Group>
            <Button
              data-testid="open-package"
              disabled={pkg.lines.length === 0 || open.isPending}
              loading={open.isPending}
              onClick={() =>
                open.mutate(
                  { pkg },
                  {
                    onSuccess: (done) =>
                      notify.success(t('compose.opened', { number: done.number })),
                  },
                )
              }
            >
              {t('compose.open')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

function AddItemsPanel({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const areaName = useAreaName();
  const areas = useCapabilityAreas();
  const items = useApprovedItems(true);
  const [area, setArea] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);

  const columns = useMemo(
    (): ColumnDef<ApprovedItem, unknown>[] => [
      {
        id: 'cycle',
        header: t('compose.listCycle'),
        accessorFn: (row) => row.list.cycle,
        meta: { nowrap: true },
        cell: ({ row }) => format.month(row.original.list.cycle),
      },
      {
        id: 'priority',
        header: t('compose.priority'),
        accessorFn: (row) => row.item.priorityRank,
        meta: { numeric: true },
      },
      {
        id: 'area',
        header: t('lines.area'),
        accessorFn: (row) => row.item.capabilityArea,
        cell: ({ row }) => areaName(row.original.item.capabilityArea),
      },
      { id: 'category', header: t('lines.category'), accessorFn: (row) => row.item.category },
      {
        id: 'remaining',
        header: t('compose.remaining'),
        accessorFn: (row) => row.remainingQuantity,
        meta: { numeric: true },
        cell: ({ row }) =>
          `${format.integer(row.original.remainingQuantity)} ${row.original.item.unit}`,
      },
      {
        id: 'estimate',
        header: t('compose.estimate'),
        enableSorting: false,
        meta: { numeric: true },
        cell: ({ row }) => {
          const cost = row.original.item.estimatedUnitCost;
          return isRedacted(cost) ? (
            <Money minor={cost} currency="USD" />
          ) : (
            <Money minor={cost.amountMinor} currency={cost.currency} />
          );
        },
      },
      {
        id: 'choose',
        header: t('lines.actions'),
        enableSorting: false,
        cell: ({ row }) => (
          <Button
            size="xs"
            variant={chosen === row.original.item.id ? 'filled' : 'light'}
            aria-pressed={chosen === row.original.item.id}
            aria-label={t('compose.chooseItem', {
              category: row.original.item.category,
              cycle: format.month(row.original.list.cycle),
            })}
            onClick={() => setChosen(row.original.item.id)}
          >
            {t('compose.choose')}
          </Button>
        ),
      },
    ],
    [t, format, areaName, chosen],
  );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="add-items-heading">
      <Stack gap="sm" data-testid="add-items-panel">
        <Title order={2} size="h4" id="add-items-heading">
          {t('compose.heading')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('compose.hint')}
        </Text>
        <Select
          label={t('filters.capabilityArea')}
          placeholder={t('filters.any')}
          clearable
          data={(areas.data?.items ?? []).map((a) => ({
            value: a.code,
            label: a.names[format.language],
          }))}
          value={area}
          onChange={setArea}
          w={260}
        />
        <QueryState query={items} height={160}>
          {(all) => {
            const shown = all.filter((row) => area === null || row.item.capabilityArea === area);
            const selected = all.find((row) => row.item.id === chosen);
            return (
              <Stack gap="sm">
                {shown.length === 0 ? (
                  <Text c="dimmed">{t('compose.none')}</Text>
                ) : (
                  <DataTable
                    data={shown}
                    columns={columns}
                    caption={t('compose.caption')}
                    rowKey={(row) => row.item.id}
                    testId="approved-items-table"
                  />
                )}
                {selected ? (
                  <AddLineForm
                    key={selected.item.id}
                    pkg={pkg}
                    approved={selected}
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

const LINE_FIELDS = ['quantity', 'unitPriceMinor', 'requirementItemId'] as const;

function AddLineForm({
  pkg,
  approved,
  onDone,
}: {
  pkg: PackageDetail;
  approved: ApprovedItem;
  onDone: () => void;
}) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const add = useAddPackageLine();
  const { item, remainingQuantity } = approved;
  const estimate = isRedacted(item.estimatedUnitCost) ? null : item.estimatedUnitCost.amountMinor;
  const [quantityText, setQuantityText] = useState(String(remainingQuantity));
  const [unitPriceMinor, setUnitPriceMinor] = useState<string | null>(estimate);

  const quantity = /^[0-9]{1,9}$/.test(quantityText.trim()) ? Number(quantityText.trim()) : NaN;
  // The item's packaging rule (steps, whole only), as the server checks it.
  const rule = { remaining: remainingQuantity, step: item.quantityStep, wholeOnly: item.wholeOnly };
  const problem = lineQuantityProblem(quantity, rule);
  const quantityError =
    problem === undefined
      ? undefined
      : problem.key === 'quantityAbove'
        ? t('compose.quantityAbove', { max: format.integer(problem.max) })
        : problem.key === 'quantityWholeOnly'
          ? t('compose.quantityWholeOnly', { left: format.integer(problem.left) })
          : problem.key === 'quantityStep'
            ? t('compose.quantityStep', {
                step: format.integer(problem.step),
                left: format.integer(problem.left),
              })
            : t(`compose.${problem.key}`);
  const quantityHint = rule.wholeOnly
    ? t('compose.quantityWholeHint', { max: format.integer(remainingQuantity) })
    : rule.step > 1
      ? t('compose.quantityStepHint', {
          step: format.integer(rule.step),
          max: format.integer(remainingQuantity),
        })
      : t('compose.quantityHint', { max: format.integer(remainingQuantity) });
  const valid = quantityError === undefined && unitPriceMinor !== null;
  const aboveForm = formError(add.error, LINE_FIELDS);
  const total =
    valid && unitPriceMinor !== null
      ? (BigInt(quantity) * BigInt(unitPriceMinor)).toString()
      : null;

  return (
    <form
      data-testid="add-line-form"
      aria-label={t('compose.formLabel', { category: item.category })}
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid || unitPriceMinor === null) return;
        add.mutate(
          { pkg, body: { requirementItemId: item.id, quantity, unitPriceMinor } },
          {
            onSuccess: () => {
              notify.success(t('compose.added', { category: item.category }));
              onDone();
            },
          },
        );
      }}
    >
      <Stack gap="xs">
        <Text fw={600}>
          {t('compose.adding', {
            category: item.category,
            cycle: format.month(approved.list.cycle),
          })}
        </Text>
        {aboveForm ? (
          <Alert color="red" role="alert">
            {aboveForm}
          </Alert>
        ) : null}
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label={t('compose.quantity', { unit: item.unit })}
            description={quantityHint}
            inputMode="numeric"
            required
            value={quantityText}
            onChange={(event) => setQuantityText(event.currentTarget.value)}
            error={quantityError ?? fieldErrorOf(add.error, 'quantity')}
            w={200}
          />
          <MoneyInput
            label={t('compose.unitPrice')}
            description={t('compose.unitPriceHint')}
            required
            allowZero
            currency={pkg.currency}
            valueMinor={unitPriceMinor}
            onChangeMinor={setUnitPriceMinor}
            error={fieldErrorOf(add.error, 'unitPriceMinor')}
            w={240}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('compose.lineTotal')}
            </Text>
            <Text data-testid="line-total-preview">
              {total === null ? '—' : format.money(total, pkg.currency)}
            </Text>
          </Stack>
        </Group>
        <Group>
          <Button
            type="submit"
            data-testid="add-line"
            disabled={!valid || add.isPending}
            loading={add.isPending}
          >
            {t('compose.add')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('actions.cancelForm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function RemoveLineButton({ pkg, line }: { pkg: PackageDetail; line: PackageLine }) {
  const { t } = useTranslation('packages');
  const notify = useNotify();
  const formError = useFormError();
  const remove = useRemovePackageLine();
  const error = formError(remove.error);
  return (
    <Group gap={4} wrap="nowrap">
      <ActionIcon
        variant="subtle"
        color="red"
        aria-label={t('lines.remove', { category: line.category })}
        title={t('lines.remove', { category: line.category })}
        loading={remove.isPending}
        disabled={remove.isPending}
        onClick={() =>
          remove.mutate(
            { pkg, lineId: line.id },
            { onSuccess: () => notify.success(t('lines.removed', { category: line.category })) },
          )
        }
      >
        <span aria-hidden="true">×</span>
      </ActionIcon>
      {error ? (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      ) : null}
    </Group>
  );
}
