/**
 * The Kiel context view on the delivery fixture (delivery-support.ts; Kiel rows imported from
 * its own data_explorer.csv), on both engines, in both currencies and both rate modes: which
 * Kiel row stands for each donor (latest period; the yearly row on a tie; none starting after
 * the as-of day), its EUR bn turned into minor units exactly and converted at the end of its
 * period (or the fixed date), PURL's committed and paid per donor by hand, donors of one source
 * only listed with nulls, the year filter, drill-downs adding up, and the export table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFigureKey } from '../../src/core/analytics.js';
import { kielContextTable } from '../../src/services/analytics/delivery-tables.js';
import { drillDelivery, getKielContext } from '../../src/services/analytics/delivery.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import {
  BASES,
  buildDeliveryFixture,
  inBasis,
  roundHalfEven,
  system,
  type Basis,
  type DeliveryFixture,
} from './delivery-support.js';

const AS_OF = '2025-12-31';

/** EUR bn text → EUR cents, by string arithmetic here (× 10^11, half to even past 11 decimals). */
function eurBnCents(text: string): bigint {
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length <= 11) return BigInt(whole! + fraction.padEnd(11, '0'));
  return roundHalfEven(BigInt(whole! + fraction), 10n ** BigInt(fraction.length - 11));
}

/** part / whole × 100 with 2 decimals, half to even, as text (both positive). */
function pct(part: bigint, whole: bigint): string {
  const hundredths = roundHalfEven(part * 10_000n, whole);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}

describe.each(ENGINES)('the Kiel context view on %s', (engine) => {
  let t: TestDatabase;
  let f: DeliveryFixture;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    f = await buildDeliveryFixture(t.database);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  for (const basis of BASES) {
    const name = `${basis.currency} ${basis.rateMode}`;
    const x = (amountMinor: bigint, currency: string, date: string) =>
      inBasis(basis, amountMinor, currency, date);
    const kiel = (text: string, day: string) => x(eurBnCents(text), 'EUR', day);

    it(`puts each donor's latest Kiel row beside PURL's committed and paid, by hand (${name})`, async () => {
      const result = await getKielContext(t.database, system, { ...basis, asOf: AS_OF });
      expect(result.year).toBeNull();
      expect(result.rows.map((r) => r.iso)).toEqual(['CAN', 'NLD', 'NOR', 'EUI', 'DEU']);
      const [can, nld, nor, eui, deu] = result.rows;

      // CAN: PURL only.
      expect(can).toMatchObject({
        names: { en: 'Canada', fr: 'Canada' },
        kiel: null,
        purl: {
          committedMinor: x(20_000_000n, 'USD', '2025-07-01'),
          paidMinor: x(5_000_000n, 'USD', '2025-08-01'),
          figures: { committed: 'context.committed:CAN', paid: 'context.paid:CAN' },
        },
        committedPctOfKielMilitary: null,
      });

      // NLD: the 2025-12 row (ends 12-31); C4 is a pledge and counts nothing.
      const nldCommitted = x(1_000_000n, 'EUR', '2025-09-20');
      const nldMilitary = kiel('6.0', '2025-12-31');
      expect(nld).toMatchObject({
        names: { en: 'Netherlands', fr: 'Pays-Bas' },
        kiel: {
          year: 2025,
          month: 12,
          period: '2025-12',
          periodEnd: '2025-12-31',
          pctGdp: '0.8',
          rateDate:
            basis.currency === 'EUR'
              ? null
              : ('rateDate' in basis && basis.rateDate) || '2025-12-31',
          sourceFile: 'data_explorer.csv',
          amounts: {
            total: { eurBn: '8.0', amountMinor: kiel('8.0', '2025-12-31') },
            military: { eurBn: '6.0', amountMinor: nldMilitary },
            gdp: { eurBn: '1000', amountMinor: kiel('1000', '2025-12-31') },
          },
        },
        purl: {
          committedMinor: nldCommitted,
          paidMinor: x(400_000n, 'EUR', '2025-10-05') + x(200_000n, 'EUR', '2025-11-10'),
        },
        committedPctOfKielMilitary: pct(nldCommitted, nldMilitary),
      });

      // NOR: the yearly 2025 row wins its tie with the 2025-12 row; a blank cell stays null.
      expect(nor).toMatchObject({
        kiel: {
          month: null,
          period: '2025',
          amounts: {
            total: { eurBn: '3.25', amountMinor: kiel('3.25', '2025-12-31') },
            toBeAllocated: { eurBn: null, amountMinor: null },
          },
        },
        purl: {
          committedMinor: x(11_500_000n, 'NOK', '2025-09-25'),
          paidMinor: x(11_500_000n, 'NOK', '2025-10-20'),
        },
      });

      // Kiel only: a party (DEU announced, contributed nothing) and a non-party (EUI).
      expect(eui).toMatchObject({
        names: { en: 'EU institutions', fr: 'EU institutions' },
        purl: null,
        committedPctOfKielMilitary: null,
        kiel: {
          period: '2025-06',
          pctGdp: null,
          amounts: {
            total: { eurBn: '30.0', amountMinor: kiel('30.0', '2025-06-30') },
            gdp: { eurBn: null, amountMinor: null },
          },
        },
      });
      expect(deu).toMatchObject({
        names: { en: 'Germany', fr: 'Allemagne' },
        purl: null,
        kiel: { amounts: { military: { eurBn: '7.0', amountMinor: kiel('7.0', '2025-06-30') } } },
      });

      expect(result.totals).toMatchObject({
        committedMinor: can!.purl!.committedMinor + nldCommitted + nor!.purl!.committedMinor,
        paidMinor: can!.purl!.paidMinor + nld!.purl!.paidMinor + nor!.purl!.paidMinor,
        figures: { committed: 'context.committed:total', paid: 'context.paid:total' },
      });
      expect(result.sources).toHaveLength(1);
      expect(result.sources[0]!.sourceFile).toBe('data_explorer.csv');
      expect(result.sources[0]!.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(result.kielConversion).toContain(
        basis.currency === 'EUR'
          ? 'in EUR as published'
          : 'rateDate' in basis
            ? `at the ECB rate of ${basis.rateDate}`
            : 'end of each row',
      );
    });

    it(`drills PURL's figures down to contributions and payments that add up (${name})`, async () => {
      const options = { ...basis, asOf: AS_OF };
      const result = await getKielContext(t.database, system, options);
      for (const row of [...result.rows.filter((r) => r.purl), { purl: result.totals }]) {
        for (const measure of ['committed', 'paid'] as const) {
          const key = row.purl!.figures[measure];
          const drill = await drillDelivery(t.database, system, options, parseFigureKey(key));
          expect(drill.totalMinor, key).toBe(row.purl![`${measure}Minor`]);
          expect(
            drill.records.reduce((s, r) => s + r.amountMinor, 0n),
            key,
          ).toBe(drill.totalMinor);
        }
      }
      const payments = await drillDelivery(
        t.database,
        system,
        options,
        parseFigureKey('context.paid:total'),
      );
      expect(payments.records.map((r) => [r.kind, r.date, r.originalCurrency])).toEqual(
        expect.arrayContaining([
          ['payment', '2025-08-01', 'USD'],
          ['payment', '2025-10-05', 'EUR'],
          ['payment', '2025-11-10', 'EUR'],
          ['payment', '2025-10-20', 'NOK'],
        ]),
      );
      expect(payments.records).toHaveLength(4);
      const committed = await drillDelivery(
        t.database,
        system,
        options,
        parseFigureKey('context.committed:NLD'),
      );
      expect(committed.records).toMatchObject([
        {
          kind: 'contribution',
          id: f.contributions.C2,
          date: '2025-09-20',
          originalAmountMinor: 1_000_000n,
        },
      ]);
    });
  }

  it('picks, as of an earlier day, the latest row begun by then, converted at that day at most', async () => {
    const basis: Basis = { currency: 'USD', rateMode: 'value_date' };
    const result = await getKielContext(t.database, system, { ...basis, asOf: '2025-11-30' });
    const nld = result.rows.find((r) => r.iso === 'NLD')!;
    const nor = result.rows.find((r) => r.iso === 'NOR')!;
    // NLD's 2025-12 row begins after the day: its 2025-06 row, with a military figure of 12
    // decimals: 6.123456789012 bn = 612,345,678,901.2 cents → 612,345,678,901 (half to even).
    expect(nld.kiel).toMatchObject({ period: '2025-06', rateDate: '2025-06-30' });
    expect(eurBnCents('6.123456789012')).toBe(612_345_678_901n);
    expect(nld.kiel!.amounts.military.amountMinor).toBe(
      inBasis(basis, 612_345_678_901n, 'EUR', '2025-06-30'),
    );
    // NOR's yearly 2025 row ends after the day: converted at the as-of day.
    expect(nor.kiel).toMatchObject({ period: '2025', rateDate: '2025-11-30' });
    expect(nor.kiel!.amounts.total.amountMinor).toBe(
      inBasis(basis, eurBnCents('3.25'), 'EUR', '2025-11-30'),
    );
  });

  it('keeps to one year when asked: that year’s Kiel rows and PURL figures', async () => {
    for (const basis of [
      { currency: 'EUR', rateMode: 'value_date' },
      { currency: 'USD', rateMode: 'fixed', rateDate: '2025-10-15' },
    ] as const) {
      const result = await getKielContext(t.database, system, {
        ...basis,
        asOf: AS_OF,
        year: 2024,
      });
      expect(result.year).toBe(2024);
      expect(result.rows).toHaveLength(1);
      expect(result.rows[0]).toMatchObject({
        iso: 'NLD',
        purl: null,
        kiel: {
          period: '2024',
          amounts: {
            total: {
              eurBn: '5.5',
              amountMinor: inBasis(basis, eurBnCents('5.5'), 'EUR', '2024-12-31'),
            },
          },
        },
      });
      expect(result.totals.committedMinor).toBe(0n);
      const drill = await drillDelivery(
        t.database,
        system,
        { ...basis, asOf: AS_OF },
        parseFigureKey('context.committed:total:2024'),
      );
      expect(drill).toMatchObject({ totalMinor: 0n, records: [] });
    }
    const y2025 = await getKielContext(t.database, system, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: AS_OF,
      year: 2025,
    });
    expect(y2025.rows.find((r) => r.iso === 'CAN')!.purl!.figures.committed).toBe(
      'context.committed:CAN:2025',
    );
  });

  it('refuses a bad year or figure key, naming the field', async () => {
    const base = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    for (const year of [1999, 2025.5, 2201]) {
      await expect(getKielContext(t.database, system, { ...base, year })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'year' },
      });
    }
    for (const key of [
      'context.total:NLD',
      'context.paid',
      'context.paid:nld',
      'context.paid:NLD:25',
      'context.paid:NLD:1999',
    ]) {
      await expect(
        drillDelivery(t.database, system, base, parseFigureKey(key)),
        key,
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'figure' } });
    }
  });

  it('exports the view in English and in French with the Kiel source and conversion', async () => {
    const result = await getKielContext(t.database, system, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: AS_OF,
    });
    const fr = kielContextTable(result, 'fr');
    const en = kielContextTable(result, 'en');
    expect(fr.rows.map((r) => r.name)).toEqual([
      'Canada',
      'Pays-Bas',
      'Norvège',
      'EU institutions',
      'Allemagne',
    ]);
    expect(fr.columns.map((c) => c.label)).toEqual(
      expect.arrayContaining(['PURL — engagé', 'Kiel — militaire (Md EUR)', 'Taux pour 1 EUR']),
    );
    expect(en.rows[1]).toMatchObject({
      iso: 'NLD',
      kielMilitaryEurBn: '6.0',
      purlCommittedMinor: result.rows[1]!.purl!.committedMinor,
      kielPeriod: '2025-12',
    });
    const meta = Object.fromEntries(fr.meta);
    expect(meta['Conversion des chiffres de Kiel']).toContain('Md EUR convertis en USD');
    expect(meta['Fichiers source de Kiel']).toContain('data_explorer.csv (sha256 ');
    expect(Object.fromEntries(en.meta)['Year']).toBe('latest period');
  });
});
