/**
 * The funding funnel (PRODUCT.md "Analysis"): pledged → committed → paid → allocated →
 * authorised → disbursed → delivered value, in the reporting currency, each stage also in every
 * original currency, and reconciled with the ledger.
 *
 * Each stage's records and the day that values them (and decides whether they are on or before
 * `asOf`):
 * | stage      | records                                                        | value date        |
 * | ---------- | -------------------------------------------------------------- | ----------------- |
 * | pledged    | contributions not cancelled: the pledged amount                | announced on      |
 * | committed  | contributions committed, partially paid or paid: the committed amount (after reductions) | committed on |
 * | paid       | each payment received from a donor                             | paid on           |
 * | allocated  | each allocation not voided, at what reached the package (USD); minus each surplus returned to a contribution when its package closed | value date; closing day |
 * | authorised | packages authorised or later (authorized … closed): their price | authorised on    |
 * | disbursed  | each payment to the supplier (the `disburse` command's record) | paid on           |
 * | delivered  | each receipt: the quantity it adds in good order × the line's unit price (see `listReceiptValues`) | received on |
 *
 * A pledge is not funding (as in OCHA FTS): it is shown, never part of a funded total
 * (`funding: false`). Every stage's `percentOfCommitted` compares it with committed.
 *
 * The reconciliation compares, per currency, the original-currency sums of the records with the
 * balances of the ledger accounts that hold the same money:
 * - committed = Σ `contribution:N:receivable` (committed, not yet paid) + `fund:CUR:cash` (paid);
 * - paid = `fund:CUR:cash`;
 * - allocated = Σ `package:N:funding` (allocated, not yet paid out) + `supplier:USA:USD:paid`;
 * - disbursed = `supplier:USA:USD:paid`.
 * The ledger has no value dates, so the reconciliation always covers every record to date,
 * whatever `asOf` says; with `asOf` today (the default) its analytics side equals the stages'
 * `byCurrency` figures.
 */
import type { Actor } from '../../core/actor.js';
import {
  figureKey,
  percentText,
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillDown,
  type ParsedFigureKey,
} from '../../core/analytics.js';
import { LIMITS } from '../../core/limits.js';
import {
  FUNDING_LEDGER_TABLE,
  fundingLedgerBalances,
  listAllocationAmounts,
  type AllocationAmountRow,
  listAuthorisedPackages,
  listContributionAmounts,
  listDisbursements,
  listPayments,
  listReceiptValues,
  type ContributionAmountRow,
  type FundingLedgerBalances,
  type PaymentRow,
  type ReceiptValueRow,
  type StageAmountRow,
} from '../../storage/analytics-repository.js';
import type { Database } from '../../storage/database.js';
import type { Tx } from '../../storage/transaction.js';
import {
  badFigure,
  drillDown,
  listedRecord,
  groupsByCurrency,
  openFor,
  runAnalysis,
  scopeOf,
  upTo,
  type AnalysisContext,
  type ReportedGroup,
  type SourceRecord,
} from './figures.js';
import { visibilityFor } from './visibility.js';
import {
  countsIn,
  readKeptChunkParts,
  readStage,
  reportStage,
  reportStageCounted,
  type StageRead,
} from './stage-memo.js';

export const FUNNEL_STAGES = [
  'pledged',
  'committed',
  'paid',
  'allocated',
  'authorised',
  'disbursed',
  'delivered',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** The stages the ledger holds, in the order they are reconciled. */
export const RECONCILED_STAGES = ['committed', 'paid', 'allocated', 'disbursed'] as const;
export type ReconciledStage = (typeof RECONCILED_STAGES)[number];

export interface FunnelCurrencyFigure {
  /** The original currency (no conversion). */
  currency: string;
  /** Σ of the stage's records in this currency, in its minor units. */
  amountMinor: bigint;
  records: number;
  /** The drill-down of these records (`funnel.<stage>:<CUR>`). */
  figure: string;
}

export interface FunnelStageFigure {
  stage: FunnelStage;
  /** In the reporting currency. */
  amountMinor: bigint;
  records: number;
  /** False for `pledged`: a pledge is not funding. */
  funding: boolean;
  /** amountMinor / committed as a percentage (2 decimals, half to even); null when none is committed. */
  percentOfCommitted: string | null;
  byCurrency: FunnelCurrencyFigure[];
  figures: { amount: string };
}

export interface FunnelReconciliationLine {
  stage: ReconciledStage;
  currency: string;
  /** Σ of the stage's records in this currency (every record to date). */
  analyticsMinor: bigint;
  /** The ledger's balances that hold the same money. */
  ledgerMinor: bigint;
  matches: boolean;
  /** Which ledger balances `ledgerMinor` sums. */
  ledgerAccounts: string;
}

export interface FunnelReconciliation {
  /** Every line matches. */
  ok: boolean;
  lines: FunnelReconciliationLine[];
}

export interface Funnel {
  basis: AnalyticsBasis;
  stages: FunnelStageFigure[];
  reconciliation: FunnelReconciliation;
}

// ---- The records of each stage ----

function contributionLabel(partyId: string, id: bigint): string {
  return `${partyId} contribution ${id}`;
}

/** A pledge or commitment as a record (every reader may see it). */
function contributionRecord(c: ContributionAmountRow, labels = true): SourceRecord {
  return {
    kind: 'contribution',
    id: c.id,
    label: labels ? `${contributionLabel(c.partyId, c.id)} — ${c.title}` : '',
    date: c.valueDate,
    partyId: c.partyId,
    packageId: null,
    contributionId: c.id,
    amountMinor: c.amountMinor,
    currency: c.currency,
    quantity: null,
    restricted: null,
  };
}

/** A payment as a record (every reader may see it). */
function paymentRecord(p: PaymentRow, labels = true): SourceRecord {
  return {
    kind: 'payment',
    id: p.id,
    label: labels
      ? `Payment ${p.id} of ${contributionLabel(p.donorPartyId, p.contributionId)}`
      : '',
    date: p.paidOn,
    partyId: p.donorPartyId,
    packageId: null,
    contributionId: p.contributionId,
    amountMinor: p.amountMinor,
    currency: p.currency,
    quantity: null,
    restricted: null,
  };
}

/** A receipt's delivered value as a record (shared with coverage and pace). */
export function receiptRecord(row: ReceiptValueRow): SourceRecord {
  return {
    kind: 'receipt',
    id: row.id,
    label: `Receipt ${row.id}: line ${row.packageLineId} of ${row.packageNumber}`,
    date: row.valueDate,
    partyId: null,
    packageId: row.packageId,
    contributionId: null,
    amountMinor: BigInt(row.quantity) * row.unitPriceMinor,
    currency: row.currency,
    quantity: row.quantity,
    restricted: { kind: 'package', packageId: row.packageId },
  };
}

/** An allocated record: an allocation, or (negative) its surplus returned at closing. */
export function allocationRecord(a: AllocationAmountRow, labels = true): SourceRecord {
  return {
    kind: 'allocation',
    id: a.id,
    label: !labels
      ? ''
      : a.surplus
        ? `Surplus of ${a.packageNumber} returned to ${contributionLabel(a.partyId, a.contributionId)} (allocation ${a.id})`
        : `Allocation ${a.id}: ${contributionLabel(a.partyId, a.contributionId)} → ${a.packageNumber}`,
    date: a.valueDate,
    partyId: a.partyId,
    packageId: a.packageId,
    contributionId: a.contributionId,
    amountMinor: a.amountMinor,
    currency: a.currency,
    quantity: null,
    restricted: null,
  };
}

/**
 * Every record of a stage (all dates: callers keep those up to `asOf`). `labels: false` leaves
 * the labels empty: a figure sums amounts, only a drill-down shows labels.
 */
export async function loadStageRecords(
  tx: Tx,
  stage: FunnelStage,
  labels = true,
): Promise<SourceRecord[]> {
  switch (stage) {
    case 'pledged':
    case 'committed':
      return (await listContributionAmounts(tx, stage)).map((c) => contributionRecord(c, labels));
    case 'paid':
      return (await listPayments(tx)).map((p) => paymentRecord(p, labels));
    case 'allocated':
      return (await listAllocationAmounts(tx)).map((a) => allocationRecord(a, labels));
    case 'authorised':
      return (await listAuthorisedPackages(tx)).map((p) => ({
        kind: 'package',
        id: p.id,
        label: labels ? `${p.number} authorised` : '',
        date: p.valueDate,
        partyId: null,
        packageId: p.id,
        contributionId: null,
        amountMinor: p.amountMinor,
        currency: p.currency,
        quantity: null,
        restricted: null,
      }));
    case 'disbursed':
      return (await listDisbursements(tx)).map((d) => ({
        kind: 'disbursement',
        id: d.transferId,
        label: labels
          ? `Payment to the supplier for ${d.packageNumber} (transfer ${d.transferId})`
          : '',
        date: d.valueDate,
        partyId: null,
        packageId: d.packageId,
        contributionId: null,
        amountMinor: d.amountMinor,
        currency: d.currency,
        quantity: null,
        restricted: null,
      }));
    case 'delivered':
      return (await listReceiptValues(tx)).map(receiptRecord);
  }
}

// ---- The funnel ----

export async function getFunnel(
  database: Database,
  actor: Actor,
  options: AnalyticsOptions,
): Promise<Funnel> {
  return runAnalysis(
    database,
    actor,
    options,
    async (tx, context) => {
      // Each stage summed in SQL (records in the reporting currency) or converted record by
      // record (the others): the same sums as converting every record (figures.ts).
      // Stages whose tables have not changed since an earlier analysis are kept (stage-memo.ts).
      const reads = new Map<FunnelStage, StageRead>();
      for (const stage of FUNNEL_STAGES) reads.set(stage, await readStage(tx, context, stage));
      const totals = new Map([...reads].map(([stage, read]) => [stage, read.totals]));
      const reporting = await openFor(tx, context, scopeOf([...totals.values()].flat()));
      const current = new Map<FunnelStage, readonly ReportedGroup[]>();
      for (const [stage, read] of reads) {
        current.set(stage, await reportStage(tx, context, reporting, read));
      }
      const amounts = new Map(
        [...current].map(([stage, groups]) => [
          stage,
          groups.reduce((sum, g) => sum + g.reportedMinor, 0n),
        ]),
      );
      const committed = amounts.get('committed') ?? 0n;
      const stages = FUNNEL_STAGES.map((stage): FunnelStageFigure => {
        const groups = current.get(stage) ?? [];
        const amountMinor = amounts.get(stage) ?? 0n;
        return {
          stage,
          amountMinor,
          records: groups.reduce((n, g) => n + g.records, 0),
          funding: stage !== 'pledged',
          percentOfCommitted: percentText(amountMinor, committed),
          byCurrency: groupsByCurrency(groups).map((c) => ({
            ...c,
            figure: figureKey('funnel', stage, c.currency),
          })),
          figures: { amount: figureKey('funnel', stage) },
        };
      });
      return {
        basis: reporting.basis(),
        stages,
        reconciliation: reconcile(
          totals,
          (
            await readKeptChunkParts(
              tx,
              context,
              'ledger',
              FUNDING_LEDGER_TABLE,
              fundingLedgerBalances,
            )
          ).flat(),
        ),
      };
    },
    { analysis: 'funnel' },
  );
}

const LEDGER_ACCOUNTS: Record<ReconciledStage, (currency: string) => string> = {
  committed: (c) => `Σ contribution:N:receivable (${c}) + fund:${c}:cash`,
  paid: (c) => `fund:${c}:cash`,
  allocated: (c) => `Σ package:N:funding (${c}) + supplier:USA:${c}:paid`,
  disbursed: (c) => `supplier:USA:${c}:paid`,
};

/** Per reconciled stage and currency: the records' sum (every date) beside the ledger's balances. */
function reconcile(
  totals: Map<FunnelStage, readonly StageAmountRow[]>,
  ledger: readonly FundingLedgerBalances[],
): FunnelReconciliation {
  // The balances come per chunk of accounts: added up per ledger.
  const balances = new Map<string, FundingLedgerBalances>();
  for (const b of ledger) {
    const same = balances.get(b.ledger);
    balances.set(
      b.ledger,
      same
        ? {
            ledger: b.ledger,
            receivableMinor: same.receivableMinor + b.receivableMinor,
            cashMinor: same.cashMinor + b.cashMinor,
            packageFundingMinor: same.packageFundingMinor + b.packageFundingMinor,
            supplierPaidMinor: same.supplierPaidMinor + b.supplierPaidMinor,
          }
        : b,
    );
  }
  const lines: FunnelReconciliationLine[] = [];
  for (const stage of RECONCILED_STAGES) {
    const analytics = new Map(
      (totals.get(stage) ?? []).filter((r) => r.total).map((r) => [r.currency, r.amountMinor]),
    );
    const ledger = new Map<string, bigint>();
    for (const [currency, b] of balances) {
      const value =
        stage === 'committed'
          ? b.receivableMinor + b.cashMinor
          : stage === 'paid'
            ? b.cashMinor
            : stage === 'allocated'
              ? b.packageFundingMinor + b.supplierPaidMinor
              : b.supplierPaidMinor;
      if (value !== 0n) ledger.set(currency, value);
    }
    const currencies = [...new Set([...analytics.keys(), ...ledger.keys()])].sort();
    for (const currency of currencies) {
      const analyticsMinor = analytics.get(currency) ?? 0n;
      const ledgerMinor = ledger.get(currency) ?? 0n;
      lines.push({
        stage,
        currency,
        analyticsMinor,
        ledgerMinor,
        matches: analyticsMinor === ledgerMinor,
        ledgerAccounts: LEDGER_ACCOUNTS[stage](currency),
      });
    }
  }
  return { ok: lines.every((l) => l.matches), lines };
}

// ---- Drill-down ----

/** `funnel.<stage>` or `funnel.<stage>:<CUR>` (the stage's records in one original currency). */
export async function drillFunnel(
  tx: Tx,
  context: AnalysisContext,
  key: ParsedFigureKey,
): Promise<DrillDown> {
  const stage = FUNNEL_STAGES.find((s) => s === key.measure);
  if (!stage)
    throw badFigure(key, `is not a funnel figure: the stages are ${FUNNEL_STAGES.join(', ')}.`);
  const [currency, ...rest] = key.dimensions;
  if (rest.length > 0 || (currency !== undefined && !/^[A-Z]{3}$/.test(currency))) {
    throw badFigure(key, 'takes at most one dimension, an original currency (funnel.paid:EUR).');
  }
  if (stage === 'pledged' || stage === 'committed' || stage === 'paid' || stage === 'allocated') {
    return drillRecordedStage(tx, context, key, stage, currency);
  }
  const records = upTo(await loadStageRecords(tx, stage), context.options.asOf).filter(
    (r) => currency === undefined || r.currency === currency,
  );
  const reporting = await openFor(tx, context, records);
  const visibility = await visibilityFor(tx, context);
  return drillDown(reporting, figureKey('funnel', stage, ...key.dimensions), records, visibility);
}

/**
 * The drill-down of a stage whose records every reader may see — the contribution side (pledged,
 * committed, paid) and what reached packages (allocated: amounts and donors, no package
 * contents): the total from the kept stage (stage-memo.ts: the sum of each record
 * converted on its own, as `drillDown` adds them), and only the records listed read — the first
 * `LIMITS.drillRecordsMax` by date then id, as `drillDown` lists them. The basis counts every
 * record of the figure, as `drillDown`'s does.
 */
async function drillRecordedStage(
  tx: Tx,
  context: AnalysisContext,
  key: ParsedFigureKey,
  stage: 'pledged' | 'committed' | 'paid' | 'allocated',
  currency: string | undefined,
): Promise<DrillDown> {
  const { asOf } = context.options;
  const read = await readStage(tx, context, stage);
  const mine = (c: string) => currency === undefined || c === currency;
  const reporting = await openFor(
    tx,
    context,
    scopeOf(read.totals.filter((t) => mine(t.currency))),
  );
  // Every currency's groups converted (and kept) in a basis of their own scope; this drill-down
  // counts its currency's conversions only.
  const all = currency === undefined ? reporting : await openFor(tx, context, scopeOf(read.totals));
  const converted = await reportStageCounted(tx, context, all, read);
  if (currency !== undefined) reporting.tally(countsIn(converted, currency));
  let totalMinor = 0n;
  let count = 0;
  for (const g of converted.groups) {
    if (!mine(g.currency)) continue;
    totalMinor += g.reportedMinor;
    count += g.records;
  }
  const max = LIMITS.drillRecordsMax;
  const page =
    stage === 'paid'
      ? (await listPayments(tx, { to: asOf, currency, limit: max })).map((p) => paymentRecord(p))
      : stage === 'allocated'
        ? (await listAllocationAmounts(tx, { to: asOf, currency, limit: max })).map((a) =>
            allocationRecord(a),
          )
        : (await listContributionAmounts(tx, stage, { to: asOf, currency, limit: max })).map((c) =>
            contributionRecord(c),
          );
  return {
    basis: reporting.basis(),
    figure: figureKey('funnel', stage, ...key.dimensions),
    totalMinor,
    truncated: count > max,
    // Counted above with the whole figure: each listed record converted again, not counted twice.
    records: page.map((r) => {
      const c = reporting.convert(r.amountMinor, r.currency, r.date, 0);
      return listedRecord(r, { originalAmountMinor: r.amountMinor, ...c });
    }),
  };
}
