/**
 * HTTP benchmark: autocannon against the product's server (`node bin/purl.js serve`, a child
 * process on loopback, the demo loaded by `purl demo load`) and, in the same run, against a bare
 * Fastify server answering the same bytes from a prebuilt string — no hooks, no plugins, no
 * logger: the floor. Endpoints: the package list, the contribution list, the dashboard's first
 * analysis (the funnel) and one write (a pledge, with a fresh Idempotency-Key per request).
 * Rounds alternate ours/floor per endpoint so machine noise hits both alike. Signed in as the
 * demo coordinator with the session cookie (and its CSRF token), as the web application is.
 * The server runs with `PURL_RATE_LIMITS=off` (one client sends thousands of requests a second)
 * and its default log level (`info`: one line per request, to a pipe). The same URL is asked
 * again and again with no write in between, so reads are answered by the read cache (see
 * ARCHITECTURE.md, "HTTP"); `--read-cache off` (PURL_READ_CACHE=off) measures every read
 * computed from the database, as the first read after a write is.
 *
 *   npx tsx bench/http.ts [--engine pglite|postgres|both] [--seconds 5] [--rounds 2]
 *                         [--connections 10] [--scale N] [--log-level info] [--cpu-prof DIR]
 *                         [--read-cache on|off]
 *                         [--only NAME]  (the endpoints whose name or path contains NAME)
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  demoDatabase,
  parseEngines,
  stopPostgresCluster,
  type BenchEngine,
} from './support/databases.js';
import {
  machineFacts,
  machineLine,
  median,
  tableLine,
  writeBenchResults,
} from './support/machine.js';
import {
  cpuTimeMs,
  startBareServer,
  startProductServer,
  type BareRoute,
  type ServerChild,
} from './support/processes.js';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    scale: { type: 'string' },
    target: { type: 'string', default: '0.4' },
    'log-level': { type: 'string', default: 'info' },
    'read-cache': { type: 'string', default: 'on' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
  },
});
const ENGINES = parseEngines(args.engine);
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const SCALE = args.scale === undefined ? undefined : Number(args.scale);
const TARGET = Number(args.target);
const WARMUP_SECONDS = 1;

const DEMO_USER = { email: 'coordinator@demo.purl', password: 'purl-demo-2025' };

interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** Read endpoints have the target; the write reports its ratio only. */
  kind: 'read' | 'write';
  body?: string;
}

const PLEDGE = JSON.stringify({
  donorPartyId: 'NLD',
  currency: 'EUR',
  amountMinor: '125000000',
  announcedOn: '2026-01-15',
  title: 'Benchmark pledge',
  synthetic: true,
});

const ALL_ENDPOINTS: Endpoint[] = [
  { name: 'package list', method: 'GET', path: '/api/v1/packages', kind: 'read' },
  { name: 'contribution list', method: 'GET', path: '/api/v1/contributions', kind: 'read' },
  {
    name: 'dashboard analytics (funnel)',
    method: 'GET',
    path: '/api/v1/analytics/funnel',
    kind: 'read',
  },
  {
    name: 'record a pledge (write)',
    method: 'POST',
    path: '/api/v1/contributions',
    kind: 'write',
    body: PLEDGE,
  },
];

/** `--only TEXT`: the endpoints whose name or path contains TEXT (for profiling one). */
const ENDPOINTS = ALL_ENDPOINTS.filter(
  (e) => args.only === undefined || e.name.includes(args.only) || e.path.includes(args.only),
);
if (ENDPOINTS.length === 0) throw new Error(`--only ${args.only} matches no endpoint`);

interface Credentials {
  headers: Record<string, string>;
}

/** Signs in as the demo coordinator: the session cookie and its CSRF token, as the web app. */
async function signIn(url: string): Promise<Credentials> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_USER),
  });
  if (response.status !== 200) {
    throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  }
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const { session } = (await response.json()) as { session: { csrfToken: string } };
  return { headers: { cookie: cookies.join('; '), 'x-csrf-token': session.csrfToken } };
}

let keyCounter = 0;
const runId = Date.now().toString(36);

function requestHeaders(endpoint: Endpoint, credentials: Credentials): Record<string, string> {
  return {
    ...credentials.headers,
    ...(endpoint.body ? { 'content-type': 'application/json' } : {}),
  };
}

/** One request by hand: what the floor must answer (status and the very bytes). */
async function sample(
  url: string,
  endpoint: Endpoint,
  credentials: Credentials,
): Promise<BareRoute> {
  const response = await fetch(url + endpoint.path, {
    method: endpoint.method,
    headers: {
      ...requestHeaders(endpoint, credentials),
      ...(endpoint.kind === 'write' ? { 'idempotency-key': `bench-sample-${runId}` } : {}),
    },
    ...(endpoint.body ? { body: endpoint.body } : {}),
  });
  const body = await response.text();
  if (response.status >= 300) {
    throw new Error(`${endpoint.method} ${endpoint.path} answered ${response.status}: ${body}`);
  }
  return { method: endpoint.method, path: endpoint.path, status: response.status, body };
}

interface Run {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  failures: number;
  /** The server process's CPU time (user + system) per request, ms: steadier than req/s. */
  cpuMsPerRequest: number;
}

async function cannon(
  server: ServerChild,
  endpoint: Endpoint,
  credentials: Credentials,
  seconds: number,
): Promise<Run> {
  const cpuBefore = await cpuTimeMs(server.pid);
  const result = await autocannon({
    url: server.url + endpoint.path,
    method: endpoint.method,
    connections: CONNECTIONS,
    duration: seconds,
    headers: requestHeaders(endpoint, credentials),
    ...(endpoint.body ? { body: endpoint.body } : {}),
    // A write needs a fresh key each time (a repeated one would be a replay).
    ...(endpoint.kind === 'write'
      ? {
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            headers: {
              ...request.headers,
              'idempotency-key': `bench-${runId}-${++keyCounter}`,
            },
          }),
        }
      : {}),
  });
  const cpuMs = (await cpuTimeMs(server.pid)) - cpuBefore;
  return {
    cpuMsPerRequest: cpuMs / Math.max(1, result.requests.total),
    requestsPerSecond: result.requests.total / seconds,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

interface EndpointResult {
  endpoint: string;
  method: string;
  path: string;
  kind: 'read' | 'write';
  responseBytes: number;
  oursRequestsPerSecond: number;
  oursLatencyP50Ms: number;
  oursLatencyP99Ms: number;
  floorRequestsPerSecond: number;
  floorLatencyP50Ms: number;
  /** Server CPU per request (ms), ours and the floor's: where ours spends beyond the floor. */
  oursCpuMsPerRequest: number;
  floorCpuMsPerRequest: number;
  ratio: number;
  target: number | null;
  meetsTarget: boolean | null;
  failures: number;
  rounds: { ours: number; floor: number }[];
}

/** Mean of the rounds' server CPU per request, ms, to 3 decimals. */
function cpuPerRequest(runs: Run[]): number {
  const mean = runs.reduce((sum, run) => sum + run.cpuMsPerRequest, 0) / runs.length;
  return Number(mean.toFixed(3));
}

interface EngineResult {
  engine: BenchEngine;
  data: string;
  demoLoadSeconds: number;
  endpoints: EndpointResult[];
}

async function measureEngine(engine: BenchEngine): Promise<EngineResult> {
  const database = await demoDatabase(engine, SCALE);
  let ours: ServerChild | undefined;
  let floor: ServerChild | undefined;
  try {
    ours = await startProductServer({
      env: {
        ...database.env,
        PURL_NO_DEMO: '1',
        PURL_RATE_LIMITS: 'off',
        PURL_READ_CACHE: args['read-cache'],
        LOG_LEVEL: args['log-level'],
      },
      ...(args['cpu-prof']
        ? { nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] }
        : {}),
    });
    const credentials = await signIn(ours.url);
    const samples: BareRoute[] = [];
    for (const endpoint of ENDPOINTS) samples.push(await sample(ours.url, endpoint, credentials));
    floor = await startBareServer(samples, ENDPOINTS[0]!.path);
    const results: EndpointResult[] = [];
    for (const [i, endpoint] of ENDPOINTS.entries()) {
      const bytes = Buffer.byteLength(samples[i]!.body);
      process.stderr.write(`[${engine}] ${endpoint.name} (${bytes} bytes): warm-up…\n`);
      await cannon(ours, endpoint, credentials, WARMUP_SECONDS);
      await cannon(floor, endpoint, credentials, WARMUP_SECONDS);
      const oursRuns: Run[] = [];
      const floorRuns: Run[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which side goes first, so drift over time hits both alike.
        const order = r % 2 === 0 ? (['ours', 'floor'] as const) : (['floor', 'ours'] as const);
        for (const side of order) {
          const run = await cannon(side === 'ours' ? ours : floor, endpoint, credentials, SECONDS);
          (side === 'ours' ? oursRuns : floorRuns).push(run);
        }
        process.stderr.write(
          `[${engine}] ${endpoint.name} round ${r + 1}/${ROUNDS}: ours ` +
            `${oursRuns.at(-1)!.requestsPerSecond.toFixed(0)}/s, floor ` +
            `${floorRuns.at(-1)!.requestsPerSecond.toFixed(0)}/s\n`,
        );
      }
      const total = (runs: Run[]) => runs.reduce((sum, run) => sum + run.requests, 0);
      const oursRps = total(oursRuns) / (ROUNDS * SECONDS);
      const floorRps = total(floorRuns) / (ROUNDS * SECONDS);
      const ratio = oursRps / floorRps;
      results.push({
        endpoint: endpoint.name,
        method: endpoint.method,
        path: endpoint.path,
        kind: endpoint.kind,
        responseBytes: bytes,
        oursRequestsPerSecond: Math.round(oursRps),
        oursLatencyP50Ms: median(oursRuns.map((run) => run.latencyP50Ms)),
        oursLatencyP99Ms: Math.max(...oursRuns.map((run) => run.latencyP99Ms)),
        floorRequestsPerSecond: Math.round(floorRps),
        floorLatencyP50Ms: median(floorRuns.map((run) => run.latencyP50Ms)),
        oursCpuMsPerRequest: cpuPerRequest(oursRuns),
        floorCpuMsPerRequest: cpuPerRequest(floorRuns),
        ratio: Number(ratio.toFixed(3)),
        target: endpoint.kind === 'read' ? TARGET : null,
        meetsTarget: endpoint.kind === 'read' ? ratio >= TARGET : null,
        failures: [...oursRuns, ...floorRuns].reduce((sum, run) => sum + run.failures, 0),
        rounds: oursRuns.map((run, k) => ({
          ours: Math.round(run.requestsPerSecond),
          floor: Math.round(floorRuns[k]!.requestsPerSecond),
        })),
      });
    }
    return {
      engine,
      data: database.data,
      demoLoadSeconds: database.loadSeconds,
      endpoints: results,
    };
  } finally {
    await floor?.stop();
    await ours?.stop();
    await database.drop();
  }
}

const started = new Date();
const machine = machineFacts();
const results: EngineResult[] = [];
try {
  for (const engine of ENGINES) results.push(await measureEngine(engine));
} finally {
  await stopPostgresCluster();
}

console.log(
  `\nHTTP benchmark — ${ROUNDS} alternating rounds of ${SECONDS}s per side, ` +
    `${CONNECTIONS} connections, data: ${results[0]?.data ?? 'demo'}`,
);
console.log(
  tableLine([
    'engine',
    'endpoint',
    'bytes',
    'ours req/s',
    'ours p50 / p99 ms',
    'server CPU ms/req ours / floor',
    'bare Fastify req/s',
    'ratio',
    'target',
    'met?',
  ]),
);
console.log(
  tableLine(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---']),
);
for (const r of results) {
  for (const e of r.endpoints) {
    console.log(
      tableLine([
        r.engine,
        e.endpoint,
        String(e.responseBytes),
        String(e.oursRequestsPerSecond),
        `${e.oursLatencyP50Ms} / ${e.oursLatencyP99Ms}`,
        `${e.oursCpuMsPerRequest} / ${e.floorCpuMsPerRequest}`,
        String(e.floorRequestsPerSecond),
        e.ratio.toFixed(2),
        e.target === null ? 'none (write)' : `≥ ${e.target}`,
        e.meetsTarget === null ? '—' : e.meetsTarget ? 'met' : 'MISSED',
      ]),
    );
  }
}
console.log(machineLine(machine));
const failures = results.flatMap((r) => r.endpoints).filter((e) => e.failures > 0);
for (const e of failures) {
  console.log(`WARNING: ${e.endpoint}: ${e.failures} failed requests (non-2xx, errors, timeouts)`);
}

await writeBenchResults('http', {
  benchmark: 'http',
  started: started.toISOString(),
  settings: {
    roundSeconds: SECONDS,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    warmupSeconds: WARMUP_SECONDS,
    scale: SCALE ?? null,
    logLevel: args['log-level'],
    rateLimits: 'off (PURL_RATE_LIMITS=off)',
    readCache: args['read-cache'] === 'off' ? 'off (PURL_READ_CACHE=off)' : 'on',
    signedInAs: `${DEMO_USER.email} (session cookie + X-CSRF-Token)`,
    floor: 'bare Fastify 5, one route per endpoint answering the same bytes from a string',
  },
  machine,
  results,
});
if (failures.length > 0) process.exitCode = 1;
