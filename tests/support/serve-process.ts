/**
 * Starts the real `purl serve` (`node bin/purl.js serve`) as a child process and waits for its
 * startup line (`PURL Ledger serving …`, JSON with the url), keeping everything it printed.
 * Tests kill it in afterEach with `stopServe` (SIGKILL if still running).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const OUTPUT_KEPT_CHARS = 256 * 1024;
const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));

export interface ServeProcess {
  server: ChildProcessByStdio<null, Readable, Readable>;
  /** The address it listens on, from its startup line. */
  url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with its exit code once it exited and everything it printed was read. */
  exited: Promise<number | null>;
}

export async function startServe(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ServeProcess> {
  const server = spawn(process.execPath, [PURL, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(server);
  // On `close`: after its exit and its output read to the end (the last lines are in `output`).
  const exited = new Promise<number | null>((resolve) => server.once('close', resolve));
  let output = '';
  let listening = false;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no startup line within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // A server under load logs every request: keep the start and the last 256 kB.
      if (output.length > OUTPUT_KEPT_CHARS * 2)
        output = `${output.slice(0, OUTPUT_KEPT_CHARS / 4)}\n…\n${output.slice(-OUTPUT_KEPT_CHARS)}`;
      if (listening) return;
      for (const line of output.split('\n')) {
        if (!line.includes('PURL Ledger serving')) continue;
        listening = true;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return { server, url, output: () => output, exited };
}

const running = new Set<ServeProcess['server']>();

/** Kills every server `startServe` started that is still running (for afterEach). */
export function stopServe(): void {
  for (const server of running) {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  }
  running.clear();
}
