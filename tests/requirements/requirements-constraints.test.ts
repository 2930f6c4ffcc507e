/**
 * The database holds the rules a row or a unique index can hold, again, whatever the service
 * does: one list per cycle, one rank per list (checked at commit), milestone times that match
 * the status, one signature per role, a packaging step from 1 to the requested quantity.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPriorityRankConflict } from '../../src/storage/requirements-repository.js';
import { sqlState } from '../../src/storage/transaction.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

describe.each(ENGINES)('requirement constraints on %s', (engine) => {
  let t: TestDatabase;
  let listId: bigint;
  let itemIds: bigint[];
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    const db = t.database.kysely;
    listId = (
      await db
        .insertInto('requirement_list')
        .values({ cycle: '2026-01', title: 'Constraints', synthetic: true, source_note: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    itemIds = [];
    for (const rank of [1, 2]) {
      const row = await db
        .insertInto('requirement_item')
        .values({
          list_id: listId,
          capability_area: 'drones',
          category: 'reconnaissance drones',
          lethal: false,
          requested_quantity: 10,
          unit: 'systems',
          estimated_unit_cost_usd_minor: 100n,
          priority_rank: rank,
          description: null,
          justification: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      itemIds.push(row.id);
    }
  });
  afterAll(async () => t?.close());

  async function failure(statement: () => Promise<unknown>): Promise<unknown> {
    try {
      await statement();
    } catch (error) {
      return error;
    }
    throw new Error('expected the database to refuse');
  }

  it('lets a transaction swap two ranks, and refuses a duplicate rank at commit', async () => {
    const db = t.database.kysely;
    const [a, b] = itemIds as [bigint, bigint];
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('requirement_item')
        .set({ priority_rank: 2 })
        .where('id', '=', a)
        .execute();
      await tx
        .updateTable('requirement_item')
        .set({ priority_rank: 1 })
        .where('id', '=', b)
        .execute();
    });
    const error = await failure(() =>
      db.transaction().execute(async (tx) => {
        await tx
          .updateTable('requirement_item')
          .set({ priority_rank: 1 })
          .where('id', '=', a)
          .execute();
      }),
    );
    expect(sqlState(error)).toBe('23505');
    expect(isPriorityRankConflict(error)).toBe(true);
  });

  it('refuses a second list for a cycle, a bad cycle, and milestones that do not match the status', async () => {
    const db = t.database.kysely;
    const values = { cycle: '2026-01', title: 'Again', synthetic: false, source_note: null };
    expect(
      sqlState(await failure(() => db.insertInto('requirement_list').values(values).execute())),
    ).toBe('23505');
    expect(
      sqlState(
        await failure(() =>
          db
            .insertInto('requirement_list')
            .values({ ...values, cycle: '2026-13' })
            .execute(),
        ),
      ),
    ).toBe('23514');
    for (const change of [
      sql`status = 'submitted'`,
      sql`status = 'approved', submitted_at = now(), validated_at = now()`,
      sql`closed_at = now()`,
      sql`status = 'withdrawn'`,
    ]) {
      const error = await failure(() =>
        sql`UPDATE requirement_list SET ${change} WHERE id = ${listId}`.execute(db),
      );
      expect(sqlState(error)).toBe('23514');
    }
  });

  it('refuses negative quantities, an unknown capability area, a foreign role and a second signature', async () => {
    const db = t.database.kysely;
    const [a] = itemIds as [bigint];
    expect(
      sqlState(
        await failure(() =>
          db
            .updateTable('requirement_item')
            .set({ approved_quantity: -1 })
            .where('id', '=', a)
            .execute(),
        ),
      ),
    ).toBe('23514');
    expect(
      sqlState(
        await failure(() =>
          db
            .updateTable('requirement_item')
            .set({ capability_area: 'space' })
            .where('id', '=', a)
            .execute(),
        ),
      ),
    ).toBe('23503');
    expect(
      sqlState(
        await failure(() =>
          sql`INSERT INTO requirement_approval (list_id, role, actor_id) VALUES (${listId}, 'validator', 'x')`.execute(
            db,
          ),
        ),
      ),
    ).toBe('23514');
    await db
      .insertInto('requirement_approval')
      .values({ list_id: listId, role: 'supplier', actor_id: 'x' })
      .execute();
    expect(
      sqlState(
        await failure(() =>
          db
            .insertInto('requirement_approval')
            .values({ list_id: listId, role: 'supplier', actor_id: 'y' })
            .execute(),
        ),
      ),
    ).toBe('23505');
  });

  it('defaults the packaging of an item to step 1, not whole only, and refuses a step below 1 or above the requested quantity', async () => {
    const db = t.database.kysely;
    const [a] = itemIds as [bigint];
    expect(
      await db
        .selectFrom('requirement_item')
        .select(['quantity_step', 'whole_only'])
        .where('id', '=', a)
        .executeTakeFirstOrThrow(),
    ).toEqual({ quantity_step: 1, whole_only: false });
    for (const change of [
      sql`quantity_step = 0`,
      sql`quantity_step = 11`,
      sql`quantity_step = 5, requested_quantity = 4`,
    ]) {
      const error = await failure(() =>
        sql`UPDATE requirement_item SET ${change} WHERE id = ${a}`.execute(db),
      );
      expect(sqlState(error)).toBe('23514');
    }
    await sql`UPDATE requirement_item SET quantity_step = 10, whole_only = true WHERE id = ${a}`.execute(
      db,
    );
  });
});
