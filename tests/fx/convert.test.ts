/**
 * The real ECB history imported once per engine, then conversions checked against rates read
 * from the same file inside the test.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/core/actor.js';
import { DomainError } from '../../src/core/errors.js';
import { addDays } from '../../src/core/fx.js';
import { LIMITS } from '../../src/core/limits.js';
import {
  convert,
  importFxRates,
  type ConvertInput,
  type FxImportResult,
} from '../../src/services/fx-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import {
  ECB_ZIP,
  decimalParts,
  latestDateWithRates,
  rateOn,
  readEcbCsv,
  roundHalfEvenIndependent,
  type EcbCsv,
} from './ecb-file.js';

const importer = systemActor('test:import-fx');
const auditor: Actor = { id: 'auditor-1', role: 'auditor' };

async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

/** A fingerprint of the whole fx_rate table, to show that a re-import changed nothing. */
async function tableFingerprint(t: TestDatabase): Promise<string> {
  const result = await sql<{ fingerprint: string }>`
    SELECT md5(string_agg(currency || ' ' || rate_date || ' ' || rate_per_eur || ' ' || source,
                          ',' ORDER BY currency, rate_date)) AS fingerprint
    FROM fx_rate`.execute(t.database.kysely);
  return result.rows[0]!.fingerprint;
}

const csv: EcbCsv = readEcbCsv();

describe.each(ENGINES)('FX import and conversion on %s (full ECB file)', (engine) => {
  let t: TestDatabase;
  let imported: FxImportResult;
  let importMs: number;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    const startedMs = performance.now();
    imported = await importFxRates(t.database, importer, { file: ECB_ZIP });
    importMs = performance.now() - startedMs;
    console.info(
      `[${engine}] imported ${imported.rates} rates of ${imported.days} days in ${Math.round(importMs)} ms`,
    );
  });
  afterAll(async () => t?.close());

  const usd = (input: Partial<ConvertInput> & { valueDate: string }) =>
    convert(t.database, auditor, { amountMinor: 100_000_000n, from: 'EUR', to: 'USD', ...input });

  it('imports every rate of the file: days, rates and currencies match the CSV read here', async () => {
    expect(imported.days).toBe(csv.dates.length);
    expect(imported.rates).toBe(csv.rateCount);
    expect(imported.currencies).toBe(csv.codes.length);
    expect(imported.inserted).toBe(csv.rateCount);
    expect(imported.updated).toBe(0);
    expect(imported.unchanged).toBe(0);
    expect(imported.firstDate).toBe(csv.dates[0]);
    expect(imported.lastDate).toBe(csv.dates.at(-1));
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM fx_rate`.execute(
      t.database.kysely,
    );
    expect(count.rows[0]!.n).toBe(csv.rateCount);
  });

  it('records one audit event for the import, with the file name, its SHA-256 and the counts', async () => {
    const events = await t.database.kysely
      .selectFrom('audit_event')
      .select(['actor', 'entity', 'action', 'after'])
      .where('entity', '=', 'fx_rate')
      .execute();
    expect(events).toHaveLength(1);
    const sha256 = createHash('sha256').update(readFileSync(ECB_ZIP)).digest('hex');
    expect(events[0]).toMatchObject({
      actor: 'system:test:import-fx',
      entity: 'fx_rate',
      action: 'import',
      after: {
        file: 'eurofxref-hist.zip',
        sha256,
        days: csv.dates.length,
        rates: csv.rateCount,
        inserted: csv.rateCount,
        updated: 0,
      },
    });
  });

  it('converts EUR to USD on business days at exactly the published rate of that day', async () => {
    for (const date of [csv.dates[0]!, '2025-08-04', '2025-08-05', csv.dates.at(-1)!]) {
      const published = rateOn(csv, date, 'USD');
      const { mantissa, scale } = decimalParts(published);
      // 1,000,000.00 EUR × rate is exact in cents when the rate has at most 8 decimals.
      const product = 100_000_000n * mantissa;
      expect(product % 10n ** scale).toBe(0n);
      const result = await usd({ valueDate: date });
      expect(result).toMatchObject({
        fromAmountMinor: 100_000_000n,
        fromCurrency: 'EUR',
        amountMinor: product / 10n ** scale,
        currency: 'USD',
        fromRatePerEur: '1',
        toRatePerEur: published,
        rateDate: date,
        valueDate: date,
        fellBack: false,
        carriedForwardDays: 0,
      });
      expect(result.source).toMatch(/ECB/);
    }
  });

  it('falls back from a weekend to the Friday and says so (2025-08-02/03 → 2025-08-01)', async () => {
    expect(csv.byDate.has('2025-08-01')).toBe(true);
    expect(csv.byDate.has('2025-08-02')).toBe(false);
    expect(csv.byDate.has('2025-08-03')).toBe(false);
    const saturday = await usd({ valueDate: '2025-08-02' });
    expect(saturday).toMatchObject({
      valueDate: '2025-08-02',
      rateDate: '2025-08-01',
      fellBack: true,
      carriedForwardDays: 1,
      toRatePerEur: rateOn(csv, '2025-08-01', 'USD'),
    });
    const sunday = await usd({ valueDate: '2025-08-03' });
    expect(sunday).toMatchObject({ rateDate: '2025-08-01', fellBack: true, carriedForwardDays: 2 });
  });

  it('uses the latest earlier day with both rates for every day of December 2025 (holidays too)', async () => {
    for (let day = 1; day <= 31; day++) {
      const valueDate = `2025-12-${String(day).padStart(2, '0')}`;
      const expected = latestDateWithRates(csv, valueDate, ['USD', 'NOK']);
      const result = await convert(t.database, auditor, {
        amountMinor: 1n,
        from: 'USD',
        to: 'NOK',
        valueDate,
      });
      expect(result.rateDate, valueDate).toBe(expected);
      expect(result.fellBack, valueDate).toBe(expected !== valueDate);
    }
  });

  it('computes USD→NOK through EUR, matching an independent exact computation from the file', async () => {
    const valueDate = '2025-08-05';
    const usdRate = rateOn(csv, valueDate, 'USD');
    const nokRate = rateOn(csv, valueDate, 'NOK');
    // amountNOK = amountUSD × NOK/EUR ÷ USD/EUR, both in cents/øre (exponent 2 each).
    const u = decimalParts(usdRate);
    const n = decimalParts(nokRate);
    for (const amountMinor of [50_000_000_000n, 27_500_000_000n, 1n, 12_345n, -27_500_000_000n]) {
      const expected = roundHalfEvenIndependent(
        amountMinor * n.mantissa * 10n ** u.scale,
        u.mantissa * 10n ** n.scale,
      );
      const result = await convert(t.database, auditor, {
        amountMinor,
        from: 'USD',
        to: 'NOK',
        valueDate,
      });
      expect(result).toMatchObject({
        amountMinor: expected,
        currency: 'NOK',
        fromRatePerEur: usdRate,
        toRatePerEur: nokRate,
        rateDate: valueDate,
        fellBack: false,
      });
      // The display rate is NOK per USD to 10 significant digits.
      expect(Math.abs(Number(result.rate) / (Number(nokRate) / Number(usdRate)) - 1)).toBeLessThan(
        1e-9,
      );
      expect(result.rate.replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(10);
    }
  });

  it('converts to JPY (no minor unit) and back with the exponents applied', async () => {
    const valueDate = csv.dates.at(-1)!;
    const jpy = decimalParts(rateOn(csv, valueDate, 'JPY'));
    const toYen = await convert(t.database, auditor, {
      amountMinor: 100_000n, // 1,000.00 EUR
      from: 'EUR',
      to: 'JPY',
      valueDate,
    });
    expect(toYen.amountMinor).toBe(
      roundHalfEvenIndependent(100_000n * jpy.mantissa, 100n * 10n ** jpy.scale),
    );
    const toEur = await convert(t.database, auditor, {
      amountMinor: 1_000_000n, // 1,000,000 yen
      from: 'JPY',
      to: 'EUR',
      valueDate,
    });
    expect(toEur.amountMinor).toBe(
      roundHalfEvenIndependent(1_000_000n * 100n * 10n ** jpy.scale, jpy.mantissa),
    );
  });

  it('converts EUR to EUR without a rate row, at rate 1 on the value date', async () => {
    const result = await convert(t.database, auditor, {
      amountMinor: 12_345n,
      from: 'EUR',
      to: 'EUR',
      valueDate: '2025-08-02',
    });
    expect(result).toMatchObject({
      amountMinor: 12_345n,
      rate: '1',
      rateDate: '2025-08-02',
      fellBack: false,
    });
  });

  it('carries a rate forward at most LIMITS.fxCarryForwardDaysMax days', async () => {
    const last = csv.dates.at(-1)!;
    const within = await usd({ valueDate: addDays(last, LIMITS.fxCarryForwardDaysMax) });
    expect(within).toMatchObject({
      rateDate: last,
      carriedForwardDays: LIMITS.fxCarryForwardDaysMax,
    });
    const beyond = await domainError(
      usd({ valueDate: addDays(last, LIMITS.fxCarryForwardDaysMax + 1) }),
    );
    expect(beyond.code).toBe('FX_RATE_UNAVAILABLE');
    expect(beyond.details).toMatchObject({ currency: 'USD', latestRateDate: last });
  });

  it('reports FX_RATE_UNAVAILABLE naming a withdrawn currency and the date (CYP at 2020-01-01)', async () => {
    const lastCyp = [...csv.dates].reverse().find((d) => csv.byDate.get(d)!.has('CYP'));
    const error = await domainError(
      convert(t.database, auditor, {
        amountMinor: 100n,
        from: 'CYP',
        to: 'USD',
        valueDate: '2020-01-01',
      }),
    );
    expect(error.code).toBe('FX_RATE_UNAVAILABLE');
    expect(error.message).toContain('CYP');
    expect(error.message).toContain('2020-01-01');
    expect(error.details).toMatchObject({
      field: 'from',
      currency: 'CYP',
      valueDate: '2020-01-01',
      latestRateDate: lastCyp,
    });
    // While CYP was quoted, it converts.
    const quoted = await convert(t.database, auditor, {
      amountMinor: 100n,
      from: 'CYP',
      to: 'USD',
      valueDate: lastCyp!,
    });
    expect(quoted.rateDate).toBe(lastCyp);
  });

  it('reports FX_RATE_UNAVAILABLE for a known currency the ECB never quoted, and before 1999', async () => {
    const uah = await domainError(
      convert(t.database, auditor, {
        amountMinor: 100n,
        from: 'USD',
        to: 'UAH',
        valueDate: '2025-08-04',
      }),
    );
    expect(uah.code).toBe('FX_RATE_UNAVAILABLE');
    expect(uah.message).toContain('UAH');
    expect(uah.details).toMatchObject({ field: 'to', currency: 'UAH', latestRateDate: null });
    const early = await domainError(usd({ valueDate: '1998-12-31' }));
    expect(early.code).toBe('FX_RATE_UNAVAILABLE');
  });

  it('reports CURRENCY_UNKNOWN naming the field for an unknown or malformed code', async () => {
    for (const [input, field] of [
      [{ from: 'XYZ' }, 'from'],
      [{ to: 'ABC' }, 'to'],
      [{ to: 'usd' }, 'to'],
      [{ from: 'EURO' }, 'from'],
    ] as const) {
      const error = await domainError(usd({ valueDate: '2025-08-04', ...input }));
      expect(error.code).toBe('CURRENCY_UNKNOWN');
      expect(error.details.field).toBe(field);
    }
  });

  it('refuses a malformed value date with VALIDATION_FAILED on valueDate', async () => {
    for (const valueDate of ['2025-02-29', '04/08/2025', '']) {
      const error = await domainError(usd({ valueDate }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.field).toBe('valueDate');
    }
  });

  it('lets any signed-in role read rates but only admin and system import them', async () => {
    const contributor: Actor = { id: 'c-1', role: 'contributor', partyId: 'NLD' };
    await expect(
      convert(t.database, contributor, {
        amountMinor: 1n,
        from: 'EUR',
        to: 'USD',
        valueDate: '2025-08-04',
      }),
    ).resolves.toMatchObject({ currency: 'USD' });
    const denied = await domainError(importFxRates(t.database, contributor, { file: ECB_ZIP }));
    expect(denied.code).toBe('FORBIDDEN');
  });

  // Last: it re-imports the whole file.
  it('re-importing the same file changes nothing and reports every rate unchanged', async () => {
    const before = await tableFingerprint(t);
    const again = await importFxRates(t.database, importer, { file: ECB_ZIP });
    expect(again).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: csv.rateCount,
      sha256: imported.sha256,
    });
    expect(await tableFingerprint(t)).toBe(before);
  });
});
