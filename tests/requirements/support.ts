/**
 * The app on a fresh database of one engine with dev actors on (`X-Purl-Actor`), plus helpers
 * for requirement-list tests: a request as a role, a list with items, audit counting.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../src/http/app.js';
import type { Engine } from '../../src/storage/database.js';
import { openTestDatabase, type TestDatabase } from '../support/engines.js';

export type As =
  'recipient' | 'validator' | 'coordinator' | 'supplier' | 'auditor' | 'admin' | 'contributor:NLD';

export interface RequirementsTestApp {
  app: App;
  t: TestDatabase;
  request(
    as: As | undefined,
    method: InjectOptions['method'],
    url: string,
    options?: { payload?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** Audit events of requirement lists and items. */
  auditCount(): Promise<number>;
  close(): Promise<void>;
}

export const BASE = '/api/v1/requirement-lists';

export async function openRequirementsApp(engine: Engine): Promise<RequirementsTestApp> {
  const t = await openTestDatabase(engine);
  const app = await buildApp({ database: t.database, devActors: true });
  await app.ready();
  return {
    app,
    t,
    request(as, method, url, options = {}) {
      return app.inject({
        method,
        url,
        headers: { ...(as ? { 'x-purl-actor': as } : {}), ...options.headers },
        ...(options.payload === undefined ? {} : { payload: options.payload as object }),
      });
    },
    async auditCount() {
      const row = await t.database.kysely
        .selectFrom('audit_event')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .where('entity', 'in', ['requirement_list', 'requirement_item'])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

let cycleCounter = 0;
/** A fresh cycle for each list of a suite (one list per cycle). */
export function nextCycle(): string {
  cycleCounter++;
  const year = 2030 + Math.floor((cycleCounter - 1) / 12);
  const month = ((cycleCounter - 1) % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}

export const ARTILLERY = {
  capabilityArea: 'artillery',
  category: '155mm artillery ammunition',
  lethal: true,
  requestedQuantity: 10_000,
  unit: 'rounds',
  estimatedUnitCost: { amountMinor: '400000', currency: 'USD' },
  description: 'Synthetic demo item.',
  justification: 'Synthetic demo justification.',
};

export const INTERCEPTORS = {
  capabilityArea: 'air_missile_defence',
  category: 'air defence interceptors',
  lethal: true,
  requestedQuantity: 20,
  unit: 'units',
  estimatedUnitCost: { amountMinor: '400000000', currency: 'USD' },
};

export const DEMINING = {
  capabilityArea: 'demining',
  category: 'demining vehicles',
  lethal: false,
  requestedQuantity: 4,
  unit: 'systems',
  estimatedUnitCost: { amountMinor: '125000000', currency: 'USD' },
};

/** A draft list with the given items (created by the recipient); returns its id and items. */
export async function draftList(
  h: RequirementsTestApp,
  items: object[] = [ARTILLERY],
): Promise<{ id: string; itemIds: string[] }> {
  const created = await h.request('recipient', 'POST', BASE, {
    payload: { cycle: nextCycle(), title: 'Synthetic test list', synthetic: true },
  });
  if (created.statusCode !== 201) throw new Error(`create: ${created.body}`);
  const id = created.json().id as string;
  const itemIds: string[] = [];
  for (const item of items) {
    const added = await h.request('recipient', 'POST', `${BASE}/${id}/items`, { payload: item });
    if (added.statusCode !== 201) throw new Error(`add item: ${added.body}`);
    itemIds.push(added.json().id as string);
  }
  return { id, itemIds };
}

/** Moves a list forward as the right roles: 'submitted', 'validated', 'approved' or 'closed'. */
export async function advance(
  h: RequirementsTestApp,
  id: string,
  to: 'submitted' | 'validated' | 'approved' | 'closed',
): Promise<void> {
  const steps: [As, string][] = [
    ['recipient', 'submit'],
    ['validator', 'validate'],
    ['recipient', 'approve'],
    ['coordinator', 'approve'],
    ['supplier', 'approve'],
    ['coordinator', 'close'],
  ];
  const upTo = { submitted: 1, validated: 2, approved: 5, closed: 6 }[to];
  for (const [as, action] of steps.slice(0, upTo)) {
    const response = await h.request(as, 'POST', `${BASE}/${id}/${action}`);
    if (response.statusCode !== 200) throw new Error(`${action}: ${response.body}`);
  }
}

/** The list as stored, for "nothing changed" checks. */
export async function snapshot(h: RequirementsTestApp, id: string) {
  const response = await h.request('auditor', 'GET', `${BASE}/${id}`);
  if (response.statusCode !== 200) throw new Error(`get: ${response.body}`);
  return response.json() as {
    status: string;
    version: number;
    items: { id: string; version: number; priorityRank: number; approvedQuantity: number | null }[];
    approvals: { role: string }[];
  };
}
