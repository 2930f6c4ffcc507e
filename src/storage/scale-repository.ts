/**
 * Bulk writes of the scale data set (`core/scale.ts`) and the reads that set it up. Rows are
 * written with their ids (`OVERRIDING SYSTEM VALUE`), one `unnest` statement per
 * `SCALE_BULK_ROWS` rows — one parameter per column whatever the row count — and the identity
 * sequences are moved past them afterwards, so later inserts continue as usual.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Account } from '../core/ledger.js';
import type { ScaleDataset, ScaleStart } from '../core/scale.js';
import { SCALE_NOTE } from '../core/scale.js';
import { toJsonValue } from '../core/canonical-json.js';
import type { Database } from './database.js';
import { findAccountsByPrefixes } from './ledger-repository.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

export const SCALE_BULK_ROWS = 20_000;

/** The columns of a bulk insert: each name with its SQL type and how to read it from a row. */
type Columns<T> = Record<string, readonly [type: string, value: (row: T) => unknown]>;

/** How a value travels in an `unnest` text array: decimal text, ISO text or an array literal. */
function cell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    return `{${value.map((v) => `"${String(v).replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

/** Inserts `rows` into `table`, `SCALE_BULK_ROWS` per statement; `onRows` after each. */
async function bulkInsert<T>(
  tx: Tx,
  table: string,
  rows: readonly T[],
  spec: Columns<T>,
  onRows: (done: number) => void,
  options: { identity?: boolean } = {},
): Promise<void> {
  const columns = Object.entries(spec).map(([name, [type, value]]) => ({ name, type, value }));
  const names = sql.raw(columns.map((c) => c.name).join(', '));
  const casts = sql.raw(columns.map((c, i) => `u.c${i}::${c.type}`).join(', '));
  const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '));
  const overriding = options.identity === false ? sql`` : sql`OVERRIDING SYSTEM VALUE`;
  for (let start = 0; start < rows.length; start += SCALE_BULK_ROWS) {
    const slice = rows.slice(start, start + SCALE_BULK_ROWS);
    const arrays: RawBuilder<unknown>[] = columns.map(
      (c) => sql`${slice.map((r) => cell(c.value(r)))}::text[]`,
    );
    await sql`
      INSERT INTO ${sql.raw(table)} (${names}) ${overriding}
      SELECT ${casts} FROM unnest(${sql.join(arrays)}) AS u (${aliases})`.execute(tx);
    onRows(Math.min(start + SCALE_BULK_ROWS, rows.length));
  }
}

export interface ScaleWriteProgress {
  table: string;
  done: number;
  total: number;
}

/** Writes the data set in one transaction's worth of statements (the caller's). */
export async function insertScaleDataset(
  tx: Tx,
  data: ScaleDataset,
  actorId: string,
  onProgress: (progress: ScaleWriteProgress) => void,
): Promise<void> {
  const at = <T>(table: string, rows: readonly T[]) => {
    onProgress({ table, done: 0, total: rows.length });
    return (done: number) => onProgress({ table, done, total: rows.length });
  };
  const note = SCALE_NOTE;

  await bulkInsert(
    tx,
    'requirement_list',
    data.lists,
    {
      id: ['int8', (r) => r.id],
      cycle: ['char(7)', (r) => r.cycle],
      title: ['text', (r) => r.title],
      status: ['text', () => 'closed'],
      synthetic: ['bool', () => true],
      source_note: ['text', () => note],
      version: ['int4', () => 6],
      created_at: ['timestamptz', (r) => r.createdAt],
      updated_at: ['timestamptz', (r) => r.closedAt],
      submitted_at: ['timestamptz', (r) => r.submittedAt],
      validated_at: ['timestamptz', (r) => r.validatedAt],
      approved_at: ['timestamptz', (r) => r.approvedAt],
      closed_at: ['timestamptz', (r) => r.closedAt],
    },
    at('requirement_list', data.lists),
  );
  const approvals = data.lists.flatMap((l) =>
    (['recipient', 'coordinator', 'supplier'] as const).map((role) => ({ l, role })),
  );
  await bulkInsert(
    tx,
    'requirement_approval',
    approvals,
    {
      list_id: ['int8', (r) => r.l.id],
      role: ['text', (r) => r.role],
      actor_id: ['text', () => actorId],
      signed_at: ['timestamptz', (r) => r.l.approvedAt],
    },
    at('requirement_approval', approvals),
    { identity: false },
  );
  await bulkInsert(
    tx,
    'requirement_item',
    data.items,
    {
      id: ['int8', (r) => r.id],
      list_id: ['int8', (r) => r.listId],
      capability_area: ['text', (r) => r.capabilityArea],
      category: ['text', (r) => r.category],
      lethal: ['bool', (r) => r.lethal],
      requested_quantity: ['int4', (r) => r.requestedQuantity],
      approved_quantity: ['int4', (r) => r.approvedQuantity],
      unit: ['text', (r) => r.unit],
      estimated_unit_cost_usd_minor: ['int8', (r) => r.estimatedUnitCostMinor],
      priority_rank: ['int4', (r) => r.priorityRank],
      synthetic: ['bool', () => true],
    },
    at('requirement_item', data.items),
  );
  await bulkInsert(
    tx,
    'package',
    data.packages,
    {
      id: ['int8', (r) => r.id],
      number: ['text', (r) => r.number],
      cycle: ['char(7)', (r) => r.cycle],
      title: ['text', (r) => r.title],
      target_minor: ['int8', (r) => r.targetMinor],
      price_minor: ['int8', (r) => r.priceMinor],
      funded_minor: ['int8', (r) => r.fundedMinor],
      disbursed_minor: ['int8', (r) => r.disbursedMinor],
      status: ['text', (r) => r.status],
      authorization_reference: ['text', (r) => r.authorizationReference],
      authorized_on: ['date', (r) => r.authorizedOn],
      synthetic: ['bool', () => true],
      source_note: ['text', () => note],
      version: ['int4', (r) => r.version],
      created_at: ['timestamptz', (r) => r.createdAt],
      updated_at: ['timestamptz', (r) => r.closedAt ?? r.authorizedAt ?? r.openedAt],
      opened_at: ['timestamptz', (r) => r.openedAt],
      funded_at: ['timestamptz', (r) => r.fundedAt],
      authorized_at: ['timestamptz', (r) => r.authorizedAt],
      closed_at: ['timestamptz', (r) => r.closedAt],
    },
    at('package', data.packages),
  );
  await bulkInsert(
    tx,
    'package_line',
    data.lines,
    {
      id: ['int8', (r) => r.id],
      package_id: ['int8', (r) => r.packageId],
      requirement_item_id: ['int8', (r) => r.itemId],
      capability_area: ['text', (r) => r.capabilityArea],
      category: ['text', (r) => r.category],
      lethal: ['bool', (r) => r.lethal],
      quantity: ['int4', (r) => r.quantity],
      unit: ['text', (r) => r.unit],
      unit_price_minor: ['int8', (r) => r.unitPriceMinor],
      synthetic: ['bool', () => true],
      created_at: ['timestamptz', (r) => r.createdAt],
    },
    at('package_line', data.lines),
  );
  await bulkInsert(
    tx,
    'contribution',
    data.contributions,
    {
      id: ['int8', (r) => r.id],
      donor_party_id: ['text', (r) => r.donorPartyId],
      currency: ['char(3)', (r) => r.currency],
      status: ['text', (r) => r.status],
      pledged_minor: ['int8', (r) => r.pledgedMinor],
      committed_minor: ['int8', (r) => r.committedMinor],
      paid_minor: ['int8', (r) => r.paidMinor],
      announced_on: ['date', (r) => r.announcedOn],
      committed_on: ['date', (r) => r.committedOn],
      earmark_areas: ['text[]', (r) => r.earmarkAreas],
      earmark_package_id: ['int8', (r) => r.earmarkPackageId],
      title: ['text', (r) => r.title],
      source_note: ['text', () => note],
      synthetic: ['bool', () => true],
      version: ['int4', (r) => r.version],
      created_at: ['timestamptz', (r) => r.createdAt],
      updated_at: ['timestamptz', (r) => r.createdAt],
    },
    at('contribution', data.contributions),
  );
  await writeAccounts(
    tx,
    data.newAccounts,
    data.changedAccounts,
    at('ledger_account', data.newAccounts),
  );
  await bulkInsert(
    tx,
    'ledger_transfer',
    data.transfers,
    {
      id: ['int8', (r) => r.id],
      idempotency_key: ['text', (r) => r.idempotencyKey],
      payload_hash: ['char(64)', (r) => r.payloadHash],
      ledger: ['char(3)', (r) => r.ledger],
      kind: ['text', (r) => r.kind],
      debit_account_id: ['int8', (r) => r.debitAccountId],
      credit_account_id: ['int8', (r) => r.creditAccountId],
      amount: ['int8', (r) => r.amountMinor],
      code: ['int4', (r) => r.code],
      pending_id: ['int8', (r) => r.pendingId],
      reverses_id: ['int8', (r) => r.reversesId],
      batch_id: ['int8', (r) => r.batchId],
      memo: ['text', (r) => r.memo],
      created_at: ['timestamptz', (r) => r.createdAt],
    },
    at('ledger_transfer', data.transfers),
  );
  await bulkInsert(
    tx,
    'ledger_conversion',
    data.conversions,
    {
      id: ['int8', (r) => r.id],
      from_transfer_id: ['int8', (r) => r.fromTransferId],
      to_transfer_id: ['int8', (r) => r.toTransferId],
      from_rate_per_eur: ['numeric', (r) => r.fromRatePerEur],
      to_rate_per_eur: ['numeric', (r) => r.toRatePerEur],
      rate: ['numeric', (r) => r.rate],
      rate_date: ['date', (r) => r.rateDate],
      rate_source: ['text', (r) => r.rateSource],
    },
    at('ledger_conversion', data.conversions),
  );
  await bulkInsert(
    tx,
    'contribution_payment',
    data.payments,
    {
      id: ['int8', (r) => r.id],
      contribution_id: ['int8', (r) => r.contributionId],
      amount_minor: ['int8', (r) => r.amountMinor],
      paid_on: ['date', (r) => r.paidOn],
      transfer_id: ['int8', (r) => r.transferId],
      reference: ['text', (r) => r.reference],
      created_at: ['timestamptz', (r) => `${r.paidOn}T12:00:00.000Z`],
    },
    at('contribution_payment', data.payments),
  );
  await bulkInsert(
    tx,
    'allocation',
    data.allocations,
    {
      id: ['int8', (r) => r.id],
      package_id: ['int8', (r) => r.packageId],
      contribution_id: ['int8', (r) => r.contributionId],
      status: ['text', (r) => r.status],
      amount_minor: ['int8', (r) => r.amountMinor],
      currency: ['char(3)', (r) => r.currency],
      package_amount_minor: ['int8', (r) => r.packageAmountMinor],
      value_date: ['date', (r) => r.valueDate],
      rate: ['numeric', (r) => r.rate],
      from_rate_per_eur: ['numeric', (r) => r.fromRatePerEur],
      to_rate_per_eur: ['numeric', (r) => r.toRatePerEur],
      rate_date: ['date', (r) => r.rateDate],
      rate_source: ['text', (r) => r.rateSource],
      hold_transfer_ids: ['int8[]', (r) => r.holdTransferIds],
      synthetic: ['bool', () => true],
      created_at: ['timestamptz', (r) => r.createdAt],
      resolved_at: ['timestamptz', (r) => r.resolvedAt],
    },
    at('allocation', data.allocations),
  );
  await bulkInsert(
    tx,
    'shipment',
    data.shipments,
    {
      id: ['int8', (r) => r.id],
      package_id: ['int8', (r) => r.packageId],
      reference: ['text', (r) => r.reference],
      status: ['text', (r) => r.status],
      planned_on: ['date', (r) => r.plannedOn],
      dispatched_on: ['date', (r) => r.dispatchedOn],
      arrived_hub_on: ['date', (r) => r.arrivedHubOn],
      handed_over_on: ['date', (r) => r.handedOverOn],
      received_on: ['date', (r) => r.receivedOn],
      synthetic: ['bool', () => true],
      version: ['int4', (r) => r.version],
      created_at: ['timestamptz', (r) => `${r.plannedOn}T12:00:00.000Z`],
      updated_at: ['timestamptz', (r) => `${r.receivedOn ?? r.dispatchedOn}T12:00:00.000Z`],
    },
    at('shipment', data.shipments),
  );
  await bulkInsert(
    tx,
    'shipment_line',
    data.shipmentLines,
    {
      shipment_id: ['int8', (r) => r.shipmentId],
      package_line_id: ['int8', (r) => r.lineId],
      quantity: ['int4', (r) => r.quantity],
    },
    at('shipment_line', data.shipmentLines),
    { identity: false },
  );
  await bulkInsert(
    tx,
    'receipt',
    data.receipts,
    {
      id: ['int8', (r) => r.id],
      shipment_id: ['int8', (r) => r.shipmentId],
      package_line_id: ['int8', (r) => r.lineId],
      received_quantity: ['int4', (r) => r.receivedQuantity],
      received_on: ['date', (r) => r.receivedOn],
      created_at: ['timestamptz', (r) => `${r.receivedOn}T12:00:00.000Z`],
    },
    at('receipt', data.receipts),
  );
  await bulkInsert(
    tx,
    'discrepancy',
    data.discrepancies,
    {
      id: ['int8', (r) => r.id],
      receipt_id: ['int8', (r) => r.receiptId],
      package_line_id: ['int8', (r) => r.lineId],
      kind: ['text', () => 'short'],
      quantity: ['int4', (r) => r.quantity],
      reason: ['text', () => 'Synthetic scale data: short on arrival'],
      resolution: ['text', (r) => (r.resolvedAt ? 'credited' : null)],
      resolution_note: [
        'text',
        (r) => (r.resolvedAt ? 'Synthetic: credited by the supplier' : null),
      ],
      resolved_at: ['timestamptz', (r) => r.resolvedAt],
      version: ['int4', (r) => (r.resolvedAt ? 2 : 1)],
    },
    at('discrepancy', data.discrepancies),
  );
  await bulkInsert(
    tx,
    'audit_event',
    data.audit,
    {
      id: ['int8', (r) => r.id],
      at: ['timestamptz', (r) => r.content.at],
      actor: ['text', (r) => r.content.actor],
      role: ['text', (r) => r.content.role],
      entity: ['text', (r) => r.content.entity],
      entity_id: ['text', (r) => r.content.entityId],
      action: ['text', (r) => r.content.action],
      before: ['jsonb', (r) => JSON.stringify(toJsonValue(r.content.before))],
      after: ['jsonb', (r) => JSON.stringify(toJsonValue(r.content.after))],
      prev_hash: ['char(64)', (r) => r.prevHash],
      hash: ['char(64)', (r) => r.hash],
    },
    at('audit_event', data.audit),
    { identity: false },
  );
  const last = data.audit.at(-1);
  if (last) {
    await sql`UPDATE audit_head SET last_id = ${last.id}, last_hash = ${last.hash},
                     table_versions = purl_version_all_tables(table_versions, ${last.id})
              WHERE singleton AND last_id = ${last.id - BigInt(data.audit.length)}`.execute(tx);
    await sql`SELECT purl_revise_all_chunks(${last.id})`.execute(tx);
  }
  for (const table of IDENTITY_TABLES) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'),
                            greatest((SELECT max(id) FROM ${sql.raw(table)}), 1))`.execute(tx);
  }
  await sql`SELECT setval('ledger_batch_seq', greatest(${data.lastBatchId}::int8, 1))`.execute(tx);
}

const IDENTITY_TABLES = [
  'requirement_list',
  'requirement_item',
  'package',
  'package_line',
  'contribution',
  'contribution_payment',
  'ledger_account',
  'ledger_transfer',
  'ledger_conversion',
  'allocation',
  'shipment',
  'receipt',
  'discrepancy',
] as const;

/** New accounts with their final balances; existing ones set to theirs. */
async function writeAccounts(
  tx: Tx,
  opened: readonly Account[],
  changed: readonly Account[],
  onRows: (done: number) => void,
): Promise<void> {
  await bulkInsert(
    tx,
    'ledger_account',
    opened,
    {
      id: ['int8', (r) => r.id],
      ledger: ['char(3)', (r) => r.ledger],
      code: ['int4', (r) => r.code],
      reference: ['text', (r) => r.reference],
      debits_must_not_exceed_credits: ['bool', (r) => r.debitsMustNotExceedCredits],
      credits_must_not_exceed_debits: ['bool', (r) => r.creditsMustNotExceedDebits],
      debits_pending: ['int8', (r) => r.debitsPendingMinor],
      debits_posted: ['int8', (r) => r.debitsPostedMinor],
      credits_pending: ['int8', (r) => r.creditsPendingMinor],
      credits_posted: ['int8', (r) => r.creditsPostedMinor],
    },
    onRows,
  );
  for (const a of changed) {
    await sql`
      UPDATE ledger_account SET debits_pending = ${a.debitsPendingMinor},
        debits_posted = ${a.debitsPostedMinor}, credits_pending = ${a.creditsPendingMinor},
        credits_posted = ${a.creditsPostedMinor}
      WHERE id = ${a.id}`.execute(tx);
  }
}

// ---- What the generator starts from ----

/** The next id of every table the data set writes, the next package number and the audit head. */
export async function readScaleStart(db: Executor): Promise<ScaleStart> {
  const max = async (table: string) => {
    const r = await sql<{ max: string | null }>`
      SELECT max(id)::text AS max FROM ${sql.raw(table)}`.execute(db);
    return BigInt(r.rows[0]!.max ?? '0') + 1n;
  };
  const number = await sql<{ max: number | null }>`
    SELECT max(substring(number FROM 6)::int) AS max FROM package`.execute(db);
  const batch = await sql<{ value: string }>`
    SELECT (last_value + CASE WHEN is_called THEN 1 ELSE 0 END)::text AS value
    FROM ledger_batch_seq`.execute(db);
  const head = await sql<{ last_id: bigint; last_hash: string }>`
    SELECT last_id, last_hash FROM audit_head WHERE singleton`.execute(db);
  return {
    account: await max('ledger_account'),
    transfer: await max('ledger_transfer'),
    batch: BigInt(batch.rows[0]!.value),
    conversion: await max('ledger_conversion'),
    contribution: await max('contribution'),
    payment: await max('contribution_payment'),
    package: await max('package'),
    packageNumber: Math.max(100_001, (number.rows[0]!.max ?? 0) + 1),
    line: await max('package_line'),
    allocation: await max('allocation'),
    list: await max('requirement_list'),
    item: await max('requirement_item'),
    shipment: await max('shipment'),
    receipt: await max('receipt'),
    discrepancy: await max('discrepancy'),
    auditId: BigInt(head.rows[0]!.last_id) + 1n,
    auditHash: head.rows[0]!.last_hash,
  };
}

/** The earliest requirement cycle recorded, if any (the scale history ends before it). */
export async function findEarliestCycle(db: Executor): Promise<string | undefined> {
  const r = await sql<{
    cycle: string | null;
  }>`SELECT min(cycle) AS cycle FROM requirement_list`.execute(db);
  return r.rows[0]!.cycle ?? undefined;
}

/** Whether the scale history is there (its requirement lists carry the scale note). */
export async function countScaleLists(db: Executor): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM requirement_list WHERE source_note = ${SCALE_NOTE}`.execute(db);
  return r.rows[0]!.n;
}

export interface ScaleParty {
  id: string;
  currency: string;
}

/** Allies and partners, in id order: the donors. */
export async function listDonorParties(db: Executor): Promise<ScaleParty[]> {
  const r = await sql<ScaleParty>`
    SELECT id, currency FROM party WHERE kind IN ('ally', 'partner') ORDER BY id`.execute(db);
  return r.rows;
}

export async function listAreaCodes(db: Executor): Promise<string[]> {
  const r = await sql<{ code: string }>`SELECT code FROM capability_area ORDER BY code`.execute(db);
  return r.rows.map((x) => x.code);
}

export async function listMinorUnits(db: Executor): Promise<Map<string, number>> {
  const r = await sql<{ code: string; minor_unit: number }>`
    SELECT code, minor_unit FROM currency`.execute(db);
  return new Map(r.rows.map((x) => [x.code, Number(x.minor_unit)]));
}

export interface ScaleRateRow {
  currency: string;
  day: string;
  rate: string;
  source: string;
}

/** Every rate of these currencies from `from` on, in date order. */
export async function listRatesFrom(
  db: Executor,
  currencies: readonly string[],
  from: string,
): Promise<ScaleRateRow[]> {
  const r = await sql<ScaleRateRow>`
    SELECT currency, rate_date::text AS day, rate_per_eur::text AS rate, source
    FROM fx_rate WHERE currency = ANY(${[...currencies]}::text[]) AND rate_date >= ${from}::date
    ORDER BY rate_date, currency`.execute(db);
  return r.rows;
}

/** The shared accounts (fund cash, FX, supplier, donor commitments) that exist. */
export async function listSharedAccounts(db: Executor): Promise<Account[]> {
  return findAccountsByPrefixes(db, ['fund:', 'fx:', 'supplier:', 'donor:']);
}

/** Fresh planner statistics after a bulk load. */
export async function analyzeAll(db: Executor): Promise<void> {
  await sql`ANALYZE`.execute(db);
}
