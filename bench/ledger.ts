/**
 * Ledger benchmark: posts transfers through the service layer and, in the same run on the same
 * engine, through a raw-SQL floor that writes the same rows (transfer, two balance updates, the
 * chained audit event) with hand-written SQL and no application logic. Rounds alternate between
 * the two so machine noise hits both alike. Prints transfers/s and the ratio for PGlite (one
 * client: it is a single connection) and PostgreSQL (8 concurrent clients, durable settings),
 * and writes bench/results/ledger.json.
 *
 *   npm run bench            (or: npx tsx bench/ledger.ts --seconds 3 --rounds 4)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgresCluster } from '../tests/support/postgres-cluster.js';
import { systemActor } from '../src/core/actor.js';
import { canonicalJson } from '../src/core/canonical-json.js';
import { createAccount, createTransfers, verifyLedger } from '../src/services/ledger-service.js';
import { openDatabase, type Database, type RawConnection } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { writeBenchResults } from './support/machine.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '4' },
    accounts: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '8' },
    target: { type: 'string', default: '0.7' },
  },
});
const ROUND_MS = Number(args.seconds) * 1000;
const ROUNDS = Number(args.rounds);
const ACCOUNTS = Number(args.accounts);
const PG_CLIENTS = Number(args.clients);
const TARGET = Number(args.target);
const actor = systemActor('bench');

interface Side {
  accounts: bigint[];
  key: number;
}

async function setupAccounts(database: Database, prefix: string): Promise<Side> {
  const source = await createAccount(database, actor, {
    reference: `${prefix}:source`,
    ledger: 'USD',
    code: 1,
  });
  const accounts: bigint[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const a = await createAccount(database, actor, {
      reference: `${prefix}:${i}`,
      ledger: 'USD',
      code: 2,
      debitsMustNotExceedCredits: true,
    });
    accounts.push(a.id);
  }
  for (let i = 0; i < accounts.length; i += 500) {
    await createTransfers(
      database,
      actor,
      accounts.slice(i, i + 500).map((id) => ({
        kind: 'posted' as const,
        idempotencyKey: `${prefix}:fund:${id}`,
        debitAccountId: source.id,
        creditAccountId: id,
        amountMinor: 10n ** 12n,
        code: 1,
      })),
    );
  }
  return { accounts, key: 0 };
}

function pickPair(side: Side): [bigint, bigint] {
  const a = Math.floor(Math.random() * side.accounts.length);
  let b = Math.floor(Math.random() * (side.accounts.length - 1));
  if (b >= a) b++;
  return [side.accounts[a]!, side.accounts[b]!];
}

/** Through the service: validation, idempotency, locking, core rules, balances, audit. */
async function serviceTransfer(database: Database, side: Side, prefix: string) {
  const [debit, credit] = pickPair(side);
  await createTransfers(database, actor, [
    {
      kind: 'posted',
      idempotencyKey: `${prefix}:${side.key++}`,
      debitAccountId: debit,
      creditAccountId: credit,
      amountMinor: 1n + BigInt(side.key % 97),
      code: 5,
    },
  ]);
}

/**
 * The floor: the same rows by the same statements written by hand — lock the two accounts,
 * insert the transfer and update both balances in one statement, append the chained audit
 * event (with the tables' versions, migration 0025, as every audited write) — with no validation, no idempotency handling, no query builder, no retry wrapper.
 */
async function floorTransfer(c: RawConnection, side: Side, prefix: string) {
  const [debit, credit] = pickPair(side);
  const key = `${prefix}:${side.key++}`;
  const amount = 1n + BigInt(side.key % 97);
  const [low, high] = debit < credit ? [debit, credit] : [credit, debit];
  await c.query('BEGIN');
  try {
    await c.query('SELECT id FROM ledger_account WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [
      low,
      high,
    ]);
    // The transfer and both balance updates in one statement, as the ledger writes them.
    const inserted = await c.query<{ id: bigint }>(
      `WITH inserted AS (
         INSERT INTO ledger_transfer (idempotency_key, payload_hash, ledger, kind, debit_account_id, credit_account_id, amount, code)
         VALUES ($1, $2, 'USD', 'posted', $3, $4, $5, 5) RETURNING id),
       applied AS (
         UPDATE ledger_account AS a SET debits_posted = a.debits_posted + d.dpo, credits_posted = a.credits_posted + d.cpo
         FROM (VALUES ($3::int8, $5::int8, 0::int8), ($4::int8, 0::int8, $5::int8)) AS d (id, dpo, cpo)
         WHERE a.id = d.id RETURNING a.id)
       SELECT id FROM inserted`,
      [key, '0'.repeat(64), debit, credit, amount],
    );
    const at = new Date().toISOString();
    const after = {
      transfers: [
        {
          id: inserted[0]!.id,
          amountMinor: amount,
          debitAccountId: debit,
          creditAccountId: credit,
        },
      ],
    };
    const content = canonicalJson({
      at,
      actor: 'system:bench',
      role: 'system',
      entity: 'ledger_transfer',
      entityId: String(inserted[0]!.id),
      action: 'transfer.posted',
      before: null,
      after,
    });
    await c.query(
      `WITH head AS (SELECT last_id, last_hash FROM audit_head WHERE singleton FOR UPDATE),
       event AS (
         INSERT INTO audit_event (id, at, actor, role, entity, entity_id, action, before, after, prev_hash, hash)
         SELECT head.last_id + 1, $1::timestamptz, 'system:bench', 'system', 'ledger_transfer', $2, 'transfer.posted', 'null'::jsonb, $3::jsonb,
                head.last_hash, encode(sha256(convert_to(head.last_hash || $4, 'UTF8')), 'hex')
         FROM head RETURNING id, hash)
       UPDATE audit_head SET last_id = event.id, last_hash = event.hash,
              table_versions = purl_audit_touched(audit_head.table_versions, event.id)
       FROM event WHERE audit_head.singleton`,
      [at, String(inserted[0]!.id), canonicalJson(after), content],
    );
    await c.query('COMMIT');
  } catch (error) {
    await c.query('ROLLBACK');
    throw error;
  }
}

/** Runs `clients` loops of `op` for `ms`; returns completed operations. */
async function timed(
  clients: number,
  ms: number,
  op: (client: number) => Promise<void>,
): Promise<number> {
  const deadline = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        await op(client);
        done++;
      }
    }),
  );
  return done;
}

interface EngineResult {
  engine: string;
  clients: number;
  serviceTransfersPerSecond: number;
  floorTransfersPerSecond: number;
  ratio: number;
  target: number;
  meetsTarget: boolean;
  rounds: { service: number; floor: number }[];
  verified: boolean;
}

async function measure(
  engine: string,
  database: Database,
  clients: number,
  floorConnections: RawConnection[],
): Promise<EngineResult> {
  await migrate(database);
  process.stderr.write(`[${engine}] creating ${ACCOUNTS} accounts per side…\n`);
  const serviceSide = await setupAccounts(database, 'svc');
  const floorSide = await setupAccounts(database, 'raw');
  // Warm-up of both paths.
  await timed(clients, 300, () => serviceTransfer(database, serviceSide, 'svc:t'));
  await timed(clients, 300, (i) => floorTransfer(floorConnections[i]!, floorSide, 'raw:t'));
  const rounds: { service: number; floor: number }[] = [];
  let serviceOps = 0;
  let floorOps = 0;
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which side goes first, so drift over time hits both alike.
    const runService = async () =>
      (serviceOps += await timed(clients, ROUND_MS, () =>
        serviceTransfer(database, serviceSide, 'svc:t'),
      ));
    const runFloor = async () =>
      (floorOps += await timed(clients, ROUND_MS, (i) =>
        floorTransfer(floorConnections[i]!, floorSide, 'raw:t'),
      ));
    const s0 = serviceOps;
    const f0 = floorOps;
    if (r % 2 === 0) {
      await runService();
      await runFloor();
    } else {
      await runFloor();
      await runService();
    }
    const round = {
      service: ((serviceOps - s0) * 1000) / ROUND_MS,
      floor: ((floorOps - f0) * 1000) / ROUND_MS,
    };
    rounds.push(round);
    process.stderr.write(
      `[${engine}] round ${r + 1}/${ROUNDS}: service ${round.service.toFixed(0)}/s, floor ${round.floor.toFixed(0)}/s\n`,
    );
  }
  const seconds = (ROUNDS * ROUND_MS) / 1000;
  const service = serviceOps / seconds;
  const floor = floorOps / seconds;
  const verification = await verifyLedger(database, actor);
  return {
    engine,
    clients,
    serviceTransfersPerSecond: Math.round(service),
    floorTransfersPerSecond: Math.round(floor),
    ratio: Number((service / floor).toFixed(3)),
    target: TARGET,
    meetsTarget: service / floor >= TARGET,
    rounds: rounds.map((r) => ({ service: Math.round(r.service), floor: Math.round(r.floor) })),
    verified: verification.ok,
  };
}

async function benchPglite(): Promise<EngineResult> {
  const dir = await mkdtemp(join(tmpdir(), 'purl-bench-pglite-'));
  const database = await openDatabase({ dataDir: dir });
  try {
    return await measure('pglite', database, 1, [await holdingConnection(database)]);
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A connection for the floor on PGlite: each floor transfer runs its statements on the one
 * PGlite connection under the database's mutex, BEGIN to COMMIT, like a Kysely transaction.
 */
async function holdingConnection(database: Database): Promise<RawConnection> {
  let release: (() => void) | undefined;
  let inner: RawConnection | undefined;
  const acquire = () =>
    new Promise<void>((ready) => {
      void database.withConnection(
        (c) =>
          new Promise<void>((done) => {
            inner = c;
            release = done;
            ready();
          }),
      );
    });
  return {
    async query(text, params) {
      if (text === 'BEGIN') await acquire();
      try {
        return await inner!.query(text, params);
      } finally {
        if (text === 'COMMIT' || text === 'ROLLBACK') {
          release?.();
          release = undefined;
        }
      }
    },
    exec: (script) => inner!.exec(script),
  } as RawConnection;
}

async function benchPostgres(): Promise<EngineResult> {
  // Durable defaults (fsync, synchronous_commit on): the floor pays for them too.
  const cluster = await startPostgresCluster({ settings: { max_connections: '100' } });
  try {
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE purl_bench');
    await admin.end();
    const url = cluster.urlFor('purl_bench');
    const database = await openDatabase({ url, poolSize: PG_CLIENTS });
    const floorPool = new pg.Pool({ connectionString: url, max: PG_CLIENTS });
    const clients = await Promise.all(
      Array.from({ length: PG_CLIENTS }, () => floorPool.connect()),
    );
    const floorConnections: RawConnection[] = clients.map((client) => ({
      async query<R>(text: string, params: readonly unknown[] = []) {
        return (await client.query(text, params as unknown[])).rows as R[];
      },
      async exec(script: string) {
        await client.query(script);
      },
    }));
    try {
      return await measure('postgres', database, PG_CLIENTS, floorConnections);
    } finally {
      for (const c of clients) c.release();
      await floorPool.end();
      await database.close();
    }
  } finally {
    await cluster.stop();
  }
}

const started = new Date();
const results = [await benchPglite(), await benchPostgres()];
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: process.platform,
};

const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
console.log(
  `\nLedger benchmark — ${ROUNDS} alternating rounds of ${ROUND_MS / 1000}s per side, ${ACCOUNTS} accounts per side`,
);
console.log(
  line([
    'engine',
    'clients',
    'service tx/s',
    'raw-SQL floor tx/s',
    'ratio',
    `target ≥ ${TARGET}`,
    'ledger verify',
  ]),
);
console.log(line(['---', '---:', '---:', '---:', '---:', '---', '---']));
for (const r of results) {
  console.log(
    line([
      r.engine,
      String(r.clients),
      String(r.serviceTransfersPerSecond),
      String(r.floorTransfersPerSecond),
      r.ratio.toFixed(2),
      r.meetsTarget ? 'met' : 'MISSED',
      r.verified ? 'ok' : 'FAILED',
    ]),
  );
}
console.log(
  `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
);

await writeBenchResults('ledger', {
  benchmark: 'ledger',
  started: started.toISOString(),
  settings: { roundSeconds: ROUND_MS / 1000, rounds: ROUNDS, accountsPerSide: ACCOUNTS },
  machine,
  results,
});
if (results.some((r) => !r.verified)) process.exitCode = 1;
