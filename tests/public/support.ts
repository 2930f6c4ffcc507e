/**
 * A small world built through the API for the redaction and public-figures tests: an approved
 * requirement list with two items (A and B, with restricted text), a package PURL-001 of item A
 * fully funded by NLD (EUR, at the ECB rate of 2025-08-04 written here), and a package PURL-002
 * of item B, opened but funded by nobody.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { openTestDatabase, type TestDatabase } from '../support/engines.js';
import type { Engine } from '../../src/storage/database.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** A parsed JSON answer (untyped, as `response.json()` is). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface World {
  t: TestDatabase;
  app: App;
  call(
    method: Method,
    url: string,
    actor: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: Json; headers: Record<string, unknown> }>;
  ok(method: Method, url: string, actor: string | null, body?: unknown): Promise<Json>;
  listId: string;
  itemA: string;
  itemB: string;
  /** Funded by NLD. */
  pkg1: { id: string; lineId: string };
  /** Open, funded by nobody. */
  pkg2: { id: string; lineId: string };
  nldContribution: string;
  close(): Promise<void>;
}

// ECB-format rates (units per EUR).
const RATES = 'Date,USD,NOK,\n2025-08-04,1.1578,11.8590,\n';

export const ITEM_A = {
  description: 'Item A: synthetic description (restricted)',
  justification: 'Item A: synthetic justification (restricted)',
  /** $115,780.00 a lot; 10 lots = $1,157,800.00 = €1,000,000.00 × 1.1578 exactly. */
  unitCostMinor: 11_578_000n,
  quantity: 10,
};
export const ITEM_B = {
  description: 'Item B: synthetic description (restricted)',
  justification: 'Item B: synthetic justification (restricted)',
  unitCostMinor: 200_000_000n,
  quantity: 3,
};

export async function buildWorld(engine: Engine): Promise<World> {
  const t = await openTestDatabase(engine);
  const app = await buildApp({ database: t.database, devActors: true });
  const dir = await mkdtemp(join(tmpdir(), 'purl-public-'));
  await writeFile(join(dir, 'rates.csv'), RATES);
  await importFxRates(t.database, systemActor('test'), { file: join(dir, 'rates.csv') });
  await rm(dir, { recursive: true, force: true });

  const call: World['call'] = async (method, url, actor, body) => {
    const response = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: actor ? { 'x-purl-actor': actor } : {},
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  };
  const ok: World['ok'] = async (method, url, actor, body) => {
    const r = await call(method, url, actor, body);
    expect(r.status, `${method} ${url} as ${actor}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };
  const usd = (amountMinor: bigint) => ({ amountMinor: amountMinor.toString(), currency: 'USD' });

  const list = await ok('POST', '/requirement-lists', 'recipient', {
    cycle: '2025-08',
    title: 'August 2025 (synthetic)',
    synthetic: true,
  });
  const addItem = async (item: typeof ITEM_A, category: string) =>
    (
      await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
        capabilityArea: 'artillery',
        category,
        lethal: true,
        requestedQuantity: item.quantity,
        unit: 'lots',
        estimatedUnitCost: usd(item.unitCostMinor),
        description: item.description,
        justification: item.justification,
      })
    ).id as string;
  const itemA = await addItem(ITEM_A, '155mm artillery ammunition');
  const itemB = await addItem(ITEM_B, 'counter-battery radars');
  await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
  await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
  for (const role of ['recipient', 'coordinator', 'supplier'])
    await ok('POST', `/requirement-lists/${list.id}/approve`, role, {});

  const compose = async (item: string, quantity: number, title: string) => {
    const pkg = await ok('POST', '/packages', 'coordinator', {
      cycle: '2025-08',
      title,
      targetMinor: '50000000000',
      synthetic: true,
    });
    const composed = await ok('POST', `/packages/${pkg.id}/lines`, 'coordinator', {
      requirementItemId: item,
      quantity,
    });
    await ok('POST', `/packages/${pkg.id}/open`, 'coordinator', {});
    return { id: pkg.id as string, lineId: composed.lines[0].id as string };
  };
  const pkg1 = await compose(itemA, ITEM_A.quantity, 'Artillery (synthetic)');
  const pkg2 = await compose(itemB, ITEM_B.quantity, 'Radars (synthetic)');

  // NLD commits €2,000,000.00 and allocates €1,000,000.00 = $1,157,800.00: PURL-001 is funded.
  const nld = await ok('POST', '/contributions', 'contributor:NLD', {
    donorPartyId: 'NLD',
    currency: 'EUR',
    amountMinor: '200000000',
    announcedOn: '2025-08-04',
    title: 'NLD for PURL (synthetic)',
    internalNote: 'NLD: cabinet approval on file',
  });
  await ok('POST', `/contributions/${nld.id}/commit`, 'contributor:NLD', {
    committedOn: '2025-08-04',
  });
  const funded = await ok('POST', `/packages/${pkg1.id}/allocations`, 'coordinator', {
    contributionId: nld.id,
    amountMinor: '100000000',
    valueDate: '2025-08-04',
  });
  expect(funded.status).toBe('funded');

  return {
    t,
    app,
    call,
    ok,
    listId: list.id,
    itemA,
    itemB,
    pkg1,
    pkg2,
    nldContribution: nld.id,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}
