/**
 * Import benchmark: the product's imports, each beside a floor measured in the same run on the
 * same engine. Every measurement gets a fresh migrated database — on PGlite a fresh data folder
 * (as `purl serve` opens it), on PostgreSQL 15 a fresh database on a cluster started here with
 * durable settings — and is repeated (min and median reported):
 *
 * - `ecb`: the real ECB history (`eurofxref-hist.zip` of the shared data folder) through
 *   `importFxRates` (what `purl import fx` calls) into an empty database, then again into the
 *   same one (the re-import: idempotent, writes nothing);
 * - `gdp`, `population`: the World Bank files through `importCountryIndicators`;
 * - `contributions`: a deterministic (seeded) CSV of N rows (default 100,000; half committed,
 *   so as many commitment transfers) through `importContributions` (what `purl import
 *   contributions` calls).
 *
 * The floor writes the same rows with hand-written multi-row `INSERT … VALUES` through the bare
 * driver, in one transaction, with no parsing, validation, idempotency or audit: for ECB the
 * rates already parsed in memory; for contributions the contribution rows, their two ledger
 * accounts and commitment transfer each (plus the donors' and funds' shared accounts). The
 * ratio floor/ours says how close the product comes to the cheapest way of writing its rows.
 *
 *   npx tsx bench/import.ts [--runs 3] [--rows 100000] [--engines pglite,postgres]
 *                           [--only ecb,gdp,population,contributions] [--seed 7]
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import pg from 'pg';
import { startPostgresCluster, type PostgresCluster } from '../tests/support/postgres-cluster.js';
import { systemActor } from '../src/core/actor.js';
import {
  ACCOUNT_CODES,
  TRANSFER_CODES,
  contributionAccounts,
  donorCommitmentsAccount,
  fundCashAccount,
} from '../src/core/contributions.js';
import { ECB_SOURCE } from '../src/core/fx.js';
import {
  ECB_FILE_NAME,
  WORLD_BANK_FILES,
  defaultSharedDataDir,
} from '../src/services/demo-service.js';
import { importFxRates } from '../src/services/fx-service.js';
import { importContributions } from '../src/services/imports/contributions-import.js';
import {
  importCountryIndicators,
  parseWorldBankCsv,
} from '../src/services/imports/indicators-import.js';
import { openDatabase, type Database, type Engine } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { writeBenchResults } from './support/machine.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    rows: { type: 'string', default: '100000' },
    engines: { type: 'string', default: 'pglite,postgres' },
    only: { type: 'string', default: 'ecb,gdp,population,contributions' },
    seed: { type: 'string', default: '7' },
  },
});
const RUNS = Number(args.runs);
const CONTRIBUTION_ROWS = Number(args.rows);
const ENGINES = args.engines.split(',') as Engine[];
const ONLY = new Set(args.only.split(','));
const SEED = Number(args.seed);
const TARGETS_S = { ecb: 3, contributions: 10 } as const;
const actor = systemActor('bench:import');
const SHARED = defaultSharedDataDir();

// ---- Engines: a fresh migrated database per measurement ----

/** A fresh database, its bare driver (for the floor), and how to throw it away. */
interface Fresh {
  database: Database;
  /** Runs one statement on a bare connection (pg.Client, or PGlite's own `query`). */
  raw: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

interface Harness {
  engine: Engine;
  fresh(): Promise<Fresh>;
  stop(): Promise<void>;
}

/**
 * PGlite: one data folder migrated once, copied (closed) for each measurement — a fresh data
 * folder, as `purl serve` opens one, without paying the migrations every time.
 */
async function pgliteHarness(): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'purl-bench-import-'));
  const template = join(root, 'template');
  const database = await openDatabase({ dataDir: template });
  await migrate(database);
  await database.close();
  let n = 0;
  return {
    engine: 'pglite',
    async fresh() {
      const dir = join(root, `run-${++n}`);
      await cp(template, dir, { recursive: true });
      const database = await openDatabase({ dataDir: dir });
      return {
        database,
        raw: (text, params = []) => database.withConnection((c) => c.query(text, params)),
        async dispose() {
          await database.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
    stop: () => rm(root, { recursive: true, force: true }),
  };
}

/** PostgreSQL 15 with durable defaults: a template database migrated once, cloned per run. */
async function postgresHarness(): Promise<Harness> {
  const cluster: PostgresCluster = await startPostgresCluster();
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE purl_template');
  const template = await openDatabase({ url: cluster.urlFor('purl_template'), poolSize: 2 });
  await migrate(template);
  await template.close();
  let n = 0;
  return {
    engine: 'postgres',
    async fresh() {
      const name = `purl_bench_${++n}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE purl_template`);
      const url = cluster.urlFor(name);
      const database = await openDatabase({ url, poolSize: 4 });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return {
        database,
        raw: async (text, params = []) => (await client.query(text, params)).rows,
        async dispose() {
          await client.end();
          await database.close();
          await admin.query(`DROP DATABASE ${name}`);
        },
      };
    },
    async stop() {
      await admin.end();
      await cluster.stop();
    },
  };
}

// ---- The inputs ----

/** The ECB file parsed in memory for the floor: (currency, date, rate) of every cell. */
function ecbRatesInMemory(zip: Uint8Array): [string, string, string][] {
  const csv = Object.values(unzipSync(zip))[0]!;
  const [header, ...rows] = new TextDecoder().decode(csv).trim().split(/\r?\n/);
  const codes = header!.split(',').slice(1).filter(Boolean);
  const rates: [string, string, string][] = [];
  for (const row of rows) {
    const [date, ...cells] = row.split(',');
    codes.forEach((code, i) => {
      if (cells[i] !== 'N/A') rates.push([code, date!, cells[i]!]);
    });
  }
  return rates;
}

/** Deterministic pseudo-random numbers in [0, 1) from a seed (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DONORS = [
  ['NLD', 'EUR'],
  ['SWE', 'SEK'],
  ['DNK', 'DKK'],
  ['NOR', 'NOK'],
  ['DEU', 'EUR'],
  ['CAN', 'CAD'],
  ['BEL', 'EUR'],
  ['FIN', 'EUR'],
  ['GBR', 'GBP'],
  ['POL', 'PLN'],
  ['JPN', 'JPY'],
  ['AUS', 'AUD'],
] as const;
const AREAS = ['air_force', 'air_missile_defence', 'artillery', 'armour', 'drones', 'demining'];

interface GeneratedContribution {
  donor: string;
  title: string;
  currency: string;
  /** Decimal text in the currency's units, and the same in minor units. */
  amount: string;
  amountMinor: bigint;
  announcedOn: string;
  committedOn: string | null;
  areas: string[];
  sourceNote: string | null;
  externalId: string;
}

function isoDay(base: number, days: number): string {
  return new Date(base + days * 86_400_000).toISOString().slice(0, 10);
}

/** N contribution rows from the seed: about half committed, a third earmarked. */
function generateContributions(rows: number, seed: number): GeneratedContribution[] {
  const next = random(seed);
  const base = Date.UTC(2022, 2, 1);
  const out: GeneratedContribution[] = [];
  for (let i = 0; i < rows; i++) {
    const [donor, currency] = DONORS[Math.floor(next() * DONORS.length)]!;
    const units = 1_000 + Math.floor(next() * 50_000_000);
    const cents = currency === 'JPY' ? 0 : Math.floor(next() * 100);
    const amount =
      currency === 'JPY' ? String(units) : `${units}.${String(cents).padStart(2, '0')}`;
    const announced = Math.floor(next() * 1_400);
    const committed = next() < 0.5;
    const areas = next() < 0.33 ? [AREAS[Math.floor(next() * AREAS.length)]!] : [];
    out.push({
      donor,
      title: `Tranche ${i + 1} of ${donor}`,
      currency,
      amount,
      amountMinor: currency === 'JPY' ? BigInt(units) : BigInt(units) * 100n + BigInt(cents),
      announcedOn: isoDay(base, announced),
      committedOn: committed ? isoDay(base, announced + Math.floor(next() * 60)) : null,
      areas,
      sourceNote: next() < 0.1 ? 'Ministry of Defence press release' : null,
      externalId: `BENCH-${seed}-${i + 1}`,
    });
  }
  return out;
}

function contributionsCsv(rows: readonly GeneratedContribution[]): string {
  const lines = [
    'donor,title,currency,amount,announced_on,status,committed_on,earmark_areas,source_note,external_id',
  ];
  for (const r of rows) {
    lines.push(
      [
        r.donor,
        r.title,
        r.currency,
        r.amount,
        r.announcedOn,
        r.committedOn ? 'committed' : 'pledged',
        r.committedOn ?? '',
        r.areas.join(';'),
        r.sourceNote ?? '',
        r.externalId,
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

// ---- The floors: hand-written multi-row INSERTs through the bare driver ----

/** `($1, $2, $3), ($4, $5, $6), …` for `rows` rows of `width` parameters. */
function placeholders(rows: number, width: number, casts: readonly string[] = []): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < width; c++) cells.push(`$${r * width + c + 1}${casts[c] ?? ''}`);
    out.push(`(${cells.join(', ')})`);
  }
  return out.join(', ');
}

/** Inserts `rows` (arrays of `width` values) `batch` per statement; returns RETURNING rows. */
async function insertValues(
  raw: Fresh['raw'],
  head: string,
  rows: readonly unknown[][],
  width: number,
  tail = '',
  casts: readonly string[] = [],
): Promise<Record<string, unknown>[]> {
  // PostgreSQL takes at most 65,535 parameters per statement.
  const batch = Math.floor(60_000 / width);
  const returned: Record<string, unknown>[] = [];
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    returned.push(
      ...(await raw(
        `${head} VALUES ${placeholders(chunk.length, width, casts)} ${tail}`,
        chunk.flat(),
      )),
    );
  }
  return returned;
}

async function inRawTransaction(raw: Fresh['raw'], fn: () => Promise<void>): Promise<void> {
  // On PGlite each `raw` call takes the database's mutex; nothing else runs during a bench.
  await raw('BEGIN');
  try {
    await fn();
    await raw('COMMIT');
  } catch (error) {
    await raw('ROLLBACK');
    throw error;
  }
}

async function floorEcb(f: Fresh, rates: readonly [string, string, string][]): Promise<void> {
  await inRawTransaction(f.raw, async () => {
    await insertValues(
      f.raw,
      `INSERT INTO fx_rate (currency, rate_date, rate_per_eur, source)`,
      rates.map((r) => [...r, ECB_SOURCE]),
      4,
    );
  });
}

async function floorIndicator(
  f: Fresh,
  indicator: string,
  rows: readonly { countryCode: string; year: number; value: string; countryName: string }[],
): Promise<void> {
  await inRawTransaction(f.raw, async () => {
    await insertValues(
      f.raw,
      `INSERT INTO country_indicator (indicator, country_code, year, value, country_name, source)`,
      rows.map((r) => [indicator, r.countryCode, r.year, r.value, r.countryName, 'bench floor']),
      6,
    );
  });
}

async function floorContributions(f: Fresh, rows: readonly GeneratedContribution[]): Promise<void> {
  await inRawTransaction(f.raw, async () => {
    const ids = await insertValues(
      f.raw,
      `INSERT INTO contribution (donor_party_id, currency, status, pledged_minor, committed_minor,
         announced_on, committed_on, earmark_areas, title, source_note, external_id)`,
      rows.map((r) => [
        r.donor,
        r.currency,
        r.committedOn ? 'committed' : 'pledged',
        r.amountMinor.toString(),
        r.committedOn ? r.amountMinor.toString() : '0',
        r.announcedOn,
        r.committedOn,
        r.areas,
        r.title,
        r.sourceNote,
        r.externalId,
      ]),
      11,
      'RETURNING id',
    );
    const committed = rows
      .map((r, i) => ({ r, id: String(ids[i]!.id) }))
      .filter(({ r }) => r.committedOn !== null);
    const shared = new Map<string, unknown[]>();
    for (const { r } of committed) {
      const donor = donorCommitmentsAccount(r.donor, r.currency);
      const cash = fundCashAccount(r.currency);
      shared.set(donor, [r.currency, ACCOUNT_CODES.donorCommitments, donor, false, false, 0, 0]);
      shared.set(cash, [r.currency, ACCOUNT_CODES.fundCash, cash, false, false, 0, 0]);
    }
    const accountRows: unknown[][] = [...shared.values()];
    for (const { r, id } of committed) {
      const names = contributionAccounts(BigInt(id));
      const amount = r.amountMinor.toString();
      accountRows.push(
        [
          r.currency,
          ACCOUNT_CODES.contributionReceivable,
          names.receivable,
          false,
          true,
          amount,
          0,
        ],
        [r.currency, ACCOUNT_CODES.contributionAvailable, names.available, true, false, 0, amount],
      );
    }
    const accounts = await insertValues(
      f.raw,
      `INSERT INTO ledger_account (ledger, code, reference, debits_must_not_exceed_credits,
         credits_must_not_exceed_debits, debits_posted, credits_posted)`,
      accountRows,
      7,
      'RETURNING id, reference',
    );
    const accountId = new Map(accounts.map((a) => [a.reference as string, String(a.id)]));
    await insertValues(
      f.raw,
      `INSERT INTO ledger_transfer (idempotency_key, payload_hash, ledger, kind, debit_account_id,
         credit_account_id, amount, code)`,
      committed.map(({ r, id }) => {
        const names = contributionAccounts(BigInt(id));
        return [
          `contribution:${id}:commit`,
          '0'.repeat(64),
          r.currency,
          'posted',
          accountId.get(names.receivable),
          accountId.get(names.available),
          r.amountMinor.toString(),
          TRANSFER_CODES.commitment,
        ];
      }),
      8,
    );
  });
}

// ---- Measuring ----

interface Measured {
  engine: Engine;
  file: string;
  rows: number;
  ours: number[];
  floor: number[];
  target: number | null;
}

const seconds = (start: number) => (performance.now() - start) / 1000;
const min = (xs: readonly number[]) => Math.min(...xs);
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * `RUNS` rounds of ours and the floor, each in a fresh database, alternating which goes first
 * so drift of the shared machine hits both alike. `ours` may time more than one thing (the ECB
 * first import and re-import): it returns the seconds per label.
 */
async function rounds(
  h: Harness,
  label: string,
  ours: (f: Fresh) => Promise<Record<string, number>>,
  floor: (f: Fresh) => Promise<void>,
): Promise<{ ours: Record<string, number[]>; floor: number[] }> {
  const oursSeconds: Record<string, number[]> = {};
  const floorSeconds: number[] = [];
  const runOurs = async () => {
    const f = await h.fresh();
    try {
      for (const [k, v] of Object.entries(await ours(f))) (oursSeconds[k] ??= []).push(v);
    } finally {
      await f.dispose();
    }
  };
  const runFloor = async () => {
    const f = await h.fresh();
    try {
      const start = performance.now();
      await floor(f);
      floorSeconds.push(seconds(start));
    } finally {
      await f.dispose();
    }
  };
  for (let r = 0; r < RUNS; r++) {
    if (r % 2 === 0) {
      await runOurs();
      await runFloor();
    } else {
      await runFloor();
      await runOurs();
    }
    say(
      `[${h.engine}] ${label} round ${r + 1}/${RUNS}: ` +
        Object.entries(oursSeconds)
          .map(([k, v]) => `${k} ${v.at(-1)!.toFixed(2)} s`)
          .join(', ') +
        `, floor ${floorSeconds.at(-1)!.toFixed(2)} s`,
    );
  }
  return { ours: oursSeconds, floor: floorSeconds };
}

async function benchEngine(h: Harness, workDir: string): Promise<Measured[]> {
  const out: Measured[] = [];
  const noop = () => undefined;

  if (ONLY.has('ecb')) {
    const file = join(SHARED, ECB_FILE_NAME);
    const rates = ecbRatesInMemory(new Uint8Array(await readFile(file)));
    let rows = 0;
    const r = await rounds(
      h,
      'ecb',
      async (f) => {
        let start = performance.now();
        const first = await importFxRates(f.database, actor, { file, onProgress: noop });
        const firstSeconds = seconds(start);
        if (first.inserted !== rates.length) throw new Error('the ECB import missed rates');
        start = performance.now();
        const again = await importFxRates(f.database, actor, { file, onProgress: noop });
        const againSeconds = seconds(start);
        if (again.inserted + again.updated !== 0) throw new Error('the re-import wrote rates');
        rows = first.rates;
        return { first: firstSeconds, again: againSeconds };
      },
      (f) => floorEcb(f, rates),
    );
    out.push(
      {
        engine: h.engine,
        file: `${ECB_FILE_NAME} (first import)`,
        rows,
        ours: r.ours.first!,
        floor: r.floor,
        target: TARGETS_S.ecb,
      },
      {
        engine: h.engine,
        file: `${ECB_FILE_NAME} (re-import)`,
        rows,
        ours: r.ours.again!,
        floor: r.floor,
        target: TARGETS_S.ecb,
      },
    );
  }

  for (const { indicator, fileName } of WORLD_BANK_FILES) {
    const key = indicator === 'gdp_usd' ? 'gdp' : 'population';
    if (!ONLY.has(key)) continue;
    const file = join(SHARED, fileName);
    const parsed = parseWorldBankCsv(await readFile(file, 'utf8'), fileName, indicator);
    const r = await rounds(
      h,
      key,
      async (f) => {
        const start = performance.now();
        const result = await importCountryIndicators(f.database, actor, {
          indicator,
          file,
          onProgress: noop,
        });
        if (result.inserted !== parsed.length) throw new Error(`${fileName}: rows missed`);
        return { first: seconds(start) };
      },
      (f) => floorIndicator(f, indicator, parsed),
    );
    out.push({
      engine: h.engine,
      file: fileName,
      rows: parsed.length,
      ours: r.ours.first!,
      floor: r.floor,
      target: null,
    });
  }

  if (ONLY.has('contributions')) {
    const generated = generateContributions(CONTRIBUTION_ROWS, SEED);
    const file = join(workDir, `contributions-${CONTRIBUTION_ROWS}.csv`);
    await writeFile(file, contributionsCsv(generated));
    const committed = generated.filter((g) => g.committedOn !== null).length;
    const r = await rounds(
      h,
      'contributions',
      async (f) => {
        const start = performance.now();
        const result = await importContributions(f.database, actor, { file, onProgress: noop });
        const s = seconds(start);
        if (result.imported !== generated.length || result.committed !== committed)
          throw new Error('the contributions import missed rows');
        return { first: s };
      },
      (f) => floorContributions(f, generated),
    );
    out.push({
      engine: h.engine,
      file: `contributions-${CONTRIBUTION_ROWS}.csv (${committed} committed)`,
      rows: generated.length,
      ours: r.ours.first!,
      floor: r.floor,
      target: TARGETS_S.contributions,
    });
  }
  return out;
}

// ---- Run, print, write ----

const started = new Date();
const loadBefore = loadavg();
const workDir = await mkdtemp(join(tmpdir(), 'purl-bench-import-files-'));
const measured: Measured[] = [];
try {
  for (const engine of ENGINES) {
    say(`[${engine}] preparing a migrated template database…`);
    const h = engine === 'pglite' ? await pgliteHarness() : await postgresHarness();
    try {
      measured.push(...(await benchEngine(h, workDir)));
    } finally {
      await h.stop();
    }
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

const results = measured.map((m) => {
  const oursMedian = median(m.ours);
  const floorMedian = median(m.floor);
  return {
    engine: m.engine,
    file: m.file,
    rows: m.rows,
    secondsMin: round(min(m.ours)),
    secondsMedian: round(oursMedian),
    floorSecondsMin: round(min(m.floor)),
    floorSecondsMedian: round(floorMedian),
    /** Floor over ours, of the medians: 1 means as fast as the bare INSERTs. */
    ratio: round(floorMedian / oursMedian),
    targetSeconds: m.target,
    /** The target is judged on the median. */
    meetsTarget: m.target === null ? null : oursMedian <= m.target,
    runs: { ours: m.ours.map(round), floor: m.floor.map(round) },
  };
});
function round(x: number): number {
  return Number(x.toFixed(3));
}

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: process.platform,
  loadAverage1mBefore: Number((loadBefore[0] ?? 0).toFixed(2)),
  loadAverage1mAfter: Number((loadavg()[0] ?? 0).toFixed(2)),
};

const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
console.log(
  `\nImport benchmark — ${RUNS} runs each, a fresh migrated database per run; seconds min / median`,
);
console.log(line(['engine', 'file', 'rows', 'ours s', 'floor s', 'floor/ours', 'target', 'met?']));
console.log(line(['---', '---', '---:', '---:', '---:', '---:', '---:', '---']));
for (const r of results) {
  console.log(
    line([
      r.engine,
      r.file,
      String(r.rows),
      `${r.secondsMin.toFixed(2)} / ${r.secondsMedian.toFixed(2)}`,
      `${r.floorSecondsMin.toFixed(2)} / ${r.floorSecondsMedian.toFixed(2)}`,
      r.ratio.toFixed(2),
      r.targetSeconds === null ? '—' : `≤ ${r.targetSeconds} s`,
      r.meetsTarget === null ? '—' : r.meetsTarget ? 'met' : 'MISSED',
    ]),
  );
}
console.log(
  `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}; ` +
    `load average ${machine.loadAverage1mBefore} before, ${machine.loadAverage1mAfter} after — ` +
    'the machine is shared: other processes load it, so absolute seconds vary; the ratio less so.',
);

await writeBenchResults('import', {
  benchmark: 'import',
  started: started.toISOString(),
  settings: {
    runs: RUNS,
    contributionRows: CONTRIBUTION_ROWS,
    seed: SEED,
    sharedData: SHARED,
    engines: ENGINES,
  },
  note: 'Shared 2-core machine: other processes load it. Targets are absolute (median).',
  machine,
  results,
});
