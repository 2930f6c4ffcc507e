/**
 * `GET /meetings?order=asc` on both engines: oldest first (by date, then id), so the dashboard's
 * next meeting is one request (`from=<today>&order=asc&limit=1`); paging in that order; the
 * default stays newest first; a bad order is 400 naming it; access is the list's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

// Two meetings on one day, to page through the (held_on, id) tie.
const DAYS = ['2025-06-04', '2025-10-15', '2025-02-12', '2026-01-20', '2025-10-15', '2024-11-30'];

describe.each(ENGINES)('meetings in ascending order on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  /** [heldOn, id] of each meeting created. */
  const created: [string, string][] = [];

  const get = async (query: string, actor: string | null = 'coordinator') => {
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings?${query}`,
      headers: actor ? { 'x-purl-actor': actor } : {},
    });
    return { status: r.statusCode, body: r.json() };
  };
  const ids = (items: { id: string }[]) => items.map((m) => m.id);

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
    for (const [index, heldOn] of DAYS.entries()) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/meetings',
        headers: { 'x-purl-actor': 'coordinator' },
        payload: {
          number: 40 + index,
          kind: 'udcg',
          heldOn,
          place: 'Ramstein',
          chairs: ['GBR', 'DEU'],
          participants: ['UKR'],
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      created.push([heldOn, r.json().id]);
    }
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const ascending = () =>
    [...created]
      .sort(([d1, i1], [d2, i2]) =>
        d1 === d2 ? Number(BigInt(i1) - BigInt(i2)) : d1 < d2 ? -1 : 1,
      )
      .map(([, id]) => id);

  it('order=asc lists oldest first by date then id, and pages in that order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } =
        await get(`order=asc&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...ids(page.body.items));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ascending());
  });

  it('from a day, ascending, limit 1: the next meeting (the earlier of two on one day)', async () => {
    const next = await get('from=2025-07-01&order=asc&limit=1');
    expect(next.status).toBe(200);
    const sameDay = created.filter(([day]) => day === '2025-10-15').map(([, id]) => id);
    expect(ids(next.body.items)).toEqual([sameDay[0]]);
    expect(next.body.nextCursor).not.toBeNull();
    const none = await get('from=2026-02-01&order=asc&limit=1');
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('the default and order=desc stay newest first', async () => {
    const newest = [...ascending()].reverse();
    expect(ids((await get('limit=50')).body.items)).toEqual(newest);
    expect(ids((await get('order=desc&limit=50')).body.items)).toEqual(newest);
  });

  it('a bad order is 400 naming it; an administrator 403; nobody 401', async () => {
    const bad = await get('order=up');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(String(bad.body.error.details.field)).toMatch(/(^|\.)order$/);
    expect((await get('order=asc', 'admin')).status).toBe(403);
    expect((await get('order=asc', null)).status).toBe(401);
  });
});
