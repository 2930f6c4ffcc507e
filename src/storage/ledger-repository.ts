/**
 * SQL of the ledger. Callers pass the transaction; locks are taken in one fixed order —
 * accounts by ascending id, then (in the audit repository) the audit head — so two commands
 * never wait on each other in a cycle.
 */
import { sql } from 'kysely';
import type {
  Account,
  AccountFlags,
  BalanceDelta,
  PlannedTransfer,
  ReferencedTransfer,
  Transfer,
} from '../core/ledger.js';
import { assert } from '../core/errors.js';
import type { Database } from './database.js';
import type { Tx } from './transaction.js';

type Executor = Tx | Database['kysely'];

interface AccountRow {
  id: bigint;
  ledger: string;
  code: number;
  reference: string;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  debits_pending: bigint;
  debits_posted: bigint;
  credits_pending: bigint;
  credits_posted: bigint;
}

interface TransferRow {
  id: bigint;
  idempotency_key: string;
  payload_hash: string;
  ledger: string;
  kind: Transfer['kind'];
  debit_account_id: bigint;
  credit_account_id: bigint;
  amount: bigint;
  code: number;
  pending_id: bigint | null;
  reverses_id: bigint | null;
  batch_id: bigint | null;
  memo: string | null;
  created_at: Date;
}

const ACCOUNT_COLUMNS = [
  'id',
  'ledger',
  'code',
  'reference',
  'debits_must_not_exceed_credits',
  'credits_must_not_exceed_debits',
  'debits_pending',
  'debits_posted',
  'credits_pending',
  'credits_posted',
] as const;

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    ledger: row.ledger,
    code: row.code,
    reference: row.reference,
    debitsMustNotExceedCredits: row.debits_must_not_exceed_credits,
    creditsMustNotExceedDebits: row.credits_must_not_exceed_debits,
    debitsPendingMinor: row.debits_pending,
    debitsPostedMinor: row.debits_posted,
    creditsPendingMinor: row.credits_pending,
    creditsPostedMinor: row.credits_posted,
  };
}

export function toTransfer(row: TransferRow): Transfer {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    ledger: row.ledger,
    kind: row.kind,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amountMinor: row.amount,
    code: row.code,
    pendingId: row.pending_id,
    reversesId: row.reverses_id,
    batchId: row.batch_id,
    memo: row.memo,
    createdAt: row.created_at,
  };
}

export interface NewAccount extends AccountFlags {
  ledger: string;
  code: number;
  reference: string;
}

/** Inserts an account unless its reference exists; returns the row and whether it was created. */
export async function insertAccount(
  tx: Tx,
  account: NewAccount,
): Promise<{ account: Account; created: boolean }> {
  const inserted = await tx
    .insertInto('ledger_account')
    .values({
      ledger: account.ledger,
      code: account.code,
      reference: account.reference,
      debits_must_not_exceed_credits: account.debitsMustNotExceedCredits,
      credits_must_not_exceed_debits: account.creditsMustNotExceedDebits,
    })
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning(ACCOUNT_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { account: toAccount(inserted), created: true };
  const existing = await tx
    .selectFrom('ledger_account')
    .select(ACCOUNT_COLUMNS)
    .where('reference', '=', account.reference)
    .executeTakeFirstOrThrow();
  return { account: toAccount(existing), created: false };
}

/** Rows per statement of the bulk writers (`insertAccounts`, `insertOpenedAccounts`, …). */
export const LEDGER_BULK_ROWS = 5_000;

/**
 * Inserts many accounts (`LEDGER_BULK_ROWS` per statement) unless their reference exists;
 * returns each by reference with whether it was created. References must be unique.
 */
export async function insertAccounts(
  tx: Tx,
  accounts: readonly NewAccount[],
): Promise<Map<string, { account: Account; created: boolean }>> {
  const result = new Map<string, { account: Account; created: boolean }>();
  for (let start = 0; start < accounts.length; start += LEDGER_BULK_ROWS) {
    const batch = accounts.slice(start, start + LEDGER_BULK_ROWS);
    // Only the id comes back (decoding every column of many rows costs real time, on PGlite
    // most): a new account is what was asked for, with zero balances.
    const inserted = await sql<{ id: bigint; reference: string }>`
      INSERT INTO ledger_account (ledger, code, reference, debits_must_not_exceed_credits,
                                  credits_must_not_exceed_debits)
      SELECT * FROM unnest(
        ${batch.map((a) => a.ledger)}::char(3)[],
        ${batch.map((a) => a.code)}::int[],
        ${batch.map((a) => a.reference)}::text[],
        ${batch.map((a) => a.debitsMustNotExceedCredits)}::boolean[],
        ${batch.map((a) => a.creditsMustNotExceedDebits)}::boolean[]
      )
      ON CONFLICT (reference) DO NOTHING
      RETURNING id, reference`.execute(tx);
    const byReference = new Map(batch.map((a) => [a.reference, a]));
    for (const { id, reference } of inserted.rows) {
      const a = byReference.get(reference)!;
      const account: Account = {
        id,
        ledger: a.ledger,
        code: a.code,
        reference,
        debitsMustNotExceedCredits: a.debitsMustNotExceedCredits,
        creditsMustNotExceedDebits: a.creditsMustNotExceedDebits,
        debitsPendingMinor: 0n,
        debitsPostedMinor: 0n,
        creditsPendingMinor: 0n,
        creditsPostedMinor: 0n,
      };
      result.set(reference, { account, created: true });
    }
    const existing = batch.filter((a) => !result.has(a.reference)).map((a) => a.reference);
    for (const [reference, account] of await findAccountsByReferences(tx, existing))
      result.set(reference, { account, created: false });
  }
  return result;
}

export async function currencyExists(db: Executor, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('currency')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findAccounts(db: Executor, ids: readonly bigint[]): Promise<Account[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_account')
    .select(ACCOUNT_COLUMNS)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

/** Accounts by reference, in one query (a page of records needs one account each). */
export async function findAccountsByReferences(
  db: Executor,
  references: readonly string[],
): Promise<Map<string, Account>> {
  if (references.length === 0) return new Map();
  const rows = await db
    .selectFrom('ledger_account')
    .select(ACCOUNT_COLUMNS)
    .where('reference', 'in', references)
    .execute();
  return new Map(rows.map((row) => [row.reference, toAccount(row)]));
}

/** The accounts whose reference starts with one of these prefixes (`fx:`, `fund:`, …). */
export async function findAccountsByPrefixes(
  db: Executor,
  prefixes: readonly string[],
): Promise<Account[]> {
  if (prefixes.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_account')
    .select(ACCOUNT_COLUMNS)
    .where((eb) => eb.or(prefixes.map((p) => eb('reference', 'like', `${p}%`))))
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

export async function findAccountByReference(
  db: Executor,
  reference: string,
): Promise<Account | undefined> {
  const row = await db
    .selectFrom('ledger_account')
    .select(ACCOUNT_COLUMNS)
    .where('reference', '=', reference)
    .executeTakeFirst();
  return row ? toAccount(row) : undefined;
}

/** Locks the accounts (ascending id: the one lock order) and returns their current balances. */
export async function lockAccounts(tx: Tx, ids: readonly bigint[]): Promise<Map<bigint, Account>> {
  if (ids.length === 0) return new Map();
  const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rows = await tx
    .selectFrom('ledger_account')
    .select(ACCOUNT_COLUMNS)
    .where('id', 'in', sorted)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((row) => [row.id, toAccount(row)]));
}

export async function findTransfersByKeys(
  db: Executor,
  keys: readonly string[],
): Promise<Map<string, { transfer: Transfer; payloadHash: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('ledger_transfer')
    .selectAll()
    .where('idempotency_key', 'in', keys)
    .execute();
  return new Map(
    rows.map((row) => [
      row.idempotency_key,
      { transfer: toTransfer(row), payloadHash: row.payload_hash },
    ]),
  );
}

export async function findTransfers(db: Executor, ids: readonly bigint[]): Promise<Transfer[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_transfer')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  return rows.map(toTransfer);
}

/**
 * The named transfers with whether each was already resolved (posted/voided) or reversed.
 * Read after the accounts are locked, so a concurrent resolution has committed or waits.
 */
export async function findReferencedTransfers(
  tx: Tx,
  transfers: readonly Transfer[],
): Promise<Map<bigint, ReferencedTransfer>> {
  const ids = transfers.map((t) => t.id);
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('ledger_transfer')
    .select(['pending_id', 'reverses_id'])
    .where((eb) => eb.or([eb('pending_id', 'in', ids), eb('reverses_id', 'in', ids)]))
    .execute();
  const resolved = new Set(rows.map((r) => r.pending_id).filter((v): v is bigint => v !== null));
  const reversed = new Set(rows.map((r) => r.reverses_id).filter((v): v is bigint => v !== null));
  return new Map(
    transfers.map((t) => [
      t.id,
      { transfer: t, resolved: resolved.has(t.id), reversed: reversed.has(t.id) },
    ]),
  );
}

/**
 * Writes a planned batch in ONE statement: the transfers (a batch of several shares a batch id)
 * and the balance deltas. A repeated idempotency key fails the whole statement with a unique
 * violation, which `inTransaction` retries; the retry looks the keys up first.
 */
export async function insertTransfersAndApply(
  tx: Tx,
  planned: readonly PlannedTransfer[],
  deltas: readonly BalanceDelta[],
): Promise<Transfer[]> {
  // Parameters take their types from the target columns; only the new values come back
  // (PGlite spends real time decoding every returned column).
  const batch = planned.length > 1;
  const batchId = batch ? sql`(SELECT id FROM batch)` : sql`NULL`;
  const rows = sql.join(
    planned.map(
      (t) =>
        sql`(${t.idempotencyKey}, ${t.payloadHash}, ${t.ledger}, ${t.kind}, ${t.debitAccountId}, ${t.creditAccountId},
             ${t.amountMinor}, ${t.code}, ${t.pendingId}, ${t.reversesId}, ${t.memo}, ${batchId})`,
    ),
  );
  const changes = sql.join(
    deltas.map(
      (d) =>
        sql`(${d.accountId}::int8, ${d.debitsPendingMinor}::int8, ${d.debitsPostedMinor}::int8, ${d.creditsPendingMinor}::int8, ${d.creditsPostedMinor}::int8)`,
    ),
  );
  const result = await sql<{
    id: bigint;
    idempotency_key: string;
    batch_id: bigint | null;
    created_at: Date;
  }>`
    WITH ${batch ? sql`batch AS (SELECT nextval('ledger_batch_seq') AS id),` : sql``}
    inserted AS (
      INSERT INTO ledger_transfer (idempotency_key, payload_hash, ledger, kind, debit_account_id, credit_account_id,
                                   amount, code, pending_id, reverses_id, memo, batch_id)
      VALUES ${rows}
      RETURNING id, idempotency_key, batch_id, created_at
    ),
    applied AS (
      UPDATE ledger_account AS a SET
        debits_pending = a.debits_pending + d.dpe,
        debits_posted = a.debits_posted + d.dpo,
        credits_pending = a.credits_pending + d.cpe,
        credits_posted = a.credits_posted + d.cpo
      FROM (VALUES ${changes}) AS d (id, dpe, dpo, cpe, cpo)
      WHERE a.id = d.id
      RETURNING a.id
    )
    SELECT * FROM inserted`.execute(tx);
  const byKey = new Map(result.rows.map((r) => [r.idempotency_key, r]));
  return planned.map((t) => {
    const row = byKey.get(t.idempotencyKey)!;
    return {
      id: row.id,
      idempotencyKey: t.idempotencyKey,
      ledger: t.ledger,
      kind: t.kind,
      debitAccountId: t.debitAccountId,
      creditAccountId: t.creditAccountId,
      amountMinor: t.amountMinor,
      code: t.code,
      pendingId: t.pendingId,
      reversesId: t.reversesId,
      batchId: row.batch_id,
      memo: t.memo,
      createdAt: row.created_at,
    };
  });
}

/**
 * Draws `count` values from the identity sequence of `table`'s id, so a bulk writer knows each
 * row's id before it inserts (and can plan with it). The sequence is named once and the values
 * come back as one array: a row per value, or a catalog lookup per value, costs several times more.
 */
export async function reserveIdentityValues(
  tx: Tx,
  table: 'ledger_account' | 'ledger_transfer' | 'contribution',
  count: number,
): Promise<bigint[]> {
  if (count === 0) return [];
  const sequence = await sql<{ name: string }>`
    SELECT pg_get_serial_sequence(${table}, 'id') AS name`.execute(tx);
  const result = await sql<{ ids: string }>`
    SELECT array_agg(nextval(${sequence.rows[0]!.name}::regclass))::text AS ids
    FROM generate_series(1, ${count}::int)`.execute(tx);
  const ids = result.rows[0]!.ids.slice(1, -1).split(',').map(BigInt);
  assert(ids.length === count, 'a reservation draws exactly the values asked for');
  return ids;
}

/** Draws `count` ids from the account id sequence (see `reserveIdentityValues`). */
export async function reserveAccountIds(tx: Tx, count: number): Promise<bigint[]> {
  return reserveIdentityValues(tx, 'ledger_account', count);
}

/** Decimal text of each value, `null` kept: how bigint columns travel in an `unnest` array. */
function texts<T>(rows: readonly T[], pick: (row: T) => unknown): (string | null)[] {
  return rows.map((row) => {
    const value = pick(row);
    return value === null ? null : String(value);
  });
}

/**
 * One column of a bulk `unnest` statement as a `type[]`: the values comma-joined into ONE text,
 * split by `string_to_array` (an empty element is NULL), when no value is empty or holds a comma
 * — much cheaper for both drivers to send and for the server to parse than a text array of as
 * many elements (PGlite quotes and escapes each element in JavaScript) — else a text array.
 * Free text (a title, an external id) mostly takes the cheap way and stays correct otherwise.
 */
export function bulkColumn<T>(rows: readonly T[], type: string, pick: (row: T) => unknown) {
  const values = texts(rows, pick);
  // One lone NULL would join to '', which splits into no element at all.
  const joinable =
    (values.length > 1 || values[0] !== null) &&
    values.every((v) => v === null || (v !== '' && !v.includes(',')));
  return joinable
    ? sql`string_to_array(${values.map((v) => v ?? '').join(',')}, ',', '')::${sql.raw(type)}[]`
    : sql`${values}::${sql.raw(type)}[]`;
}

/**
 * Runs the statements of a bulk write over `total` rows, `LEDGER_BULK_ROWS` (or `rowsPer`) each,
 * one at a time, each built (`statement(start, end)`, JavaScript) while the server runs the one
 * before: on PostgreSQL the two overlap. No statement outlives the call, even when building the
 * next one throws. `onRows` after each statement with the rows done.
 */
export async function runBulkStatements(
  tx: Tx,
  total: number,
  statement: (start: number, end: number) => { execute(tx: Tx): Promise<unknown> },
  options: { rowsPer?: number; onRows?: (done: number) => void } = {},
): Promise<void> {
  const rowsPer = options.rowsPer ?? LEDGER_BULK_ROWS;
  let running: Promise<unknown> = Promise.resolve();
  try {
    for (let start = 0; start < total; start += rowsPer) {
      const end = Math.min(start + rowsPer, total);
      const next = statement(start, end);
      await running;
      running = next.execute(tx).then(() => options.onRows?.(end));
    }
  } catch (error) {
    await running.catch(() => undefined);
    throw error;
  }
  await running;
}

/**
 * Inserts new accounts with their reserved ids and the balances their first transfers give them
 * (the caller inserts those transfers in the same transaction with `insertUnlinkedTransfers`),
 * `LEDGER_BULK_ROWS` per statement — so a bulk writer never updates the rows it just wrote. The
 * balance CHECKs hold on these values as on any update.
 */
export async function insertOpenedAccounts(tx: Tx, accounts: readonly Account[]): Promise<void> {
  await runBulkStatements(tx, accounts.length, (start, end) => {
    const a = accounts.slice(start, end);
    return sql`
      INSERT INTO ledger_account (id, ledger, code, reference, debits_must_not_exceed_credits,
                                  credits_must_not_exceed_debits, debits_pending, debits_posted,
                                  credits_pending, credits_posted)
      OVERRIDING SYSTEM VALUE
      SELECT * FROM unnest(
        ${bulkColumn(a, 'int8', (x) => x.id)}, ${bulkColumn(a, 'char(3)', (x) => x.ledger)},
        ${bulkColumn(a, 'int', (x) => x.code)}, ${bulkColumn(a, 'text', (x) => x.reference)},
        ${bulkColumn(a, 'boolean', (x) => (x.debitsMustNotExceedCredits ? 't' : 'f'))},
        ${bulkColumn(a, 'boolean', (x) => (x.creditsMustNotExceedDebits ? 't' : 'f'))},
        ${bulkColumn(a, 'int8', (x) => x.debitsPendingMinor)},
        ${bulkColumn(a, 'int8', (x) => x.debitsPostedMinor)},
        ${bulkColumn(a, 'int8', (x) => x.creditsPendingMinor)},
        ${bulkColumn(a, 'int8', (x) => x.creditsPostedMinor)}
      )`;
  });
}

/**
 * Writes many planned, unlinked transfers (no batch id: each stands alone, as if written one by
 * one), one `unnest` statement per `LEDGER_BULK_ROWS`. Their ids are drawn from the sequence
 * first (as `reserveIdentityValues`), so nothing needs to come back. Balances are not touched:
 * the accounts were opened with them (`insertOpenedAccounts`). Returns the new ids in input
 * order.
 */
export async function insertUnlinkedTransfers(
  tx: Tx,
  planned: readonly PlannedTransfer[],
): Promise<bigint[]> {
  const ids = await reserveIdentityValues(tx, 'ledger_transfer', planned.length);
  await runBulkStatements(tx, planned.length, (start, end) => {
    const t = planned.slice(start, end);
    const id = ids.slice(start, end);
    return sql`
      INSERT INTO ledger_transfer (id, idempotency_key, payload_hash, ledger, kind,
                                   debit_account_id, credit_account_id, amount, code, pending_id,
                                   reverses_id, memo)
      OVERRIDING SYSTEM VALUE
      SELECT * FROM unnest(
        ${bulkColumn(id, 'int8', (x) => x)},
        ${bulkColumn(t, 'text', (x) => x.idempotencyKey)},
        ${bulkColumn(t, 'text', (x) => x.payloadHash)},
        ${bulkColumn(t, 'char(3)', (x) => x.ledger)}, ${bulkColumn(t, 'text', (x) => x.kind)},
        ${bulkColumn(t, 'int8', (x) => x.debitAccountId)},
        ${bulkColumn(t, 'int8', (x) => x.creditAccountId)},
        ${bulkColumn(t, 'int8', (x) => x.amountMinor)}, ${bulkColumn(t, 'int', (x) => x.code)},
        ${bulkColumn(t, 'int8', (x) => x.pendingId)}, ${bulkColumn(t, 'int8', (x) => x.reversesId)},
        ${bulkColumn(t, 'text', (x) => x.memo)}
      )`;
  });
  return ids;
}

export interface AccountMismatch {
  accountId: bigint;
  reference: string;
  ledger: string;
  field: 'debits_pending' | 'debits_posted' | 'credits_pending' | 'credits_posted';
  storedMinor: bigint;
  computedMinor: bigint;
}

/** Every account whose stored balances differ from the sum of its transfers. */
export async function findBalanceMismatches(db: Executor): Promise<AccountMismatch[]> {
  const result = await sql<{
    id: bigint;
    reference: string;
    ledger: string;
    debits_pending: bigint;
    debits_posted: bigint;
    credits_pending: bigint;
    credits_posted: bigint;
    c_dpe: string;
    c_dpo: string;
    c_cpe: string;
    c_cpo: string;
  }>`
    WITH open_pending AS (
      SELECT p.debit_account_id, p.credit_account_id, p.amount FROM ledger_transfer p
      WHERE p.kind = 'pending' AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = p.id)
    ), posted AS (
      SELECT debit_account_id, credit_account_id, amount FROM ledger_transfer
      WHERE kind IN ('posted', 'post_pending', 'reversal')
    ), sides AS (
      SELECT debit_account_id AS account_id, amount AS dpo, 0::bigint AS cpo, 0::bigint AS dpe, 0::bigint AS cpe FROM posted
      UNION ALL SELECT credit_account_id, 0, amount, 0, 0 FROM posted
      UNION ALL SELECT debit_account_id, 0, 0, amount, 0 FROM open_pending
      UNION ALL SELECT credit_account_id, 0, 0, 0, amount FROM open_pending
    ), computed AS (
      SELECT account_id, sum(dpe) AS dpe, sum(dpo) AS dpo, sum(cpe) AS cpe, sum(cpo) AS cpo FROM sides GROUP BY account_id
    )
    SELECT a.id, a.reference, a.ledger, a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted,
           coalesce(c.dpe, 0)::text AS c_dpe, coalesce(c.dpo, 0)::text AS c_dpo,
           coalesce(c.cpe, 0)::text AS c_cpe, coalesce(c.cpo, 0)::text AS c_cpo
    FROM ledger_account a LEFT JOIN computed c ON c.account_id = a.id
    WHERE a.debits_pending <> coalesce(c.dpe, 0) OR a.debits_posted <> coalesce(c.dpo, 0)
       OR a.credits_pending <> coalesce(c.cpe, 0) OR a.credits_posted <> coalesce(c.cpo, 0)
    ORDER BY a.id`.execute(db);
  const mismatches: AccountMismatch[] = [];
  for (const row of result.rows) {
    const pairs = [
      ['debits_pending', row.debits_pending, BigInt(row.c_dpe)],
      ['debits_posted', row.debits_posted, BigInt(row.c_dpo)],
      ['credits_pending', row.credits_pending, BigInt(row.c_cpe)],
      ['credits_posted', row.credits_posted, BigInt(row.c_cpo)],
    ] as const;
    for (const [field, stored, computed] of pairs) {
      if (stored !== computed) {
        mismatches.push({
          accountId: row.id,
          reference: row.reference,
          ledger: row.ledger,
          field,
          storedMinor: stored,
          computedMinor: computed,
        });
      }
    }
  }
  return mismatches;
}

export interface LedgerTotals {
  ledger: string;
  accounts: number;
  transfers: number;
  debitsPendingMinor: bigint;
  debitsPostedMinor: bigint;
  creditsPendingMinor: bigint;
  creditsPostedMinor: bigint;
}

/** Σ of each balance column per ledger (sums as numeric: they may exceed int8). */
export async function ledgerTotals(db: Executor): Promise<LedgerTotals[]> {
  const result = await sql<{
    ledger: string;
    accounts: bigint;
    transfers: bigint | null;
    dpe: string;
    dpo: string;
    cpe: string;
    cpo: string;
  }>`
    SELECT a.ledger, count(*)::int8 AS accounts,
           (SELECT count(*) FROM ledger_transfer t WHERE t.ledger = a.ledger)::int8 AS transfers,
           sum(a.debits_pending)::text AS dpe, sum(a.debits_posted)::text AS dpo,
           sum(a.credits_pending)::text AS cpe, sum(a.credits_posted)::text AS cpo
    FROM ledger_account a GROUP BY a.ledger ORDER BY a.ledger`.execute(db);
  return result.rows.map((r) => ({
    ledger: r.ledger,
    accounts: Number(r.accounts),
    transfers: Number(r.transfers ?? 0n),
    debitsPendingMinor: BigInt(r.dpe),
    debitsPostedMinor: BigInt(r.dpo),
    creditsPendingMinor: BigInt(r.cpe),
    creditsPostedMinor: BigInt(r.cpo),
  }));
}

export interface TransferInconsistency {
  transferId: bigint;
  problem: string;
}

/**
 * Transfers that contradict what they point at: a post or void whose accounts differ from its
 * pending transfer's, a post above the pending amount, a void of another amount, a resolution
 * of a non-pending transfer, a reversal that does not mirror its original; and accounts whose
 * flags are violated.
 */
export async function findTransferInconsistencies(db: Executor): Promise<TransferInconsistency[]> {
  const result = await sql<{ id: bigint; problem: string }>`
    SELECT r.id, CASE
        WHEN p.kind <> 'pending' THEN 'resolves a transfer that is not pending'
        WHEN r.debit_account_id <> p.debit_account_id OR r.credit_account_id <> p.credit_account_id
          THEN 'accounts differ from its pending transfer'
        WHEN r.kind = 'post_pending' AND r.amount > p.amount THEN 'posts more than was pending'
        ELSE 'voids an amount other than the pending amount' END AS problem
    FROM ledger_transfer r JOIN ledger_transfer p ON p.id = r.pending_id
    WHERE p.kind <> 'pending'
       OR r.debit_account_id <> p.debit_account_id OR r.credit_account_id <> p.credit_account_id
       OR (r.kind = 'post_pending' AND r.amount > p.amount)
       OR (r.kind = 'void_pending' AND r.amount <> p.amount)
    UNION ALL
    SELECT r.id, CASE
        WHEN o.kind NOT IN ('posted', 'post_pending') THEN 'reverses a transfer that was not posted'
        ELSE 'does not mirror the transfer it reverses' END
    FROM ledger_transfer r JOIN ledger_transfer o ON o.id = r.reverses_id
    WHERE o.kind NOT IN ('posted', 'post_pending')
       OR r.debit_account_id <> o.credit_account_id OR r.credit_account_id <> o.debit_account_id
       OR r.amount <> o.amount
    UNION ALL
    SELECT a.id, 'account ' || a.reference || ': debits exceed credits despite its flag'
    FROM ledger_account a
    WHERE a.debits_must_not_exceed_credits AND a.debits_pending + a.debits_posted > a.credits_posted
    UNION ALL
    SELECT a.id, 'account ' || a.reference || ': credits exceed debits despite its flag'
    FROM ledger_account a
    WHERE a.credits_must_not_exceed_debits AND a.credits_pending + a.credits_posted > a.debits_posted
    ORDER BY 1`.execute(db);
  return result.rows.map((r) => ({ transferId: r.id, problem: r.problem }));
}

export async function listAccountTransfers(
  db: Executor,
  accountId: bigint,
  afterId: bigint,
  limit: number,
): Promise<Transfer[]> {
  const rows = await db
    .selectFrom('ledger_transfer')
    .selectAll()
    .where((eb) =>
      eb.or([eb('debit_account_id', '=', accountId), eb('credit_account_id', '=', accountId)]),
    )
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toTransfer);
}

export interface ConversionRate {
  rate: string;
  fromRatePerEur: string;
  toRatePerEur: string;
  rateDate: string;
  source: string;
}

export async function insertConversion(
  tx: Tx,
  c: { fromTransferId: bigint; toTransferId: bigint } & ConversionRate,
): Promise<bigint> {
  const row = await tx
    .insertInto('ledger_conversion')
    .values({
      from_transfer_id: c.fromTransferId,
      to_transfer_id: c.toTransferId,
      from_rate_per_eur: c.fromRatePerEur,
      to_rate_per_eur: c.toRatePerEur,
      rate: c.rate,
      rate_date: c.rateDate,
      rate_source: c.source,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findConversionByTransfer(
  db: Executor,
  fromTransferId: bigint,
): Promise<{ id: bigint; rate: ConversionRate } | undefined> {
  const row = await db
    .selectFrom('ledger_conversion')
    .selectAll()
    .where('from_transfer_id', '=', fromTransferId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    rate: {
      rate: row.rate,
      fromRatePerEur: row.from_rate_per_eur,
      toRatePerEur: row.to_rate_per_eur,
      rateDate: row.rate_date,
      source: row.rate_source,
    },
  };
}
