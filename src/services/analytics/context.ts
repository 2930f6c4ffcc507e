/**
 * The Kiel context view (PRODUCT.md "Analysis"): per donor, the imported Kiel Institute Ukraine
 * Support Tracker figures (EUR bn, exact decimals as published) beside PURL's own committed and
 * paid for that donor in the reporting currency. A donor in only one of the two sources is
 * listed with nulls on the other side.
 *
 * The rules:
 * - **Which Kiel row**: per donor (`iso`), the row of the latest period — a month's row ends on
 *   the month's last day, a yearly row (month 0) on 31 December; on a tie the yearly row wins
 *   (it covers the whole year). With `year`, only that year's rows are considered. A row whose
 *   period starts after `asOf` is left out.
 * - **Kiel amounts** (total, financial, humanitarian, military, commitments, to be allocated,
 *   GDP) are EUR bn: the decimal text is turned into EUR minor units exactly (× 10^11; more than
 *   11 decimals round half to even), then converted to the reporting currency like every other
 *   amount (services/analytics/reporting.ts): at the fixed date in `fixed` mode, otherwise at
 *   the rate of the end of the row's period — or of `asOf`, or of the last day with imported
 *   rates, if earlier (the row states the rate and its date). In EUR nothing is converted.
 *   `pct_gdp` is a percentage and is shown as published.
 * - **PURL committed** per donor: each contribution's commitment as it stands (after any
 *   reduction; pledges and cancellations count nothing), committed on or before `asOf` (within
 *   `year` when given), converted at its commitment date (`contribution` records). **PURL paid**:
 *   each payment paid on or before `asOf` (within `year`), converted at its payment date
 *   (`payment` records). Null for a donor with none.
 * - `committedPctOfKielMilitary`: PURL committed as a percentage of Kiel's military figure
 *   (both in the reporting currency; PURL is military aid), 2 decimals, half to even.
 * - Nothing here is restricted (core/redaction.ts): contribution amounts are visible to every
 *   reader of the analyses.
 *
 * Figure keys: `context.committed:<ISO>[:<year>]`, `context.paid:<ISO>[:<year>]`, and
 * `context.<measure>:total[:<year>]` for all donors. The Kiel figures have no drill-down: each is
 * one imported row, named by its source file and SHA-256.
 */
import type { Actor } from '../../core/actor.js';
import {
  FigureBook,
  figureKey,
  percentText,
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillRecord,
} from '../../core/analytics.js';
import { DomainError } from '../../core/errors.js';
import { addDays, divideRoundHalfEven } from '../../core/fx.js';
import { tryParseDecimal } from '../../core/money.js';
import { authorize } from '../../core/policy.js';
import {
  listCommittedContributions,
  listPartyNames,
  listPayments,
} from '../../storage/analytics-delivery-repository.js';
import type { Database } from '../../storage/database.js';
import { listKielFigures, type KielFigureRow } from '../../storage/indicators-repository.js';
import type { Tx } from '../../storage/transaction.js';
import { runAnalysis, scopeOf, type CheckedOptions } from './figures.js';
import { openReporting, type Reporting } from './reporting.js';
import { readStage, reportStage } from './stage-memo.js';

export const KIEL_AMOUNT_FIELDS = [
  'total',
  'financial',
  'humanitarian',
  'military',
  'commitments',
  'toBeAllocated',
  'gdp',
] as const;
export type KielAmountField = (typeof KIEL_AMOUNT_FIELDS)[number];

export const CONTEXT_MEASURES = ['committed', 'paid'] as const;
export type ContextMeasure = (typeof CONTEXT_MEASURES)[number];

/** The dimension of the all-donor figures. */
export const CONTEXT_TOTAL = 'total';
/** Kiel's years (migration 0015). */
export const KIEL_YEAR_MIN = 2000;
export const KIEL_YEAR_MAX = 2200;

export interface KielAmount {
  /** As published: EUR bn, exact decimal text; null where the file's cell was blank. */
  eurBn: string | null;
  /** The same in minor units of the reporting currency. */
  amountMinor: bigint | null;
}

export interface KielFigures {
  countryName: string;
  year: number;
  /** 1–12; null for a yearly row. */
  month: number | null;
  /** `2025` or `2025-06`. */
  period: string;
  periodEnd: string;
  amounts: Record<KielAmountField, KielAmount>;
  /** As published (a percentage). */
  pctGdp: string | null;
  /** Reporting-currency units per EUR used for this row, and its day (null: nothing converted). */
  rate: string | null;
  rateDate: string | null;
  sourceFile: string;
  sourceSha256: string;
  importedAt: Date;
}

export interface PurlFigures {
  committedMinor: bigint;
  paidMinor: bigint;
  figures: Record<ContextMeasure, string>;
}

export interface KielContextRow {
  /** ISO 3166 alpha-3 (the party id of a nation). */
  iso: string;
  /** The party's names; for a country that is no party, Kiel's country name in each. */
  names: { en: string; fr: string; uk: string };
  kiel: KielFigures | null;
  purl: PurlFigures | null;
  committedPctOfKielMilitary: string | null;
}

export interface KielSource {
  sourceFile: string;
  sourceSha256: string;
  importedAt: Date;
}

export interface KielContext {
  basis: AnalyticsBasis;
  year: number | null;
  /** How the Kiel figures were converted, in words. */
  kielConversion: string;
  /** The imported files the rows come from. */
  sources: KielSource[];
  /** By PURL committed (largest first), then Kiel total, then ISO code. */
  rows: KielContextRow[];
  totals: PurlFigures;
}

export type KielContextOptions = AnalyticsOptions & { year?: number | undefined };

export interface KielContextComputation {
  result: KielContext;
  book: FigureBook;
}

/** Checks `year`; VALIDATION_FAILED naming it. */
export function checkKielYear(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < KIEL_YEAR_MIN ||
    value > KIEL_YEAR_MAX
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `year: a year from ${KIEL_YEAR_MIN} to ${KIEL_YEAR_MAX}, such as 2025.`,
      { field: 'year' },
    );
  }
  return value;
}

/** First and last day of a Kiel row's period. */
export function kielPeriod(year: number, month: number): { start: string; end: string } {
  if (month === 0) return { start: `${year}-01-01`, end: `${year}-12-31` };
  const mm = String(month).padStart(2, '0');
  const next =
    month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return { start: `${year}-${mm}-01`, end: addDays(next, -1) };
}

/** EUR bn decimal text → EUR minor units (cents), exactly; more than 11 decimals half to even. */
export function eurBnToMinor(text: string): bigint {
  const decimal = tryParseDecimal(text);
  if (!decimal) {
    throw new DomainError('VALIDATION_FAILED', `A Kiel amount "${text}" is not a decimal.`, {
      field: 'kiel',
    });
  }
  const shift = 11 - decimal.scale;
  return shift >= 0
    ? decimal.mantissa * 10n ** BigInt(shift)
    : divideRoundHalfEven(decimal.mantissa, 10n ** BigInt(-shift));
}

/** The latest period's row per ISO code (the yearly row on a tie), periods started by `asOf`. */
export function latestKielRows(rows: readonly KielFigureRow[], asOf: string): KielFigureRow[] {
  const best = new Map<string, { row: KielFigureRow; end: string }>();
  for (const row of rows) {
    const { start, end } = kielPeriod(row.year, row.month);
    if (start > asOf) continue;
    const current = best.get(row.iso);
    if (
      !current ||
      end > current.end ||
      (end === current.end && row.month === 0 && current.row.month !== 0)
    ) {
      best.set(row.iso, { row, end });
    }
  }
  return [...best.values()].map((b) => b.row);
}

const KIEL_COLUMN: Record<KielAmountField, keyof KielFigureRow> = {
  total: 'total',
  financial: 'financial',
  humanitarian: 'humanitarian',
  military: 'military',
  commitments: 'commitments',
  toBeAllocated: 'toBeAllocated',
  gdp: 'gdp',
};

function kielFigures(reporting: Reporting, row: KielFigureRow, valueDay: string): KielFigures {
  const period = kielPeriod(row.year, row.month);
  let rate: string | null = null;
  let rateDate: string | null = null;
  const amounts = {} as Record<KielAmountField, KielAmount>;
  for (const field of KIEL_AMOUNT_FIELDS) {
    const text = row[KIEL_COLUMN[field]] as string | null;
    if (text === null) {
      amounts[field] = { eurBn: null, amountMinor: null };
      continue;
    }
    const converted = reporting.convert(eurBnToMinor(text), 'EUR', valueDay);
    rate = converted.rate;
    rateDate = reporting.options.currency === 'EUR' ? null : converted.rateDate;
    amounts[field] = { eurBn: text, amountMinor: converted.amountMinor };
  }
  return {
    countryName: row.country,
    year: row.year,
    month: row.month === 0 ? null : row.month,
    period: row.month === 0 ? String(row.year) : period.start.slice(0, 7),
    periodEnd: period.end,
    amounts,
    pctGdp: row.pctGdp,
    rate,
    rateDate,
    sourceFile: row.sourceFile,
    sourceSha256: row.sourceSha256,
    importedAt: row.importedAt,
  };
}

function contextFigures(dimension: string, year: number | undefined) {
  const dims = year === undefined ? [dimension] : [dimension, year];
  return {
    committed: figureKey('context', 'committed', ...dims),
    paid: figureKey('context', 'paid', ...dims),
  };
}

/** Computes the context view in the caller's snapshot (no access check: callers check). */
export async function computeKielContext(
  tx: Tx,
  options: CheckedOptions & { year?: number | undefined },
  /** False: the figures only (no drill records are made or kept). */
  keepRecords = true,
): Promise<KielContextComputation> {
  const year = checkKielYear(options.year);
  const { asOf } = options;
  const from = year === undefined ? undefined : `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const to = year === undefined || asOf < yearEnd ? asOf : yearEnd;
  const kielRows = latestKielRows(
    await listKielFigures(tx, year === undefined ? {} : { year }),
    asOf,
  );
  const book = new FigureBook({ keepRecords });
  const total = contextFigures(CONTEXT_TOTAL, year);
  const add = (measure: ContextMeasure, iso: string, record: DrillRecord) => {
    book.add(contextFigures(iso, year)[measure], record);
    book.add(total[measure], record);
  };
  // The figures only: each amount converted as a record would be, no record made.
  const addAmount = (measure: ContextMeasure, iso: string, amountMinor: bigint) => {
    book.addAmount(contextFigures(iso, year)[measure], amountMinor);
    book.addAmount(total[measure], amountMinor);
  };
  // A period's end may lie after asOf; openReporting always loads the rates of its `today`.
  const kielDates = kielRows.map((row) => kielPeriod(row.year, row.month).end);
  const earliest = (dates: string[]) =>
    dates.length > 0 ? dates.reduce((a, b) => (a < b ? a : b)) : asOf;
  /** Donors with a commitment or a payment counted. */
  const purlIsos = new Set<string>();
  let reporting: Reporting;
  if (!keepRecords && year === undefined) {
    // The figures of every date up to asOf: the committed and paid stages, kept between
    // analyses while their records do not change (stage-memo.ts) — the same sums as converting
    // each record below.
    const stages = {
      committed: await readStage(tx, { options }, 'committed', { byParty: true }),
      paid: await readStage(tx, { options }, 'paid', { byParty: true }),
    };
    const scope = scopeOf([...stages.committed.totals, ...stages.paid.totals]);
    reporting = await openReporting(tx, options, {
      currencies: new Set(['EUR', ...scope.map((s) => s.currency)]),
      from: earliest([...scope.map((s) => s.date), ...kielDates]),
      to: asOf,
    });
    for (const measure of ['committed', 'paid'] as const) {
      for (const g of await reportStage(tx, { options }, reporting, stages[measure])) {
        addAmount(measure, g.partyId!, g.reportedMinor);
        purlIsos.add(g.partyId!);
      }
    }
  } else {
    const committed = await listCommittedContributions(tx, { from, to });
    const payments = await listPayments(tx, { from, to });
    reporting = await openReporting(tx, options, {
      currencies: new Set([
        'EUR',
        ...committed.map((c) => c.currency),
        ...payments.map((p) => p.currency),
      ]),
      from: earliest([
        ...committed.map((c) => c.committedOn),
        ...payments.map((p) => p.paidOn),
        ...kielDates,
      ]),
      to: asOf,
    });
    // Commitments, then payments: each converted on its own, as a drill record when kept.
    const entries = [
      ...committed.map((c) => ({
        measure: 'committed' as const,
        iso: c.donorPartyId,
        amountMinor: c.committedMinor,
        currency: c.currency,
        date: c.committedOn,
        kind: 'contribution' as const,
        id: c.id,
        contributionId: c.id,
        label: () => `${c.donorPartyId} contribution ${c.id} — ${c.title}`,
      })),
      ...payments.map((p) => ({
        measure: 'paid' as const,
        iso: p.donorPartyId,
        amountMinor: p.amountMinor,
        currency: p.currency,
        date: p.paidOn,
        kind: 'payment' as const,
        id: p.id,
        contributionId: p.contributionId,
        label: () => `Payment of ${p.donorPartyId} contribution ${p.contributionId}`,
      })),
    ];
    for (const e of entries) {
      purlIsos.add(e.iso);
      if (!keepRecords) {
        addAmount(
          e.measure,
          e.iso,
          reporting.convert(e.amountMinor, e.currency, e.date).amountMinor,
        );
        continue;
      }
      const base = {
        kind: e.kind,
        id: e.id,
        label: e.label(),
        date: e.date,
        partyId: e.iso,
        packageId: null,
        contributionId: e.contributionId,
        quantity: null,
        days: null,
      };
      add(e.measure, e.iso, reporting.record(base, e.amountMinor, e.currency, e.date));
    }
  }
  const isos = [...new Set([...kielRows.map((r) => r.iso), ...purlIsos])];
  const names = new Map((await listPartyNames(tx, isos)).map((p) => [p.id, p]));
  /** A Kiel row's value day: the end of its period, or `reporting.today` when that is earlier. */
  const kielDay = (row: KielFigureRow) => {
    const end = kielPeriod(row.year, row.month).end;
    return end < reporting.today ? end : reporting.today;
  };

  const kielByIso = new Map(kielRows.map((r) => [r.iso, r]));
  const rows: KielContextRow[] = isos.map((iso) => {
    const kielRow = kielByIso.get(iso);
    const kiel = kielRow ? kielFigures(reporting, kielRow, kielDay(kielRow)) : null;
    const figures = contextFigures(iso, year);
    const purl = purlIsos.has(iso)
      ? {
          committedMinor: book.total(figures.committed),
          paidMinor: book.total(figures.paid),
          figures,
        }
      : null;
    const party = names.get(iso);
    const military = kiel?.amounts.military.amountMinor ?? null;
    return {
      iso,
      names: party
        ? { en: party.nameEn, fr: party.nameFr, uk: party.nameUk }
        : { en: kielRow?.country ?? iso, fr: kielRow?.country ?? iso, uk: kielRow?.country ?? iso },
      kiel,
      purl,
      committedPctOfKielMilitary:
        purl && military !== null ? percentText(purl.committedMinor, military) : null,
    };
  });
  rows.sort(compareRows);

  const sources = new Map<string, KielSource>();
  for (const r of kielRows) {
    if (!sources.has(r.sourceSha256)) {
      sources.set(r.sourceSha256, {
        sourceFile: r.sourceFile,
        sourceSha256: r.sourceSha256,
        importedAt: r.importedAt,
      });
    }
  }

  const result: KielContext = {
    basis: reporting.basis(),
    year: year ?? null,
    kielConversion: kielConversionText(reporting),
    sources: [...sources.values()],
    rows,
    totals: {
      committedMinor: book.total(total.committed),
      paidMinor: book.total(total.paid),
      figures: total,
    },
  };
  return { result, book };
}

function compareRows(a: KielContextRow, b: KielContextRow): number {
  const byDesc = (x: bigint | null | undefined, y: bigint | null | undefined) => {
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return x > y ? -1 : 1;
  };
  return (
    byDesc(a.purl?.committedMinor, b.purl?.committedMinor) ||
    byDesc(a.kiel?.amounts.total.amountMinor, b.kiel?.amounts.total.amountMinor) ||
    (a.iso < b.iso ? -1 : a.iso > b.iso ? 1 : 0)
  );
}

function kielConversionText(reporting: Reporting): string {
  const { currency, rateMode, rateDate } = reporting.options;
  if (currency === 'EUR') return 'Kiel figures are in EUR as published (EUR bn → EUR).';
  return rateMode === 'fixed'
    ? `Kiel figures (EUR bn) converted to ${currency} at the ECB rate of ${rateDate}.`
    : `Kiel figures (EUR bn) converted to ${currency} at the ECB rate of the end of each row's period (or of the as-of date, or the last day with rates, if earlier); each row states its rate and date.`;
}

/**
 * Per donor, Kiel's figures beside PURL's committed and paid, in one REPEATABLE READ snapshot.
 */
export async function getKielContext(
  database: Database,
  actor: Actor,
  options: KielContextOptions,
): Promise<KielContext> {
  authorize(actor, 'analytics.read');
  const year = checkKielYear(options.year);
  return runAnalysis(
    database,
    actor,
    options,
    async (tx, context) => {
      return (await computeKielContext(tx, { ...context.options, year }, false)).result;
    },
    { analysis: 'context', inputs: [year] },
  );
}
