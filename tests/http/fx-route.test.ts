/**
 * `GET /api/v1/fx/rate` on both engines: the rate a conversion on a value date uses (both rates
 * per EUR exact, the cross rate, the rate date and source), the fallback to an earlier day over
 * a weekend, EUR as the base, and a clear refusal naming the currency without a rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECB_SOURCE } from '../../src/core/fx.js';
import { buildApp, type App } from '../../src/http/app.js';
import { upsertFxRates } from '../../src/storage/fx-repository.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

describe.each(ENGINES)('GET /api/v1/fx/rate on %s', (engine) => {
  let t: TestDatabase;
  let app: App;

  const rate = (query: string, actor: string | null = 'coordinator') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/fx/rate?${query}`,
      headers: actor ? { 'x-purl-actor': actor } : {},
    });

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    // Friday 2025-10-24 and Monday 2025-10-27: the weekend between has no rate.
    await upsertFxRates(t.database.kysely, ECB_SOURCE, [
      { currency: 'NOK', rateDate: '2025-10-24', ratePerEur: '11.6270' },
      { currency: 'USD', rateDate: '2025-10-24', ratePerEur: '1.1625' },
      { currency: 'USD', rateDate: '2025-10-27', ratePerEur: '1.1645' },
    ]);
    app = await buildApp({ database: t.database, devActors: true });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('answers the rate of the value date with both rates per EUR, its date and source', async () => {
    const response = await rate('from=EUR&to=USD&date=2025-10-27');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      from: 'EUR',
      to: 'USD',
      valueDate: '2025-10-27',
      rate: '1.1645',
      fromRatePerEur: '1',
      toRatePerEur: '1.1645',
      rateDate: '2025-10-27',
      fellBack: false,
      source: ECB_SOURCE,
    });
  });

  it('falls back to the latest earlier day with rates for both currencies, and says so', async () => {
    const response = await rate('from=NOK&to=USD&date=2025-10-26', 'contributor:NOR');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      from: 'NOK',
      to: 'USD',
      valueDate: '2025-10-26',
      fromRatePerEur: '11.6270',
      toRatePerEur: '1.1625',
      rateDate: '2025-10-24',
      fellBack: true,
    });
    expect(response.json().rate).toMatch(/^0\.09998/);
  });

  it('refuses a currency without a rate, naming it; and a malformed date', async () => {
    const missing = await rate('from=SEK&to=USD&date=2025-10-27');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error).toMatchObject({
      code: 'FX_RATE_UNAVAILABLE',
      details: { field: 'from', currency: 'SEK' },
    });
    const malformed = await rate('from=EUR&to=USD&date=27-10-2025');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('needs a signed-in caller', async () => {
    expect((await rate('from=EUR&to=USD&date=2025-10-27', null)).statusCode).toBe(401);
  });
});
