/**
 * The browser formats money and names parties with its own tables: they agree with the ledger's
 * reference data — the minor-unit exponent of every currency the ledger knows, and a name for
 * every nation among its parties.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { listCurrencies } from '../../src/storage/fx-repository.js';
import { minorUnitOf } from '../../src/web/src/i18n/money.js';
import { ALPHA2, partyName } from '../../src/web/src/i18n/parties.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

describe.each(ENGINES)('the web app’s reference tables on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('gives every currency of the ledger its ISO 4217 exponent', async () => {
    const currencies = await listCurrencies(t.database.kysely);
    expect(currencies.length).toBeGreaterThan(100);
    const wrong = currencies
      .filter((currency) => minorUnitOf(currency.code) !== currency.minorUnit)
      .map(
        (currency) =>
          `${currency.code}: ledger ${currency.minorUnit}, web ${minorUnitOf(currency.code)}`,
      );
    expect(wrong).toEqual([]);
  });

  it('names every nation among the parties in English, French and Ukrainian', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/parties?limit=200',
      headers: { 'x-purl-actor': 'coordinator' },
    });
    expect(response.statusCode).toBe(200);
    const parties = (
      response.json() as { items: { id: string; kind: string; names: Record<string, string> }[] }
    ).items;
    const nations = parties.filter((party) => party.kind !== 'nato_body');
    expect(nations.length).toBeGreaterThan(30);
    for (const party of nations) {
      expect(ALPHA2[party.id], party.id).toBeDefined();
      for (const locale of ['en-GB', 'fr-FR', 'uk-UA']) {
        expect(partyName(locale, party.id), `${party.id} in ${locale}`).not.toBe(party.id);
      }
    }
    expect(partyName('fr-FR', 'NLD')).toBe('Pays-Bas');
    expect(partyName('uk-UA', 'NLD')).toBe('Нідерланди');
  });
});
