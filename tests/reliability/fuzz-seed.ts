/**
 * Real records for the fuzz test to hit: ECB rates, an approved requirement list and a draft one,
 * an open package with an allocation, a package through authorisation, shipment and a receipt
 * with a discrepancy, contributions in EUR and USD, a meeting with an announcement, a signed-in
 * user with a session and an API token. Their ids fill the pools the requests draw from.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor } from '../../src/core/actor.js';
import type { App } from '../../src/http/app.js';
import { datasetNames } from '../../src/services/exports/datasets.js';
import { importFxRates } from '../../src/services/fx-service.js';
import type { Database } from '../../src/storage/database.js';
import { Pools, type Credentials } from './fuzz-requests.js';

const RATES =
  'Date,USD,NOK,GBP,CAD,\n' +
  '2025-10-01,1.1700,11.7000,0.8700,1.6300,\n' +
  '2025-09-01,1.1650,11.7500,0.8650,1.6100,\n' +
  '2025-08-20,1.1600,11.8000,0.8600,1.6000,\n' +
  '2025-08-05,1.1590,11.8500,0.8590,1.5950,\n' +
  '2025-08-04,1.1578,11.8590,0.8580,1.5900,\n';

const PASSWORD = 'correct horse battery staple 42';
export const SEED_EMAIL = 'fuzz.coordinator@example.org';

type Json = Record<string, unknown> & { id: string };

export async function seedForFuzz(
  app: App,
  database: Database,
): Promise<{ pools: Pools; credentials: Credentials }> {
  const pools = new Pools();
  const call = async (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    actor: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Json> => {
    const response = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(actor ? { 'x-purl-actor': actor } : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    if (response.statusCode >= 300) {
      throw new Error(`seed: ${method} ${url} answered ${response.statusCode} ${response.body}`);
    }
    return response.json<Json>();
  };

  const dir = await mkdtemp(join(tmpdir(), 'purl-fuzz-'));
  try {
    await writeFile(join(dir, 'rates.csv'), RATES);
    await importFxRates(database, systemActor('fuzz-seed'), { file: join(dir, 'rates.csv') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD' });
  const list = await call('POST', '/requirement-lists', 'recipient', {
    cycle: '2025-08',
    title: 'Fuzz list (synthetic)',
    synthetic: true,
  });
  pools.add('requirement-list', list.id);
  const items: string[] = [];
  for (const [area, quantity, cost] of [
    ['artillery', 100, '100000'],
    ['drones', 50, '20000'],
  ] as const) {
    const item = await call('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
      capabilityArea: area,
      category: `${area} (synthetic)`,
      lethal: area === 'artillery',
      requestedQuantity: quantity,
      unit: 'lots',
      estimatedUnitCost: usd(cost),
    });
    items.push(item.id);
    pools.add('requirement-item', item.id);
  }
  await call('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
  await call('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
  for (const role of ['recipient', 'coordinator', 'supplier']) {
    await call('POST', `/requirement-lists/${list.id}/approve`, role, {});
  }
  // A draft list, for the editing routes.
  const draft = await call('POST', '/requirement-lists', 'recipient', {
    cycle: '2025-09',
    title: 'Fuzz draft (synthetic)',
  });
  pools.add('requirement-list', draft.id);
  const draftItem = await call('POST', `/requirement-lists/${draft.id}/items`, 'recipient', {
    capabilityArea: 'maritime',
    category: 'patrol boats (synthetic)',
    lethal: false,
    requestedQuantity: 3,
    unit: 'boats',
    estimatedUnitCost: usd('500000'),
  });
  pools.add('requirement-item', draftItem.id);

  // Contributions: NLD in EUR, NOR in USD, both committed.
  const nld = await call('POST', '/contributions', 'contributor:NLD', {
    donorPartyId: 'NLD',
    currency: 'EUR',
    amountMinor: '100000000',
    announcedOn: '2025-08-04',
    title: 'NLD for the fuzz',
  });
  const nor = await call('POST', '/contributions', 'contributor:NOR', {
    donorPartyId: 'NOR',
    currency: 'USD',
    amountMinor: '100000000',
    announcedOn: '2025-08-04',
    title: 'NOR for the fuzz',
  });
  for (const [contribution, actor] of [
    [nld, 'contributor:NLD'],
    [nor, 'contributor:NOR'],
  ] as const) {
    await call('POST', `/contributions/${contribution.id}/commit`, actor, {
      committedOn: '2025-08-04',
    });
    pools.add('contribution', contribution.id);
  }

  // An open package, partly funded.
  const open = await call('POST', '/packages', 'coordinator', {
    cycle: '2025-08',
    title: 'Fuzz open package (synthetic)',
    targetMinor: '5000000',
  });
  pools.add('package', open.id);
  await call('POST', `/packages/${open.id}/lines`, 'coordinator', {
    requirementItemId: items[0],
    quantity: 10,
  });
  await call('POST', `/packages/${open.id}/open`, 'coordinator', {});
  await call('POST', `/packages/${open.id}/allocations`, 'coordinator', {
    contributionId: nld.id,
    amountMinor: '100000',
    valueDate: '2025-08-04',
  });

  // A package funded, authorised and shipped, received short: a discrepancy to resolve.
  const shipped = await call('POST', '/packages', 'coordinator', {
    cycle: '2025-08',
    title: 'Fuzz delivered package (synthetic)',
    targetMinor: '200000',
  });
  pools.add('package', shipped.id);
  const composed = await call('POST', `/packages/${shipped.id}/lines`, 'coordinator', {
    requirementItemId: items[1],
    quantity: 10,
  });
  const price = String(composed.priceMinor);
  const lineIds = (composed.lines as { id: string }[]).map((line) => line.id);
  for (const id of lineIds) pools.add('package-line', id);
  await call('POST', `/packages/${shipped.id}/open`, 'coordinator', {});
  await call('POST', `/packages/${shipped.id}/allocations`, 'coordinator', {
    contributionId: nor.id,
    amountMinor: price,
    valueDate: '2025-08-04',
  });
  await call('POST', `/packages/${shipped.id}/authorize`, 'supplier', {
    reference: 'FUZZ-AUTH-1',
    authorizedOn: '2025-08-20',
  });
  const planned = await call('POST', `/packages/${shipped.id}/shipments`, 'supplier', {
    reference: 'FUZZ-SHIP-1',
    plannedOn: '2025-09-01',
    lines: lineIds.map((packageLineId) => ({ packageLineId, quantity: 10 })),
  });
  const shipmentId = (planned.shipments as { id: string }[])[0]?.id ?? '1';
  pools.add('shipment', shipmentId);
  await call('POST', `/shipments/${shipmentId}/status`, 'supplier', {
    status: 'dispatched',
    on: '2025-09-02',
  });
  await call('POST', `/shipments/${shipmentId}/status`, 'supplier', {
    status: 'handed_over',
    on: '2025-09-05',
  });
  const received = await call('POST', `/shipments/${shipmentId}/receipt`, 'recipient', {
    receivedOn: '2025-09-06',
    lines: lineIds.map((packageLineId) => ({
      packageLineId,
      receivedQuantity: 9,
      discrepancies: [{ kind: 'short', quantity: 1, reason: 'one lot missing (synthetic)' }],
    })),
  });
  for (const discrepancy of received.discrepancies as { id: string }[]) {
    pools.add('discrepancy', discrepancy.id);
  }

  // A meeting with an announcement.
  const meeting = await call('POST', '/meetings', 'coordinator', {
    number: 31,
    kind: 'udcg',
    heldOn: '2025-08-04',
    place: 'Ramstein',
    chairs: ['USA', 'GBR'],
  });
  pools.add('meeting', meeting.id);
  const announced = await call('POST', `/meetings/${meeting.id}/announcements`, 'coordinator', {
    partyId: 'NLD',
    text: 'NLD announces more for PURL (synthetic)',
    amountMinor: '100000000',
    currency: 'EUR',
  });
  const announcementId = String(
    (announced.announcement as { id?: string } | undefined)?.id ?? announced.id ?? '1',
  );
  pools.add('announcement', announcementId);

  // A real user, signed in, with an API token.
  const user = await call('POST', '/users', 'admin', {
    email: SEED_EMAIL,
    role: 'coordinator',
    password: PASSWORD,
  });
  pools.add('user', user.id);
  const login = await call('POST', '/auth/login', undefined, {
    email: SEED_EMAIL,
    password: PASSWORD,
  });
  const session = login.session as { id: string; token: string };
  pools.add('session', session.id);
  const token = await call(
    'POST',
    '/auth/tokens',
    undefined,
    { name: 'fuzz', expiresInDays: 30 },
    { authorization: `Bearer ${session.token}` },
  );
  pools.add('token', (token.token as { id: string }).id);

  const parties = await call('GET', '/parties?limit=200', 'auditor');
  for (const party of (parties.items as { id: string }[]).slice(0, 40))
    pools.add('party', party.id);
  const events = await call('GET', '/audit/events?limit=50', 'auditor');
  for (const event of events.items as { id: string }[]) pools.add('audit-event', event.id);
  for (const name of datasetNames()) pools.add('dataset', name);

  return {
    pools,
    credentials: {
      sessionSecret: session.token,
      tokenSecret: String(token.secret),
      seedEmail: SEED_EMAIL,
    },
  };
}
