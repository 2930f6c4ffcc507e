/**
 * Burden sharing on the fixture of `support.ts`, both engines, both currencies, both rate modes:
 * committed per donor, its US dollar value, % of GDP (GDP of the commitment year, or the latest
 * earlier year — flagged), per capita, share of the total and both ranks, each worked out here
 * from the fixture's amounts, rates, GDP and population; a year after the last available one
 * falls back and says so; a donor without GDP gets null and a reason; the donors add up to the
 * funnel's committed; every donor's drill-down adds up to its figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBurdenSharing } from '../../src/services/analytics/burden.js';
import { drillFigure } from '../../src/services/analytics/drill.js';
import { getFunnel } from '../../src/services/analytics/funnel.js';
import { importCountryIndicators } from '../../src/services/imports/indicators-import.js';
import { ENGINES } from '../support/engines.js';
import {
  ACTORS,
  AS_OF,
  CONTRIBUTIONS,
  FIXED_DATE,
  buildFundingWorld,
  convertByHand,
  roundHalfEven,
  system,
  type FundingWorld,
  BASES,
} from './support.js';

/** The fixture's GDP (current US$) and population, as written in support.ts. */
const GDP: Record<string, Record<number, bigint>> = {
  NLD: { 2023: 1_100_000_000_000n, 2024: 1_200_000_000_000n },
  NOR: { 2024: 480_000_000_000n, 2025: 500_000_000_000n },
  CAN: { 2023: 2_140_000_000_000n },
};
const POPULATION: Record<string, Record<number, bigint>> = {
  NLD: { 2024: 17_900_000n, 2025: 18_000_000n },
  NOR: { 2024: 5_500_000n },
  CAN: { 2024: 41_000_000n },
  GBR: { 2025: 69_000_000n },
};

/** `n / d` as text with `decimals` decimals, half to even (by hand). */
function decimalText(n: bigint, d: bigint, decimals: number): string {
  const scaled = roundHalfEven(n * 10n ** BigInt(decimals), d);
  const digits = scaled.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** The year used for `year`: itself, or the latest earlier one with a figure. */
function yearFor(table: Record<number, bigint> | undefined, year: number): number | undefined {
  return Object.keys(table ?? {})
    .map(Number)
    .filter((y) => y <= year)
    .sort((a, b) => a - b)
    .at(-1);
}

describe.each(ENGINES)('burden sharing on %s', (engine) => {
  let w: FundingWorld;
  beforeAll(async () => {
    w = await buildFundingWorld(engine);
  }, 180_000);
  afterAll(async () => w?.close());

  for (const [currency, rateMode] of BASES) {
    it(`in ${currency} at ${rateMode}: committed, % of GDP, per capita, share and ranks worked out by hand`, async () => {
      const options = {
        currency,
        rateMode,
        asOf: AS_OF,
        ...(rateMode === 'fixed' ? { rateDate: FIXED_DATE } : {}),
      };
      const result = await getBurdenSharing(w.t.database, ACTORS.auditor, options);
      expect(result.basis).toMatchObject({ currency, rateMode, asOf: AS_OF });

      // One committed contribution per donor up to AS_OF (NLD's December one is after it).
      const committed = CONTRIBUTIONS.filter(
        (c) => !c.cancelled && c.committedOn && c.committedOn <= AS_OF,
      );
      const want = committed.map((c) => {
        const day = rateMode === 'fixed' ? FIXED_DATE : c.committedOn!;
        const reported = convertByHand(c.pledgedMinor, c.currency, currency, day);
        const usd = convertByHand(c.pledgedMinor, c.currency, 'USD', day);
        const year = Number(c.committedOn!.slice(0, 4));
        const gdpYear = yearFor(GDP[c.party], year);
        const popYear = yearFor(POPULATION[c.party], year);
        return {
          party: c.party,
          reported,
          usd,
          // USD cents / 100 / GDP × 100 = cents / GDP
          percentOfGdp: gdpYear === undefined ? null : decimalText(usd, GDP[c.party]![gdpYear]!, 6),
          gdpYear: gdpYear ?? null,
          gdpFallback: gdpYear !== undefined && gdpYear !== year,
          perCapita:
            popYear === undefined
              ? null
              : decimalText(reported, POPULATION[c.party]![popYear]! * 100n, 2),
          populationYear: popYear ?? null,
          populationFallback: popYear !== undefined && popYear !== year,
        };
      });
      const total = want.reduce((s, d) => s + d.reported, 0n);
      expect(result.totalCommittedMinor).toBe(total);
      expect(result.donors.map((d) => d.partyId).sort()).toEqual(want.map((d) => d.party).sort());

      const byCommitted = [...want].sort((a, b) => (a.reported > b.reported ? -1 : 1));
      const gdpRanked = want
        .filter((d) => d.percentOfGdp !== null)
        .sort((a, b) =>
          a.usd * GDP[b.party]![b.gdpYear!]! > b.usd * GDP[a.party]![a.gdpYear!]! ? -1 : 1,
        );
      for (const d of want) {
        const row = result.donors.find((r) => r.partyId === d.party)!;
        expect(row, d.party).toMatchObject({
          contributions: 1,
          committedMinor: d.reported,
          committedUsdMinor: d.usd,
          shareOfTotal: decimalText(d.reported * 100n, total, 2),
          percentOfGdp: d.percentOfGdp,
          gdpYear: d.gdpYear,
          gdpFallback: d.gdpFallback,
          perCapita: d.perCapita,
          populationYear: d.populationYear,
          populationFallback: d.populationFallback,
          rankByCommitted: byCommitted.indexOf(d) + 1,
          rankByPercentOfGdp: d.percentOfGdp === null ? null : gdpRanked.indexOf(d) + 1,
          figures: { committed: `burden.committed:${d.party}` },
        });
        const drill = await drillFigure(
          w.t.database,
          ACTORS.auditor,
          options,
          row.figures.committed,
        );
        expect(drill.totalMinor).toBe(row.committedMinor);
        expect(drill.records.map((r) => r.partyId)).toEqual([d.party]);
      }
      // Rows come in committed rank order.
      expect(result.donors.map((r) => r.rankByCommitted)).toEqual([1, 2, 3, 4]);

      // The donors add up to the funnel's committed, exactly.
      const funnel = await getFunnel(w.t.database, ACTORS.auditor, options);
      expect(funnel.stages.find((s) => s.stage === 'committed')!.amountMinor).toBe(total);
      const drillTotal = await drillFigure(
        w.t.database,
        ACTORS.auditor,
        options,
        result.figures.totalCommitted,
      );
      expect(drillTotal.totalMinor).toBe(total);
    });
  }

  it('a commitment year after the last GDP year falls back to it and is flagged; no GDP at all is null with a reason', async () => {
    const result = await getBurdenSharing(w.t.database, ACTORS.coordinator, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: AS_OF,
    });
    const nld = result.donors.find((d) => d.partyId === 'NLD')!;
    // NLD committed in 2025; the World Bank file stops at 2024.
    expect(nld).toMatchObject({
      gdpYear: 2024,
      gdpFallback: true,
      gdpYears: [{ commitmentYear: 2025, indicatorYear: 2024 }],
      gdpMissing: null,
      populationYear: 2025,
      populationFallback: false,
    });
    const nor = result.donors.find((d) => d.partyId === 'NOR')!;
    expect(nor).toMatchObject({ gdpYear: 2025, gdpFallback: false });
    const gbr = result.donors.find((d) => d.partyId === 'GBR')!;
    expect(gbr.percentOfGdp).toBeNull();
    expect(gbr.rankByPercentOfGdp).toBeNull();
    expect(gbr.gdpMissing).toMatchObject({ commitmentYear: 2025, firstYear: null });
    expect(gbr.gdpMissing!.reason).toContain('purl import gdp');
    expect(gbr.perCapita).not.toBeNull();
  });

  it('a population missing for the commitment year falls back to the latest earlier one, flagged', async () => {
    const result = await getBurdenSharing(w.t.database, ACTORS.coordinator, {
      currency: 'EUR',
      rateMode: 'value_date',
      asOf: AS_OF,
    });
    const nor = result.donors.find((d) => d.partyId === 'NOR')!;
    expect(nor).toMatchObject({
      populationYear: 2024,
      populationFallback: true,
      populationYears: [{ commitmentYear: 2025, indicatorYear: 2024 }],
    });
  });

  it('a burden figure of an unknown measure or a malformed party is refused naming the figure', async () => {
    const options = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    for (const figure of ['burden.paid:NLD', 'burden.committed:nld', 'burden.committed:NLD:2025']) {
      await expect(
        drillFigure(w.t.database, ACTORS.coordinator, options, figure),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'figure' },
      });
    }
  });

  it('a GDP that starts after the commitment year gives no share and names the first year (last: imports GBR GDP)', async () => {
    await importCountryIndicators(w.t.database, system, {
      indicator: 'gdp_usd',
      bytes: new TextEncoder().encode(
        'Country Name,Country Code,Year,Value\nUnited Kingdom,GBR,2026,3500000000000\n',
      ),
      fileName: 'gdp-gbr.csv',
    });
    const result = await getBurdenSharing(w.t.database, ACTORS.coordinator, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: AS_OF,
    });
    const gbr = result.donors.find((d) => d.partyId === 'GBR')!;
    expect(gbr.percentOfGdp).toBeNull();
    expect(gbr.gdpMissing).toMatchObject({ commitmentYear: 2025, firstYear: 2026 });
    expect(gbr.gdpMissing!.reason).toContain('2025');
  });
});
