/**
 * The allocation panel's filters of `GET /contributions`, on both engines: `available=true`
 * (money not yet allocated) and `eligibleFor=<package>` (earmarks that let a contribution fund
 * the package). The SQL form of the earmark rule agrees with core `earmarkVerdict` (the rule the
 * allocation enforces) for every contribution × package; both filters page; bad values are 400
 * naming the parameter, an unknown package 404; access is the list's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { earmarkVerdict } from '../../src/core/packages.js';
import { buildApp, type App } from '../../src/http/app.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const system = systemActor('test');
const RATE_DAY = '2025-08-04';

interface ContributionJson {
  id: string;
  status: string;
  availableMinor: string;
  earmarks: { capabilityAreas: string[]; packageId: string | null };
}

describe.each(ENGINES)('contribution list filters on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let dir: string;
  const pkg: Record<'artillery' | 'mixed' | 'empty' | 'drones', string> = {
    artillery: '',
    mixed: '',
    empty: '',
    drones: '',
  };
  const c: Record<string, string> = {};

  const call = async (
    method: 'GET' | 'POST',
    url: string,
    actor: string | null,
    body?: unknown,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed JSON answer
  ): Promise<{ status: number; body: any }> => {
    const r = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: actor ? { 'x-purl-actor': actor } : {},
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: r.statusCode, body: r.json() };
  };
  const ok = async (...args: Parameters<typeof call>) => {
    const r = await call(...args);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };
  /** Every page of a list, following `nextCursor`; also returns the number of pages. */
  const all = async (query: string, limit = 4) => {
    const items: ContributionJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await ok(
        'GET',
        `/contributions?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        'coordinator',
      );
      items.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    return { items, pages, ids: items.map((i) => i.id) };
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
    dir = await mkdtemp(join(tmpdir(), 'purl-filters-'));
    await writeFile(join(dir, 'rates.csv'), `Date,USD,\n${RATE_DAY},1.1578,\n`);
    await importFxRates(t.database, system, { file: join(dir, 'rates.csv') });

    const list = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-08',
      title: 'filters',
    });
    const item = async (capabilityArea: string) =>
      (
        await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
          capabilityArea,
          category: `${capabilityArea} kit`,
          lethal: false,
          requestedQuantity: 100,
          unit: 'sets',
          estimatedUnitCost: { amountMinor: '1000000', currency: 'USD' },
        })
      ).id as string;
    const artillery = await item('artillery');
    const drones = await item('drones');
    await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
    for (const role of ['recipient', 'coordinator', 'supplier'])
      await ok('POST', `/requirement-lists/${list.id}/approve`, role, {});

    const newPackage = async (title: string, items: string[]) => {
      const id = (
        await ok('POST', '/packages', 'coordinator', {
          cycle: '2025-08',
          title,
          targetMinor: '100',
        })
      ).id as string;
      for (const requirementItemId of items)
        await ok('POST', `/packages/${id}/lines`, 'coordinator', {
          requirementItemId,
          quantity: 5,
        });
      return id;
    };
    pkg.artillery = await newPackage('artillery', [artillery]);
    pkg.mixed = await newPackage('artillery and drones', [artillery, drones]);
    pkg.empty = await newPackage('no lines yet', []);
    pkg.drones = await newPackage('drones', [drones]);
    await ok('POST', `/packages/${pkg.artillery}/open`, 'coordinator', {});

    const pledge = async (name: string, extra: Record<string, unknown> = {}, commit = true) => {
      const id = (
        await ok('POST', '/contributions', 'coordinator', {
          donorPartyId: 'BEL',
          currency: 'USD',
          amountMinor: '3000000',
          announcedOn: RATE_DAY,
          title: name,
          ...extra,
        })
      ).id as string;
      if (commit)
        await ok('POST', `/contributions/${id}/commit`, 'coordinator', { committedOn: RATE_DAY });
      c[name] = id;
      return id;
    };
    await pledge('none');
    await pledge('pkgArtillery', { earmarkPackageId: pkg.artillery });
    await pledge('pkgMixed', { earmarkPackageId: pkg.mixed });
    await pledge('pkgEmpty', { earmarkPackageId: pkg.empty });
    await pledge('areaArtillery', { earmarkAreas: ['artillery'] });
    await pledge('areaArtilleryDrones', { earmarkAreas: ['artillery', 'drones'] });
    await pledge('areaDrones', { earmarkAreas: ['drones'] });
    await pledge('areaDemining', { earmarkAreas: ['demining'] });
    await pledge('pledged', {}, false);
    await pledge('pledgedArtillery', { earmarkAreas: ['artillery'] }, false);
    await pledge('cancelled');
    await ok('POST', `/contributions/${c.cancelled}/cancel`, 'coordinator', { reason: 'test' });
    await pledge('paid');
    await ok('POST', `/contributions/${c.paid}/payments`, 'coordinator', {
      amountMinor: '3000000',
      paidOn: RATE_DAY,
    });
    // Wholly allocated (nothing available) and partly allocated, to the artillery package.
    await pledge('allocated');
    await ok('POST', `/packages/${pkg.artillery}/allocations`, 'coordinator', {
      contributionId: c.allocated,
      amountMinor: '3000000',
      valueDate: RATE_DAY,
    });
    await pledge('partlyAllocated', { earmarkAreas: ['artillery'] });
    await ok('POST', `/packages/${pkg.artillery}/allocations`, 'coordinator', {
      contributionId: c.partlyAllocated,
      amountMinor: '1000000',
      valueDate: RATE_DAY,
    });
    // A few more without earmarks, so the filtered lists span several pages.
    for (let i = 0; i < 6; i += 1) await pledge(`more${i}`);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('available=true lists exactly the contributions with money not yet allocated, newest first', async () => {
    const everything = await all('');
    const expected = everything.items.filter((i) => BigInt(i.availableMinor) > 0n).map((i) => i.id);
    const available = await all('available=true');
    expect(available.ids).toEqual(expected);
    expect(available.pages).toBeGreaterThan(2);
    expect(available.ids).not.toContain(c.pledged);
    expect(available.ids).not.toContain(c.cancelled);
    expect(available.ids).not.toContain(c.allocated);
    expect(available.ids).toContain(c.partlyAllocated);
    expect(available.ids).toContain(c.paid);
    const partly = available.items.find((i) => i.id === c.partlyAllocated);
    expect(partly?.availableMinor).toBe('2000000');
    // `false` is no filter.
    expect((await all('available=false')).ids).toEqual(everything.ids);
  });

  it('eligibleFor agrees with the allocation rule (core earmarkVerdict) for every contribution and package', async () => {
    const everything = (await all('')).items;
    for (const id of Object.values(pkg)) {
      const detail = await ok('GET', `/packages/${id}`, 'coordinator');
      const lineAreas = (detail.lines as { capabilityArea: string }[]).map((l) => l.capabilityArea);
      const expected = everything
        .filter(
          (i) =>
            earmarkVerdict(
              {
                capabilityAreas: i.earmarks.capabilityAreas,
                packageId: i.earmarks.packageId === null ? null : BigInt(i.earmarks.packageId),
              },
              { packageId: BigInt(id), lineAreas },
            ).eligible,
        )
        .map((i) => i.id);
      expect((await all(`eligibleFor=${id}`, 3)).ids, `package ${id}`).toEqual(expected);
    }
  });

  it('eligibleFor keeps exactly the expected earmarks (the rule is not vacuous)', async () => {
    const earmarked = (ids: string[]) =>
      Object.entries(c)
        .filter(([, id]) => ids.includes(id))
        .map(([name]) => name)
        .filter((name) => !name.startsWith('more'))
        .sort();
    const withoutEarmarks = ['allocated', 'cancelled', 'none', 'paid', 'pledged'];
    expect(earmarked((await all(`eligibleFor=${pkg.artillery}`)).ids)).toEqual(
      [
        ...withoutEarmarks,
        'areaArtillery',
        'areaArtilleryDrones',
        'partlyAllocated',
        'pkgArtillery',
        'pledgedArtillery',
      ].sort(),
    );
    expect(earmarked((await all(`eligibleFor=${pkg.mixed}`)).ids)).toEqual(
      [...withoutEarmarks, 'areaArtilleryDrones', 'pkgMixed'].sort(),
    );
    // No lines: within every area earmark, but not another package's.
    expect(earmarked((await all(`eligibleFor=${pkg.empty}`)).ids)).toEqual(
      [
        ...withoutEarmarks,
        'areaArtillery',
        'areaArtilleryDrones',
        'areaDemining',
        'areaDrones',
        'partlyAllocated',
        'pkgEmpty',
        'pledgedArtillery',
      ].sort(),
    );
  });

  it('the allocation refuses exactly what eligibleFor leaves out', async () => {
    const eligible = new Set((await all(`eligibleFor=${pkg.artillery}&available=true`)).ids);
    for (const name of ['areaDrones', 'pkgMixed', 'areaArtillery', 'none']) {
      const r = await call('POST', `/packages/${pkg.artillery}/allocations`, 'coordinator', {
        contributionId: c[name],
        amountMinor: '1',
        valueDate: RATE_DAY,
      });
      if (eligible.has(c[name]!)) {
        expect(r.status, name).toBeLessThan(300);
      } else {
        expect(r.status, name).toBe(422);
        expect(r.body.error.code).toBe('EARMARK_MISMATCH');
      }
    }
  });

  it('both filters together are the intersection, and page', async () => {
    const available = new Set((await all('available=true')).ids);
    const eligible = (await all(`eligibleFor=${pkg.drones}`)).ids;
    const both = await all(`available=true&eligibleFor=${pkg.drones}`, 2);
    expect(both.ids).toEqual(eligible.filter((id) => available.has(id)));
    expect(both.pages).toBeGreaterThan(2);
    expect(both.ids).toContain(c.areaDrones);
    expect(both.ids).not.toContain(c.areaArtillery);
    // Combined with another filter of the list.
    const donor = await ok(
      'GET',
      `/contributions?available=true&eligibleFor=${pkg.drones}&donor=DEU`,
      'coordinator',
    );
    expect(donor.items).toEqual([]);
  });

  it('answers 400 naming the parameter for a bad value, 404 for an unknown package', async () => {
    for (const [query, field] of [
      ['available=yes', 'available'],
      ['eligibleFor=abc', 'eligibleFor'],
      ['eligibleFor=', 'eligibleFor'],
    ] as const) {
      const r = await call('GET', `/contributions?${query}`, 'coordinator');
      expect(r.status, query).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(String(r.body.error.details.field)).toMatch(new RegExp(`(^|\\.)${field}$`));
    }
    const missing = await call('GET', '/contributions?eligibleFor=999999', 'coordinator');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      code: 'NOT_FOUND',
      details: { field: 'eligibleFor' },
    });
  });

  it('is the list’s access: a contributor reads it, an administrator gets 403, nobody 401', async () => {
    const query = `/contributions?available=true&eligibleFor=${pkg.artillery}`;
    expect((await call('GET', query, 'contributor:NLD')).status).toBe(200);
    const admin = await call('GET', query, 'admin');
    expect(admin.status).toBe(403);
    expect(admin.body.error.code).toBe('FORBIDDEN');
    expect((await call('GET', query, null)).status).toBe(401);
  });
});
