import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { auditContent, auditHash, GENESIS_HASH } from '../../src/core/audit.js';
import { canonicalJson, toJsonValue } from '../../src/core/canonical-json.js';
import { recordAudit, verifyAudit } from '../../src/services/audit-service.js';
import { auditEventPieces } from '../../src/storage/audit-repository.js';
import { inTransaction } from '../../src/storage/transaction.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const actor = systemActor('test');

/** What an attacker with database rights does: switch off the append-only trigger, then tamper. */
async function tamper(t: TestDatabase, statement: string) {
  const db = t.database.kysely;
  await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`.execute(db);
  try {
    await sql.raw(statement).execute(db);
  } finally {
    await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`.execute(db);
  }
}

/** Payloads whose encodings could differ: key order, numeric keys, escapes, bigint, Date, holes. */
const AWKWARD = {
  zeta: 1,
  '10': 'ten',
  '9': 'nine',
  Ünïcode: 'événement — подія 🚀 "quoted" \\ back\nslash',
  amountMinor: 12345678901234567890n,
  at: new Date('2026-11-28T12:00:00.000Z'),
  list: [1, undefined, null, 2.5, -0, 'x'],
  nested: { b: { d: [], c: {} }, a: null, skipped: undefined },
};

describe('audit event pieces', () => {
  it('join into exactly the canonical JSON the hash covers', () => {
    for (const [before, after] of [
      [null, AWKWARD],
      [AWKWARD, null],
      [{ contributions: { columns: ['id'], rows: [[1n], [2n]] } }, AWKWARD],
    ]) {
      const content = auditContent(
        actor,
        { entity: 'probe', entityId: 'é"1', action: 'x', before, after },
        new Date(),
      );
      const p = auditEventPieces(content);
      expect(p.head + p.after + p.middle + p.before + p.tail).toBe(canonicalJson(content));
    }
  });
});

describe.each(ENGINES)('audit chain on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
    for (let i = 1; i <= 6; i++) {
      await inTransaction(t.database, (tx) =>
        recordAudit(tx, actor, {
          entity: 'probe',
          entityId: String(i),
          action: 'create',
          before: i > 1 ? { amountMinor: BigInt(i - 1) * 100n } : null,
          after: { amountMinor: BigInt(i) * 100n, note: `événement ${i} — подія` },
        }),
      );
    }
  });
  afterEach(async () => t?.close());

  it('events join the chain at COMMIT in inTransaction, at once in any other transaction', async () => {
    const count = async () =>
      Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM audit_event WHERE action = 'when'`.execute(t.database.kysely)
        ).rows[0]!.n,
      );
    let seenInside = -1;
    await inTransaction(t.database, async (tx) => {
      await recordAudit(tx, actor, { entity: 'probe', entityId: 'q', action: 'when' });
      seenInside = Number(
        (
          await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM audit_event WHERE action = 'when'`.execute(tx)
        ).rows[0]!.n,
      );
    });
    expect(seenInside).toBe(0); // queued until the command is done
    expect(await count()).toBe(1);
    await t.database.kysely.transaction().execute(async (tx) => {
      await recordAudit(tx, actor, { entity: 'probe', entityId: 'r', action: 'when' });
      const inside = await sql<{ n: string }>`
        SELECT count(*) AS n FROM audit_event WHERE action = 'when'`.execute(tx);
      expect(Number(inside.rows[0]!.n)).toBe(2); // appended at once: never lost
    });
    expect(await count()).toBe(2);
    expect((await verifyAudit(t.database, actor)).ok).toBe(true);
  });

  it('an untouched chain verifies', async () => {
    expect(await verifyAudit(t.database, actor)).toEqual({ ok: true, events: 6, problems: [] });
  });

  it('refuses UPDATE and DELETE while the trigger is on', async () => {
    await expect(
      sql`UPDATE audit_event SET action = 'x' WHERE id = 1`.execute(t.database.kysely),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`DELETE FROM audit_event WHERE id = 1`.execute(t.database.kysely),
    ).rejects.toThrow(/append-only/);
  });

  it('finds an edited event and names it', async () => {
    await tamper(t, `UPDATE audit_event SET after = '{"amountMinor": "999"}' WHERE id = 3`);
    const result = await verifyAudit(t.database, actor);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ id: 3n, problem: 'edited' })]);
  });

  it('finds an edited actor and an edited time', async () => {
    await tamper(t, `UPDATE audit_event SET actor = 'someone-else' WHERE id = 2`);
    await tamper(t, `UPDATE audit_event SET at = at + interval '1 second' WHERE id = 5`);
    const result = await verifyAudit(t.database, actor);
    expect(result.problems.map((p) => [p.id, p.problem])).toEqual([
      [2n, 'edited'],
      [5n, 'edited'],
    ]);
  });

  it('finds a deleted event and names the gap', async () => {
    await tamper(t, `DELETE FROM audit_event WHERE id = 4`);
    const result = await verifyAudit(t.database, actor);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ id: 5n, problem: 'deleted' })]);
    expect(result.problems[0]!.message).toMatch(/before 5/);
  });

  it('finds the deletion of the last event through the head', async () => {
    await tamper(t, `DELETE FROM audit_event WHERE id = 6`);
    const result = await verifyAudit(t.database, actor);
    expect(result.problems).toEqual([expect.objectContaining({ id: 6n, problem: 'deleted' })]);
  });

  it('finds two reordered events and names them', async () => {
    // Swap the positions of events 2 and 3 (ids are the order).
    await tamper(t, `UPDATE audit_event SET id = 1000 WHERE id = 2`);
    await tamper(t, `UPDATE audit_event SET id = 2 WHERE id = 3`);
    await tamper(t, `UPDATE audit_event SET id = 3 WHERE id = 1000`);
    const result = await verifyAudit(t.database, actor);
    expect(result.ok).toBe(false);
    const reordered = result.problems.filter((p) => p.problem === 'reordered').map((p) => p.id);
    expect(reordered).toEqual([2n, 3n]);
  });

  it('stores awkward payloads as their JSON values, and hashes them as verify does', async () => {
    const at = new Date('2026-11-28T12:00:00.000Z');
    const input = {
      entity: 'probe',
      entityId: null,
      action: 'awkward',
      before: AWKWARD,
      after: { a: AWKWARD },
    };
    await inTransaction(t.database, (tx) => recordAudit(tx, actor, input, at));
    const row = (
      await sql<{ before: unknown; after: unknown; prev_hash: string; hash: string }>`
        SELECT before, after, prev_hash, hash FROM audit_event WHERE action = 'awkward'`.execute(
        t.database.kysely,
      )
    ).rows[0]!;
    expect(row.before).toEqual(toJsonValue(AWKWARD));
    expect(row.after).toEqual(toJsonValue({ a: AWKWARD }));
    expect(row.hash).toBe(auditHash(row.prev_hash, auditContent(actor, input, at)));
    expect(row.prev_hash).not.toBe(GENESIS_HASH);
    expect(await verifyAudit(t.database, actor)).toEqual({ ok: true, events: 7, problems: [] });
  });

  it('keeps chaining after concurrent writers: ids gapless, chain valid', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inTransaction(t.database, (tx) =>
          recordAudit(tx, actor, { entity: 'probe', entityId: `c${i}`, action: 'touch' }),
        ),
      ),
    );
    const result = await verifyAudit(t.database, actor);
    expect(result).toEqual({ ok: true, events: 26, problems: [] });
  });
});
