/**
 * Start-up benchmark, two parts.
 *
 * (a) Cold start: from spawning `npm start` (what README says starts the product: `purl serve`
 *     on PGlite, loading the demo into an empty data folder) in a fresh `PURL_DATA_DIR` to the
 *     first 200 of `GET /api/v1/health` (the server listens only once the demo is loaded). The
 *     first start of an attempt is a fresh machine's: no bundle of the CLI yet (bin/purl.js
 *     builds it, in a cache folder of the attempt's own) and no tsx transform cache. Then a
 *     second start on the same folder (demo already there), and a third on another fresh folder
 *     with the bundle built (a new data folder on a machine that ran the product before).
 *     Beside each attempt, in the same run, the floor: `node -e` starting a bare Fastify server
 *     with one route, to its first 200.
 * (b) Peak memory: `purl demo load --scale N` (default 1) into a PostgreSQL database, the server
 *     started against it, then the main read endpoints and every analysis route driven by a few
 *     concurrent clients for `--drive-seconds` (default 20); the server's peak resident set
 *     (VmHWM in /proc/PID/status) is read at the end.
 *
 * Prints a table and writes bench/results/startup.json.
 *
 *   npx tsx bench/startup.ts [--attempts 3] [--scale 1] [--drive-seconds 20] [--clients 4]
 *                            [--skip-cold] [--skip-memory] [--database-url URL]
 *
 * `--database-url` measures (b) on a PostgreSQL database that already holds the data (loading
 * scale 1 takes many minutes on a busy 2-core machine): `purl demo load --scale 1` into it first.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isWebBuilt } from '../src/web/tools/paths.js';
import {
  demoDatabase,
  demoScaleAvailable,
  stopPostgresCluster,
  type DemoDatabase,
} from './support/databases.js';
import {
  machineFacts,
  machineLine,
  median,
  tableLine,
  writeBenchResults,
} from './support/machine.js';
import {
  ROOT,
  peakRssBytes,
  rssBytes,
  startBareServer,
  startProductServer,
} from './support/processes.js';

const { values: args } = parseArgs({
  options: {
    attempts: { type: 'string', default: '3' },
    scale: { type: 'string', default: '1' },
    'drive-seconds': { type: 'string', default: '20' },
    clients: { type: 'string', default: '4' },
    'cold-target-seconds': { type: 'string', default: '5' },
    'rss-target-mb': { type: 'string', default: '400' },
    'skip-cold': { type: 'boolean', default: false },
    'skip-memory': { type: 'boolean', default: false },
    'database-url': { type: 'string' },
  },
});
const ATTEMPTS = Number(args.attempts);
/** `--scale none`: the plain demo (for a quick run: loading scale 1 takes many minutes). */
const SCALE = args.scale === 'none' ? undefined : Number(args.scale);
const DRIVE_MS = Number(args['drive-seconds']) * 1000;
const CLIENTS = Number(args.clients);
const COLD_TARGET_MS = Number(args['cold-target-seconds']) * 1000;
const RSS_TARGET_BYTES = Number(args['rss-target-mb']) * 2 ** 20;
const DEMO_USER = { email: 'coordinator@demo.purl', password: 'purl-demo-2025' };

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

// ---------------------------------------------------------------------------------------------
// (a) Cold start

interface Timing {
  attemptsSeconds: number[];
  minSeconds: number;
  medianSeconds: number;
}

const timing = (ms: number[]): Timing => ({
  attemptsSeconds: ms.map(seconds),
  minSeconds: seconds(Math.min(...ms)),
  medianSeconds: seconds(median(ms)),
});

interface ColdStartResult {
  command: string;
  webAlreadyBuilt: boolean;
  /**
   * Fresh data folder on a fresh machine: the CLI bundle built first, no tsx cache, no copy of
   * the demo yet (the demo is loaded through the services, then a copy is kept).
   */
  fresh: Timing;
  demoAlreadyLoaded: Timing;
  /** Fresh data folder on a machine that has started once: bundle built, demo copy kept. */
  freshFolderBundleBuilt: Timing;
  /** The same with the copy turned off (`PURL_DEMO_TEMPLATE=off`): the demo through the services. */
  freshFolderNoCopy: Timing;
  floor: Timing;
  /** The target applies to a fresh data folder (`freshFolderBundleBuilt`). */
  target: { freshMedianSecondsMax: number };
  meetsTarget: boolean;
  ratioFreshToFloor: number;
}

async function coldStart(): Promise<ColdStartResult> {
  const fresh: number[] = [];
  const again: number[] = [];
  const freshFolder: number[] = [];
  const noCopy: number[] = [];
  const floor: number[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'purl-bench-start-'));
    const second = await mkdtemp(join(tmpdir(), 'purl-bench-start-'));
    // Inside the project: the bundle imports its packages from the project's node_modules.
    await mkdir(join(ROOT, 'node_modules/.cache'), { recursive: true });
    const third = await mkdtemp(join(tmpdir(), 'purl-bench-start-'));
    const bundles = await mkdtemp(join(ROOT, 'node_modules/.cache/purl-bench-start-'));
    const demoCopies = await mkdtemp(join(tmpdir(), 'purl-bench-demo-copies-'));
    try {
      // Alternate the floor before and after ours, so drift hits both alike.
      if (attempt % 2 === 0) floor.push(await bareStart());
      const starts: [number[], Record<string, string>][] = [
        [fresh, { PURL_DATA_DIR: dir, TSX_DISABLE_CACHE: '1' }],
        [again, { PURL_DATA_DIR: dir }],
        [freshFolder, { PURL_DATA_DIR: second }],
        [noCopy, { PURL_DATA_DIR: third, PURL_DEMO_TEMPLATE: 'off' }],
      ];
      for (const [list, env] of starts) {
        const server = await startProductServer({
          via: 'npm-start',
          env: {
            ...env,
            PURL_BUNDLE_CACHE: bundles,
            PURL_DEMO_CACHE: demoCopies,
            LOG_LEVEL: 'warn',
          },
        });
        list.push(server.readyMs);
        // The first start keeps its copy of the demo after it listens: wait for it.
        if (list === fresh) await copyKept(demoCopies);
        await server.stop();
      }
      if (attempt % 2 === 1) floor.push(await bareStart());
    } finally {
      for (const folder of [dir, second, third, bundles, demoCopies]) {
        await rm(folder, { recursive: true, force: true });
      }
    }
    process.stderr.write(
      `[cold start] attempt ${attempt}/${ATTEMPTS}: fresh machine ${seconds(fresh.at(-1)!)} s, ` +
        `demo loaded ${seconds(again.at(-1)!)} s, ` +
        `fresh folder (bundle built, demo copy kept) ${seconds(freshFolder.at(-1)!)} s, ` +
        `fresh folder without the copy ${seconds(noCopy.at(-1)!)} s, ` +
        `bare Fastify ${seconds(floor.at(-1)!)} s\n`,
    );
  }
  return {
    command: 'npm start (PURL_DATA_DIR=<fresh temp folder>, PORT=<free>, HOST=127.0.0.1)',
    webAlreadyBuilt: isWebBuilt(),
    fresh: timing(fresh),
    demoAlreadyLoaded: timing(again),
    freshFolderBundleBuilt: timing(freshFolder),
    freshFolderNoCopy: timing(noCopy),
    floor: timing(floor),
    target: { freshMedianSecondsMax: COLD_TARGET_MS / 1000 },
    meetsTarget: median(freshFolder) <= COLD_TARGET_MS,
    ratioFreshToFloor: Number((median(freshFolder) / median(floor)).toFixed(1)),
  };
}

/** Waits (up to a minute) for the copy of the demo a first start keeps after it listens. */
async function copyKept(dir: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await readdir(dir)).some((name) => name.endsWith('.tar.gz'))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.stderr.write('[cold start] no copy of the demo was kept within a minute\n');
}

async function bareStart(): Promise<number> {
  const server = await startBareServer(
    [{ method: 'GET', path: '/health', status: 200, body: '{"status":"ok"}' }],
    '/health',
  );
  await server.stop();
  return server.readyMs;
}

// ---------------------------------------------------------------------------------------------
// (b) Peak resident memory at scale on PostgreSQL

interface MemoryResult {
  engine: 'postgres';
  data: string;
  note: string | null;
  demoLoadSeconds: number;
  startSeconds: number;
  rssAfterStartMiB: number;
  peakRssMiB: number;
  targetMiB: number;
  meetsTarget: boolean;
  driveSeconds: number;
  clients: number;
  requests: number;
  failures: { path: string; status: number }[];
  paths: string[];
}

/** Every analysis the API offers and the main lists: what a busy day asks of the server. */
function drivenPaths(meetingId: string | undefined): string[] {
  return [
    '/api/v1/packages',
    '/api/v1/contributions',
    '/api/v1/requirement-lists',
    '/api/v1/meetings',
    '/api/v1/analytics/funnel',
    '/api/v1/analytics/burden-sharing',
    '/api/v1/analytics/coverage',
    '/api/v1/analytics/pace',
    '/api/v1/analytics/lead-times',
    '/api/v1/analytics/context',
    '/api/v1/analytics/drill?figure=funnel.committed',
    '/api/v1/analytics/funnel?currency=EUR&rateMode=fixed',
    ...(meetingId ? [`/api/v1/analytics/meetings/${meetingId}/follow-up`] : []),
    '/api/v1/public/summary',
  ];
}

/** `--database-url`: a PostgreSQL database already holding the data (not loaded, not dropped). */
function givenDatabase(url: string): DemoDatabase {
  return {
    engine: 'postgres',
    env: { DATABASE_URL: url },
    data: `given database (${new URL(url).pathname.slice(1)})`,
    loadSeconds: 0,
    drop: async () => {},
  };
}

async function peakMemory(): Promise<MemoryResult> {
  const scaled = args['database-url'] !== undefined || (await demoScaleAvailable());
  const database = args['database-url']
    ? givenDatabase(args['database-url'])
    : await demoDatabase('postgres', scaled ? SCALE : undefined);
  if (SCALE === undefined) process.stderr.write('[memory] --scale none: the plain demo\n');
  const server = await startProductServer({
    env: { ...database.env, PURL_NO_DEMO: '1', PURL_RATE_LIMITS: 'off', LOG_LEVEL: 'warn' },
  }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  try {
    const rssAfterStart = await rssBytes(server.pid);
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_USER),
    });
    if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
    const { session } = (await login.json()) as { session: { token: string } };
    const headers = { authorization: `Bearer ${session.token}` };
    const meetings = (await (await fetch(`${server.url}/api/v1/meetings`, { headers })).json()) as {
      items?: { id: string }[];
    };
    const paths = drivenPaths(meetings.items?.[0]?.id);
    const failures: { path: string; status: number }[] = [];
    let requests = 0;
    const deadline = performance.now() + DRIVE_MS;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = client; performance.now() < deadline; i++) {
          const path = paths[i % paths.length]!;
          const response = await fetch(server.url + path, { headers });
          await response.arrayBuffer();
          requests++;
          if (response.status !== 200 && failures.length < 20) {
            failures.push({ path, status: response.status });
          }
        }
      }),
    );
    const peak = await peakRssBytes(server.pid);
    process.stderr.write(
      `[memory] ${requests} requests in ${DRIVE_MS / 1000} s; peak RSS ${mib(peak)} MiB\n`,
    );
    return {
      engine: 'postgres',
      data: database.data,
      note: !scaled
        ? '`purl demo load --scale` is not in this tree yet: measured on the plain demo'
        : SCALE === undefined && !args['database-url']
          ? '--scale none: measured on the plain demo, not at scale'
          : null,
      demoLoadSeconds: database.loadSeconds,
      startSeconds: seconds(server.readyMs),
      rssAfterStartMiB: mib(rssAfterStart),
      peakRssMiB: mib(peak),
      targetMiB: RSS_TARGET_BYTES / 2 ** 20,
      meetsTarget: peak <= RSS_TARGET_BYTES,
      driveSeconds: DRIVE_MS / 1000,
      clients: CLIENTS,
      requests,
      failures,
      paths,
    };
  } finally {
    await server.stop();
    await database.drop();
  }
}

// ---------------------------------------------------------------------------------------------

const started = new Date();
const machine = machineFacts();
const cold = args['skip-cold'] ? null : await coldStart();
let memory: MemoryResult | null;
try {
  memory = args['skip-memory'] ? null : await peakMemory();
} finally {
  await stopPostgresCluster();
}

console.log(`\nStart-up benchmark — ${ATTEMPTS} attempts`);
console.log(tableLine(['measure', 'ours', 'floor', 'target', 'met?']));
console.log(tableLine(['---', '---:', '---:', '---', '---']));
if (cold) {
  const t = (x: Timing) => `${x.medianSeconds} s (min ${x.minSeconds})`;
  console.log(
    tableLine([
      '`npm start` → first 200, fresh data folder (demo loaded from the copy this machine kept), median',
      t(cold.freshFolderBundleBuilt),
      `${t(cold.floor)} bare Fastify`,
      `≤ ${cold.target.freshMedianSecondsMax} s`,
      cold.meetsTarget ? 'met' : 'MISSED',
    ]),
  );
  console.log(
    tableLine([
      '`npm start` → first 200, fresh machine and data folder (CLI bundle built, demo through the services), median',
      t(cold.fresh),
      `${t(cold.floor)} bare Fastify`,
      '—',
      '—',
    ]),
  );
  console.log(
    tableLine([
      '`npm start` → first 200, fresh data folder, copy off (PURL_DEMO_TEMPLATE=off), median',
      t(cold.freshFolderNoCopy),
      `${t(cold.floor)} bare Fastify`,
      '—',
      '—',
    ]),
  );
  console.log(
    tableLine([
      '`npm start` → first 200, demo already loaded, median',
      t(cold.demoAlreadyLoaded),
      `${t(cold.floor)} bare Fastify`,
      '—',
      '—',
    ]),
  );
}
if (memory) {
  console.log(
    tableLine([
      `server peak RSS, PostgreSQL, ${memory.data}, ${memory.requests} requests in ${memory.driveSeconds} s`,
      `${memory.peakRssMiB} MiB (${memory.rssAfterStartMiB} after start)`,
      '—',
      `≤ ${memory.targetMiB} MiB`,
      memory.meetsTarget ? 'met' : 'MISSED',
    ]),
  );
  if (memory.note) console.log(`note: ${memory.note}`);
  for (const f of memory.failures) console.log(`WARNING: ${f.path} answered ${f.status}`);
}
console.log(machineLine(machine));

await writeBenchResults('startup', {
  benchmark: 'startup',
  started: started.toISOString(),
  settings: {
    attempts: ATTEMPTS,
    scale: SCALE ?? null,
    driveSeconds: DRIVE_MS / 1000,
    clients: CLIENTS,
  },
  machine,
  coldStart: cold,
  peakMemory: memory,
});
if (memory && memory.failures.length > 0) process.exitCode = 1;
