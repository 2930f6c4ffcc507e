/**
 * The shared vocabulary of the analyses (PRODUCT.md "Analysis"): the reporting basis every
 * analysis states, the figure keys a figure is drilled down by, the drill-down records, and the
 * pure arithmetic (sums by figure, quantiles, shares) the analyses share. Pure: no I/O.
 *
 * The rules every analysis follows:
 * - Every figure is in the reporting currency (USD or EUR), in minor units (bigint). A record in
 *   another currency is converted on its own — at the rate of its value date (`value_date`, the
 *   default) or of one fixed date (`fixed`) — rounded once, half to even (`core/fx.ts`), and the
 *   figure is the SUM of its records' converted amounts. So a figure always equals the sum of its
 *   drill-down, exactly.
 * - A figure is named by a figure key: `<analysis>.<measure>[:<dimension>…]`, for example
 *   `funnel.committed`, `burden.committed:NLD`, `coverage.funded:2025-09:air_and_missile_defence`,
 *   `pace.paid:2025-10`, `leadTimes.committed_to_funded`, `followUp.paid:3:12` (meeting 3,
 *   announcement 12). `GET /api/v1/analytics/drill?figure=KEY` returns its records.
 * - The response says which basis was used (`AnalyticsBasis`).
 */
import { DomainError } from './errors.js';
import { isIsoDate } from './fx.js';

export const REPORTING_CURRENCIES = ['USD', 'EUR'] as const;
export type ReportingCurrency = (typeof REPORTING_CURRENCIES)[number];

export const RATE_MODES = ['value_date', 'fixed'] as const;
/** `value_date`: each record at the rate of its own value date; `fixed`: all at one date. */
export type RateMode = (typeof RATE_MODES)[number];

/** What a caller asks of any analysis. */
export interface AnalyticsOptions {
  currency: ReportingCurrency;
  rateMode: RateMode;
  /** `fixed` mode: the date whose rates are used (default: the latest day with rates). */
  rateDate?: string | undefined;
  /** The day the analysis is computed as of (default: today, UTC). Records after it are left out. */
  asOf?: string | undefined;
}

/** The basis an analysis was computed on, stated in every response and every export. */
export interface AnalyticsBasis {
  currency: ReportingCurrency;
  rateMode: RateMode;
  /** `fixed` mode: the date asked for (or the latest day with rates); `value_date`: null. */
  rateDate: string | null;
  asOf: string;
  /** ISO 8601 timestamp of the computation. */
  generatedAt: string;
  /** Where the rates come from. */
  rateSource: string;
  /** Amounts converted from another currency for this response. */
  conversions: number;
  /** Of those, converted at an earlier day's rate (a weekend, a holiday; `fixed` on a holiday). */
  fellBack: number;
  /**
   * Amounts dated after the last day with imported rates (`lastRateDate`), converted at that
   * day's rates: provisional until newer rates are imported (`value_date` mode only).
   */
  afterLastRate: number;
  /** The last day with imported rates on or before `asOf` (null: none). */
  lastRateDate: string | null;
}

/** A record a figure is made of. Amounts in minor units. */
export type DrillRecordKind =
  | 'contribution'
  | 'payment'
  | 'allocation'
  | 'disbursement'
  | 'package'
  | 'package_line'
  | 'receipt'
  | 'requirement_item'
  | 'announcement'
  | 'redacted';

export interface DrillRecord {
  kind: DrillRecordKind;
  /** The record's id (`redacted`: 0). */
  id: bigint;
  /** A human label: `PURL-003`, `NLD contribution 12 — …`, `Line 4 of PURL-002`. */
  label: string;
  /** The record's value date (paid on, committed on, received on…), if it has one. */
  date: string | null;
  partyId: string | null;
  packageId: bigint | null;
  contributionId: bigint | null;
  /** The amount as recorded, in its own currency. */
  originalAmountMinor: bigint;
  originalCurrency: string;
  /** The same in the reporting currency: what the figure sums. */
  amountMinor: bigint;
  /** Units of the reporting currency per unit of the original (display, 10 significant digits). */
  rate: string;
  /** The day whose rates were used (the value date or the fixed date, or an earlier day). */
  rateDate: string | null;
  /** Received quantity × unit price and the like: the quantity behind the amount, if any. */
  quantity: number | null;
  /** Lead times: the days this record counts. */
  days: number | null;
  /**
   * `redacted` records stand for records the reader may not see (their sum, one line per
   * original currency), so the drill-down still adds up to the figure.
   */
  count: number;
}

export interface DrillDown {
  basis: AnalyticsBasis;
  figure: string;
  /** The figure: Σ records' `amountMinor` (for lead times: the figure's day count is in `days`). */
  totalMinor: bigint;
  /** True when more records make the figure than `LIMITS.drillRecordsMax` (listed first ones). */
  truncated: boolean;
  records: DrillRecord[];
}

// ---- Figure keys ----

const FIGURE_KEY = /^[a-zA-Z]+\.[a-z_]+(:[A-Za-z0-9_-]+)*$/;
/** Characters of a figure key. */
export const FIGURE_KEY_MAX_CHARS = 200;

export function figureKey(
  analysis: string,
  measure: string,
  ...dimensions: (string | bigint | number)[]
): string {
  return [`${analysis}.${measure}`, ...dimensions.map(String)].join(':');
}

export interface ParsedFigureKey {
  analysis: string;
  measure: string;
  dimensions: string[];
}

/** Parses a figure key, or throws `VALIDATION_FAILED` naming `field`. */
export function parseFigureKey(key: unknown, field = 'figure'): ParsedFigureKey {
  if (typeof key !== 'string' || key.length > FIGURE_KEY_MAX_CHARS || !FIGURE_KEY.test(key)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${field}: a figure key such as "funnel.committed" or "burden.committed:NLD" (at most ${FIGURE_KEY_MAX_CHARS} characters).`,
      { field },
    );
  }
  const [head, ...dimensions] = key.split(':');
  const [analysis, measure] = (head as string).split('.') as [string, string];
  return { analysis, measure, dimensions };
}

// ---- Options ----

/** Checks what a caller asked; throws `VALIDATION_FAILED` naming the field. */
export function checkAnalyticsOptions(input: {
  currency?: unknown;
  rateMode?: unknown;
  rateDate?: unknown;
  asOf?: unknown;
}): AnalyticsOptions {
  const currency = input.currency ?? 'USD';
  if (!REPORTING_CURRENCIES.includes(currency as ReportingCurrency)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `currency: figures are reported in ${REPORTING_CURRENCIES.join(' or ')}.`,
      { field: 'currency', allowed: REPORTING_CURRENCIES },
    );
  }
  const rateMode = input.rateMode ?? 'value_date';
  if (!RATE_MODES.includes(rateMode as RateMode)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `rateMode: ${RATE_MODES.join(' or ')} (each record at its value date's rate, or all at one date).`,
      { field: 'rateMode', allowed: RATE_MODES },
    );
  }
  for (const field of ['rateDate', 'asOf'] as const) {
    const value = input[field];
    if (value !== undefined && !isIsoDate(value)) {
      throw new DomainError('VALIDATION_FAILED', `${field}: a date written YYYY-MM-DD.`, {
        field,
      });
    }
  }
  if (input.rateDate !== undefined && rateMode !== 'fixed') {
    throw new DomainError(
      'VALIDATION_FAILED',
      'rateDate: only with rateMode=fixed (in value_date mode each record uses its own date).',
      { field: 'rateDate' },
    );
  }
  return {
    currency: currency as ReportingCurrency,
    rateMode: rateMode as RateMode,
    rateDate: input.rateDate as string | undefined,
    asOf: input.asOf as string | undefined,
  };
}

// ---- Arithmetic ----

/**
 * Sums figures by key; each figure keeps the records it is made of — or, made with
 * `keepRecords: false` (a figure is shown, not drilled into), only its sum.
 */
export class FigureBook {
  readonly #records = new Map<string, DrillRecord[]>();
  readonly #totals = new Map<string, bigint>();
  readonly #keepRecords: boolean;

  constructor(options: { keepRecords?: boolean } = {}) {
    this.#keepRecords = options.keepRecords ?? true;
  }

  add(key: string, record: DrillRecord): void {
    this.addAmount(key, record.amountMinor);
    if (!this.#keepRecords) return;
    const list = this.#records.get(key);
    if (list) list.push(record);
    else this.#records.set(key, [record]);
  }

  /** Adds an amount to the figure without a record (a book that keeps none). */
  addAmount(key: string, amountMinor: bigint): void {
    this.#totals.set(key, (this.#totals.get(key) ?? 0n) + amountMinor);
  }

  /** Σ amountMinor of the figure's records (0 when none). */
  total(key: string): bigint {
    return this.#totals.get(key) ?? 0n;
  }

  records(key: string): DrillRecord[] {
    return this.#records.get(key) ?? [];
  }

  keys(): string[] {
    return [...this.#totals.keys()];
  }
}

/**
 * The q-quantile (0 < q ≤ 1) of whole-day durations by the nearest-rank method: the smallest
 * value with at least q of the values at or below it — always one of the observed values, so a
 * reader can find the package it came from. `null` for no values. Median = quantile 0.5.
 */
export function nearestRankQuantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * `part / whole` as a percentage with `decimals` decimals, rounded half to even, as decimal
 * text ("12.35"); null when `whole` is 0. Exact: bigint arithmetic only.
 */
export function percentText(part: bigint, whole: bigint, decimals = 2): string | null {
  return ratioText(part * 100n, whole, decimals);
}

/** `numerator / denominator` as decimal text with `decimals` decimals, half to even; null for /0. */
export function ratioText(numerator: bigint, denominator: bigint, decimals: number): string | null {
  if (denominator === 0n) return null;
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const scaled = n * 10n ** BigInt(decimals);
  const q = scaled / d;
  const twice = 2n * (scaled - q * d);
  const rounded = twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
  const digits = rounded.toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative && rounded !== 0n ? `-${text}` : text;
}
