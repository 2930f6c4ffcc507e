/**
 * The delivery analyses through the API, on both engines: each route answers with the basis it
 * used and money as decimal strings; figure keys drill down through `/analytics/drill`; an
 * unknown meeting is 404; a bad query is 400 naming the field; a role without `analytics.read`
 * is 403; the OpenAPI document describes the three routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { buildDeliveryFixture, type DeliveryFixture } from './delivery-support.js';

describe.each(ENGINES)('the delivery analyses API on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let f: DeliveryFixture;

  const get = async (url: string, actor = 'coordinator') => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: { 'x-purl-actor': actor },
    });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
    f = await buildDeliveryFixture(t.database);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('GET /analytics/lead-times answers the stages and stalled packages on the asked basis', async () => {
    const r = await get(
      '/analytics/lead-times?currency=EUR&rateMode=fixed&rateDate=2025-10-15&asOf=2025-12-31&stalledAfterDays=80',
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.basis).toMatchObject({
      currency: 'EUR',
      rateMode: 'fixed',
      rateDate: '2025-10-15',
      asOf: '2025-12-31',
    });
    expect(r.body.stalledAfterDays).toBe(80);
    expect(r.body.stages[0]).toMatchObject({
      stage: 'committed_to_funded',
      packages: 6,
      medianDays: 20,
      p90Days: 100,
      figure: 'leadTimes.committed_to_funded',
    });
    // USD 165,000.00 (six packages) at 1.1700 USD per EUR:
    // 16,500,000 × 10,000 / 11,700 = 14,102,564.10 → 14,102,564.
    expect(r.body.stages[0].valueMinor).toBe('14102564');
    expect(r.body.stalled.map((s: { number: string }) => s.number)).toEqual([
      f.packages.P4.number,
      f.packages.P3.number,
      f.packages.P5.number,
    ]);
    const drill = await get(
      `/analytics/drill?figure=${r.body.stalledFigure}&currency=EUR&rateMode=fixed&rateDate=2025-10-15&asOf=2025-12-31`,
    );
    expect(drill.status, JSON.stringify(drill.body)).toBe(200);
    expect(drill.body.totalMinor).toBe(r.body.stalledValueMinor);
    expect(
      drill.body.records.map((x: { days: number }) => x.days).sort((a: number, b: number) => a - b),
    ).toEqual([83, 93, 113]);
  });

  it('GET /analytics/meetings/:id/follow-up answers per announcement; 404 for an unknown meeting', async () => {
    const r = await get(`/analytics/meetings/${f.meetings.M2}/follow-up?asOf=2025-12-31`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.previousMeetingId).toBe(String(f.meetings.M1));
    expect(r.body.totals).toMatchObject({
      // EUR 10,000 and 3,000 at 1.16, NOK 115,000 at 0.1, USD 1,000
      announcedMinor: String(1_160_000 + 348_000 + 1_150_000 + 100_000),
      deliveredMinor: '3100000',
    });
    const drill = await get(
      `/analytics/drill?figure=${r.body.totals.figures.delivered}&asOf=2025-12-31`,
      'contributor:NLD',
    );
    expect(drill.status, JSON.stringify(drill.body)).toBe(200);
    expect(drill.body.totalMinor).toBe('3100000');
    expect(drill.body.records[0]).toMatchObject({
      kind: 'redacted',
      count: 1,
      amountMinor: '1800000',
    });

    const missing = await get('/analytics/meetings/987654/follow-up');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('GET /analytics/context answers per donor, with the year filter', async () => {
    const r = await get('/analytics/context?asOf=2025-12-31&currency=EUR');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows.map((x: { iso: string }) => x.iso)).toEqual([
      'CAN',
      'NLD',
      'NOR',
      'EUI',
      'DEU',
    ]);
    const nld = r.body.rows[1];
    expect(nld.kiel.amounts.total).toEqual({ eurBn: '8.0', amountMinor: '800000000000' });
    expect(nld.purl.committedMinor).toBe('1000000');
    expect(typeof nld.kiel.importedAt).toBe('string');
    const y = await get('/analytics/context?asOf=2025-12-31&currency=EUR&year=2024');
    expect(y.status).toBe(200);
    expect(y.body.rows.map((x: { iso: string }) => x.iso)).toEqual(['NLD']);
  });

  it('refuses bad queries with 400 naming the field, and roles without analytics.read with 403', async () => {
    const cases: [string, string][] = [
      ['/analytics/lead-times?stalledAfterDays=0', 'stalledAfterDays'],
      ['/analytics/lead-times?currency=GBP', 'currency'],
      ['/analytics/context?year=1999', 'year'],
      ['/analytics/context?rateDate=2025-10-15', 'rateDate'], // rateDate needs rateMode=fixed
      [`/analytics/meetings/${f.meetings.M2}/follow-up?asOf=2025-13-01`, 'asOf'],
      ['/analytics/meetings/x/follow-up', 'id'],
    ];
    for (const [url, field] of cases) {
      const r = await get(url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.code, url).toBe('VALIDATION_FAILED');
      expect(String(r.body.error.details.field), url).toMatch(new RegExp(`(^|\\.)${field}$`));
    }
    for (const url of ['/analytics/lead-times', '/analytics/context']) {
      expect((await get(url, 'admin')).status).toBe(403);
    }
    expect((await get('/analytics/lead-times?asOf=2025-12-31', 'contributor:NLD')).status).toBe(
      200,
    );
  });

  it('documents the three routes in the OpenAPI document', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = response.json();
    for (const [path, operationId] of [
      ['/api/v1/analytics/lead-times', 'getLeadTimes'],
      ['/api/v1/analytics/meetings/{id}/follow-up', 'getAnalyticsFollowUp'],
      ['/api/v1/analytics/context', 'getKielContext'],
    ]) {
      const op = doc.paths[path!]?.get;
      expect(op?.operationId, path).toBe(operationId);
      expect(op.tags).toEqual(['analytics']);
    }
  });
});
