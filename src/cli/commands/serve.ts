/**
 * `purl serve` — opens the configured database (PostgreSQL at DATABASE_URL, else PGlite in
 * PURL_DATA_DIR, default ./data), applies pending migrations, and serves the web application,
 * the API and its docs on HOST:PORT (default 0.0.0.0:8080) until SIGINT or SIGTERM, then closes
 * the server (letting requests in flight finish) and the database, in that order. An empty
 * database (no contributions, no packages) first gets the demo data, unless PURL_NO_DEMO=1.
 * PURL_RATE_LIMITS=off lifts the per-client rate limits (for benchmarks only).
 * The web application is built first (Vite, a few seconds) when `src/web/dist` holds none; a
 * failed build is reported and the API is served anyway (the app's pages then say to build it).
 */
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { batchedLogDestination } from '../log-destination.js';
import { DomainError, isDomainError } from '../../core/errors.js';
import { buildApp, type App } from '../../http/app.js';
import { oidcOptionsFromEnv } from '../../services/oidc-service.js';
import { releaseOrphanedReservations } from '../../services/idempotency-service.js';
import {
  DEMO_PASSWORD_DEFAULT,
  DEMO_USERS,
  holdsNoFunding,
  loadDemo,
} from '../../services/demo-service.js';
import {
  demoTemplateEnabled,
  demoTemplateKey,
  findDemoTemplate,
  saveDemoTemplate,
} from '../../services/demo-template.js';
import { isDatabaseUnavailableError } from '../../storage/database-errors.js';
import {
  isFreshDataDir,
  openDatabase,
  pgliteDataDirFromEnv,
  type Database,
} from '../../storage/database.js';
import { migrate } from '../../storage/migrate.js';
import { WEB_DIST, isWebBuilt } from '../../web/tools/paths.js';

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '0.0.0.0';
/** Longest wait for requests in flight on shutdown before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;
/** Log lines are written to stdout once this many characters (≈ bytes) wait… */
const LOG_BATCH_CHARS = 4_096;
/** …or at most this long after a line is logged, whichever comes first. */
const LOG_FLUSH_MS = 1_000;
/**
 * How much the JavaScript heap may grow past what is live before it is collected, in percent
 * (V8's `--heap-growing-percent`; PURL_HEAP_GROWTH_PERCENT, 0 = V8's own factor of 110 % to
 * 400 %). An analysis's first computation makes much short-lived garbage (220,000 payments
 * parsed and converted): with V8's factor the server's resident set reached 630–680 MiB at
 * scale 1 while 30 MiB stayed live; at 20 % it stays near 360 MiB for about 5 % more time on
 * first computations (BENCHMARKS.md). Not a cap: the heap still grows to what is live.
 */
const HEAP_GROWTH_PERCENT_DEFAULT = 20;
const HEAP_GROWTH_PERCENT_MAX = 400;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'start the web application and API (building the app first if it is not built); loads ' +
        'the demo into an empty database ' +
        '(env: PORT, HOST, DATABASE_URL or PURL_DATA_DIR, LOG_LEVEL, PURL_NO_DEMO=1 to skip the demo, ' +
        'PURL_WEB_DIST for where the built app is, PURL_RATE_LIMITS=off to lift the rate limits ' +
        '(benchmarks; never in production), PURL_READ_CACHE=off to compute every read from the ' +
        'database (benchmarks, diagnosis), PURL_HEAP_GROWTH_PERCENT for how far the heap grows ' +
        'past what is live before it is collected (default 20; 0: V8 decides), ' +
        'PURL_OIDC_ISSUER, PURL_OIDC_CLIENT_ID, PURL_OIDC_CLIENT_SECRET, PURL_OIDC_REDIRECT_URI, ' +
        'PURL_OIDC_ROLE_CLAIM, PURL_OIDC_PARTY_CLAIM, PURL_OIDC_NAME for sign-in with an OpenID ' +
        'provider)',
    )
    .action(async () => {
      await serve();
    });
}

export async function serve(): Promise<void> {
  const port = parsePort(process.env.PORT);
  const host = process.env.HOST || DEFAULT_HOST;
  const heapGrowth = parseHeapGrowth(process.env.PURL_HEAP_GROWTH_PERCENT);
  if (heapGrowth > 0) setFlagsFromString(`--heap-growing-percent=${heapGrowth}`);
  // Read before anything opens: a half-set OpenID Connect configuration stops the start.
  const oidc = oidcOptionsFromEnv();
  const rateLimits = rateLimitsFromEnv(process.env.PURL_RATE_LIMITS);
  await buildWebIfMissing();
  const demoWanted = process.env.PURL_NO_DEMO !== '1';
  const template = demoWanted ? await demoTemplateFor() : undefined;
  const database = await openDatabase({ template: template?.copy });
  // Written without blocking, LOG_BATCH_CHARS at a time or every LOG_FLUSH_MS, whichever comes
  // first: one system call for many request lines under load (measured: a write per line was a
  // fifth of a read answered from memory). What is left is written on exit; a kill -9 may lose
  // the last second of lines, never a record.
  const logStream = batchedLogDestination({
    fd: 1,
    batchChars: LOG_BATCH_CHARS,
    flushMs: LOG_FLUSH_MS,
  });
  let app: App | undefined;
  try {
    const { version } = await migrate(database);
    const orphaned = await releaseOrphanedReservations(database);
    app = await buildApp({
      database,
      devActors: process.env.PURL_DEV_ACTORS === '1',
      rateLimits,
      oidc,
      readCache: process.env.PURL_READ_CACHE !== 'off',
      logger: {
        level: process.env.LOG_LEVEL || 'info',
        stream: logStream,
      },
    });
    if (orphaned > 0)
      app.log.warn(
        { released: orphaned },
        `${orphaned} Idempotency-Key reservation(s) of a server that stopped without finishing ` +
          'were released: their requests never committed, and a retry runs them.',
      );
    if (demoWanted) await loadDemoIfEmpty(app, database, template);
    await app.listen({ port, host });
    const url = publicUrl(app, host);
    app.log.info(
      { url, engine: database.engine, location: database.location, migrationVersion: version },
      `PURL Ledger serving ${url} (engine ${database.engine}, data ${database.location}, ` +
        `schema version ${version}; API docs at ${url}/api/docs)`,
    );
    logStream.flush(); // the line that says where to go, at once
  } catch (error) {
    await app?.close();
    await database.close();
    if (isDatabaseUnavailableError(error)) {
      throw new DomainError('DATABASE_UNAVAILABLE', undefined, { location: database.location });
    }
    throw error;
  }
  stopOnSignal(app, database);
}

/**
 * Builds the web application when it is not built (a fresh clone: `npm start` just works),
 * saying so and how long it took. Vite is loaded only then. A failure is reported, not fatal.
 */
async function buildWebIfMissing(): Promise<void> {
  if (isWebBuilt()) return;
  console.log(`web application not built yet: building it into ${WEB_DIST} (Vite)…`);
  try {
    const { buildWeb } = await import('../../web/tools/build.js');
    const result = await buildWeb();
    console.log(`web application built in ${result.seconds.toFixed(1)} s`);
  } catch (error) {
    console.error(
      `web application build failed (${error instanceof Error ? error.message : String(error)}); ` +
        'serving the API only. Run `npm run web:build` to see why.',
    );
  }
}

/**
 * A database without contributions and packages gets the demo (`purl demo load`) before the
 * server listens, so `npm start` on a fresh machine tells the PURL story; PURL_NO_DEMO=1 skips
 * it. A refusal (other data, a missing ECB file) is logged and the server starts anyway.
 */
async function loadDemoIfEmpty(
  app: App,
  database: Database,
  template: DemoTemplate | undefined,
): Promise<void> {
  if (!(await holdsNoFunding(database))) {
    if (template?.copy) {
      app.log.info(
        { demo: { template: template.key } },
        'fresh data folder: demo data restored from the copy of the demo this machine loaded ' +
          'first (the same records, audit chain included). ' +
          'Set PURL_NO_DEMO=1 to start with an empty database, PURL_DEMO_TEMPLATE=off to load ' +
          'the demo through the services instead.',
      );
      logDemoUsers(
        app,
        DEMO_USERS.map((u) => u.email),
      );
    }
    return;
  }
  try {
    const demo = await loadDemo(database);
    app.log.info(
      { demo: { seconds: demo.seconds, packages: demo.packages.length } },
      `empty database: demo data loaded in ${demo.seconds.toFixed(1)} s ` +
        `(${demo.contributions.length} contributions, ${demo.packages.length} packages, ` +
        `${demo.meetings.length} meetings; synthetic records are marked synthetic). ` +
        'Set PURL_NO_DEMO=1 to start with an empty database.',
    );
    // Printed once, when the demo was just loaded.
    if (demo.users.created.length > 0) logDemoUsers(app, demo.users.created);
    if (template && database.dumpDataDir) {
      // Taken before the server listens (nothing but the demo in it); written in the background.
      const dump = await database.dumpDataDir();
      saveDemoTemplate(template.key, dump).then(
        (file) => app.log.info({ file }, `kept a copy of the demo for the next fresh data folder`),
        (error: unknown) =>
          app.log.warn({ err: error }, 'could not keep a copy of the demo (not needed to run)'),
      );
    }
  } catch (error) {
    if (!isDomainError(error)) throw error;
    app.log.warn({ code: error.code }, `demo data not loaded: ${error.message}`);
  }
}

function logDemoUsers(app: App, emails: readonly string[]): void {
  // A password of one's own is never logged.
  const password = process.env.PURL_DEMO_PASSWORD
    ? 'the password in PURL_DEMO_PASSWORD'
    : `the password ${DEMO_PASSWORD_DEFAULT}`;
  app.log.info({ demoUsers: emails }, `demo users, all with ${password}: ${emails.join(', ')}`);
}

interface DemoTemplate {
  key: string;
  /** The kept copy, when there is one. */
  copy: Blob | undefined;
}

/**
 * On PGlite with a fresh data folder: the demo copy's key and the copy when it is kept
 * (services/demo-template.ts). A copy is only a shortcut: any failure here means none.
 */
async function demoTemplateFor(): Promise<DemoTemplate | undefined> {
  if (process.env.DATABASE_URL || !demoTemplateEnabled()) return undefined;
  try {
    if (!(await isFreshDataDir(pgliteDataDirFromEnv()))) return undefined;
    const key = await demoTemplateKey();
    return { key, copy: await findDemoTemplate(key) };
  } catch {
    return undefined;
  }
}

function stopOnSignal(app: App, database: Database): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const deadline = setTimeout(() => {
      app.log.error(`shutdown took over ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    try {
      await app.close();
    } finally {
      await database.close();
      clearTimeout(deadline);
    }
    app.log.info('stopped');
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stop(signal).catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      });
    });
  }
}

/**
 * `PURL_RATE_LIMITS`: unset, empty, `on` or `1` keeps the rate limits of `security.ts`; `off`,
 * `0` or `false` lifts them (a benchmark sends thousands of requests a second from one client —
 * never do this on a server others can reach). Anything else stops the start.
 */
export function rateLimitsFromEnv(value: string | undefined): false | undefined {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '' || text === 'on' || text === '1' || text === 'true') return undefined;
  if (text === 'off' || text === '0' || text === 'false') return false;
  throw new DomainError(
    'VALIDATION_FAILED',
    `PURL_RATE_LIMITS must be on or off, not "${value}".`,
    {
      field: 'PURL_RATE_LIMITS',
    },
  );
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `PORT must be an integer from 0 to 65535, not "${text}".`,
      {
        field: 'PORT',
      },
    );
  }
  return port;
}

function parseHeapGrowth(text: string | undefined): number {
  if (text === undefined || text === '') return HEAP_GROWTH_PERCENT_DEFAULT;
  const percent = Number(text);
  if (!Number.isInteger(percent) || percent < 0 || percent > HEAP_GROWTH_PERCENT_MAX) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `PURL_HEAP_GROWTH_PERCENT must be an integer from 0 (V8's own growth) to ${HEAP_GROWTH_PERCENT_MAX}, not "${text}".`,
      { field: 'PURL_HEAP_GROWTH_PERCENT' },
    );
  }
  return percent;
}

/** The URL a person on this machine can open; the port is the bound one (PORT=0 picks a free one). */
function publicUrl(app: App, host: string): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : DEFAULT_PORT;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
