/**
 * Processes of the benchmarks: the product's server (`node bin/purl.js serve`, or `npm start`)
 * and its CLI run as children on loopback, a bare Fastify server as the floor, and the helpers
 * around them (a free port, waiting for the first 200, the peak resident memory from /proc).
 * Every child is started in its own process group and stopped by its id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository's root: children run there, as `npm start` would. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface Child {
  readonly child: ChildProcess;
  readonly pid: number;
  /** What the process wrote so far (stdout and stderr, the last 64 KiB). */
  output(): string;
  /** SIGTERM to the whole process group, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_KEEP_CHARS = 64 * 1024;

/** Process groups still running, killed if the benchmark itself exits or is interrupted. */
const running = new Set<number>();
/** Asynchronous clean-ups (a PostgreSQL cluster) to run on SIGINT or SIGTERM before exiting. */
const interruptCleanups: (() => Promise<void>)[] = [];

export function onInterrupt(cleanup: () => Promise<void>): void {
  interruptCleanups.push(cleanup);
}

process.on('exit', () => {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const pid of running) signalGroup(pid, 'SIGKILL');
    void Promise.allSettled(interruptCleanups.map((cleanup) => cleanup())).finally(() =>
      process.exit(130),
    );
  });
}

/** Starts `command args` in its own process group with `env` added to ours. */
export function startChild(
  command: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
): Child {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  running.add(pid);
  child.once('exit', () => running.delete(pid));
  // The last chunks, joined only when asked: a server logging every request sends megabytes a
  // second, read in the process that also runs the load generator, which must not pay a copy of
  // the whole kept text per chunk.
  const chunks: Buffer[] = [];
  let keptBytes = 0;
  const keep = (chunk: Buffer) => {
    chunks.push(chunk);
    keptBytes += chunk.length;
    while (keptBytes - chunks[0]!.length >= OUTPUT_KEEP_CHARS) keptBytes -= chunks.shift()!.length;
  };
  const output = () => Buffer.concat(chunks).toString('utf8').slice(-OUTPUT_KEEP_CHARS);
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid,
    output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Runs a command to its end; throws with its output when it fails. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<{ output: string; ms: number }> {
  const started = performance.now();
  const child = startChild(command, args, env);
  const code = await new Promise<number | null>((resolve) => child.child.once('exit', resolve));
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${child.output()}`);
  }
  return { output: child.output(), ms: performance.now() - started };
}

/** Runs the product's CLI (`node bin/purl.js …`) to its end. */
export function runPurl(args: readonly string[], env: Record<string, string | undefined>) {
  return runToEnd(process.execPath, ['bin/purl.js', ...args], env);
}

/**
 * Polls `url` every `intervalMs` until it answers 200; resolves with the milliseconds since
 * `since`. Fails when `child` exits first or after `timeoutMs`.
 */
export async function waitFor200(
  url: string,
  child: Child,
  since: number,
  { timeoutMs = 120_000, intervalMs = 20 } = {},
): Promise<number> {
  for (;;) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) {
      throw new Error(`the server exited before answering ${url}:\n${child.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - since;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - since > timeoutMs) {
      throw new Error(`no 200 from ${url} after ${timeoutMs} ms:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface ServerChild extends Child {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Milliseconds from spawning to the first 200 of the health route. */
  readonly readyMs: number;
}

export interface ProductServerOptions {
  /** Added to the environment: DATABASE_URL or PURL_DATA_DIR, PURL_NO_DEMO, LOG_LEVEL, … */
  env: Record<string, string | undefined>;
  /** `serve` (default: `node bin/purl.js serve`, the server is the child itself) or `npm-start`. */
  via?: 'serve' | 'npm-start';
  /** Extra node options for the server (e.g. `--cpu-prof`); only with `serve`. */
  nodeOptions?: readonly string[];
  timeoutMs?: number;
}

/** The product's health route: answers 200 once the server listens and its database answers. */
export const HEALTH_PATH = '/api/v1/health';

/** Starts the product's server on a free loopback port and waits for its first 200. */
export async function startProductServer(options: ProductServerOptions): Promise<ServerChild> {
  const port = await freePort();
  const env = { HOST: '127.0.0.1', PORT: String(port), ...options.env };
  const since = performance.now();
  const child =
    options.via === 'npm-start'
      ? startChild('npm', ['start', '--silent'], env)
      : startChild(process.execPath, [...(options.nodeOptions ?? []), 'bin/purl.js', 'serve'], env);
  const url = `http://127.0.0.1:${port}`;
  try {
    const readyMs = await waitFor200(url + HEALTH_PATH, child, since, {
      timeoutMs: options.timeoutMs ?? 180_000,
    });
    return { ...child, url, readyMs };
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
}

/**
 * A bare Fastify server, the floor: one route per entry answering a prebuilt body with no hooks,
 * no plugins, no logger. Started with `node -e` (no TypeScript loader) so its start-up is
 * Fastify's own. Each route answers `body` (a JSON text) with `status`.
 */
export interface BareRoute {
  method: 'GET' | 'POST';
  path: string;
  status: number;
  body: string;
}

export function bareFastifySource(port: number, routes: readonly BareRoute[]): string {
  return [
    "const app = require('fastify')();",
    `const routes = ${JSON.stringify(routes)};`,
    'for (const r of routes) {',
    "  app.route({ method: r.method, url: r.path, handler: (_request, reply) => reply.code(r.status).type('application/json; charset=utf-8').send(r.body) });",
    '}',
    `app.listen({ port: ${port}, host: '127.0.0.1' });`,
  ].join('\n');
}

/** Starts the bare Fastify floor on a free port and waits for the first 200 of `readyPath`. */
export async function startBareServer(
  routes: readonly BareRoute[],
  readyPath: string,
): Promise<ServerChild> {
  const port = await freePort();
  const since = performance.now();
  const child = startChild(process.execPath, ['-e', bareFastifySource(port, routes)], {});
  const url = `http://127.0.0.1:${port}`;
  try {
    const readyMs = await waitFor200(url + readyPath, child, since, { timeoutMs: 30_000 });
    return { ...child, url, readyMs };
  } catch (error) {
    await child.stop(2_000);
    throw error;
  }
}

/** The peak resident set (VmHWM) of a process so far, in bytes (Linux /proc). */
export async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** The current resident set (VmRSS) in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** CPU time a process has used so far (user + system), in milliseconds (Linux /proc). */
export async function cpuTimeMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
