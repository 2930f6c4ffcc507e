import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import {
  ARTILLERY,
  BASE,
  DEMINING,
  INTERCEPTORS,
  advance,
  draftList,
  nextCycle,
  openRequirementsApp,
  snapshot,
  type As,
  type RequirementsTestApp,
} from './support.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

describe.each(ENGINES)('requirement list rules on %s', (engine) => {
  let h: RequirementsTestApp;
  beforeAll(async () => {
    h = await openRequirementsApp(engine);
  });
  afterAll(async () => h?.close());

  /**
   * Sends a command that must be refused with `status` and `code`, and checks that it changed
   * nothing: the list (status, version, items, signatures) is as before and no audit event.
   */
  async function refused(
    listId: string,
    as: As | undefined,
    method: Method,
    url: string,
    expected: { status: number; code: string; field?: string },
    options: { payload?: unknown; headers?: Record<string, string> } = {},
  ) {
    const before = await snapshot(h, listId);
    const events = await h.auditCount();
    const response = await h.request(as, method, url, options);
    expect(response.statusCode, `${as} ${method} ${url}: ${response.body}`).toBe(expected.status);
    const { error } = response.json();
    expect(error.code).toBe(expected.code);
    if (expected.field) expect(error.details.field).toBe(expected.field);
    expect(await snapshot(h, listId)).toEqual(before);
    expect(await h.auditCount()).toBe(events);
    return error;
  }

  const invalid = { status: 409, code: 'INVALID_TRANSITION' };

  it('refuses every action its status does not allow, naming from, action and allowed', async () => {
    const { id, itemIds } = await draftList(h, [ARTILLERY, DEMINING]);
    const list = `${BASE}/${id}`;
    const item = `${list}/items/${itemIds[0]}`;
    const newItem = { payload: INTERCEPTORS };
    const quantity = { payload: { approvedQuantity: 1 } };
    const reorder = { payload: { itemIds: [...itemIds].reverse() } };

    // draft
    const error = await refused(id, 'validator', 'POST', `${list}/validate`, invalid);
    expect(error.details).toEqual({
      entity: 'requirement_list',
      from: 'draft',
      action: 'validate',
      allowed: ['add_item', 'update_item', 'remove_item', 'reorder_items', 'submit', 'withdraw'],
      allowedFrom: ['submitted'],
    });
    await refused(id, 'recipient', 'POST', `${list}/approve`, invalid);
    await refused(id, 'coordinator', 'POST', `${list}/close`, invalid);
    await refused(id, 'validator', 'PATCH', `${item}/approved-quantity`, invalid, quantity);

    // submitted
    await advance(h, id, 'submitted');
    await refused(id, 'recipient', 'POST', `${list}/submit`, invalid);
    await refused(id, 'recipient', 'POST', `${list}/items`, invalid, newItem);
    await refused(id, 'recipient', 'PATCH', item, invalid, { payload: { requestedQuantity: 1 } });
    await refused(id, 'recipient', 'DELETE', item, invalid);
    await refused(id, 'recipient', 'PUT', `${list}/priorities`, invalid, reorder);
    await refused(id, 'supplier', 'POST', `${list}/approve`, invalid);
    await refused(id, 'coordinator', 'POST', `${list}/close`, invalid);

    // validated
    await h.request('validator', 'POST', `${list}/validate`);
    await refused(id, 'recipient', 'POST', `${list}/submit`, invalid);
    await refused(id, 'validator', 'POST', `${list}/validate`, invalid);
    await refused(id, 'validator', 'PATCH', `${item}/approved-quantity`, invalid, quantity);
    await refused(id, 'coordinator', 'POST', `${list}/close`, invalid);
    await refused(id, 'recipient', 'POST', `${list}/items`, invalid, newItem);

    // a role signs once
    expect((await h.request('recipient', 'POST', `${list}/approve`)).statusCode).toBe(200);
    await refused(id, 'recipient', 'POST', `${list}/approve`, {
      status: 409,
      code: 'APPROVAL_ALREADY_SIGNED',
    });

    // approved
    await h.request('coordinator', 'POST', `${list}/approve`);
    await h.request('supplier', 'POST', `${list}/approve`);
    expect((await snapshot(h, id)).status).toBe('approved');
    await refused(id, 'recipient', 'POST', `${list}/withdraw`, invalid);
    await refused(id, 'coordinator', 'POST', `${list}/withdraw`, invalid);
    await refused(id, 'supplier', 'POST', `${list}/approve`, invalid);
    await refused(id, 'validator', 'POST', `${list}/validate`, invalid);

    // closed
    await h.request('coordinator', 'POST', `${list}/close`);
    await refused(id, 'coordinator', 'POST', `${list}/close`, invalid);
    await refused(id, 'coordinator', 'POST', `${list}/withdraw`, invalid);
  });

  it('refuses to submit an empty list and to leave withdrawn', async () => {
    const { id } = await draftList(h, []);
    const error = await refused(id, 'recipient', 'POST', `${BASE}/${id}/submit`, invalid);
    expect(error.details.reason).toMatch(/one item/);
    expect((await h.request('recipient', 'POST', `${BASE}/${id}/withdraw`)).statusCode).toBe(200);
    await refused(id, 'recipient', 'POST', `${BASE}/${id}/submit`, invalid);
    await refused(id, 'recipient', 'POST', `${BASE}/${id}/withdraw`, invalid);
    await refused(id, 'recipient', 'POST', `${BASE}/${id}/items`, invalid, { payload: ARTILLERY });
  });

  it('answers 403 to roles the policy or the signature rule does not allow', async () => {
    const forbidden = { status: 403, code: 'FORBIDDEN' };
    const { id, itemIds } = await draftList(h, [ARTILLERY]);
    const list = `${BASE}/${id}`;
    const item = `${list}/items/${itemIds[0]}`;

    for (const as of ['validator', 'coordinator', 'supplier', 'contributor:NLD'] as const) {
      await refused(id, as, 'POST', BASE, forbidden, {
        payload: { cycle: nextCycle(), title: 'Not theirs' },
      });
      await refused(id, as, 'POST', `${list}/items`, forbidden, { payload: DEMINING });
      await refused(id, as, 'PATCH', item, forbidden, { payload: { requestedQuantity: 2 } });
      await refused(id, as, 'DELETE', item, forbidden);
      await refused(id, as, 'PUT', `${list}/priorities`, forbidden, {
        payload: { itemIds },
      });
      await refused(id, as, 'POST', `${list}/submit`, forbidden);
    }
    await refused(id, 'supplier', 'POST', `${list}/withdraw`, forbidden);
    await refused(id, 'validator', 'POST', `${list}/withdraw`, forbidden);
    const admin = await h.request('admin', 'GET', list);
    expect(admin.statusCode).toBe(403);
    const anonymous = await h.request(undefined, 'GET', list);
    expect(anonymous.statusCode).toBe(401);

    await advance(h, id, 'submitted');
    for (const as of ['recipient', 'coordinator', 'supplier'] as const) {
      await refused(id, as, 'PATCH', `${item}/approved-quantity`, forbidden, {
        payload: { approvedQuantity: 1 },
      });
      await refused(id, as, 'POST', `${list}/validate`, forbidden);
    }

    await h.request('validator', 'POST', `${list}/validate`);
    for (const as of ['validator', 'contributor:NLD', 'auditor'] as const) {
      await refused(id, as, 'POST', `${list}/approve`, forbidden);
    }

    for (const as of ['recipient', 'coordinator', 'supplier'] as const) {
      expect((await h.request(as, 'POST', `${list}/approve`)).statusCode).toBe(200);
    }
    expect((await snapshot(h, id)).status).toBe('approved');
    for (const as of ['recipient', 'supplier', 'validator'] as const) {
      await refused(id, as, 'POST', `${list}/close`, forbidden);
    }
  });

  it('refuses a priority rank another item holds with PRIORITY_RANK_TAKEN naming priorityRank', async () => {
    const { id, itemIds } = await draftList(h, [ARTILLERY, DEMINING]);
    const taken = { status: 409, code: 'PRIORITY_RANK_TAKEN', field: 'priorityRank' };
    await refused(id, 'recipient', 'POST', `${BASE}/${id}/items`, taken, {
      payload: { ...INTERCEPTORS, priorityRank: 1 },
    });
    await refused(id, 'recipient', 'PATCH', `${BASE}/${id}/items/${itemIds[1]}`, taken, {
      payload: { priorityRank: 1 },
    });
    // A free rank is fine; swapping two ranks is a reorder (checked at commit).
    const placed = await h.request('recipient', 'POST', `${BASE}/${id}/items`, {
      payload: { ...INTERCEPTORS, priorityRank: 7 },
    });
    expect(placed.json().priorityRank).toBe(7);
    const swapped = await h.request('recipient', 'PUT', `${BASE}/${id}/priorities`, {
      payload: { itemIds: [placed.json().id, itemIds[1], itemIds[0]] },
    });
    expect(swapped.statusCode, swapped.body).toBe(200);
    expect(swapped.json().items.map((i: { priorityRank: number }) => i.priorityRank)).toEqual([
      1, 2, 3,
    ]);
    await refused(
      id,
      'recipient',
      'PUT',
      `${BASE}/${id}/priorities`,
      {
        status: 400,
        code: 'VALIDATION_FAILED',
        field: 'itemIds',
      },
      { payload: { itemIds: [itemIds[0]] } },
    );
  });

  it('honours If-Match: a stale version is 412 and changes nothing', async () => {
    const { id, itemIds } = await draftList(h, [ARTILLERY, DEMINING]);
    const list = `${BASE}/${id}`;
    const item = `${list}/items/${itemIds[0]}`;
    const stale = { status: 412, code: 'PRECONDITION_FAILED' };
    const etag = (await h.request('recipient', 'GET', list)).headers.etag as string;
    expect(etag).toBe('"3"');

    await refused(id, 'recipient', 'PATCH', item, stale, {
      headers: { 'if-match': '"2"' },
      payload: { requestedQuantity: 1 },
    });
    await refused(id, 'recipient', 'DELETE', item, stale, { headers: { 'if-match': '"9"' } });
    await refused(id, 'recipient', 'POST', `${list}/items`, stale, {
      headers: { 'if-match': '"2"' },
      payload: INTERCEPTORS,
    });
    await refused(id, 'recipient', 'PUT', `${list}/priorities`, stale, {
      headers: { 'if-match': '"2"' },
      payload: { itemIds: [...itemIds].reverse() },
    });
    const error = await refused(id, 'recipient', 'POST', `${list}/submit`, stale, {
      headers: { 'if-match': '"2"' },
    });
    expect(error.details).toMatchObject({ currentVersion: 3, expectedVersion: 2 });
    await refused(
      id,
      'recipient',
      'POST',
      `${list}/submit`,
      {
        status: 400,
        code: 'VALIDATION_FAILED',
        field: 'headers.if-match',
      },
      { headers: { 'if-match': 'three' } },
    );

    const submitted = await h.request('recipient', 'POST', `${list}/submit`, {
      headers: { 'if-match': etag },
    });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.headers.etag).toBe('"4"');
    await refused(id, 'validator', 'PATCH', `${item}/approved-quantity`, stale, {
      headers: { 'if-match': '"2"' },
      payload: { approvedQuantity: 5 },
    });
    const set = await h.request('validator', 'PATCH', `${item}/approved-quantity`, {
      headers: { 'if-match': '"1"' },
      payload: { approvedQuantity: 5 },
    });
    expect(set.statusCode).toBe(200);
    expect(set.headers.etag).toBe('"2"');
    await refused(id, 'validator', 'POST', `${list}/validate`, stale, {
      headers: { 'if-match': '"4"' },
    });
  });

  it('creates idempotently with Idempotency-Key: same body → same resource, other body → 409', async () => {
    const cycle = nextCycle();
    const body = { cycle, title: 'Idempotent' };
    const headers = { 'idempotency-key': `create-${cycle}` };
    const events = await h.auditCount();
    const first = await h.request('recipient', 'POST', BASE, { payload: body, headers });
    const again = await h.request('recipient', 'POST', BASE, { payload: body, headers });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.json()).toEqual(first.json());
    expect(await h.auditCount()).toBe(events + 1);

    const other = await h.request('recipient', 'POST', BASE, {
      payload: { ...body, title: 'Another' },
      headers,
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');

    // Without the key, the same cycle again is a duplicate.
    const duplicate = await h.request('recipient', 'POST', BASE, { payload: body });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({
      code: 'DUPLICATE',
      details: { field: 'cycle', listId: first.json().id },
    });

    // Adding an item is idempotent too.
    const id = first.json().id;
    const itemHeaders = { 'idempotency-key': `item-${cycle}` };
    const added = await h.request('recipient', 'POST', `${BASE}/${id}/items`, {
      payload: ARTILLERY,
      headers: itemHeaders,
    });
    const addedAgain = await h.request('recipient', 'POST', `${BASE}/${id}/items`, {
      payload: ARTILLERY,
      headers: itemHeaders,
    });
    expect([added.statusCode, addedAgain.statusCode]).toEqual([201, 201]);
    expect(addedAgain.headers['idempotent-replayed']).toBe('true');
    expect(addedAgain.json().id).toBe(added.json().id);
    expect((await snapshot(h, id)).items).toHaveLength(1);
  });

  it('validates input at the boundary and names the field', async () => {
    const { id, itemIds } = await draftList(h, [ARTILLERY]);
    const bad = (field: string) => ({ status: 400, code: 'VALIDATION_FAILED', field });
    await refused(
      id,
      'recipient',
      'POST',
      `${BASE}/${id}/items`,
      bad('body.estimatedUnitCost.amountMinor'),
      {
        payload: { ...DEMINING, estimatedUnitCost: { amountMinor: 125000000, currency: 'USD' } },
      },
    );
    await refused(
      id,
      'recipient',
      'POST',
      `${BASE}/${id}/items`,
      bad('body.estimatedUnitCost.currency'),
      {
        payload: { ...DEMINING, estimatedUnitCost: { amountMinor: '1', currency: 'EUR' } },
      },
    );
    await refused(id, 'recipient', 'POST', `${BASE}/${id}/items`, bad('body.requestedQuantity'), {
      payload: { ...DEMINING, requestedQuantity: 0 },
    });
    await refused(
      id,
      'recipient',
      'POST',
      `${BASE}/${id}/items`,
      {
        status: 404,
        code: 'NOT_FOUND',
        field: 'capabilityArea',
      },
      { payload: { ...DEMINING, capabilityArea: 'space' } },
    );
    await refused(id, 'recipient', 'PATCH', `${BASE}/${id}/items/${itemIds[0]}`, bad('body'), {
      payload: {},
    });
    const created = await h.request('recipient', 'POST', BASE, {
      payload: { cycle: '2025-13', title: 'x' },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.details.field).toBe('body.cycle');

    const other = await draftList(h, [DEMINING]);
    await refused(
      id,
      'recipient',
      'PATCH',
      `${BASE}/${id}/items/${other.itemIds[0]}`,
      {
        status: 404,
        code: 'NOT_FOUND',
      },
      { payload: { requestedQuantity: 3 } },
    );
    const missing = await h.request('recipient', 'GET', `${BASE}/999999`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });

  it('approves exactly once when the three signatures arrive together', async () => {
    const { id } = await draftList(h, [ARTILLERY]);
    await advance(h, id, 'validated');
    const responses = await Promise.all(
      (['recipient', 'coordinator', 'supplier'] as const).map((as) =>
        h.request(as, 'POST', `${BASE}/${id}/approve`),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const final = await snapshot(h, id);
    expect(final.status).toBe('approved');
    expect(final.approvals).toHaveLength(3);
    expect(responses.filter((r) => r.json().status === 'approved')).toHaveLength(1);
  });
});
