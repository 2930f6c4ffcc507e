/**
 * `purl serve`'s log destination (`cli/log-destination.ts`): lines wait until a batch is
 * gathered, a flush, the timer or the end, and are written in the order they were logged.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchedLogDestination } from '../../src/cli/log-destination.js';

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batched log destination', () => {
  let folder: string;
  let file: string;
  let fd: number;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'purl-log-'));
    file = join(folder, 'log');
    fd = openSync(file, 'w');
  });
  afterEach(async () => {
    closeSync(fd);
    await rm(folder, { recursive: true, force: true });
  });
  const written = () => readFileSync(file, 'utf8');

  it('writes a batch once enough waits, the rest on flush, in order', async () => {
    const destination = batchedLogDestination({ fd, batchChars: 50, flushMs: 60_000 });
    destination.write('line one — 20 chars\n');
    destination.write('line two — 20 chars\n');
    await settle();
    expect(written()).toBe('');
    destination.write('line three is longer\n');
    await settle();
    expect(written()).toBe('line one — 20 chars\nline two — 20 chars\nline three is longer\n');
    destination.write('line four\n');
    await settle();
    expect(written()).not.toContain('four');
    destination.flush();
    await settle();
    expect(written().endsWith('line three is longer\nline four\n')).toBe(true);
    await destination.close();
  });

  it('writes what waits after at most flushMs', async () => {
    const destination = batchedLogDestination({ fd, batchChars: 4_096, flushMs: 40 });
    destination.write('alone\n');
    await settle(200);
    expect(written()).toBe('alone\n');
    await destination.close();
  });

  it('close writes every line, in order, and lets go of its exit handlers', async () => {
    const names = (event: 'exit' | 'beforeExit') =>
      (event === 'exit' ? process.listeners('exit') : process.listeners('beforeExit')).map(
        (f) => f.name,
      );
    const destination = batchedLogDestination({ fd, batchChars: 4_096, flushMs: 60_000 });
    expect(names('exit')).toContain('writeLeft');
    expect(names('beforeExit')).toContain('handOver');
    const logger = pino({ base: null, timestamp: false }, destination);
    // More than one batch: the first is still being written when close hands over the rest.
    for (let i = 0; i < 100; i += 1) logger.info({ i }, 'request completed');
    await destination.close();
    const lines = written().trim().split('\n');
    expect(lines).toHaveLength(100);
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    expect(names('exit')).not.toContain('writeLeft');
    expect(names('beforeExit')).not.toContain('handOver');
  });

  it('a fatal line is written at once, with the lines before it', async () => {
    const destination = batchedLogDestination({ fd, batchChars: 4_096, flushMs: 60_000 });
    const logger = pino({ base: null, timestamp: false }, destination);
    logger.info('before');
    logger.fatal('the end');
    expect(
      written()
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    ).toEqual(['before', 'the end']);
    await destination.close();
  });

  it('process.exit writes the lines still waiting, on stdout, in order', () => {
    const module = fileURLToPath(new URL('../../src/cli/log-destination.ts', import.meta.url));
    const script = [
      `const { batchedLogDestination } = await import(${JSON.stringify(module)});`,
      'const destination = batchedLogDestination({ fd: 1, batchChars: 4096, flushMs: 60000 });',
      "for (const line of ['one', 'two', 'three']) destination.write(line + '\\n');",
      'process.exit(0);',
    ].join('\n');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toBe('one\ntwo\nthree\n');
  });
});
