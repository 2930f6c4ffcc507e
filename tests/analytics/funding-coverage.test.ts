/**
 * Coverage on the fixture of `support.ts`, both engines, both currencies, both rate modes: per
 * cycle (of the item's requirement list) and capability area, requested, approved, packaged,
 * funded (each allocation converted whole, then split over its package's areas by line value
 * with the largest remainder) and delivered value, and % funded — all worked out here; the areas
 * add up to the funnel's allocated figure; every figure's drill-down adds up to it; a reader
 * who may not see a package's lines or an item's cost gets those records folded into one
 * `redacted` record per currency, and the drill-down still adds up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateMode, ReportingCurrency } from '../../src/core/analytics.js';
import { getCoverage, type CoverageMeasure } from '../../src/services/analytics/coverage.js';
import { drillFigure } from '../../src/services/analytics/drill.js';
import { getFunnel } from '../../src/services/analytics/funnel.js';
import { ENGINES } from '../support/engines.js';
import {
  ACTORS,
  ALLOCATIONS,
  AS_OF,
  FIXED_DATE,
  ITEMS,
  PACKAGES,
  RECEIPT,
  RECEIVED_ON,
  buildFundingWorld,
  contribution,
  convertByHand,
  item,
  roundHalfEven,
  splitByHand,
  type FundingWorld,
  BASES,
} from './support.js';

const MEASURES: CoverageMeasure[] = ['requested', 'approved', 'packaged', 'funded', 'delivered'];

function percent(part: bigint, whole: bigint): string | null {
  if (whole === 0n) return null;
  const hundredths = roundHalfEven(part * 10_000n, whole);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}

/** Every cell's figures, by hand. */
function expected(currency: ReportingCurrency, rateMode: RateMode) {
  const day = (date: string) => (rateMode === 'fixed' ? FIXED_DATE : date);
  const value = (usdMinor: bigint, date: string) =>
    convertByHand(usdMinor, 'USD', currency, day(date));
  const cells = new Map<string, Record<CoverageMeasure, bigint>>();
  const add = (cycle: string, area: string, measure: CoverageMeasure, amount: bigint) => {
    const key = `${cycle}|${area}`;
    const cell = cells.get(key) ?? {
      requested: 0n,
      approved: 0n,
      packaged: 0n,
      funded: 0n,
      delivered: 0n,
    };
    cell[measure] += amount;
    cells.set(key, cell);
  };
  // Requirement values on the first day of their cycle.
  for (const i of ITEMS) {
    add(
      i.cycle,
      i.area,
      'requested',
      value(BigInt(i.requested) * i.unitCostMinor, `${i.cycle}-01`),
    );
    add(i.cycle, i.area, 'approved', value(BigInt(i.approved) * i.unitCostMinor, `${i.cycle}-01`));
  }
  for (const p of PACKAGES) {
    const groups = new Map<string, bigint>();
    for (const line of p.lines) {
      const it = item(line.item);
      const lineValue = BigInt(line.quantity) * it.unitCostMinor;
      add(it.cycle, it.area, 'packaged', value(lineValue, `${it.cycle}-01`));
      groups.set(
        `${it.cycle}|${it.area}`,
        (groups.get(`${it.cycle}|${it.area}`) ?? 0n) + lineValue,
      );
    }
    const keys = [...groups.keys()].sort();
    for (const a of ALLOCATIONS.filter((x) => x.pkg === p.key)) {
      const usd = convertByHand(
        a.amountMinor,
        contribution(a.contribution).currency,
        'USD',
        a.valueDate,
      );
      const parts = splitByHand(
        value(usd, a.valueDate),
        keys.map((k) => groups.get(k)!),
      );
      keys.forEach((k, index) => {
        const [cycle, area] = k.split('|') as [string, string];
        add(cycle, area, 'funded', parts[index]!);
      });
    }
  }
  for (const r of RECEIPT) {
    const it = item(r.item);
    add(
      it.cycle,
      it.area,
      'delivered',
      value(BigInt(r.received - r.damaged) * it.unitCostMinor, RECEIVED_ON),
    );
  }
  return cells;
}

describe.each(ENGINES)('coverage on %s', (engine) => {
  let w: FundingWorld;
  beforeAll(async () => {
    w = await buildFundingWorld(engine);
  }, 180_000);
  afterAll(async () => w?.close());

  for (const [currency, rateMode] of BASES) {
    it(`in ${currency} at ${rateMode}: every cell worked out by hand, the areas add up to the funnel, the drill-downs to the figures`, async () => {
      const options = {
        currency,
        rateMode,
        asOf: AS_OF,
        ...(rateMode === 'fixed' ? { rateDate: FIXED_DATE } : {}),
      };
      const coverage = await getCoverage(w.t.database, ACTORS.coordinator, options);
      const want = expected(currency, rateMode);
      expect(coverage.rows.map((r) => `${r.cycle}|${r.capabilityArea}`).sort()).toEqual(
        [...want.keys()].sort(),
      );
      // Cycles in order.
      expect(coverage.rows.map((r) => r.cycle)).toEqual(
        [...coverage.rows.map((r) => r.cycle)].sort(),
      );
      const totals = { requested: 0n, approved: 0n, packaged: 0n, funded: 0n, delivered: 0n };
      for (const row of coverage.rows) {
        const cell = want.get(`${row.cycle}|${row.capabilityArea}`)!;
        for (const m of MEASURES) {
          expect(row[`${m}Minor`], `${row.cycle} ${row.capabilityArea} ${m}`).toBe(cell[m]);
          totals[m] += cell[m];
          const drill = await drillFigure(
            w.t.database,
            ACTORS.coordinator,
            options,
            row.figures[m],
          );
          expect(drill.totalMinor, row.figures[m]).toBe(cell[m]);
          expect(drill.records.reduce((s, r) => s + r.amountMinor, 0n)).toBe(cell[m]);
        }
        expect(row.percentFunded).toBe(percent(cell.funded, cell.approved));
      }
      for (const m of MEASURES) expect(coverage.totals[`${m}Minor`]).toBe(totals[m]);
      expect(coverage.totals.percentFunded).toBe(percent(totals.funded, totals.approved));
      for (const m of MEASURES) {
        const drill = await drillFigure(
          w.t.database,
          ACTORS.coordinator,
          options,
          coverage.totals.figures[m],
        );
        expect(drill.totalMinor).toBe(totals[m]);
      }
      // Split exactly: funded over all areas is the funnel's allocated figure.
      const funnel = await getFunnel(w.t.database, ACTORS.coordinator, options);
      expect(funnel.stages.find((s) => s.stage === 'allocated')!.amountMinor).toBe(totals.funded);
    });
  }

  it('a package takes its cycle from its items: PURL-003 (cycle 2025-09) counts against 2025-08 artillery', async () => {
    const options = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    const drill = await drillFigure(
      w.t.database,
      ACTORS.coordinator,
      options,
      'coverage.packaged:2025-08:artillery',
    );
    expect(drill.records.map((r) => r.packageId).sort()).toEqual(
      [w.packages.p1!.id, w.packages.p3!.id].sort((a, b) => (a < b ? -1 : 1)),
    );
  });

  it('cycleFrom and cycleTo keep the cycles between them; their totals drill down to the same figure', async () => {
    const options = { currency: 'EUR' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    const september = await getCoverage(w.t.database, ACTORS.coordinator, {
      ...options,
      cycleFrom: '2025-09',
    });
    expect(september.rows.map((r) => `${r.cycle}|${r.capabilityArea}`)).toEqual(['2025-09|drones']);
    expect(september.totals.figures.funded).toBe('coverage.funded:2025-09_');
    const drill = await drillFigure(
      w.t.database,
      ACTORS.coordinator,
      options,
      september.totals.figures.funded,
    );
    expect(drill.totalMinor).toBe(september.totals.fundedMinor);
    const august = await getCoverage(w.t.database, ACTORS.coordinator, {
      ...options,
      cycleFrom: '2025-08',
      cycleTo: '2025-08',
    });
    expect(new Set(august.rows.map((r) => r.cycle))).toEqual(new Set(['2025-08']));
    // The basis counts the conversions of the range's records only — in September item D's
    // requested and approved values, PURL-002's line and its one allocation — and no package
    // spans both cycles, so August's and September's add up to all of them.
    expect(september.basis.conversions).toBe(4);
    const all = await getCoverage(w.t.database, ACTORS.coordinator, options);
    expect(august.basis.conversions + september.basis.conversions).toBe(all.basis.conversions);
    await expect(
      getCoverage(w.t.database, ACTORS.coordinator, { ...options, cycleFrom: '2025-13' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'cycleFrom' } });
    await expect(
      getCoverage(w.t.database, ACTORS.coordinator, {
        ...options,
        cycleFrom: '2025-09',
        cycleTo: '2025-08',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'cycleTo' } });
  });

  describe('redaction in drill-downs', () => {
    const options = { currency: 'EUR' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    const drill = (actor: Parameters<typeof drillFigure>[1], figure: string) =>
      drillFigure(w.t.database, actor, options, figure);

    it('a contributor sees the items of packages its party funds; the others fold into one redacted record per currency', async () => {
      const full = await drill(ACTORS.coordinator, 'coverage.requested');
      const gbr = await drill(ACTORS.contributor('GBR'), 'coverage.requested');
      expect(gbr.totalMinor).toBe(full.totalMinor);
      // GBR funds PURL-002, which holds item D; A, B and C are folded.
      const shown = gbr.records.filter((r) => r.kind !== 'redacted');
      expect(shown.map((r) => r.id)).toEqual([w.items.D]);
      const folded = gbr.records.filter((r) => r.kind === 'redacted');
      expect(folded).toHaveLength(1);
      expect(folded[0]).toMatchObject({
        originalCurrency: 'USD',
        count: 3,
        id: 0n,
        date: null,
        packageId: null,
      });
      expect(folded[0]!.originalAmountMinor).toBe(
        ['A', 'B', 'C'].reduce(
          (s, k) => s + BigInt(item(k as 'A').requested) * item(k as 'A').unitCostMinor,
          0n,
        ),
      );
      expect(gbr.records.reduce((s, r) => s + r.amountMinor, 0n)).toBe(gbr.totalMinor);
      // The validator sees every item (it validates them).
      const validator = await drill(ACTORS.validator, 'coverage.requested');
      expect(validator.records.some((r) => r.kind === 'redacted')).toBe(false);
    });

    it('an unfunded package’s lines, funding shares and receipts fold for a contributor; its own show', async () => {
      const gbrFunded = await drill(ACTORS.contributor('GBR'), 'coverage.funded:2025-08:artillery');
      expect(gbrFunded.records).toHaveLength(1);
      expect(gbrFunded.records[0]).toMatchObject({ kind: 'redacted', count: 3 });
      const norPackaged = await drill(
        ACTORS.contributor('NOR'),
        'coverage.packaged:2025-08:artillery',
      );
      // NOR funds PURL-001 (line A) but not PURL-003 (line C).
      expect(
        norPackaged.records.filter((r) => r.kind === 'package_line').map((r) => r.packageId),
      ).toEqual([w.packages.p1!.id]);
      expect(norPackaged.records.filter((r) => r.kind === 'redacted')).toMatchObject([
        { count: 1 },
      ]);
      const full = await drill(ACTORS.coordinator, 'coverage.packaged:2025-08:artillery');
      expect(norPackaged.totalMinor).toBe(full.totalMinor);

      const gbrDelivered = await drill(ACTORS.contributor('GBR'), 'funnel.delivered');
      expect(gbrDelivered.records).toMatchObject([
        { kind: 'redacted', count: 2, originalCurrency: 'USD' },
      ]);
      const norDelivered = await drill(ACTORS.contributor('NOR'), 'funnel.delivered');
      expect(norDelivered.records.map((r) => r.kind)).toEqual(['receipt', 'receipt']);
      expect(gbrDelivered.totalMinor).toBe(norDelivered.totalMinor);
      // Contributions are not restricted: every reader sees them.
      const committed = await drill(ACTORS.contributor('GBR'), 'funnel.committed');
      expect(committed.records.every((r) => r.kind === 'contribution')).toBe(true);
      // The aggregated figure is the same for every reader.
      const asGbr = await getCoverage(w.t.database, ACTORS.contributor('GBR'), options);
      const asCoordinator = await getCoverage(w.t.database, ACTORS.coordinator, options);
      expect(asGbr.rows).toEqual(asCoordinator.rows);
    });
  });
});
