/**
 * The reporting basis of an analysis: converts many recorded amounts to the reporting currency
 * (USD or EUR) in memory, with the same rule as `fx-service.convert` — the rates of the latest
 * day on or before the value date on which both currencies have one, at most
 * `LIMITS.fxCarryForwardDaysMax` days earlier, rounded once half to even (`core/fx.ts`) — after
 * loading the rates it needs in one query. In `fixed` mode every amount is valued at one date.
 *
 * Usage: `const reporting = await openReporting(tx, options, { currencies, from, to })`, then
 * `reporting.convert(amountMinor, currency, valueDate)` for each record, then
 * `reporting.basis()` for the response.
 */
import {
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillRecord,
} from '../../core/analytics.js';
import { BASE_CURRENCY } from '../../core/currency.js';
import { DomainError } from '../../core/errors.js';
import {
  ECB_SOURCE,
  EUR_BASE_SOURCE,
  EUR_RATE,
  addDays,
  crossRate,
  divideRoundHalfEven,
  tryParseRate,
} from '../../core/fx.js';
import { LIMITS } from '../../core/limits.js';
import { listCurrencies } from '../../storage/fx-repository.js';
import type { Tx } from '../../storage/transaction.js';
import { fxVersion, latestRateDay as latestRateDayOf, loadRates } from './rate-cache.js';

export interface ReportedAmount {
  /** In the reporting currency. */
  amountMinor: bigint;
  /** Display cross rate, reporting units per original unit. */
  rate: string;
  /** The day whose rates were used. */
  rateDate: string;
  fellBack: boolean;
}

export interface Reporting {
  readonly options: Required<Pick<AnalyticsOptions, 'currency' | 'rateMode'>> & {
    rateDate: string | null;
    asOf: string;
  };
  /**
   * The value date of an amount "as of" the analysis (a default target, a stalled package's
   * gap, a Kiel figure of an open period): `asOf`, or the latest earlier day with rates when
   * the rate file ends before it — so a default "as of today" does not fail whenever the rates
   * were imported some days ago. Its rates are always loaded.
   */
  readonly today: string;
  /**
   * Converts one amount recorded in `currency` on `valueDate` (ignored in `fixed` mode).
   * `records` (default 1): how many identical records this amount stands for — they convert
   * identically; the basis counts each (`conversions`, `fellBack`, `afterLastRate`). 0: a record
   * converted again, already counted (a drill-down listing records of a kept figure).
   */
  convert(
    amountMinor: bigint,
    currency: string,
    valueDate: string,
    records?: number,
  ): ReportedAmount;
  /** A drill record of an amount: the conversion filled in. */
  record(
    base: Omit<
      DrillRecord,
      'amountMinor' | 'rate' | 'rateDate' | 'originalAmountMinor' | 'originalCurrency' | 'count'
    > & { count?: number },
    amountMinor: bigint,
    currency: string,
    valueDate: string,
  ): DrillRecord;
  basis(): AnalyticsBasis;
  /**
   * Names everything a conversion's result depends on — the reporting currency, the rate mode
   * and date, the last rate day and the FX version (the rates) — so converted figures can be
   * kept under it (stage-memo.ts).
   */
  readonly cacheKey: string;
  /** Counts conversions made earlier under the same `cacheKey` (a kept result) in the basis. */
  tally(counts: ConversionCounts): void;
}

/** What a set of conversions adds to the basis. */
export interface ConversionCounts {
  conversions: number;
  fellBack: number;
  afterLastRate: number;
}

export interface ReportingScope {
  /** Currencies the records are in (the reporting currency and EUR need not be listed). */
  currencies: Iterable<string>;
  /** Earliest value date of the records (value_date mode: rates are loaded from 10 days before). */
  from: string;
  /** Latest value date of the records. */
  to: string;
}

/** Today in UTC, `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export async function openReporting(
  tx: Tx,
  /** `databaseId` (set by `runAnalysis`): the rates are read through rate-cache.ts. */
  options: AnalyticsOptions & { databaseId?: number | undefined },
  scope: ReportingScope,
  now: Date = new Date(),
): Promise<Reporting> {
  const asOf = options.asOf ?? todayUtc(now);
  const target = options.currency;
  const latestRateDay = await latestRateDayOf(tx, options.databaseId, asOf);
  const version = await fxVersion(tx);
  const today = latestRateDay !== null && latestRateDay < asOf ? latestRateDay : asOf;
  let rateDate: string | null = null;
  if (options.rateMode === 'fixed') {
    rateDate = options.rateDate ?? latestRateDay;
    if (rateDate === null) {
      throw new DomainError(
        'FX_RATE_UNAVAILABLE',
        `No exchange rate on or before ${asOf}: import ECB rates with \`purl import fx\`.`,
        { field: 'rateDate', valueDate: asOf },
      );
    }
  }
  const minorUnits = new Map((await listCurrencies(tx)).map((c) => [c.code, c.minorUnit]));
  const codes = new Set<string>([target, ...scope.currencies]);
  codes.delete(BASE_CURRENCY);
  const earliest = scope.from < today ? scope.from : today;
  const latest = scope.to > today ? scope.to : today;
  const from = addDays(rateDate ?? earliest, -LIMITS.fxCarryForwardDaysMax);
  const to = rateDate ?? latest;
  const rates = await loadRates(tx, options.databaseId, [...codes], from, to);
  const sources = rates.sources;
  const ratePerEur = (currency: string, day: string): string | undefined =>
    currency === BASE_CURRENCY ? EUR_RATE : rates.ratePerEur(currency, day);

  let conversions = 0;
  let fellBackCount = 0;
  let afterLastRateCount = 0;
  /**
   * Per currency and value date: the rate day and the exact factor numerator / denominator of
   * `core/fx.ts` `convertAmount` (amountB = amountA × rateB / rateA × 10^(eB−eA)), parsed once,
   * so converting an amount is one multiplication and one half-even division — the same result
   * as `convertAmount`, bit for bit (tested against the conversion service).
   */
  interface Factor {
    day: string;
    numerator: bigint;
    denominator: bigint;
    rate: string;
  }
  const cache = new Map<string, Factor>();

  function factorFor(currency: string, valueDate: string): Factor {
    const key = `${currency}|${valueDate}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const fromUnit = minorUnits.get(currency);
    const toUnit = minorUnits.get(target);
    if (fromUnit === undefined || toUnit === undefined) {
      throw new DomainError('CURRENCY_UNKNOWN', `${currency} is not a known currency.`, {
        currency,
      });
    }
    for (let back = 0; back <= LIMITS.fxCarryForwardDaysMax; back++) {
      const day = addDays(valueDate, -back);
      const fromRate = ratePerEur(currency, day);
      const toRate = ratePerEur(target, day);
      if (fromRate !== undefined && toRate !== undefined) {
        const a = tryParseRate(fromRate);
        const b = tryParseRate(toRate);
        if (!a || !b) break;
        const found: Factor = {
          day,
          numerator: b.mantissa * 10n ** BigInt(a.scale + toUnit),
          denominator: a.mantissa * 10n ** BigInt(b.scale + fromUnit),
          rate: crossRate(fromRate, toRate),
        };
        cache.set(key, found);
        return found;
      }
    }
    throw new DomainError(
      'FX_RATE_UNAVAILABLE',
      `No ${currency}/${target} rate on ${valueDate} or up to ${LIMITS.fxCarryForwardDaysMax} days before: import ECB rates with \`purl import fx\`, or report at a fixed rate date.`,
      {
        currency: `${currency}/${target}`,
        valueDate,
        carryForwardDaysMax: LIMITS.fxCarryForwardDaysMax,
      },
    );
  }

  function convert(
    amountMinor: bigint,
    currency: string,
    valueDate: string,
    records = 1,
  ): ReportedAmount {
    // A value date after the last imported rate day (the rate file is older than the record)
    // is converted at that day's rates and counted, rather than failing the whole analysis.
    const afterLastRate = rateDate === null && latestRateDay !== null && valueDate > latestRateDay;
    const day = rateDate ?? (afterLastRate ? latestRateDay : valueDate);
    if (currency === target) {
      return { amountMinor, rate: '1', rateDate: day, fellBack: false };
    }
    const found = factorFor(currency, day);
    conversions += records;
    if (afterLastRate) afterLastRateCount += records;
    const fellBack = found.day !== day;
    if (fellBack) fellBackCount += records;
    return {
      amountMinor: divideRoundHalfEven(amountMinor * found.numerator, found.denominator),
      rate: found.rate,
      rateDate: found.day,
      fellBack,
    };
  }

  return {
    options: { currency: target, rateMode: options.rateMode, rateDate, asOf },
    today,
    cacheKey: JSON.stringify([target, options.rateMode, rateDate, latestRateDay, `${version}`]),
    tally(counts) {
      conversions += counts.conversions;
      fellBackCount += counts.fellBack;
      afterLastRateCount += counts.afterLastRate;
    },
    convert,
    record(base, amountMinor, currency, valueDate) {
      const reported = convert(amountMinor, currency, valueDate);
      return {
        count: 1,
        ...base,
        originalAmountMinor: amountMinor,
        originalCurrency: currency,
        amountMinor: reported.amountMinor,
        rate: reported.rate,
        rateDate: reported.rateDate,
      };
    },
    basis() {
      return {
        currency: target,
        rateMode: options.rateMode,
        rateDate,
        asOf,
        generatedAt: now.toISOString(),
        rateSource:
          sources.size > 0 ? [...sources].sort().join('; ') : `${ECB_SOURCE}; ${EUR_BASE_SOURCE}`,
        conversions,
        fellBack: fellBackCount,
        afterLastRate: afterLastRateCount,
        lastRateDate: latestRateDay,
      };
    },
  };
}
