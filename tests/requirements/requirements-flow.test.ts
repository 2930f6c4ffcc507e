import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import { listApprovedItems } from '../../src/services/requirements-service.js';
import { ENGINES } from '../support/engines.js';
import {
  ARTILLERY,
  BASE,
  DEMINING,
  INTERCEPTORS,
  advance,
  draftList,
  openRequirementsApp,
  type As,
  type RequirementsTestApp,
} from './support.js';

describe.each(ENGINES)('requirement lists on %s: the whole flow', (engine) => {
  let h: RequirementsTestApp;
  beforeAll(async () => {
    h = await openRequirementsApp(engine);
  });
  afterAll(async () => h?.close());

  /** Runs one command and checks it wrote exactly one audit event. */
  async function audited(
    as: As,
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    options: { payload?: unknown; headers?: Record<string, string> } = {},
    status = 200,
  ) {
    const before = await h.auditCount();
    const response = await h.request(as, method, url, options);
    expect(response.statusCode, response.body).toBe(status);
    expect(await h.auditCount()).toBe(before + 1);
    return response;
  }

  it('goes draft → items → reorder → submit → approved quantities → validate → three signatures → approved → close', async () => {
    // The recipient creates the draft of a cycle.
    const created = await audited(
      'recipient',
      'POST',
      BASE,
      {
        payload: {
          cycle: '2025-09',
          title: 'September 2025 (synthetic)',
          synthetic: true,
          sourceNote: 'Synthetic demo data: package contents are not public.',
        },
      },
      201,
    );
    const list = created.json();
    expect(created.headers.etag).toBe('"1"');
    expect(list).toMatchObject({
      cycle: '2025-09',
      status: 'draft',
      synthetic: true,
      version: 1,
      items: [],
      approvals: [],
      totals: {
        requested: { amountMinor: '0', currency: 'USD' },
        approved: { amountMinor: '0', currency: 'USD' },
      },
      submittedAt: null,
    });
    const url = `${BASE}/${list.id}`;

    // Items: ranks default to "after the last".
    const ids: string[] = [];
    for (const [index, item] of [ARTILLERY, INTERCEPTORS, DEMINING].entries()) {
      const added = await audited('recipient', 'POST', `${url}/items`, { payload: item }, 201);
      expect(added.headers.etag).toBe('"1"');
      expect(added.json()).toMatchObject({
        listId: list.id,
        priorityRank: index + 1,
        requestedQuantity: item.requestedQuantity,
        approvedQuantity: null,
        estimatedUnitCost: item.estimatedUnitCost,
        synthetic: true,
        version: 1,
      });
      ids.push(added.json().id);
    }
    const [artillery, interceptors, demining] = ids as [string, string, string];

    // Edit an item (If-Match on the item).
    const edited = await audited('recipient', 'PATCH', `${url}/items/${demining}`, {
      headers: { 'if-match': '"1"' },
      payload: { requestedQuantity: 6, justification: 'Synthetic: more routes to clear.' },
    });
    expect(edited.headers.etag).toBe('"2"');
    expect(edited.json()).toMatchObject({ requestedQuantity: 6, version: 2 });

    // Reorder: interceptors first, then demining, then artillery.
    const current = (await h.request('recipient', 'GET', url)).headers.etag as string;
    const reordered = await audited('recipient', 'PUT', `${url}/priorities`, {
      headers: { 'if-match': current },
      payload: { itemIds: [interceptors, demining, artillery] },
    });
    expect(
      reordered
        .json()
        .items.map((i: { id: string; priorityRank: number }) => [i.id, i.priorityRank]),
    ).toEqual([
      [interceptors, 1],
      [demining, 2],
      [artillery, 3],
    ]);
    // 10,000 × $4,000 + 20 × $4M + 6 × $1.25M = $127.5M
    expect(reordered.json().totals.requested).toEqual({
      amountMinor: '12750000000',
      currency: 'USD',
    });

    // Submit.
    const submitted = await audited('recipient', 'POST', `${url}/submit`);
    expect(submitted.json()).toMatchObject({ status: 'submitted' });
    expect(submitted.json().submittedAt).toEqual(expect.any(String));

    // The validator edits approved quantities; the requested ones are kept, and bound them.
    const above = await h.request(
      'validator',
      'PATCH',
      `${url}/items/${artillery}/approved-quantity`,
      { payload: { approvedQuantity: 10_001 } },
    );
    expect(above.statusCode).toBe(400);
    expect(above.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'approvedQuantity', max: 10_000 },
    });
    const cut = await audited('validator', 'PATCH', `${url}/items/${artillery}/approved-quantity`, {
      payload: { approvedQuantity: 8_000 },
    });
    expect(cut.json()).toMatchObject({ requestedQuantity: 10_000, approvedQuantity: 8_000 });
    const none = await audited('validator', 'PATCH', `${url}/items/${demining}/approved-quantity`, {
      payload: { approvedQuantity: 0 },
    });
    expect(none.json()).toMatchObject({ requestedQuantity: 6, approvedQuantity: 0 });

    // Validate: the interceptors' quantity, left unset, becomes the requested one.
    const validated = await audited('validator', 'POST', `${url}/validate`);
    expect(validated.json().status).toBe('validated');
    const approvedQuantities = Object.fromEntries(
      validated
        .json()
        .items.map((i: { id: string; approvedQuantity: number }) => [i.id, i.approvedQuantity]),
    );
    expect(approvedQuantities).toEqual({ [interceptors]: 20, [demining]: 0, [artillery]: 8_000 });
    // 20 × $4M + 8,000 × $4,000 = $112M
    expect(validated.json().totals).toEqual({
      requested: { amountMinor: '12750000000', currency: 'USD' },
      approved: { amountMinor: '11200000000', currency: 'USD' },
    });

    // Three signatures; the list is approved with the third, not before.
    const first = await audited('supplier', 'POST', `${url}/approve`);
    expect(first.json()).toMatchObject({ status: 'validated', approvedAt: null });
    expect(first.json().approvals).toEqual([
      { role: 'supplier', actorId: 'dev:supplier', signedAt: expect.any(String) },
    ]);
    const second = await audited('recipient', 'POST', `${url}/approve`);
    expect(second.json()).toMatchObject({ status: 'validated', approvedAt: null });
    const third = await audited('coordinator', 'POST', `${url}/approve`);
    expect(third.json().status).toBe('approved');
    expect(third.json().approvedAt).toEqual(expect.any(String));
    expect(
      third
        .json()
        .approvals.map((a: { role: string }) => a.role)
        .sort(),
    ).toEqual(['coordinator', 'recipient', 'supplier']);

    // The package composer sees the approved items with a quantity above 0, a page at a time.
    const approved = await listApprovedItems(h.t.database, systemActor('test'), {
      listId: BigInt(list.id),
    });
    expect(approved.items.map((i) => [String(i.id), i.approvedQuantity, i.cycle])).toEqual([
      [interceptors, 20, '2025-09'],
      [artillery, 8_000, '2025-09'],
    ]);
    const firstPage = await h.request(
      'coordinator',
      'GET',
      `/api/v1/requirement-lists/approved-items?listId=${list.id}&limit=1`,
    );
    expect(firstPage.statusCode).toBe(200);
    expect(firstPage.json().items).toMatchObject([
      { id: interceptors, cycle: '2025-09', packagedQuantity: 0, remainingQuantity: 20 },
    ]);
    const secondPage = await h.request(
      'coordinator',
      'GET',
      `/api/v1/requirement-lists/approved-items?listId=${list.id}&limit=1&cursor=${firstPage.json().nextCursor}`,
    );
    expect(secondPage.json()).toMatchObject({
      items: [{ id: artillery, listTitle: expect.any(String), remainingQuantity: 8_000 }],
      nextCursor: null,
    });

    // Close.
    const closed = await audited('coordinator', 'POST', `${url}/close`);
    expect(closed.json()).toMatchObject({ status: 'closed' });
    expect(closed.json().closedAt).toEqual(expect.any(String));
    expect((await listApprovedItems(h.t.database, systemActor('test'))).items).not.toContainEqual(
      expect.objectContaining({ listId: BigInt(list.id) }),
    );

    // The list's ETag changed with every command (create + 3 adds + edit + reorder + submit
    // + 2 quantities + validate + 3 signatures + close = 14 versions).
    const final = await h.request('auditor', 'GET', url);
    expect(final.headers.etag).toBe('"14"');
    expect(final.json().version).toBe(14);

    // The audit events, in order, with before/after.
    const events = await h.t.database.kysely
      .selectFrom('audit_event')
      .select(['role', 'entity', 'entity_id', 'action', 'before', 'after'])
      .where('entity', 'in', ['requirement_list', 'requirement_item'])
      .orderBy('id')
      .execute();
    expect(events.map((e) => `${e.role} ${e.entity} ${e.action}`)).toEqual([
      'recipient requirement_list create',
      'recipient requirement_item create',
      'recipient requirement_item create',
      'recipient requirement_item create',
      'recipient requirement_item update',
      'recipient requirement_list reorder_items',
      'recipient requirement_list submit',
      'validator requirement_item set_approved_quantity',
      'validator requirement_item set_approved_quantity',
      'validator requirement_list validate',
      'supplier requirement_list approve',
      'recipient requirement_list approve',
      'coordinator requirement_list approve',
      'coordinator requirement_list close',
    ]);
    const validate = events[9]!;
    expect(validate.before).toMatchObject({ status: 'submitted' });
    expect(validate.after).toMatchObject({
      status: 'validated',
      defaultedItems: [{ id: interceptors, approvedQuantity: 20 }],
    });
    expect(events[12]!.after).toMatchObject({ status: 'approved', missingRoles: [] });
    expect(await verifyAudit(h.t.database, systemActor('test'))).toMatchObject({
      ok: true,
      problems: [],
    });
  });

  it('removes an item of a draft (If-Match on the item), and withdraws before approval', async () => {
    const { id, itemIds } = await draftList(h, [ARTILLERY, DEMINING]);
    const removed = await audited(
      'recipient',
      'DELETE',
      `${BASE}/${id}/items/${itemIds[0]}`,
      { headers: { 'if-match': '"1"' } },
      204,
    );
    expect(removed.body).toBe('');
    const after = (await h.request('recipient', 'GET', `${BASE}/${id}`)).json();
    expect(after.items.map((i: { id: string }) => i.id)).toEqual([itemIds[1]]);

    await advance(h, id, 'validated');
    const withdrawn = await audited('coordinator', 'POST', `${BASE}/${id}/withdraw`);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect(withdrawn.json().withdrawnAt).toEqual(expect.any(String));
    expect(withdrawn.json().validatedAt).toEqual(expect.any(String));
  });

  it('lists lists newest cycle first, filtered by status and cycle, a page at a time', async () => {
    const lists: { id: string; itemIds: string[] }[] = [];
    for (let i = 0; i < 3; i++) lists.push(await draftList(h, [ARTILLERY]));
    await advance(h, lists[1]!.id, 'submitted');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await h.request('contributor:NLD', 'GET', `${BASE}?${query}`);
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((l: { cycle: string }) => l.cycle));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);

    const submitted = (await h.request('auditor', 'GET', `${BASE}?status=submitted`)).json();
    expect(submitted.items.map((l: { id: string }) => l.id)).toContain(lists[1]!.id);
    expect(submitted.items.every((l: { status: string }) => l.status === 'submitted')).toBe(true);
    const summary = submitted.items.find((l: { id: string }) => l.id === lists[1]!.id);
    expect(summary).toMatchObject({
      itemCount: 1,
      totals: { requested: { amountMinor: '4000000000', currency: 'USD' } },
    });
    expect(summary.items).toBeUndefined();

    const one = await h.request('auditor', 'GET', `${BASE}?cycle=2025-09`);
    expect(one.json().items.map((l: { cycle: string }) => l.cycle)).toEqual(['2025-09']);

    const badCursor = await h.request('auditor', 'GET', `${BASE}?cursor=nonsense`);
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.details.field).toBe('cursor');
    const badStatus = await h.request('auditor', 'GET', `${BASE}?status=lost`);
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error.details.field).toBe('querystring.status');
  });

  it('documents every route with an operationId, the requirements tag and money as strings', async () => {
    const document = (await h.request(undefined, 'GET', '/api/openapi.json')).json();
    const operations = Object.entries(document.paths as Record<string, Record<string, never>>)
      .filter(([path]) => path.startsWith(BASE))
      .flatMap(([, methods]) => Object.values(methods)) as {
      operationId: string;
      tags: string[];
    }[];
    expect(operations.map((o) => o.operationId).sort()).toEqual(
      [
        'listRequirementLists',
        'listApprovedRequirementItems',
        'createRequirementList',
        'getRequirementList',
        'addRequirementItem',
        'updateRequirementItem',
        'removeRequirementItem',
        'reorderRequirementItems',
        'setApprovedQuantity',
        'submitRequirementList',
        'validateRequirementList',
        'approveRequirementList',
        'closeRequirementList',
        'withdrawRequirementList',
      ].sort(),
    );
    expect(operations.every((o) => o.tags.includes('requirements'))).toBe(true);
    const schemas = document.components.schemas;
    expect(schemas.UsdAmount.properties.amountMinor).toMatchObject({ type: 'string' });
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'RequirementList',
        'RequirementItem',
        'RequirementListSummary',
        'RequirementListPage',
      ]),
    );
    // Request schemas carry no id: no `…Input` twin components of ours.
    const ours = Object.keys(schemas).filter((name) => /^(Requirement|UsdAmount)/.test(name));
    expect(ours.filter((name) => name.endsWith('Input'))).toEqual([]);
  });
});
