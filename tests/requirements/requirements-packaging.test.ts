/**
 * How a requirement item may be split into packages, through the API on both engines: a step
 * (packages take multiples of it, the last part excepted) and a whole-only flag are stored with
 * the item, defaulted, read back, patched with the other item fields (draft only, audited),
 * refused when invalid naming the field; and a package line keeps to them — a multiple of the
 * step or exactly what is left, and for a whole-only item only what is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import {
  ARTILLERY,
  BASE,
  DEMINING,
  advance,
  draftList,
  nextCycle,
  openRequirementsApp,
  snapshot,
  type RequirementsTestApp,
} from './support.js';

describe.each(ENGINES)('packaging of requirement items on %s', (engine) => {
  let h: RequirementsTestApp;
  beforeAll(async () => {
    h = await openRequirementsApp(engine);
  });
  afterAll(async () => h?.close());

  /** The audit events of one item, oldest first. */
  async function itemEvents(itemId: string) {
    return h.t.database.kysely
      .selectFrom('audit_event')
      .select(['action', 'before', 'after'])
      .where('entity', '=', 'requirement_item')
      .where('entity_id', '=', itemId)
      .orderBy('id')
      .execute();
  }

  it('stores a step and a whole-only flag per item (defaults 1 and false), reads them back and patches them, audited', async () => {
    const { id } = await draftList(h, []);
    const items = `${BASE}/${id}/items`;
    const plain = await h.request('recipient', 'POST', items, { payload: ARTILLERY });
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json()).toMatchObject({ quantityStep: 1, wholeOnly: false });
    const stepped = await h.request('recipient', 'POST', items, {
      payload: { ...ARTILLERY, category: 'shells by the pallet', quantityStep: 500 },
    });
    expect(stepped.statusCode, stepped.body).toBe(201);
    expect(stepped.json()).toMatchObject({ quantityStep: 500, wholeOnly: false });
    const whole = await h.request('recipient', 'POST', items, {
      payload: { ...DEMINING, wholeOnly: true },
    });
    expect(whole.statusCode, whole.body).toBe(201);
    expect(whole.json()).toMatchObject({ quantityStep: 1, wholeOnly: true });

    // Read back with the list, for any reader.
    const list = await h.request('contributor:NLD', 'GET', `${BASE}/${id}`);
    expect(
      list
        .json()
        .items.map((i: { quantityStep: number; wholeOnly: boolean }) => [
          i.quantityStep,
          i.wholeOnly,
        ]),
    ).toEqual([
      [1, false],
      [500, false],
      [1, true],
    ]);

    // Patched like any other field (If-Match on the item), with an audited before/after.
    const steppedId = stepped.json().id as string;
    const patched = await h.request('recipient', 'PATCH', `${items}/${steppedId}`, {
      headers: { 'if-match': '"1"' },
      payload: { quantityStep: 250, wholeOnly: true },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.json()).toMatchObject({ quantityStep: 250, wholeOnly: true, version: 2 });
    const events = await itemEvents(steppedId);
    expect(events.map((e) => e.action)).toEqual(['create', 'update']);
    expect(events[0]!.after).toMatchObject({ quantityStep: 500, wholeOnly: false });
    expect(events[1]!.before).toMatchObject({ quantityStep: 500, wholeOnly: false });
    expect(events[1]!.after).toMatchObject({ quantityStep: 250, wholeOnly: true });

    // Back to the defaults.
    const reset = await h.request('recipient', 'PATCH', `${items}/${steppedId}`, {
      payload: { quantityStep: 1, wholeOnly: false },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ quantityStep: 1, wholeOnly: false, version: 3 });
  });

  it('refuses a bad step or flag naming the field, changing nothing; edits only a draft', async () => {
    const { id, itemIds } = await draftList(h, [{ ...ARTILLERY, quantityStep: 100 }]);
    const items = `${BASE}/${id}/items`;
    const item = `${items}/${itemIds[0]}`;
    const refused = async (
      method: 'POST' | 'PATCH',
      url: string,
      payload: object,
      expected: { status: number; code: string; field: string },
    ) => {
      const before = await snapshot(h, id);
      const events = await h.auditCount();
      const response = await h.request('recipient', method, url, { payload });
      expect(response.statusCode, `${JSON.stringify(payload)}: ${response.body}`).toBe(
        expected.status,
      );
      const { error } = response.json();
      expect(error.code).toBe(expected.code);
      expect(error.details.field).toBe(expected.field);
      expect(await snapshot(h, id)).toEqual(before);
      expect(await h.auditCount()).toBe(events);
      return error as { message: string };
    };
    const boundary = (field: string) => ({ status: 400, code: 'VALIDATION_FAILED', field });
    // At the boundary (the schema).
    await refused('POST', items, { ...DEMINING, quantityStep: 0 }, boundary('body.quantityStep'));
    await refused('POST', items, { ...DEMINING, quantityStep: 1.5 }, boundary('body.quantityStep'));
    await refused('POST', items, { ...DEMINING, quantityStep: '2' }, boundary('body.quantityStep'));
    await refused('POST', items, { ...DEMINING, wholeOnly: 'yes' }, boundary('body.wholeOnly'));
    await refused('PATCH', item, { quantityStep: -1 }, boundary('body.quantityStep'));
    await refused('PATCH', item, { wholeOnly: null }, boundary('body.wholeOnly'));
    // The rule of core: a step no larger than the requested quantity, as the item will be.
    const rule = { status: 400, code: 'VALIDATION_FAILED', field: 'quantityStep' };
    const above = await refused('POST', items, { ...DEMINING, quantityStep: 5 }, rule);
    expect(above.message).toMatch(/requested quantity \(4\)/);
    await refused('PATCH', item, { quantityStep: 10_001 }, rule);
    await refused('PATCH', item, { requestedQuantity: 99 }, rule);
    // Both at once: fine.
    const both = await h.request('recipient', 'PATCH', item, {
      payload: { requestedQuantity: 99, quantityStep: 33 },
    });
    expect(both.statusCode, both.body).toBe(200);

    // Like every item field, only while the list is a draft.
    await advance(h, id, 'submitted');
    const submitted = await h.request('recipient', 'PATCH', item, {
      payload: { wholeOnly: true },
    });
    expect(submitted.statusCode).toBe(409);
    expect(submitted.json().error.code).toBe('INVALID_TRANSITION');
  });

  it('takes a package line in multiples of the step or the part left; a whole-only item only whole', async () => {
    const created = await h.request('recipient', 'POST', BASE, {
      payload: { cycle: nextCycle(), title: 'Synthetic packaging list', synthetic: true },
    });
    const list = created.json() as { id: string; cycle: string };
    const add = async (payload: object) => {
      const r = await h.request('recipient', 'POST', `${BASE}/${list.id}/items`, { payload });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const shells = await add({ ...ARTILLERY, requestedQuantity: 17, quantityStep: 5 });
    const vehicles = await add({ ...DEMINING, wholeOnly: true });
    await advance(h, list.id, 'approved');

    // The composer sees the rule with each approved item.
    const approved = await h.request(
      'coordinator',
      'GET',
      `${BASE}/approved-items?listId=${list.id}`,
    );
    expect(
      approved
        .json()
        .items.map((i: { id: string; quantityStep: number; wholeOnly: boolean }) => [
          i.id,
          i.quantityStep,
          i.wholeOnly,
        ]),
    ).toEqual([
      [shells, 5, false],
      [vehicles, 1, true],
    ]);

    // One line per item and package (a UNIQUE of package_line): each part in a package of its own.
    const packageIds: string[] = [];
    const line = async (requirementItemId: string, quantity: number) => {
      const pkg = await h.request('coordinator', 'POST', '/api/v1/packages', {
        payload: { cycle: list.cycle, title: 'Synthetic package', targetMinor: '100' },
      });
      expect(pkg.statusCode, pkg.body).toBe(201);
      const r = await h.request('coordinator', 'POST', `/api/v1/packages/${pkg.json().id}/lines`, {
        payload: { requirementItemId, quantity },
      });
      if (r.statusCode === 200) packageIds.push(pkg.json().id as string);
      return r;
    };
    const refusedLine = async (requirementItemId: string, quantity: number, message: string) => {
      const r = await line(requirementItemId, quantity);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        message,
        details: { field: 'quantity' },
      });
    };

    // Steps of 5 out of 17.
    await refusedLine(
      shells,
      7,
      `Item ${shells} is packaged in steps of 5 rounds: use a multiple of 5, or the 17 rounds left.`,
    );
    expect((await line(shells, 10)).statusCode).toBe(200);
    // 7 left: another step, not a part of one; then the last part.
    await refusedLine(
      shells,
      6,
      `Item ${shells} is packaged in steps of 5 rounds: use a multiple of 5, or the 7 rounds left.`,
    );
    expect((await line(shells, 5)).statusCode).toBe(200);
    await refusedLine(
      shells,
      1,
      `Item ${shells} is packaged in steps of 5 rounds and only 2 rounds are left: use 2.`,
    );
    expect((await line(shells, 2)).statusCode).toBe(200);
    await refusedLine(shells, 5, 'Only 0 of the approved quantity is not yet in a package.');

    // Whole only: the 4 systems, or nothing.
    for (const quantity of [1, 2, 3]) {
      await refusedLine(
        vehicles,
        quantity,
        `Item ${vehicles} is packaged whole only: use the 4 systems left.`,
      );
    }
    expect((await line(vehicles, 4)).statusCode).toBe(200);

    const held: [string, number][] = [];
    for (const id of packageIds) {
      const detail = await h.request('coordinator', 'GET', `/api/v1/packages/${id}`);
      for (const l of detail.json().lines as { requirementItemId: string; quantity: number }[]) {
        held.push([l.requirementItemId, l.quantity]);
      }
    }
    expect(held).toEqual([
      [shells, 10],
      [shells, 5],
      [shells, 2],
      [vehicles, 4],
    ]);
  });
});
