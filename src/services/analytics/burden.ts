/**
 * Burden sharing (PRODUCT.md "Analysis"): committed per donor, as a share of its economy, per
 * head of its population, as a share of the total, ranked.
 *
 * Rules:
 * - Committed: the funnel's committed records (contributions committed, partially paid or paid,
 *   their committed amount on their commitment day, up to `asOf`), converted one by one to the
 *   reporting currency; a donor's figure is their sum, the total the sum of all (so the donors
 *   add up to the funnel's committed exactly). Pledges do not count.
 * - % of GDP: each contribution's value in US dollars (GDP is in current US$; at the rate of its
 *   commitment day, or of the fixed date in `fixed` mode) over the donor's GDP of its
 *   commitment year; when that year has no figure, the latest EARLIER year that has one — and
 *   the row says so (`gdpFallback: true`, `gdpYears`). The donor's % is the exact sum of its
 *   contributions' fractions, written with 6 decimals, half to even. A donor with a contribution
 *   for which no year (the commitment year or earlier) has a figure gets null and a reason: a
 *   partial sum would understate it.
 * - Per capita: the same rule with population, the committed amount in the reporting currency
 *   per person (2 decimals, half to even).
 * - Share of total: committed / Σ committed, 2 decimals. Ranks are competition ranks (1, 2, 2, 4)
 *   by committed and by % of GDP (donors without GDP are not ranked); rows in committed rank,
 *   then party id.
 * - Every percentage and ratio is computed with bigint fractions: no float ever holds one.
 */
import type { Actor } from '../../core/actor.js';
import {
  figureKey,
  percentText,
  ratioText,
  type AnalyticsBasis,
  type AnalyticsOptions,
  type DrillDown,
  type ParsedFigureKey,
} from '../../core/analytics.js';
import { tryParseDecimal } from '../../core/money.js';
import { listPartyNames, type StageAmountRow } from '../../storage/analytics-repository.js';
import type { Database } from '../../storage/database.js';
import {
  listCountryIndicators,
  type CountryIndicatorKind,
} from '../../storage/indicators-repository.js';
import type { Tx } from '../../storage/transaction.js';
import {
  PACKAGE_SIDE_TABLES,
  badFigure,
  drillDown,
  groupReported,
  openFor,
  readStageSums,
  runAnalysis,
  scopeOf,
  upTo,
  type AnalysisContext,
  type ReportedGroup,
} from './figures.js';
import { visibilityFor } from './visibility.js';
import { loadStageRecords } from './funnel.js';
import type { Reporting } from './reporting.js';
import { readStage, reportStage } from './stage-memo.js';

/** Decimals of `percentOfGdp` (a PURL contribution is a small share of GDP: 0.002376 %). */
export const PERCENT_OF_GDP_DECIMALS = 6;
/** Decimals of `perCapita` (major units of the reporting currency). */
export const PER_CAPITA_DECIMALS = 2;

export interface Names {
  en: string;
  fr: string;
  uk: string;
}

/** Why a donor has no share of an indicator: the first commitment year without a figure. */
export interface IndicatorGap {
  /** The commitment year for which neither its own nor an earlier year has a figure. */
  commitmentYear: number;
  /** The first year the country has a figure for (null: none at all). */
  firstYear: number | null;
  /** The same in words (English), with what to do. */
  reason: string;
}

/** Which year's indicator valued the contributions of one commitment year. */
export interface IndicatorYear {
  commitmentYear: number;
  indicatorYear: number;
}

export interface BurdenSharingRow {
  partyId: string;
  names: Names;
  /** Contributions counted. */
  contributions: number;
  /** In the reporting currency. */
  committedMinor: bigint;
  /** The same contributions in US dollars: what % of GDP is computed from. */
  committedUsdMinor: bigint;
  /** committed / total committed, percent, 2 decimals. */
  shareOfTotal: string | null;
  rankByCommitted: number;
  /** Percent of GDP, 6 decimals; null with `gdpMissing`. */
  percentOfGdp: string | null;
  rankByPercentOfGdp: number | null;
  /** The latest GDP year used (null when none). */
  gdpYear: number | null;
  /** True when a commitment year had no GDP figure and an earlier year's was used. */
  gdpFallback: boolean;
  gdpYears: IndicatorYear[];
  /** Why `percentOfGdp` is null. */
  gdpMissing: IndicatorGap | null;
  /** Reporting currency per person, major units, 2 decimals; null with `perCapitaMissing`. */
  perCapita: string | null;
  populationYear: number | null;
  populationFallback: boolean;
  populationYears: IndicatorYear[];
  /** Why `perCapita` is null. */
  perCapitaMissing: IndicatorGap | null;
  figures: { committed: string };
}

export interface BurdenSharing {
  basis: AnalyticsBasis;
  totalCommittedMinor: bigint;
  donors: BurdenSharingRow[];
  figures: { totalCommitted: string };
}

// ---- Exact fractions ----

interface Fraction {
  n: bigint;
  d: bigint;
}

const add = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const compare = (a: Fraction, b: Fraction): number => {
  const left = a.n * b.d;
  const right = b.n * a.d;
  return left < right ? -1 : left > right ? 1 : 0;
};

/** Year → positive value (exact decimal), per country. */
type IndicatorTable = Map<string, Map<number, Fraction>>;

async function indicatorTable(
  tx: Tx,
  kind: CountryIndicatorKind,
  countries: string[],
): Promise<IndicatorTable> {
  const table: IndicatorTable = new Map();
  for (const row of await listCountryIndicators(tx, kind, countries)) {
    const value = tryParseDecimal(row.value);
    if (!value || value.mantissa <= 0n) continue;
    let years = table.get(row.countryCode);
    if (!years) table.set(row.countryCode, (years = new Map()));
    years.set(row.year, { n: value.mantissa, d: 10n ** BigInt(value.scale) });
  }
  return table;
}

interface IndicatorShare {
  /** Σ amount / indicator, as a fraction of minor units per indicator unit. */
  fraction: Fraction | null;
  years: IndicatorYear[];
  fallback: boolean;
  latestYear: number | null;
  missing: IndicatorGap | null;
}

/**
 * Σ over contributions of amount / indicator of its commitment year (or the latest earlier
 * year that has one). `amounts`: commitment year → Σ amounts (minor units) of that year.
 */
function indicatorShare(
  years: Map<number, Fraction> | undefined,
  amounts: Map<number, bigint>,
  what: string,
  command: string,
): IndicatorShare {
  const available = [...(years?.keys() ?? [])].sort((a, b) => a - b);
  const used: IndicatorYear[] = [];
  let fraction: Fraction = { n: 0n, d: 1n };
  for (const [commitmentYear, amountMinor] of [...amounts].sort(([a], [b]) => a - b)) {
    const indicatorYear = available.filter((y) => y <= commitmentYear).at(-1);
    const value = indicatorYear === undefined ? undefined : years?.get(indicatorYear);
    if (indicatorYear === undefined || !value) {
      return {
        fraction: null,
        years: used,
        fallback: used.some((u) => u.indicatorYear !== u.commitmentYear),
        latestYear: null,
        missing: {
          commitmentYear,
          firstYear: available[0] ?? null,
          reason:
            available.length === 0
              ? `No ${what} figure for this country: import it with \`${command}\`.`
              : `No ${what} figure for ${commitmentYear} or an earlier year (the first is ${available[0]}): import it with \`${command}\`.`,
        },
      };
    }
    used.push({ commitmentYear, indicatorYear });
    // amount / (value.n / value.d) = amount × value.d / value.n
    fraction = add(fraction, { n: amountMinor * value.d, d: value.n });
  }
  return {
    fraction,
    years: used,
    fallback: used.some((u) => u.indicatorYear !== u.commitmentYear),
    latestYear: used.length > 0 ? Math.max(...used.map((u) => u.indicatorYear)) : null,
    missing: null,
  };
}

/** Competition ranks (1, 2, 2, 4) of `values` in descending order; null values are not ranked. */
function ranks<T>(values: (T | null)[], cmp: (a: T, b: T) => number): (number | null)[] {
  return values.map((v) =>
    v === null ? null : 1 + values.filter((w) => w !== null && cmp(w, v) > 0).length,
  );
}

// ---- The analysis ----

interface DonorSums {
  /** Contributions counted. */
  records: number;
  committedMinor: bigint;
  committedUsdMinor: bigint;
  /** Commitment year → Σ USD minor units. */
  usdByYear: Map<number, bigint>;
  /** Commitment year → Σ reporting-currency minor units. */
  reportedByYear: Map<number, bigint>;
}

function addTo(map: Map<number, bigint>, year: number, amount: bigint): void {
  map.set(year, (map.get(year) ?? 0n) + amount);
}

/** Adds a group of one donor's commitments of one year to its sums. */
function addGroup(
  donors: Map<string, DonorSums>,
  party: string,
  year: number,
  records: number,
  reported: bigint,
  inUsd: bigint,
): void {
  let sums = donors.get(party);
  if (!sums) {
    donors.set(
      party,
      (sums = {
        records: 0,
        committedMinor: 0n,
        committedUsdMinor: 0n,
        usdByYear: new Map(),
        reportedByYear: new Map(),
      }),
    );
  }
  sums.records += records;
  sums.committedMinor += reported;
  sums.committedUsdMinor += inUsd;
  addTo(sums.usdByYear, year, inUsd);
  addTo(sums.reportedByYear, year, reported);
}

/** Per donor: the committed groups (party, day) converted to the reporting currency and USD. */
function sumDonors(
  rows: readonly StageAmountRow[],
  reporting: Reporting,
  usd: Reporting,
): Map<string, DonorSums> {
  const donors = new Map<string, DonorSums>();
  for (const r of rows) {
    if (r.total) continue;
    const reported = groupReported(reporting, r);
    const inUsd = usd === reporting ? reported : groupReported(reporting, r, usd);
    addGroup(donors, r.partyId ?? '', Number(r.valueDate!.slice(0, 4)), r.records, reported, inUsd);
  }
  return donors;
}

/** Per donor: committed groups (party, day) already converted to US dollars, the reporting currency. */
function sumUsdDonors(groups: readonly ReportedGroup[]): Map<string, DonorSums> {
  const donors = new Map<string, DonorSums>();
  for (const g of groups) {
    const year = Number(g.valueDate!.slice(0, 4));
    addGroup(donors, g.partyId ?? '', year, g.records, g.reportedMinor, g.reportedMinor);
  }
  return donors;
}

export async function getBurdenSharing(
  database: Database,
  actor: Actor,
  options: AnalyticsOptions,
): Promise<BurdenSharing> {
  return runAnalysis(
    database,
    actor,
    options,
    async (tx, context) => {
      // Per donor and day: summed in SQL in the reporting currency when it is USD (the same
      // sums as converting every record, figures.ts); otherwise every record is converted twice
      // (to the reporting currency and to USD), so none is summed before.
      // In USD, the groups are kept between analyses while their contributions do not change
      // (stage-memo.ts).
      const inUsd = context.options.currency === 'USD';
      let reporting: Reporting;
      let donors: Map<string, DonorSums>;
      if (inUsd) {
        const read = await readStage(tx, context, 'committed', {
          byDay: true,
          byParty: true,
          per: 'year',
        });
        reporting = await openFor(tx, context, scopeOf(read.totals));
        donors = sumUsdDonors(await reportStage(tx, context, reporting, read));
      } else {
        const groups = await readStageSums(tx, context, 'committed', {
          byDay: true,
          byParty: true,
          perRecord: true,
        });
        const scope = scopeOf(groups);
        reporting = await openFor(tx, context, scope);
        const usd = await openFor(
          tx,
          { ...context, options: { ...context.options, currency: 'USD' } },
          scope,
        );
        donors = sumDonors(groups, reporting, usd);
      }
      const parties = [...donors.keys()].sort();
      const [gdp, population, names] = [
        await indicatorTable(tx, 'gdp_usd', parties),
        await indicatorTable(tx, 'population', parties),
        new Map((await listPartyNames(tx)).map((p) => [p.id, p])),
      ];
      let total = 0n;
      for (const sums of donors.values()) total += sums.committedMinor;

      const partial = parties.map((partyId) => {
        const sums = donors.get(partyId)!;
        const gdpShare = indicatorShare(gdp.get(partyId), sums.usdByYear, 'GDP', 'purl import gdp');
        const perHead = indicatorShare(
          population.get(partyId),
          sums.reportedByYear,
          'population',
          'purl import population',
        );
        // % of GDP: USD minor / 100 / GDP × 100 = the fraction itself; per capita: minor / 100.
        const percentOfGdp = gdpShare.fraction
          ? ratioText(gdpShare.fraction.n, gdpShare.fraction.d, PERCENT_OF_GDP_DECIMALS)
          : null;
        const perCapita = perHead.fraction
          ? ratioText(perHead.fraction.n, perHead.fraction.d * 100n, PER_CAPITA_DECIMALS)
          : null;
        const party = names.get(partyId);
        return {
          row: {
            partyId,
            names: { en: party?.en ?? partyId, fr: party?.fr ?? partyId, uk: party?.uk ?? partyId },
            contributions: sums.records,
            committedMinor: sums.committedMinor,
            committedUsdMinor: sums.committedUsdMinor,
            shareOfTotal: percentText(sums.committedMinor, total),
            percentOfGdp,
            gdpYear: gdpShare.latestYear,
            gdpFallback: gdpShare.fallback,
            gdpYears: gdpShare.years,
            gdpMissing: gdpShare.missing,
            perCapita,
            populationYear: perHead.latestYear,
            populationFallback: perHead.fallback,
            populationYears: perHead.years,
            perCapitaMissing: perHead.missing,
            figures: { committed: figureKey('burden', 'committed', partyId) },
          },
          gdpFraction: gdpShare.fraction,
        };
      });
      const byCommitted = ranks(
        partial.map((p) => p.row.committedMinor),
        (a, b) => (a < b ? -1 : a > b ? 1 : 0),
      );
      const byGdp = ranks(
        partial.map((p) => p.gdpFraction),
        compare,
      );
      const rows: BurdenSharingRow[] = partial.map((p, i) => ({
        ...p.row,
        rankByCommitted: byCommitted[i]!,
        rankByPercentOfGdp: byGdp[i] ?? null,
      }));
      rows.sort(
        (a, b) => a.rankByCommitted - b.rankByCommitted || a.partyId.localeCompare(b.partyId),
      );
      return {
        basis: reporting.basis(),
        totalCommittedMinor: total,
        donors: rows,
        figures: { totalCommitted: figureKey('burden', 'committed') },
      };
    },
    { analysis: 'burden', unaffectedBy: PACKAGE_SIDE_TABLES },
  );
}

/** `burden.committed` (every donor) or `burden.committed:<party>`. */
export async function drillBurden(
  tx: Tx,
  context: AnalysisContext,
  key: ParsedFigureKey,
): Promise<DrillDown> {
  if (key.measure !== 'committed') {
    throw badFigure(key, 'is not a burden-sharing figure: burden.committed[:PARTY].');
  }
  const [party, ...rest] = key.dimensions;
  if (rest.length > 0 || (party !== undefined && !/^[A-Z][A-Z0-9-]{1,19}$/.test(party))) {
    throw badFigure(key, 'takes at most one dimension, a party id (burden.committed:NLD).');
  }
  const records = upTo(await loadStageRecords(tx, 'committed'), context.options.asOf).filter(
    (r) => party === undefined || r.partyId === party,
  );
  const reporting = await openFor(tx, context, records);
  const visibility = await visibilityFor(tx, context);
  return drillDown(
    reporting,
    figureKey('burden', 'committed', ...key.dimensions),
    records,
    visibility,
  );
}
