/**
 * The reporting converter of the analyses (`openReporting`) agrees, amount for amount, with the
 * one conversion service (`fx-service.convert`): same rate day (the latest common day on or before
 * the value date, a weekend falling back to Friday), same half-even rounding; `fixed` mode values
 * everything at one date; the basis counts conversions and fallbacks; a missing rate names the
 * currency; an amount dated after the last imported rates is converted at those and counted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { DomainError } from '../../src/core/errors.js';
import { openReporting } from '../../src/services/analytics/reporting.js';
import { convert, importFxRates } from '../../src/services/fx-service.js';
import { inTransaction } from '../../src/storage/transaction.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const system = systemActor('test');
// Friday 2025-08-01 and Monday 2025-08-04; nothing on the weekend.
const RATES = [
  'Date,USD,NOK,GBP,',
  '2025-08-04,1.1578,11.8590,0.87063,',
  '2025-08-01,1.1404,11.8200,0.86500,',
].join('\n');

describe.each(ENGINES)('the reporting converter on %s', (engine) => {
  let t: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    dir = await mkdtemp(join(tmpdir(), 'purl-reporting-'));
    await writeFile(join(dir, 'rates.csv'), `${RATES}\n`);
    await importFxRates(t.database, system, { file: join(dir, 'rates.csv') });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases = [
    { amountMinor: 50_000_000_000n, currency: 'EUR', valueDate: '2025-08-04' },
    { amountMinor: 123_456_789n, currency: 'NOK', valueDate: '2025-08-03' }, // Sunday
    { amountMinor: 99_999n, currency: 'GBP', valueDate: '2025-08-02' }, // Saturday
    { amountMinor: 27_500_000_000n, currency: 'USD', valueDate: '2025-08-04' },
  ];

  for (const target of ['USD', 'EUR'] as const) {
    it(`value_date mode in ${target} agrees with the conversion service`, async () => {
      // The service's answers first: on PGlite one connection serves one transaction at a time.
      const expected = await Promise.all(
        cases.map((c) =>
          c.currency === target
            ? undefined
            : convert(t.database, system, {
                amountMinor: c.amountMinor,
                from: c.currency,
                to: target,
                valueDate: c.valueDate,
              }),
        ),
      );
      await inTransaction(t.database, async (tx) => {
        const reporting = await openReporting(
          tx,
          { currency: target, rateMode: 'value_date' },
          { currencies: ['EUR', 'NOK', 'GBP', 'USD'], from: '2025-08-02', to: '2025-08-04' },
        );
        for (const [index, c] of cases.entries()) {
          const ours = reporting.convert(c.amountMinor, c.currency, c.valueDate);
          const theirs = expected[index];
          if (theirs === undefined) {
            expect(ours.amountMinor).toBe(c.amountMinor);
            continue;
          }
          expect(ours.amountMinor, `${c.currency} on ${c.valueDate}`).toBe(theirs.amountMinor);
          expect(ours.rateDate).toBe(theirs.rateDate);
          expect(ours.rate).toBe(theirs.rate);
          expect(ours.fellBack).toBe(theirs.fellBack);
        }
        const basis = reporting.basis();
        expect(basis.currency).toBe(target);
        expect(basis.rateMode).toBe('value_date');
        expect(basis.rateDate).toBeNull();
        expect(basis.conversions).toBe(3);
        expect(basis.fellBack).toBe(2);
      });
    });
  }

  it('fixed mode values every amount at one date, by default the latest with rates', async () => {
    await inTransaction(t.database, async (tx) => {
      const reporting = await openReporting(
        tx,
        { currency: 'USD', rateMode: 'fixed', asOf: '2025-08-10' },
        { currencies: ['EUR'], from: '2025-01-01', to: '2025-08-10' },
      );
      expect(reporting.options.rateDate).toBe('2025-08-04');
      // €1,000.00 at 1.1578 → $1,157.80 whatever the record's own date.
      expect(reporting.convert(100_000n, 'EUR', '2025-08-01').amountMinor).toBe(115_780n);
      expect(reporting.convert(100_000n, 'EUR', '2024-01-01').amountMinor).toBe(115_780n);
      const record = reporting.record(
        {
          kind: 'contribution',
          id: 7n,
          label: 'x',
          date: '2025-08-01',
          partyId: 'NLD',
          packageId: null,
          contributionId: 7n,
          quantity: null,
          days: null,
        },
        100_000n,
        'EUR',
        '2025-08-01',
      );
      expect(record).toMatchObject({
        originalAmountMinor: 100_000n,
        originalCurrency: 'EUR',
        amountMinor: 115_780n,
        rateDate: '2025-08-04',
        count: 1,
      });
      expect(reporting.basis().rateDate).toBe('2025-08-04');
    });
  });

  it('values "as of" amounts at the last day with rates when the file ends before asOf', async () => {
    await inTransaction(t.database, async (tx) => {
      const reporting = await openReporting(
        tx,
        { currency: 'USD', rateMode: 'value_date', asOf: '2026-11-28' },
        // The records end long before; today's rates are loaded all the same.
        { currencies: ['EUR'], from: '2025-08-01', to: '2025-08-01' },
      );
      expect(reporting.today).toBe('2025-08-04');
      expect(reporting.convert(100_000n, 'EUR', reporting.today)).toMatchObject({
        amountMinor: 115_780n, // €1,000.00 × 1.1578
        rateDate: '2025-08-04',
      });
      const early = await openReporting(
        tx,
        { currency: 'USD', rateMode: 'value_date', asOf: '2025-08-02' },
        { currencies: ['EUR'], from: '2025-08-01', to: '2025-08-02' },
      );
      expect(early.today).toBe('2025-08-01');
    });
  });

  it('converts amounts dated after the last rates at those, and counts them as provisional', async () => {
    await inTransaction(t.database, async (tx) => {
      const reporting = await openReporting(
        tx,
        { currency: 'USD', rateMode: 'value_date', asOf: '2026-11-28' },
        { currencies: ['EUR', 'NOK'], from: '2025-08-01', to: '2026-11-28' },
      );
      // Recorded today, long after the rate file ends: the last day's rates, not a refusal.
      expect(reporting.convert(100_000n, 'EUR', '2026-11-28')).toMatchObject({
        amountMinor: 115_780n,
        rateDate: '2025-08-04',
      });
      expect(reporting.convert(100_000n, 'EUR', '2025-08-01').rateDate).toBe('2025-08-01');
      expect(reporting.convert(5n, 'USD', '2026-11-28').amountMinor).toBe(5n);
      const basis = reporting.basis();
      expect(basis.afterLastRate).toBe(1);
      expect(basis.lastRateDate).toBe('2025-08-04');
      expect(basis.conversions).toBe(2);
      expect(basis.fellBack).toBe(0);
    });
  });

  it('a value date without a rate in the carry-forward window names the currency', async () => {
    await inTransaction(t.database, async (tx) => {
      const reporting = await openReporting(
        tx,
        { currency: 'USD', rateMode: 'value_date' },
        { currencies: ['NOK'], from: '2025-07-15', to: '2025-07-15' },
      );
      let error: unknown;
      try {
        reporting.convert(1n, 'NOK', '2025-07-15');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('FX_RATE_UNAVAILABLE');
      expect((error as DomainError).details.currency).toBe('NOK/USD');
    });
  });
});
