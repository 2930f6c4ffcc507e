/**
 * The funding analyses through the API, both engines: each route answers with the basis it was
 * asked for (currency, rate mode, rate date, as of) and money as decimal strings; the
 * drill-down answers a figure key from a response and adds up to it; a contributor's drill-down
 * folds what it may not see; bad input is refused naming the field (a reporting currency other
 * than USD or EUR, a rate date without the fixed mode, a bad figure key, a malformed target);
 * access: anonymous 401, admin 403; the routes are in the OpenAPI document under `analytics`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBurdenSharing } from '../../src/services/analytics/burden.js';
import { getCoverage } from '../../src/services/analytics/coverage.js';
import {
  burdenSharingTable,
  coverageTable,
  funnelTable,
  paceTable,
} from '../../src/services/analytics/funding-tables.js';
import { getFunnel } from '../../src/services/analytics/funnel.js';
import { getPace } from '../../src/services/analytics/pace.js';
import { ENGINES } from '../support/engines.js';
import {
  ACTORS,
  AS_OF,
  FIXED_DATE,
  buildFundingWorld,
  openFundingApi,
  type FundingApi,
  type FundingWorld,
  type Json,
} from './support.js';

describe.each(ENGINES)('the analytics API on %s', (engine) => {
  let w: FundingWorld;
  let api: FundingApi;
  beforeAll(async () => {
    w = await buildFundingWorld(engine);
    api = await openFundingApi(w);
  }, 180_000);
  afterAll(async () => {
    await api?.app.close();
    await w?.close();
  });

  const fixed = `currency=EUR&rateMode=fixed&rateDate=${FIXED_DATE}&asOf=${AS_OF}`;
  const basis = { currency: 'EUR', rateMode: 'fixed', rateDate: FIXED_DATE, asOf: AS_OF };

  it('GET /analytics/funnel answers the basis asked for, money as decimal strings, and its figures drill down', async () => {
    const funnel = await api.ok('GET', `/analytics/funnel?${fixed}`, 'coordinator');
    expect(funnel.basis).toMatchObject(basis);
    expect(funnel.stages).toHaveLength(7);
    const committed = funnel.stages.find((s: Json) => s.stage === 'committed');
    expect(committed.amountMinor).toMatch(/^[0-9]+$/);
    expect(funnel.reconciliation.ok).toBe(true);
    const drill = await api.ok(
      'GET',
      `/analytics/drill?${fixed}&figure=${encodeURIComponent(committed.figures.amount)}`,
      'coordinator',
    );
    expect(drill.basis).toMatchObject(basis);
    expect(drill.totalMinor).toBe(committed.amountMinor);
    const sum = drill.records.reduce((s: bigint, r: Json) => s + BigInt(r.amountMinor), 0n);
    expect(sum.toString()).toBe(committed.amountMinor);
  });

  it('GET /analytics/burden-sharing, /coverage and /pace answer with their basis and figure keys', async () => {
    const burden = await api.ok('GET', `/analytics/burden-sharing?${fixed}`, 'auditor');
    expect(burden.basis).toMatchObject(basis);
    expect(burden.donors.map((d: Json) => d.partyId)).toEqual(
      expect.arrayContaining(['NLD', 'NOR', 'GBR', 'CAN']),
    );
    expect(burden.donors.find((d: Json) => d.partyId === 'NLD')).toMatchObject({
      gdpYear: 2024,
      gdpFallback: true,
    });

    const coverage = await api.ok(
      'GET',
      `/analytics/coverage?${fixed}&cycleFrom=2025-08&cycleTo=2025-08`,
      'recipient',
    );
    expect(coverage.basis).toMatchObject(basis);
    expect(coverage).toMatchObject({ cycleFrom: '2025-08', cycleTo: '2025-08' });
    expect(coverage.totals.figures.funded).toBe('coverage.funded:2025-08');

    const pace = await api.ok(
      'GET',
      `/analytics/pace?${fixed}&targetPerMonth=1000000.00&goal=25000000.00`,
      'supplier',
    );
    expect(pace.basis).toMatchObject(basis);
    expect(pace.target).toMatchObject({ amountMinor: '100000000', source: 'given' });
    expect(pace.goal).toMatchObject({ amountMinor: '2500000000', source: 'given' });
    expect(pace.months[0].figures.committed).toBe('pace.committed:2025-08');

    const defaults = await api.ok('GET', `/analytics/funnel?asOf=${AS_OF}`, 'validator');
    expect(defaults.basis).toMatchObject({
      currency: 'USD',
      rateMode: 'value_date',
      rateDate: null,
    });
  });

  it('a contributor’s drill-down folds the records of packages its party does not fund', async () => {
    const drill = await api.ok(
      'GET',
      `/analytics/drill?${fixed}&figure=funnel.delivered`,
      'contributor:GBR',
    );
    expect(drill.records).toHaveLength(1);
    expect(drill.records[0]).toMatchObject({ kind: 'redacted', count: 2, originalCurrency: 'USD' });
    expect(drill.records[0].amountMinor).toBe(drill.totalMinor);
  });

  it('refuses bad input naming the field', async () => {
    const gbp = await api.call('GET', `/analytics/funnel?currency=GBP`, 'coordinator');
    expect(gbp.status).toBe(400);
    expect(gbp.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'querystring.currency' },
    });

    const rateDate = await api.call(
      'GET',
      `/analytics/burden-sharing?rateDate=${FIXED_DATE}`,
      'coordinator',
    );
    expect(rateDate.status).toBe(400);
    expect(rateDate.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'rateDate' },
    });

    for (const figure of [
      'nothing.here',
      'funnel.bogus',
      'coverage.funded:2025-08:Artillery',
      'a:b',
    ]) {
      const r = await api.call(
        'GET',
        `/analytics/drill?figure=${encodeURIComponent(figure)}`,
        'coordinator',
      );
      expect(r.status, figure).toBe(400);
      expect(r.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'figure' },
      });
    }

    const target = await api.call('GET', `/analytics/pace?targetPerMonth=1.234`, 'coordinator');
    expect(target.status).toBe(400);
    expect(target.body.error).toMatchObject({
      code: 'AMOUNT_INVALID',
      details: { field: 'targetPerMonth' },
    });

    const cycle = await api.call('GET', `/analytics/coverage?cycleFrom=2025-13`, 'coordinator');
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details.field).toBe('querystring.cycleFrom');
  });

  it('needs a signed-in operational reader', async () => {
    for (const path of [
      'funnel',
      'burden-sharing',
      'coverage',
      'pace',
      'drill?figure=funnel.paid',
    ]) {
      expect((await api.call('GET', `/analytics/${path}`, null)).status, path).toBe(401);
      expect((await api.call('GET', `/analytics/${path}`, 'admin')).status, path).toBe(403);
    }
  });

  it('the OpenAPI document lists the routes under analytics with their response schemas', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const document = response.json();
    for (const [path, operationId] of [
      ['/api/v1/analytics/funnel', 'getFunnel'],
      ['/api/v1/analytics/burden-sharing', 'getBurdenSharing'],
      ['/api/v1/analytics/coverage', 'getCoverage'],
      ['/api/v1/analytics/pace', 'getPace'],
      ['/api/v1/analytics/drill', 'drillFigure'],
    ]) {
      const get = document.paths[path!]?.get;
      expect(get?.operationId, path).toBe(operationId);
      expect(get.tags).toEqual(['analytics']);
      expect(get.responses['200']).toBeDefined();
    }
  });

  it('the export tables carry the basis and speak English or French', async () => {
    const options = {
      currency: 'EUR' as const,
      rateMode: 'fixed' as const,
      rateDate: FIXED_DATE,
      asOf: AS_OF,
    };
    const db = w.t.database;
    const funnel = await getFunnel(db, ACTORS.coordinator, options);
    const fr = funnelTable(funnel, 'fr');
    expect(fr.name).toBe('funnel');
    expect(fr.title).toBe('Entonnoir du financement');
    expect(fr.meta).toEqual(
      expect.arrayContaining([
        ['Devise', 'EUR'],
        ['Date des taux', FIXED_DATE],
        ['Situation au', AS_OF],
        ['Rapproché du grand livre', 'oui : 9 lignes concordent avec les soldes du grand livre'],
      ]),
    );
    expect(fr.meta.find(([label]) => label === 'Mode de conversion')![1]).toContain('date fixe');
    expect(fr.columns.map((c) => c.label)).toEqual(
      expect.arrayContaining([
        'Étape',
        'Montant (EUR)',
        '% de l’engagé',
        'En NOK (devise d’origine)',
      ]),
    );
    expect(fr.rows.map((r) => r.stageName)).toEqual([
      'Annoncé',
      'Engagé',
      'Versé',
      'Alloué aux paquets',
      'Autorisé',
      'Décaissé au fournisseur',
      'Livré (valeur)',
    ]);
    expect(fr.rows[1]!.amount).toBe(funnel.stages[1]!.amountMinor);
    expect(fr.columns.find((c) => c.key === 'original_NOK')).toMatchObject({
      kind: 'money',
      currency: 'NOK',
    });
    const en = funnelTable(funnel, 'en');
    expect(en.meta).toEqual(
      expect.arrayContaining([
        ['Currency', 'EUR'],
        ['As of', AS_OF],
      ]),
    );

    const burden = await getBurdenSharing(db, ACTORS.coordinator, options);
    const burdenFr = burdenSharingTable(burden, 'fr');
    const gbr = burdenFr.rows.find((r) => r.party === 'GBR')!;
    expect(gbr).toMatchObject({
      name: 'Royaume-Uni',
      percentOfGdp: null,
      gdpMissing: 'aucune donnée de PIB pour ce pays',
    });
    expect(burdenSharingTable(burden, 'en').rows.find((r) => r.party === 'GBR')!.gdpMissing).toBe(
      'no GDP figure for this country',
    );
    expect(burdenFr.columns.map((c) => c.label)).toEqual(
      expect.arrayContaining(['% du PIB', 'Par habitant (EUR)']),
    );

    const coverage = coverageTable(await getCoverage(db, ACTORS.coordinator, options), 'fr');
    expect(coverage.rows.at(-1)).toMatchObject({ cycle: 'Total', area: null });
    expect(coverage.columns.map((c) => c.label)).toEqual(
      expect.arrayContaining(['Financé (EUR)', '% financé (financé / approuvé)']),
    );

    const pace = paceTable(await getPace(db, ACTORS.coordinator, options), 'fr');
    expect(pace.meta.find(([label]) => label === 'Objectif mensuel')![1]).toContain(
      'par défaut : 1000000000.00 USD',
    );
    expect(pace.rows.map((r) => r.month)).toEqual(['2025-08', '2025-09', '2025-10', '2025-11']);
  });
});
