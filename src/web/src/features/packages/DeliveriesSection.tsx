/**
 * The deliveries of an authorised package: each line's progress (shipped, received in good
 * order, shortfalls closed), its shipments (status and dates only — never a location or route),
 * the discrepancies found at receipt and how each was resolved. The supplier plans a shipment
 * with quantities per line and moves it forward; the recipient records what arrived, line by
 * line, where a difference or a damaged or wrong item becomes a discrepancy with its reason; the
 * coordinator or supplier resolves a discrepancy (replaced, credited, written off).
 */
import {
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DISCREPANCY_RESOLUTIONS,
  SHIPMENT_STATUSES,
  useAdvanceShipment,
  useCreateShipment,
  useDeliveries,
  useRecordReceipt,
  useResolveDiscrepancy,
  type Deliveries,
  type Discrepancy,
  type DiscrepancyResolution,
  type Shipment,
} from '../../api/deliveries';
import type { PackageDetail, PackageLine } from '../../api/packages';
import { useMay } from '../../app/access';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { QueryState } from '../../ui/QueryState';
import { isIsoDay, todayIso } from '../../ui/days';
import { discrepanciesOf, type Condition } from './receipt-lines';
import { useAreaName } from './parts';
import { useNotify } from '../../ui/notify';
import { UNCLIPPED } from '../../ui/StatusBadge';
import { FormCard } from '../../ui/FormCard';

type LineOf = (packageLineId: string) => PackageLine | undefined;

export function DeliveriesSection({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const deliveries = useDeliveries(pkg.id);
  const mayShip = useMay('shipments.write');
  const lineOf: LineOf = (id) => pkg.lines.find((line) => line.id === id);
  return (
    <Stack gap="md" component="section" aria-labelledby="deliveries-heading">
      <Title order={2} size="h3" id="deliveries-heading">
        {t('deliveries.heading')}
      </Title>
      <QueryState query={deliveries} height={160}>
        {(data) => (
          <Stack gap="md" data-testid="deliveries">
            <LineProgress deliveries={data} lineOf={lineOf} />
            <Shipments deliveries={data} lineOf={lineOf} />
            {mayShip && ['authorized', 'in_delivery'].includes(pkg.status) ? (
              <ShipmentForm pkg={pkg} deliveries={data} />
            ) : null}
            <Discrepancies deliveries={data} lineOf={lineOf} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function lineLabel(line: PackageLine | undefined, fallback: string): string {
  return line ? line.category : fallback;
}

function LineProgress({ deliveries, lineOf }: { deliveries: Deliveries; lineOf: LineOf }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const areaName = useAreaName();
  type Row = Deliveries['lines'][number];
  const columns = useMemo(
    (): ColumnDef<Row, unknown>[] => [
      {
        id: 'line',
        header: t('lines.category'),
        accessorFn: (row) => lineLabel(lineOf(row.packageLineId), row.packageLineId),
        cell: ({ row }) => {
          const line = lineOf(row.original.packageLineId);
          return (
            <Stack gap={0}>
              <Text size="sm">{lineLabel(line, row.original.packageLineId)}</Text>
              {line ? (
                <Text size="xs" c="dimmed">
                  {areaName(line.capabilityArea)}
                </Text>
              ) : null}
            </Stack>
          );
        },
      },
      ...(['quantity', 'shippedQuantity', 'receivedQuantity', 'closedShortQuantity'] as const).map(
        (key): ColumnDef<Row, unknown> => ({
          id: key,
          header: t(`deliveries.progress.${key}`),
          accessorFn: (row) => row[key],
          meta: { numeric: true },
          cell: ({ row }) => format.integer(row.original[key]),
        }),
      ),
      {
        id: 'complete',
        header: t('deliveries.progress.complete'),
        accessorFn: (row) => (row.complete ? 1 : 0),
        cell: ({ row }) =>
          row.original.complete ? (
            <Badge color="teal" variant="dot" styles={UNCLIPPED}>
              {t('deliveries.progress.yes')}
            </Badge>
          ) : (
            <Badge color="gray" variant="dot" styles={UNCLIPPED}>
              {t('deliveries.progress.no')}
            </Badge>
          ),
      },
    ],
    [t, format, areaName, lineOf],
  );
  return (
    <DataTable
      data={deliveries.lines}
      columns={columns}
      caption={t('deliveries.progress.caption')}
      showCaption
      rowKey={(row) => row.packageLineId}
      testId="delivery-progress"
    />
  );
}

const NEXT_STATUS: Partial<
  Record<Shipment['status'], 'dispatched' | 'arrived_hub' | 'handed_over'>
> = {
  planned: 'dispatched',
  dispatched: 'arrived_hub',
  arrived_hub: 'handed_over',
};

function Shipments({ deliveries, lineOf }: { deliveries: Deliveries; lineOf: LineOf }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const mayShip = useMay('shipments.write');
  const mayReceive = useMay('receipts.write');
  const [receiving, setReceiving] = useState<string | null>(null);
  const day = (value: string | null) => (value ? format.day(value) : '—');
  if (deliveries.shipments.length === 0) {
    return (
      <Text c="dimmed" data-testid="shipments-empty">
        {t('deliveries.noShipments')}
      </Text>
    );
  }
  const shipment = deliveries.shipments.find((s) => s.id === receiving);
  return (
    <Stack gap="sm">
      <Table.ScrollContainer minWidth={720}>
        <Table striped verticalSpacing="xs" fz="sm" data-testid="shipments-table">
          <Table.Caption>{t('deliveries.shipmentsCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('deliveries.reference')}</Table.Th>
              <Table.Th scope="col">{t('deliveries.status')}</Table.Th>
              <Table.Th scope="col">{t('deliveries.dates')}</Table.Th>
              <Table.Th scope="col">{t('deliveries.contents')}</Table.Th>
              <Table.Th scope="col">{t('lines.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deliveries.shipments.map((s) => (
              <Table.Tr key={s.id} data-shipment={s.reference}>
                <Table.Td>{s.reference}</Table.Td>
                <Table.Td>
                  <Badge variant="dot" styles={UNCLIPPED} data-status={s.status}>
                    {t(`deliveries.statuses.${s.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {SHIPMENT_STATUSES.map((status) => {
                      const on =
                        status === 'planned'
                          ? s.plannedOn
                          : status === 'dispatched'
                            ? s.dispatchedOn
                            : status === 'arrived_hub'
                              ? s.arrivedHubOn
                              : status === 'handed_over'
                                ? s.handedOverOn
                                : s.receivedOn;
                      return on ? `${t(`deliveries.statuses.${status}`)}: ${day(on)}` : null;
                    })
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {s.lines
                      .map(
                        (l) =>
                          `${lineLabel(lineOf(l.packageLineId), l.packageLineId)} × ${format.integer(l.quantity)}`,
                      )
                      .join('; ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    {mayShip && NEXT_STATUS[s.status] ? <AdvanceShipment shipment={s} /> : null}
                    {mayReceive &&
                    ['dispatched', 'arrived_hub', 'handed_over'].includes(s.status) ? (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setReceiving(s.id)}
                        data-testid="record-receipt"
                        aria-label={t('receipt.openFor', { reference: s.reference })}
                      >
                        {t('receipt.open')}
                      </Button>
                    ) : null}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {shipment ? (
        <ReceiptForm
          key={shipment.id}
          shipment={shipment}
          lineOf={lineOf}
          onDone={() => setReceiving(null)}
        />
      ) : null}
    </Stack>
  );
}

function AdvanceShipment({ shipment }: { shipment: Shipment }) {
  const { t } = useTranslation('packages');
  const notify = useNotify();
  const formError = useFormError();
  const advance = useAdvanceShipment();
  const next = NEXT_STATUS[shipment.status]!;
  const [on, setOn] = useState(todayIso());
  const error = formError(advance.error, ['on']);
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <TextInput
        type="date"
        size="xs"
        label={t('deliveries.advanceOn', { status: t(`deliveries.statuses.${next}`) })}
        value={on}
        onChange={(event) => setOn(event.currentTarget.value)}
        error={
          isIsoDay(on) ? (fieldErrorOf(advance.error, 'on') ?? error) : t('authorize.dateFormat')
        }
        w={170}
      />
      <Button
        size="xs"
        disabled={!isIsoDay(on) || advance.isPending}
        loading={advance.isPending}
        data-testid="advance-shipment"
        onClick={() =>
          advance.mutate(
            { shipment, body: { status: next, on } },
            {
              onSuccess: () =>
                notify.success(
                  t('deliveries.advanced', {
                    reference: shipment.reference,
                    status: t(`deliveries.statuses.${next}`),
                  }),
                ),
            },
          )
        }
      >
        {t(`deliveries.advance.${next}`)}
      </Button>
    </Group>
  );
}

function ShipmentForm({ pkg, deliveries }: { pkg: PackageDetail; deliveries: Deliveries }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const create = useCreateShipment();
  const remainingOf = (line: PackageLine) => {
    const progress = deliveries.lines.find((l) => l.packageLineId === line.id);
    const replaced = deliveries.discrepancies
      .filter((d) => d.packageLineId === line.id && d.resolution === 'replaced')
      .reduce((sum, d) => sum + d.quantity, 0);
    return Math.max(0, line.quantity - (progress?.shippedQuantity ?? 0) + replaced);
  };
  const [reference, setReference] = useState('');
  const [referenceTouched, setReferenceTouched] = useState(false);
  const [plannedOn, setPlannedOn] = useState(todayIso());
  const [quantities, setQuantities] = useState<Record<string, string>>(() =>
    Object.fromEntries(pkg.lines.map((line) => [line.id, String(remainingOf(line))])),
  );
  const lineErrors = Object.fromEntries(
    pkg.lines.map((line) => {
      const text = (quantities[line.id] ?? '').trim();
      const remaining = remainingOf(line);
      if (text === '' || text === '0') return [line.id, undefined];
      if (!/^[0-9]{1,9}$/.test(text)) return [line.id, t('compose.quantityFormat')];
      if (Number(text) > remaining)
        return [line.id, t('shipment.quantityAbove', { max: format.integer(remaining) })];
      return [line.id, undefined];
    }),
  );
  const chosen = pkg.lines
    .map((line, index) => ({ line, index, text: (quantities[line.id] ?? '').trim() }))
    .filter((entry) => /^[0-9]{1,9}$/.test(entry.text) && Number(entry.text) > 0);
  const referenceError =
    referenceTouched && reference.trim() === ''
      ? t('shipment.referenceRequired')
      : reference.length > 100
        ? t('shipment.referenceTooLong')
        : undefined;
  const valid =
    reference.trim() !== '' &&
    reference.length <= 100 &&
    isIsoDay(plannedOn) &&
    chosen.length > 0 &&
    Object.values(lineErrors).every((error) => error === undefined);
  const sent = chosen.map((entry) => entry.line.id);
  const serverLineError = (lineId: string) => {
    const position = sent.indexOf(lineId);
    return position < 0
      ? undefined
      : fieldErrorOf(create.error, `lines.${position}.quantity`, `lines.${position}.packageLineId`);
  };
  const fields = ['reference', 'plannedOn', 'lines', ...sent.map((_, i) => `lines.${i}.quantity`)];
  const aboveForm = formError(create.error, fields);

  return (
    <FormCard
      title={t('shipment.heading')}
      titleSize="h5"
      description={t('shipment.hint')}
      testId="shipment-form"
      nativeValidation
      error={aboveForm}
      onSubmit={() => {
        setReferenceTouched(true);
        if (!valid) return;
        create.mutate(
          {
            packageId: pkg.id,
            body: {
              reference: reference.trim(),
              plannedOn,
              lines: chosen.map((entry) => ({
                packageLineId: entry.line.id,
                quantity: Number(entry.text),
              })),
            },
          },
          {
            onSuccess: () => {
              notify.success(t('shipment.done', { reference: reference.trim() }));
              setReference('');
              setReferenceTouched(false);
            },
          },
        );
      }}
    >
      <Group align="flex-start" wrap="wrap">
        <TextInput
          label={t('shipment.reference')}
          required
          value={reference}
          onChange={(event) => setReference(event.currentTarget.value)}
          onBlur={() => setReferenceTouched(true)}
          error={referenceError ?? fieldErrorOf(create.error, 'reference')}
          w={240}
        />
        <TextInput
          type="date"
          label={t('shipment.plannedOn')}
          required
          value={plannedOn}
          onChange={(event) => setPlannedOn(event.currentTarget.value)}
          error={
            isIsoDay(plannedOn)
              ? fieldErrorOf(create.error, 'plannedOn')
              : t('authorize.dateFormat')
          }
          w={200}
        />
      </Group>
      <Stack gap="xs">
        {pkg.lines.map((line) => (
          <TextInput
            key={line.id}
            inputMode="numeric"
            label={t('shipment.lineQuantity', { category: line.category, unit: line.unit })}
            description={t('shipment.remaining', {
              remaining: format.integer(remainingOf(line)),
            })}
            value={quantities[line.id] ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setQuantities((current) => ({ ...current, [line.id]: value }));
            }}
            error={lineErrors[line.id] ?? serverLineError(line.id)}
            w={320}
          />
        ))}
      </Stack>
      <Group>
        <Button
          type="submit"
          data-testid="create-shipment"
          disabled={!valid || create.isPending}
          loading={create.isPending}
        >
          {t('shipment.submit')}
        </Button>
      </Group>
    </FormCard>
  );
}

interface ReceiptLineState {
  received: string;
  condition: Condition;
  affected: string;
  notes: string;
}

function ReceiptForm({
  shipment,
  lineOf,
  onDone,
}: {
  shipment: Shipment;
  lineOf: LineOf;
  onDone: () => void;
}) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const notify = useNotify();
  const formError = useFormError();
  const record = useRecordReceipt();
  const [receivedOn, setReceivedOn] = useState(todayIso());
  const [lines, setLines] = useState<Record<string, ReceiptLineState>>(() =>
    Object.fromEntries(
      shipment.lines.map((l) => [
        l.packageLineId,
        { received: String(l.quantity), condition: 'good', affected: '', notes: '' },
      ]),
    ),
  );
  const set = (id: string, patch: Partial<ReceiptLineState>) =>
    setLines((current) => ({ ...current, [id]: { ...current[id]!, ...patch } }));

  const checked = shipment.lines.map((l, index) => {
    const state = lines[l.packageLineId]!;
    const receivedOk = /^[0-9]{1,9}$/.test(state.received.trim());
    const received = receivedOk ? Number(state.received.trim()) : NaN;
    const affectedOk = state.condition === 'good' || /^[0-9]{1,9}$/.test(state.affected.trim());
    const affected = state.condition === 'good' ? 0 : Number(state.affected.trim() || 'NaN');
    const errors: { received?: string; affected?: string; notes?: string } = {};
    if (!receivedOk) errors.received = t('compose.quantityFormat');
    if (state.condition !== 'good') {
      if (!affectedOk || !(affected > 0)) errors.affected = t('receipt.affectedPositive');
      else if (receivedOk && affected > received)
        errors.affected = t('receipt.affectedAbove', { max: format.integer(received) });
    }
    const discrepancies =
      receivedOk && !errors.affected
        ? discrepanciesOf(l.quantity, {
            received,
            condition: state.condition,
            affected,
            notes: state.notes,
          })
        : [];
    if (discrepancies.length > 0 && state.notes.trim() === '')
      errors.notes = t('receipt.notesRequired');
    return { l, index, state, received, discrepancies, errors };
  });
  const valid =
    isIsoDay(receivedOn) && checked.every((c) => Object.values(c.errors).every((e) => !e));
  const fields = [
    'receivedOn',
    'lines',
    ...checked.flatMap((c) => [
      `lines.${c.index}.receivedQuantity`,
      `lines.${c.index}.discrepancies`,
      ...c.discrepancies.flatMap((_, i) => [
        `lines.${c.index}.discrepancies.${i}.quantity`,
        `lines.${c.index}.discrepancies.${i}.reason`,
      ]),
    ]),
  ];
  const aboveForm = formError(record.error, fields);

  return (
    <FormCard
      title={t('receipt.heading', { reference: shipment.reference })}
      titleSize="h5"
      testId="receipt-form"
      nativeValidation
      error={aboveForm}
      onSubmit={() => {
        if (!valid) return;
        record.mutate(
          {
            shipmentId: shipment.id,
            body: {
              receivedOn,
              lines: checked.map((c) => ({
                packageLineId: c.l.packageLineId,
                receivedQuantity: c.received,
                ...(c.discrepancies.length > 0 ? { discrepancies: c.discrepancies } : {}),
              })),
            },
          },
          {
            onSuccess: () => {
              notify.success(t('receipt.done', { reference: shipment.reference }));
              onDone();
            },
          },
        );
      }}
    >
      <TextInput
        type="date"
        label={t('receipt.receivedOn')}
        required
        value={receivedOn}
        onChange={(event) => setReceivedOn(event.currentTarget.value)}
        error={
          isIsoDay(receivedOn)
            ? fieldErrorOf(record.error, 'receivedOn')
            : t('authorize.dateFormat')
        }
        w={200}
      />
      {checked.map((c) => {
        const line = lineOf(c.l.packageLineId);
        const name = lineLabel(line, c.l.packageLineId);
        return (
          <Paper key={c.l.packageLineId} withBorder p="sm" data-receipt-line={name}>
            <Stack gap="xs">
              <Text fw={600} size="sm">
                {t('receipt.line', {
                  category: name,
                  shipped: format.integer(c.l.quantity),
                  unit: line?.unit ?? '',
                })}
              </Text>
              <Group align="flex-start" wrap="wrap">
                <TextInput
                  label={t('receipt.received', { category: name })}
                  inputMode="numeric"
                  required
                  value={c.state.received}
                  onChange={(event) =>
                    set(c.l.packageLineId, { received: event.currentTarget.value })
                  }
                  error={
                    c.errors.received ??
                    fieldErrorOf(record.error, `lines.${c.index}.receivedQuantity`)
                  }
                  w={200}
                />
                <Select
                  label={t('receipt.condition', { category: name })}
                  data={(['good', 'damaged', 'wrong_item'] as const).map((value) => ({
                    value,
                    label: t(`receipt.conditions.${value}`),
                  }))}
                  value={c.state.condition}
                  allowDeselect={false}
                  onChange={(value) =>
                    set(c.l.packageLineId, { condition: (value ?? 'good') as Condition })
                  }
                  w={200}
                />
                {c.state.condition !== 'good' ? (
                  <TextInput
                    label={t('receipt.affected', { category: name })}
                    inputMode="numeric"
                    required
                    value={c.state.affected}
                    onChange={(event) =>
                      set(c.l.packageLineId, { affected: event.currentTarget.value })
                    }
                    error={c.errors.affected}
                    w={200}
                  />
                ) : null}
                <TextInput
                  label={t('receipt.notes', { category: name })}
                  value={c.state.notes}
                  onChange={(event) => set(c.l.packageLineId, { notes: event.currentTarget.value })}
                  error={
                    c.errors.notes ??
                    fieldErrorOf(
                      record.error,
                      `lines.${c.index}.discrepancies`,
                      ...c.discrepancies.map(
                        (_, i) => `lines.${c.index}.discrepancies.${i}.reason`,
                      ),
                    )
                  }
                  style={{ flex: 1, minWidth: 220 }}
                />
              </Group>
              {c.discrepancies.length > 0 ? (
                <Text size="sm" c="orange" aria-live="polite">
                  {t('receipt.creates', {
                    list: format.list(
                      c.discrepancies.map((d) =>
                        t('receipt.discrepancyItem', {
                          kind: t(`discrepancies.kinds.${d.kind}`),
                          quantity: format.integer(d.quantity),
                        }),
                      ),
                    ),
                  })}
                </Text>
              ) : null}
            </Stack>
          </Paper>
        );
      })}
      <Group>
        <Button
          type="submit"
          data-testid="submit-receipt"
          disabled={!valid || record.isPending}
          loading={record.isPending}
        >
          {t('receipt.submit')}
        </Button>
        <Button variant="default" onClick={onDone}>
          {t('actions.cancelForm')}
        </Button>
      </Group>
    </FormCard>
  );
}

function Discrepancies({ deliveries, lineOf }: { deliveries: Deliveries; lineOf: LineOf }) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const mayResolve = useMay('discrepancies.resolve');
  if (deliveries.discrepancies.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('discrepancies.heading')}
      </Title>
      <Table.ScrollContainer minWidth={720}>
        <Table striped verticalSpacing="xs" fz="sm" data-testid="discrepancies-table">
          <Table.Caption>{t('discrepancies.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('lines.category')}</Table.Th>
              <Table.Th scope="col">{t('discrepancies.kind')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('lines.quantity')}
              </Table.Th>
              <Table.Th scope="col">{t('discrepancies.reason')}</Table.Th>
              <Table.Th scope="col">{t('discrepancies.status')}</Table.Th>
              {mayResolve ? <Table.Th scope="col">{t('lines.actions')}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deliveries.discrepancies.map((d) => (
              <Table.Tr key={d.id} data-discrepancy={d.kind}>
                <Table.Td>{lineLabel(lineOf(d.packageLineId), d.packageLineId)}</Table.Td>
                <Table.Td>{t(`discrepancies.kinds.${d.kind}`)}</Table.Td>
                <Table.Td ta="right">{format.integer(d.quantity)}</Table.Td>
                <Table.Td>{d.reason}</Table.Td>
                <Table.Td>
                  {d.resolution ? (
                    <Stack gap={0}>
                      <Badge
                        color="teal"
                        variant="dot"
                        styles={UNCLIPPED}
                        data-resolution={d.resolution}
                      >
                        {t(`discrepancies.resolutions.${d.resolution}`)}
                      </Badge>
                      {d.resolutionNote ? <Text size="xs">{d.resolutionNote}</Text> : null}
                      {d.resolvedAt ? (
                        <Text size="xs" c="dimmed">
                          {format.dateTime(d.resolvedAt)}
                        </Text>
                      ) : null}
                    </Stack>
                  ) : (
                    <Badge color="orange" variant="dot" styles={UNCLIPPED} data-resolution="open">
                      {t('discrepancies.open')}
                    </Badge>
                  )}
                </Table.Td>
                {mayResolve ? (
                  <Table.Td>{d.resolution ? null : <ResolveForm discrepancy={d} />}</Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function ResolveForm({ discrepancy }: { discrepancy: Discrepancy }) {
  const { t } = useTranslation('packages');
  const notify = useNotify();
  const formError = useFormError();
  const resolve = useResolveDiscrepancy();
  const [resolution, setResolution] = useState<DiscrepancyResolution | null>(null);
  const [note, setNote] = useState('');
  const error = formError(resolve.error, ['resolution', 'note']);
  return (
    <form
      data-testid="resolve-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (resolution === null || note.length > 1000) return;
        resolve.mutate(
          {
            discrepancyId: discrepancy.id,
            body: { resolution, note: note.trim() === '' ? null : note.trim() },
          },
          {
            onSuccess: () =>
              notify.success(
                t('discrepancies.resolved', {
                  resolution: t(`discrepancies.resolutions.${resolution}`),
                }),
              ),
          },
        );
      }}
    >
      <Stack gap={4}>
        {error ? (
          <Text size="xs" c="red" role="alert">
            {error}
          </Text>
        ) : null}
        <Select
          size="xs"
          label={t('discrepancies.resolution')}
          placeholder={t('discrepancies.choose')}
          data={DISCREPANCY_RESOLUTIONS.map((value) => ({
            value,
            label: t(`discrepancies.resolutions.${value}`),
          }))}
          value={resolution}
          onChange={(value) => setResolution(value as DiscrepancyResolution | null)}
          error={fieldErrorOf(resolve.error, 'resolution')}
          w={200}
        />
        <TextInput
          size="xs"
          label={t('discrepancies.note')}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          error={
            note.length > 1000
              ? t('discrepancies.noteTooLong')
              : fieldErrorOf(resolve.error, 'note')
          }
          w={200}
        />
        <Button
          type="submit"
          size="xs"
          data-testid="resolve"
          disabled={resolution === null || resolve.isPending}
          loading={resolve.isPending}
        >
          {t('discrepancies.resolve')}
        </Button>
      </Stack>
    </form>
  );
}
