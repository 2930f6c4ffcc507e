/**
 * A request's logger (`http/request-logger.ts`): its pino child is made on the first message at
 * an enabled level, once, with the bindings and options Fastify gives; what is written is what
 * the child would have written.
 */
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger } from '../../src/http/request-logger.js';

function parentLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const parent: Logger = pino({ level, redact: ['secret'] }, stream);
  // Counts the children made from `parent` (its own children inherit this method: `this` is theirs).
  const child = parent.child;
  const made = { children: 0 };
  parent.child = function (this: Logger, ...args: Parameters<Logger['child']>) {
    if (this === parent) made.children += 1;
    return child.apply(this, args);
  } as Logger['child'];
  return { parent, lines, made };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('request logger', () => {
  it('makes no child until a message at an enabled level, then one', async () => {
    const { parent, lines, made } = parentLogger('info');
    const log = lazyRequestLogger(parent as FastifyBaseLogger, { requestId: 'r-1' }, {});
    expect(log.level).toBe('info');
    log.debug({ detail: 1 }, 'not at this level');
    log.trace('nor this');
    expect(made.children).toBe(0);
    log.info({ secret: 'x', n: 1 }, 'first');
    log.warn('second');
    await flush();
    expect(made.children).toBe(1);
    expect(lines.map((l) => [l.requestId, l.msg])).toEqual([
      ['r-1', 'first'],
      ['r-1', 'second'],
    ]);
    expect(lines[0]!.secret).toBe('[Redacted]');
    expect(lines[0]!.n).toBe(1);
  });

  it("a route's own level makes the child at once and applies", async () => {
    const { parent, lines, made } = parentLogger('info');
    const log = lazyRequestLogger(
      parent as FastifyBaseLogger,
      { requestId: 'r-2' },
      {
        level: 'warn',
      },
    );
    expect(made.children).toBe(1);
    expect(log.level).toBe('warn');
    log.info('dropped');
    log.error('kept');
    await flush();
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });

  it('a child of it carries both bindings; a level set on it sticks', async () => {
    const { parent, lines } = parentLogger('info');
    const log = lazyRequestLogger(parent as FastifyBaseLogger, { requestId: 'r-3' }, {});
    log.child({ part: 'inner' }).info('from the inner');
    log.level = 'error';
    expect(log.level).toBe('error');
    log.warn('dropped');
    await flush();
    expect(lines.map((l) => [l.requestId, l.part, l.msg])).toEqual([
      ['r-3', 'inner', 'from the inner'],
    ]);
  });
});
