/**
 * Property: random sequences of ledger operations, run through the service on a real database
 * and through a small in-memory model written independently here, agree — same successes, same
 * refusals, same balances — and afterwards Σ debits = Σ credits and no flag is violated.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { DomainError } from '../../src/core/errors.js';
import type { TransferInput } from '../../src/core/ledger.js';
import {
  createAccount,
  createTransfers,
  getAccount,
  verifyLedger,
} from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const actor = systemActor('model-test');

// Account 0 is an unconstrained source; 1 and 2 may not be overdrawn; 3 may not receive more
// than it has paid out (the mirror flag).
const FLAGS = [
  { d: false, c: false },
  { d: true, c: false },
  { d: true, c: false },
  { d: false, c: true },
];

type Op =
  | { t: 'move'; pending: boolean; from: number; to: number; amount: number }
  | { t: 'post'; which: number; part: number | null }
  | { t: 'void'; which: number }
  | { t: 'reverse'; which: number }
  | { t: 'replay'; which: number }
  | { t: 'batch'; moves: { from: number; to: number; amount: number }[] };

const account = fc.integer({ min: 0, max: 3 });
const move = fc.record({ from: account, to: account, amount: fc.integer({ min: 1, max: 300 }) });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('move' as const),
      pending: fc.boolean(),
      from: account,
      to: account,
      amount: fc.integer({ min: 1, max: 300 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('post' as const),
      which: fc.nat(),
      part: fc.option(fc.integer({ min: 1, max: 300 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('void' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reverse' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replay' as const), which: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('batch' as const),
      moves: fc.array(move, { minLength: 2, maxLength: 3 }),
    }),
  },
);

interface Bal {
  dpe: bigint;
  dpo: bigint;
  cpe: bigint;
  cpo: bigint;
}
interface MTransfer {
  id: bigint; // the database id, learnt when it succeeds
  kind: string;
  from: number;
  to: number;
  amount: bigint;
  resolved: boolean;
  reversed: boolean;
}

/** The model: the rules of PRODUCT.md, stated again independently of src/core/ledger.ts. */
class Model {
  bal: Bal[] = FLAGS.map(() => ({ dpe: 0n, dpo: 0n, cpe: 0n, cpo: 0n }));
  transfers: MTransfer[] = [];

  ok(b: Bal[]): boolean {
    return b.every(
      (x, i) =>
        (!FLAGS[i]!.d || x.dpe + x.dpo <= x.cpo) && (!FLAGS[i]!.c || x.cpe + x.cpo <= x.dpo),
    );
  }

  /** Applies a list of effects atomically; returns false (and changes nothing) if a flag breaks. */
  apply(effects: { from: number; to: number; pending: bigint; posted: bigint }[]): boolean {
    const next = this.bal.map((b) => ({ ...b }));
    for (const e of effects) {
      next[e.from]!.dpe += e.pending;
      next[e.from]!.dpo += e.posted;
      next[e.to]!.cpe += e.pending;
      next[e.to]!.cpo += e.posted;
      if (!this.ok(next)) return false;
    }
    this.bal = next;
    return true;
  }
}

describe.each(ENGINES)('ledger model property on %s', (engine) => {
  let t: TestDatabase;
  let run = 0;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  });
  afterAll(async () => t?.close());

  it('agrees with the model on random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        run++;
        const ids = await Promise.all(
          FLAGS.map((f, i) =>
            createAccount(t.database, actor, {
              reference: `model:${run}:${i}`,
              ledger: 'EUR',
              code: 1,
              debitsMustNotExceedCredits: f.d,
              creditsMustNotExceedDebits: f.c,
            }).then((a) => a.id),
          ),
        );
        const model = new Model();
        const sent: { inputs: TransferInput[]; ok: boolean; ids: bigint[] }[] = [];
        let k = 0;
        const newKey = () => `m${run}-${k++}`;

        for (const o of ops) {
          let inputs: TransferInput[];
          let effects: { from: number; to: number; pending: bigint; posted: bigint }[];
          let expectedError: string | null = null;
          let onSuccess: (ids: bigint[]) => void;
          if (o.t === 'move' || o.t === 'batch') {
            const moves = o.t === 'move' ? [o] : o.moves;
            const pending = o.t === 'move' ? o.pending : false;
            inputs = moves.map((m) => ({
              kind: pending ? 'pending' : 'posted',
              idempotencyKey: newKey(),
              debitAccountId: ids[m.from]!,
              creditAccountId: ids[m.to]!,
              amountMinor: BigInt(m.amount),
              code: 1,
            }));
            if (moves.some((m) => m.from === m.to)) expectedError = 'ACCOUNTS_MUST_DIFFER';
            effects = moves.map((m) => ({
              from: m.from,
              to: m.to,
              pending: pending ? BigInt(m.amount) : 0n,
              posted: pending ? 0n : BigInt(m.amount),
            }));
            onSuccess = (newIds) =>
              moves.forEach((m, i) =>
                model.transfers.push({
                  id: newIds[i]!,
                  kind: pending ? 'pending' : 'posted',
                  from: m.from,
                  to: m.to,
                  amount: BigInt(m.amount),
                  resolved: false,
                  reversed: false,
                }),
              );
          } else if (o.t === 'post' || o.t === 'void') {
            const pendings = model.transfers.filter((x) => x.kind === 'pending');
            if (pendings.length === 0) continue;
            const p = pendings[o.which % pendings.length]!;
            const amount = o.t === 'post' && o.part !== null ? BigInt(o.part) : p.amount;
            inputs = [
              o.t === 'post'
                ? {
                    kind: 'post_pending',
                    idempotencyKey: newKey(),
                    pendingId: p.id,
                    ...(o.part !== null ? { amountMinor: amount } : {}),
                  }
                : { kind: 'void_pending', idempotencyKey: newKey(), pendingId: p.id },
            ];
            if (p.resolved) expectedError = 'PENDING_ALREADY_RESOLVED';
            else if (o.t === 'post' && amount > p.amount) expectedError = 'PENDING_AMOUNT_EXCEEDED';
            effects = [
              { from: p.from, to: p.to, pending: -p.amount, posted: o.t === 'post' ? amount : 0n },
            ];
            onSuccess = (newIds) => {
              p.resolved = true;
              if (o.t === 'post')
                model.transfers.push({
                  id: newIds[0]!,
                  kind: 'post_pending',
                  from: p.from,
                  to: p.to,
                  amount,
                  resolved: false,
                  reversed: false,
                });
            };
          } else if (o.t === 'reverse') {
            const posted = model.transfers.filter(
              (x) => x.kind === 'posted' || x.kind === 'post_pending',
            );
            if (posted.length === 0) continue;
            const p = posted[o.which % posted.length]!;
            inputs = [{ kind: 'reversal', idempotencyKey: newKey(), transferId: p.id }];
            if (p.reversed) expectedError = 'REVERSAL_NOT_ALLOWED';
            effects = [{ from: p.to, to: p.from, pending: 0n, posted: p.amount }];
            onSuccess = (newIds) => {
              p.reversed = true;
              model.transfers.push({
                id: newIds[0]!,
                kind: 'reversal',
                from: p.to,
                to: p.from,
                amount: p.amount,
                resolved: false,
                reversed: true,
              });
            };
          } else {
            // Replay an earlier successful request with its key: same result, no effect.
            const done = sent.filter((s) => s.ok);
            if (done.length === 0) continue;
            const earlier = done[o.which % done.length]!;
            const replay = await createTransfers(t.database, actor, earlier.inputs);
            expect(replay.created).toBe(false);
            expect(replay.transfers.map((x) => x.id)).toEqual(earlier.ids);
            continue;
          }

          const modelAccepts = expectedError === null && model.apply(effects);
          const result = await createTransfers(t.database, actor, inputs).then(
            (r) => ({ ok: true as const, ids: r.transfers.map((x) => x.id) }),
            (e: unknown) => {
              if (!(e instanceof DomainError)) throw e;
              return { ok: false as const, code: e.code };
            },
          );
          if (modelAccepts) {
            expect(result, JSON.stringify(o)).toMatchObject({ ok: true });
            if (result.ok) onSuccess(result.ids);
          } else {
            expect(result.ok, JSON.stringify(o)).toBe(false);
            if (!result.ok && expectedError) expect(result.code).toBe(expectedError);
            if (!result.ok && !expectedError)
              expect(['EXCEEDS_CREDITS', 'EXCEEDS_DEBITS']).toContain(result.code);
          }
          sent.push({ inputs, ok: result.ok, ids: result.ok ? result.ids : [] });
        }

        for (let i = 0; i < ids.length; i++) {
          const a = await getAccount(t.database, actor, ids[i]!);
          const m = model.bal[i]!;
          expect([
            a.debitsPendingMinor,
            a.debitsPostedMinor,
            a.creditsPendingMinor,
            a.creditsPostedMinor,
          ]).toEqual([m.dpe, m.dpo, m.cpe, m.cpo]);
        }
      }),
      { numRuns: 30 },
    );
    const verification = await verifyLedger(t.database, actor);
    expect(verification.ok).toBe(true);
    expect(verification.ledgers.every((l) => l.debitsPostedMinor === l.creditsPostedMinor)).toBe(
      true,
    );
  });
});
