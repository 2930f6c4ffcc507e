/**
 * Every illegal package command answers its error code and changes nothing (status, version,
 * funding and the ledger untouched), on both engines.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const system = systemActor('test');

describe.each(ENGINES)('package rules on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let dir: string;
  let draftId: string;
  let openId: string;
  let itemId: string;
  let eurContribution: string;
  let pledgeOnly: string;
  let earmarked: string;

  const call = async (
    method: 'GET' | 'POST',
    url: string,
    actor: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const r = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { 'x-purl-actor': actor, ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: r.statusCode, body: r.json() };
  };
  const ok = async (...args: Parameters<typeof call>) => {
    const r = await call(...args);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, devActors: true });
    dir = await mkdtemp(join(tmpdir(), 'purl-rules-'));
    await writeFile(join(dir, 'rates.csv'), 'Date,USD,\n2025-08-04,1.1578,\n');
    await importFxRates(t.database, system, { file: join(dir, 'rates.csv') });
    const list = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-08',
      title: 'rules',
    });
    itemId = (
      await ok('POST', `/requirement-lists/${list.id}/items`, 'recipient', {
        capabilityArea: 'artillery',
        category: '155mm artillery ammunition',
        lethal: true,
        requestedQuantity: 10,
        unit: 'lots',
        estimatedUnitCost: { amountMinor: '1000000', currency: 'USD' },
      })
    ).id;
    const unapprovedList = await ok('POST', '/requirement-lists', 'recipient', {
      cycle: '2025-09',
      title: 'not approved',
    });
    await ok('POST', `/requirement-lists/${unapprovedList.id}/items`, 'recipient', {
      capabilityArea: 'drones',
      category: 'drones',
      lethal: false,
      requestedQuantity: 1,
      unit: 'units',
      estimatedUnitCost: { amountMinor: '1', currency: 'USD' },
    });
    await ok('POST', `/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok('POST', `/requirement-lists/${list.id}/validate`, 'validator', {});
    for (const role of ['recipient', 'coordinator', 'supplier'])
      await ok('POST', `/requirement-lists/${list.id}/approve`, role, {});
    draftId = (
      await ok('POST', '/packages', 'coordinator', {
        cycle: '2025-08',
        title: 'draft',
        targetMinor: '100',
      })
    ).id;
    openId = (
      await ok('POST', '/packages', 'coordinator', {
        cycle: '2025-08',
        title: 'open',
        targetMinor: '100',
      })
    ).id;
    await ok('POST', `/packages/${openId}/lines`, 'coordinator', {
      requirementItemId: itemId,
      quantity: 5,
    });
    await ok('POST', `/packages/${openId}/open`, 'coordinator', {});
    const pledge = (title: string, extra: Record<string, unknown> = {}) =>
      ok('POST', '/contributions', 'coordinator', {
        donorPartyId: 'BEL',
        currency: 'EUR',
        amountMinor: '1000000',
        announcedOn: '2025-08-04',
        title,
        ...extra,
      });
    eurContribution = (await pledge('committed')).id;
    await ok('POST', `/contributions/${eurContribution}/commit`, 'coordinator', {
      committedOn: '2025-08-04',
    });
    pledgeOnly = (await pledge('pledge only')).id;
    earmarked = (await pledge('drones only', { earmarkAreas: ['drones'] })).id;
    await ok('POST', `/contributions/${earmarked}/commit`, 'coordinator', {
      committedOn: '2025-08-04',
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases: [
    string,
    () => Promise<{ status: number; body: { error: { code: string } } }>,
    number,
    string,
  ][] = [
    [
      'open an empty draft',
      () => call('POST', `/packages/${draftId}/open`, 'coordinator', {}),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'allocate to a draft',
      () =>
        call('POST', `/packages/${draftId}/allocations`, 'coordinator', {
          contributionId: eurContribution,
          amountMinor: '10',
          valueDate: '2025-08-04',
        }),
      409,
      'PACKAGE_NOT_OPEN',
    ],
    [
      'authorise a draft',
      () =>
        call('POST', `/packages/${draftId}/authorize`, 'supplier', {
          reference: 'A',
          authorizedOn: '2025-08-05',
        }),
      409,
      'INVALID_TRANSITION',
    ],
    [
      'authorise an unfunded open package',
      () =>
        call('POST', `/packages/${openId}/authorize`, 'supplier', {
          reference: 'A',
          authorizedOn: '2025-08-05',
        }),
      409,
      'PACKAGE_NOT_FUNDED',
    ],
    [
      'add a line to an open package',
      () =>
        call('POST', `/packages/${openId}/lines`, 'coordinator', {
          requirementItemId: itemId,
          quantity: 1,
        }),
      409,
      'INVALID_TRANSITION',
    ],
    [
      'open twice',
      () => call('POST', `/packages/${openId}/open`, 'coordinator', {}),
      409,
      'INVALID_TRANSITION',
    ],
    [
      'disburse before authorisation',
      () =>
        call('POST', `/packages/${openId}/disbursements`, 'coordinator', {
          amountMinor: '1',
          paidOn: '2025-08-05',
        }),
      409,
      'INVALID_TRANSITION',
    ],
    [
      'close an open package',
      () => call('POST', `/packages/${openId}/close`, 'coordinator', {}),
      409,
      'INVALID_TRANSITION',
    ],
    [
      'ship an open package',
      () =>
        call('POST', `/packages/${openId}/shipments`, 'supplier', {
          reference: 'S',
          plannedOn: '2025-08-05',
          lines: [{ packageLineId: '1', quantity: 1 }],
        }),
      409,
      'INVALID_TRANSITION',
    ],
    [
      'allocate a pledge',
      () =>
        call('POST', `/packages/${openId}/allocations`, 'coordinator', {
          contributionId: pledgeOnly,
          amountMinor: '10',
          valueDate: '2025-08-04',
        }),
      409,
      'CONTRIBUTION_NOT_COMMITTED',
    ],
    [
      'allocate against the earmark',
      () =>
        call('POST', `/packages/${openId}/allocations`, 'coordinator', {
          contributionId: earmarked,
          amountMinor: '10',
          valueDate: '2025-08-04',
        }),
      422,
      'EARMARK_MISMATCH',
    ],
    [
      'allocate more than the contribution has',
      () =>
        call('POST', `/packages/${openId}/allocations`, 'coordinator', {
          contributionId: eurContribution,
          amountMinor: '2000000',
          valueDate: '2025-08-04',
        }),
      422,
      'ALLOCATION_EXCEEDS_AVAILABLE',
    ],
    [
      'allocate more than the funding gap',
      () =>
        call('POST', `/packages/${openId}/allocations`, 'coordinator', {
          contributionId: eurContribution,
          amountMinor: '5000000',
          valueDate: '2025-08-04',
        }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'allocate as a contributor',
      () =>
        call('POST', `/packages/${openId}/allocations`, 'contributor:BEL', {
          contributionId: eurContribution,
          amountMinor: '10',
          valueDate: '2025-08-04',
        }),
      403,
      'FORBIDDEN',
    ],
    [
      'allocate on a day without rates',
      () =>
        call('POST', `/packages/${openId}/allocations`, 'coordinator', {
          contributionId: eurContribution,
          amountMinor: '10',
          valueDate: '2024-01-03',
        }),
      422,
      'FX_RATE_UNAVAILABLE',
    ],
    [
      'compose from an unapproved item',
      () =>
        call('POST', `/packages/${draftId}/lines`, 'coordinator', {
          requirementItemId: String(BigInt(itemId) + 1n),
          quantity: 1,
        }),
      422,
      'ITEM_NOT_APPROVED',
    ],
    [
      'cancel without a reason',
      () => call('POST', `/packages/${openId}/cancel`, 'coordinator', { reason: '' }),
      400,
      'VALIDATION_FAILED',
    ],
  ];

  it.each(cases)('%s → its code, nothing changed', async (_name, run, status, code) => {
    const before = [
      await ok('GET', `/packages/${draftId}`, 'auditor'),
      await ok('GET', `/packages/${openId}`, 'auditor'),
    ];
    const ledgerBefore = await verifyLedger(t.database, system);
    const result = await run();
    expect(result.status).toBe(status);
    expect(result.body.error.code).toBe(code);
    const after = [
      await ok('GET', `/packages/${draftId}`, 'auditor'),
      await ok('GET', `/packages/${openId}`, 'auditor'),
    ];
    expect(after).toEqual(before);
    expect((await verifyLedger(t.database, system)).ledgers).toEqual(ledgerBefore.ledgers);
  });

  it('the same item twice in one package → DUPLICATE naming requirementItemId, one line kept', async () => {
    const id = (
      await ok('POST', '/packages', 'coordinator', {
        cycle: '2025-08',
        title: 'twice',
        targetMinor: '100',
      })
    ).id as string;
    const first = await ok('POST', `/packages/${id}/lines`, 'coordinator', {
      requirementItemId: itemId,
      quantity: 1,
    });
    const again = await call('POST', `/packages/${id}/lines`, 'coordinator', {
      requirementItemId: itemId,
      quantity: 1,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE');
    expect((again.body.error as { details?: { field?: string } }).details?.field).toBe(
      'requirementItemId',
    );
    expect((await ok('GET', `/packages/${id}`, 'auditor')).lines).toHaveLength(1);
    expect(first.lines).toHaveLength(1);
  });
});
