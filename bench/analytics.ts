/**
 * Analytics benchmark: every analysis called through its service function, as the HTTP routes
 * call it, on the scale data set (`purl demo load --scale N`), on PGlite and PostgreSQL, by a
 * coordinator and by a contributor (party-bound: drill-downs are redacted for it).
 *
 * Each round starts with a small real write through a service (a pledge; `--write payment`: a
 * payment, which changes the largest table the funnel reads; `--write allocation`: an allocation
 * to an open package, which changes the package side coverage reads), so every cached result is
 * invalidated honestly (funding stages whose tables the write left alone stay kept:
 * services/analytics/stage-memo.ts); then, per analysis and reader, the first call (cold: computed
 * from the database) and `--runs` calls after it (warm: answered from the result cache while
 * nothing changes). Beside it, in the same run on the same database, the floor: the one raw SQL
 * statement that reads the analysis's largest set of rows (no conversion, no figures). Prints a
 * table and writes bench/results/analytics.json.
 *
 *   npx tsx bench/analytics.ts                     (starts a cluster, loads --scale 1 on both)
 *   npx tsx bench/analytics.ts --pg-url postgres://…/mycopy --pglite-dir /tmp/scale1 --runs 20
 *
 * A database given with --pg-url or --pglite-dir must hold the scale data set already; it
 * receives one pledge per round (do not point it at a database others must not see change).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgresCluster, type PostgresCluster } from '../tests/support/postgres-cluster.js';
import { systemActor, type Actor } from '../src/core/actor.js';
import type { AnalyticsOptions } from '../src/core/analytics.js';
import {
  commitContribution,
  createContribution,
  recordPayment,
} from '../src/services/contributions-service.js';
import { getBurdenSharing } from '../src/services/analytics/burden.js';
import { getCoverage } from '../src/services/analytics/coverage.js';
import { getFollowUp, getKielContext, getLeadTimes } from '../src/services/analytics/delivery.js';
import { drillFigure } from '../src/services/analytics/drill.js';
import { getFunnel } from '../src/services/analytics/funnel.js';
import { getPace } from '../src/services/analytics/pace.js';
import { allocateToPackage } from '../src/services/packages-service.js';
import { analysisResults } from '../src/services/analytics/result-cache.js';
import { stageMemoStats } from '../src/services/analytics/stage-memo.js';
import { loadScaleDemo } from '../src/services/demo/scale.js';
import { openDatabase, type Database } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { machineFacts, machineLine, tableLine, writeBenchResults } from './support/machine.js';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'both' },
    'pg-url': { type: 'string' },
    'pglite-dir': { type: 'string' },
    only: { type: 'string' },
    /** The write before each cold call: a pledge (the contribution table) or a payment. */
    write: { type: 'string', default: 'pledge' },
  },
});
if (args.write !== 'pledge' && args.write !== 'payment' && args.write !== 'allocation') {
  throw new Error('--write: pledge, payment or allocation');
}
const SCALE = Number(args.scale);
const RUNS = Number(args.runs);
const ROUNDS = Number(args.rounds);
const ENGINES = args.engine === 'both' ? ['pglite', 'postgres'] : [args.engine!];
const TARGET_MS: Record<string, number> = { postgres: 100, pglite: 300 };
const OPTIONS: AnalyticsOptions = { currency: 'USD', rateMode: 'value_date' };

interface Readers {
  coordinator: Actor;
  contributor: Actor;
}

interface Analysis {
  name: string;
  call(database: Database, actor: Actor): Promise<unknown>;
  /** The one statement reading the analysis's largest set of rows. */
  floor: string;
}

const FLOOR = {
  allocations: `SELECT id, package_id, contribution_id, package_amount_minor, value_date
                FROM allocation WHERE status <> 'voided'`,
  committed: `SELECT id, donor_party_id, currency, committed_minor, committed_on FROM contribution
              WHERE status IN ('committed', 'partially_paid', 'paid') AND committed_on IS NOT NULL`,
  payments: `SELECT id, contribution_id, amount_minor, paid_on FROM contribution_payment`,
  packages: `SELECT id, status, currency, price_minor, authorized_on, opened_at FROM package`,
};

async function analysesFor(database: Database): Promise<Analysis[]> {
  // The meeting with the most linked contributions; the donor with the most allocations.
  const [meeting] = await database.withConnection((c) =>
    c.query<{ id: bigint }>(`
      SELECT a.meeting_id AS id FROM meeting_announcement a
      JOIN meeting_announcement_contribution l ON l.announcement_id = a.id
      GROUP BY a.meeting_id ORDER BY count(*) DESC, a.meeting_id LIMIT 1`),
  );
  const meetingId = BigInt(meeting?.id ?? 1n);
  const list: Analysis[] = [
    { name: 'funnel', call: (d, a) => getFunnel(d, a, OPTIONS), floor: FLOOR.allocations },
    {
      name: 'burden sharing',
      call: (d, a) => getBurdenSharing(d, a, OPTIONS),
      floor: FLOOR.committed,
    },
    { name: 'coverage', call: (d, a) => getCoverage(d, a, OPTIONS), floor: FLOOR.allocations },
    { name: 'pace', call: (d, a) => getPace(d, a, OPTIONS), floor: FLOOR.payments },
    {
      name: 'lead times + stalled',
      call: (d, a) => getLeadTimes(d, a, OPTIONS),
      floor: FLOOR.packages,
    },
    {
      name: `follow-up (meeting ${meetingId})`,
      call: (d, a) => getFollowUp(d, a, meetingId, OPTIONS),
      floor: `SELECT c.id, c.committed_minor, c.committed_on FROM contribution c WHERE c.id IN (
                SELECT l.contribution_id FROM meeting_announcement_contribution l
                JOIN meeting_announcement a ON a.id = l.announcement_id
                WHERE a.meeting_id = ${meetingId})`,
    },
    {
      name: 'context (Kiel)',
      call: (d, a) => getKielContext(d, a, OPTIONS),
      floor: FLOOR.committed,
    },
    {
      name: 'dashboard (5 calls at once)',
      call: (d, a) =>
        Promise.all([
          getFunnel(d, a, OPTIONS),
          getPace(d, a, OPTIONS),
          getBurdenSharing(d, a, OPTIONS),
          getCoverage(d, a, OPTIONS),
          getLeadTimes(d, a, OPTIONS),
        ]),
      floor: FLOOR.allocations,
    },
    {
      name: 'drill funnel.committed',
      call: (d, a) => drillFigure(d, a, OPTIONS, 'funnel.committed'),
      floor: FLOOR.committed,
    },
    {
      name: 'drill funnel.allocated',
      call: (d, a) => drillFigure(d, a, OPTIONS, 'funnel.allocated'),
      floor: FLOOR.allocations,
    },
    {
      name: 'drill coverage.funded',
      call: (d, a) => drillFigure(d, a, OPTIONS, 'coverage.funded'),
      floor: FLOOR.allocations,
    },
    {
      name: 'drill leadTimes.committed_to_funded',
      call: (d, a) => drillFigure(d, a, OPTIONS, 'leadTimes.committed_to_funded'),
      floor: FLOOR.packages,
    },
  ];
  const only = args.only?.split(',');
  return only ? list.filter((a) => only.some((o) => a.name.startsWith(o))) : list;
}

async function readersFor(database: Database): Promise<Readers> {
  const [donor] = await database.withConnection((c) =>
    c.query<{ party: string }>(`
      SELECT c.donor_party_id AS party FROM allocation a JOIN contribution c ON c.id = a.contribution_id
      GROUP BY c.donor_party_id ORDER BY count(*) DESC LIMIT 1`),
  );
  return {
    coordinator: { id: 'bench:coordinator', role: 'coordinator' },
    contributor: { id: 'bench:contributor', role: 'contributor', partyId: donor?.party ?? 'NLD' },
  };
}

let pledges = 0;
/** Per database, the benchmark commitment payments go to. */
const paidInto = new WeakMap<Database, bigint>();
/** Per database, the benchmark commitment allocated from, and the open package it funds. */
const allocatedFrom = new WeakMap<
  Database,
  { contributionId: bigint; packageId: bigint; day: string }
>();
/**
 * A small real write through a service, audited like every command: a pledge, or (`--write
 * payment`) a payment on a benchmark commitment — the largest table the funnel reads.
 */
async function write(database: Database): Promise<void> {
  if (args.write === 'allocation') {
    let into = allocatedFrom.get(database);
    if (into === undefined) {
      // Dated on the last day with rates (an allocation is priced at its value date's rate).
      const [last] = await database.withConnection((c) =>
        c.query<{ day: string }>(`SELECT max(rate_date)::text AS day FROM fx_rate`),
      );
      const today = last!.day;
      const made = await createContribution(database, systemActor('bench'), {
        donorPartyId: 'NLD',
        currency: 'USD',
        amountMinor: 1_000_000_000_00n,
        announcedOn: today,
        title: 'Benchmark commitment to allocate',
      });
      await commitContribution(database, systemActor('bench'), made.id, { committedOn: today });
      // An open package with room for every round's allocation.
      const [open] = await database.withConnection((c) =>
        c.query<{ id: bigint }>(`
          SELECT id FROM package WHERE status = 'open' AND price_minor - funded_minor > 100000000
          ORDER BY id LIMIT 1`),
      );
      if (!open) throw new Error('--write allocation: no open package with room in this data set');
      allocatedFrom.set(
        database,
        (into = { contributionId: made.id, packageId: BigInt(open.id), day: today }),
      );
    }
    pledges++;
    await allocateToPackage(database, systemActor('bench'), into.packageId, {
      contributionId: into.contributionId,
      amountMinor: 100_00n + BigInt(pledges),
      valueDate: into.day,
    });
    return;
  }
  if (args.write === 'payment') {
    let into = paidInto.get(database);
    if (into === undefined) {
      const today = new Date().toISOString().slice(0, 10);
      const made = await createContribution(database, systemActor('bench'), {
        donorPartyId: 'NLD',
        currency: 'EUR',
        amountMinor: 1_000_000_000_00n,
        announcedOn: today,
        title: 'Benchmark commitment',
      });
      await commitContribution(database, systemActor('bench'), made.id, { committedOn: today });
      paidInto.set(database, (into = made.id));
    }
    pledges++;
    await recordPayment(database, systemActor('bench'), into, {
      amountMinor: 100_00n + BigInt(pledges),
      paidOn: new Date().toISOString().slice(0, 10),
    });
    return;
  }
  pledges++;
  await createContribution(database, systemActor('bench'), {
    donorPartyId: 'NLD',
    currency: 'EUR',
    amountMinor: 100_00n + BigInt(pledges),
    announcedOn: new Date().toISOString().slice(0, 10),
    title: `Benchmark pledge ${pledges}`,
  });
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const ms = (value: number) => Number(value.toFixed(1));

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

interface Row {
  analysis: string;
  reader: keyof Readers;
  engine: string;
  coldMs: number[];
  warmMs: number[];
  floorMs: number[];
}

async function measure(engine: string, database: Database): Promise<Row[]> {
  const analyses = await analysesFor(database);
  const readers = await readersFor(database);
  const rows = new Map<string, Row>();
  const row = (analysis: string, reader: keyof Readers) => {
    const id = `${analysis}|${reader}`;
    let r = rows.get(id);
    if (!r) {
      rows.set(id, (r = { analysis, reader, engine, coldMs: [], warmMs: [], floorMs: [] }));
    }
    return r;
  };
  // One untimed pass, so module loading and the first plans are not counted.
  for (const a of analyses) await a.call(database, readers.coordinator);
  for (let round = 0; round < ROUNDS; round++) {
    for (const a of analyses) {
      for (const reader of ['coordinator', 'contributor'] as const) {
        await write(database);
        const r = row(a.name, reader);
        r.coldMs.push(await timeIt(() => a.call(database, readers[reader])));
        const floor = a.floor;
        r.floorMs.push(await timeIt(() => database.withConnection((c) => c.query(floor))));
        for (let i = 0; i < Math.ceil(RUNS / ROUNDS); i++) {
          r.warmMs.push(await timeIt(() => a.call(database, readers[reader])));
        }
        process.stderr.write(
          `[${engine}] round ${round + 1}/${ROUNDS} ${a.name} (${reader}): cold ${r.coldMs.at(-1)!.toFixed(0)} ms, warm ${r.warmMs.at(-1)!.toFixed(1)} ms, floor ${r.floorMs.at(-1)!.toFixed(0)} ms\n`,
        );
      }
    }
  }
  return [...rows.values()];
}

async function withEngine(engine: string): Promise<Row[]> {
  if (engine === 'pglite') {
    const given = args['pglite-dir'];
    const dir = given ?? (await mkdtemp(join(tmpdir(), 'purl-bench-analytics-')));
    const database = await openDatabase({ dataDir: dir });
    try {
      if (!given) {
        await migrate(database);
        process.stderr.write(`[pglite] loading scale ${SCALE} into ${dir}…\n`);
        await loadScaleDemo(database, { scale: SCALE });
      }
      return await measure(engine, database);
    } finally {
      await database.close();
      if (!given) await rm(dir, { recursive: true, force: true });
    }
  }
  let cluster: PostgresCluster | undefined;
  let url = args['pg-url'];
  try {
    if (!url) {
      cluster = await startPostgresCluster({ settings: { max_connections: '100' } });
      const admin = new pg.Client({ connectionString: cluster.adminUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE purl_bench_analytics');
      await admin.end();
      url = cluster.urlFor('purl_bench_analytics');
    }
    const database = await openDatabase({ url });
    try {
      if (!args['pg-url']) {
        await migrate(database);
        process.stderr.write(`[postgres] loading scale ${SCALE}…\n`);
        await loadScaleDemo(database, { scale: SCALE });
      }
      return await measure(engine, database);
    } finally {
      await database.close();
    }
  } finally {
    await cluster?.stop();
  }
}

const started = new Date();
const machine = machineFacts();
const results: Row[] = [];
for (const engine of ENGINES) results.push(...(await withEngine(engine)));

const summary = results.map((r) => {
  const target = TARGET_MS[r.engine]!;
  const coldMedian = quantile(r.coldMs, 0.5);
  const warmP95 = quantile(r.warmMs, 0.95);
  const floor = quantile(r.floorMs, 0.5);
  return {
    analysis: r.analysis,
    engine: r.engine,
    reader: r.reader,
    coldMs: { median: ms(coldMedian), max: ms(Math.max(...r.coldMs)), runs: r.coldMs.map(ms) },
    warmMs: {
      p50: ms(quantile(r.warmMs, 0.5)),
      p95: ms(warmP95),
      max: ms(Math.max(...r.warmMs)),
      runs: r.warmMs.length,
    },
    floorMs: ms(floor),
    coldOverFloor: Number((coldMedian / floor).toFixed(2)),
    targetP95Ms: target,
    warmMeetsTarget: warmP95 <= target,
    coldMeetsTarget: coldMedian <= target,
  };
});

console.log(
  `\nAnalytics benchmark — scale ${SCALE}, ${ROUNDS} cold calls (each after a ${args.write}) and ${
    Math.ceil(RUNS / ROUNDS) * ROUNDS
  } warm calls per analysis and reader; reporting in USD at value-date rates`,
);
console.log(
  tableLine([
    'analysis',
    'engine',
    'reader',
    'cold ms (median)',
    'warm p50',
    'warm p95',
    'floor ms',
    'cold / floor',
    'target p95',
    'warm met?',
    'cold met?',
  ]),
);
console.log(
  tableLine(['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---']),
);
for (const s of summary) {
  console.log(
    tableLine([
      s.analysis,
      s.engine,
      s.reader,
      s.coldMs.median.toFixed(0),
      s.warmMs.p50.toFixed(1),
      s.warmMs.p95.toFixed(1),
      s.floorMs.toFixed(1),
      s.coldOverFloor.toFixed(1),
      `≤ ${s.targetP95Ms}`,
      s.warmMeetsTarget ? 'met' : 'MISSED',
      s.coldMeetsTarget ? 'met' : 'missed',
    ]),
  );
}
console.log(machineLine(machine));

await writeBenchResults(args.write === 'pledge' ? 'analytics' : `analytics-after-${args.write}`, {
  benchmark: 'analytics',
  started: started.toISOString(),
  settings: {
    scale: SCALE,
    rounds: ROUNDS,
    writeBeforeColdCall: args.write,
    warmRunsPerRound: Math.ceil(RUNS / ROUNDS),
    options: OPTIONS,
    pgUrlGiven: args['pg-url'] !== undefined,
    pgliteDirGiven: args['pglite-dir'] !== undefined,
  },
  machine,
  cache: analysisResults.stats(),
  stageMemo: stageMemoStats(),
  results: summary,
});
