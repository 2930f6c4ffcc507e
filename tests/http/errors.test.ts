import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ERROR_CATALOGUE,
  ERROR_CODES,
  DomainError,
  type ErrorCode,
} from '../../src/core/errors.js';
import { LIMITS } from '../../src/core/limits.js';
import { buildApp } from '../../src/http/app.js';
import { ERROR_STATUS, RETRY_AFTER_SECONDS } from '../../src/http/error-status.js';
import { toHttpError } from '../../src/http/errors.js';
import { isDatabaseUnavailableError } from '../../src/storage/database-errors.js';
import { ErrorResponse } from '../../src/http/schemas.js';
import { openDatabase } from '../../src/storage/database.js';
import { ENGINES } from '../support/engines.js';
import { openTestApp, type TestApp } from './support.js';

describe('error catalogue', () => {
  it('gives every ErrorCode an HTTP status (4xx or 5xx) and a non-empty message', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect(ERROR_CATALOGUE[code].trim(), code).not.toBe('');
      expect(ERROR_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(ERROR_STATUS[code], code).toBeLessThan(600);
    }
  });

  it('sends Retry-After with every 503 code, and only with those', () => {
    for (const code of ERROR_CODES) {
      expect(RETRY_AFTER_SECONDS[code] !== undefined, code).toBe(ERROR_STATUS[code] === 503);
    }
  });

  it('maps every code to a body that matches the documented ErrorResponse schema', () => {
    for (const code of ERROR_CODES) {
      const mapped = toHttpError(new DomainError(code));
      expect(mapped.status).toBe(ERROR_STATUS[code]);
      expect(ErrorResponse.parse(mapped.body)).toEqual({
        error: { code, message: ERROR_CATALOGUE[code], details: {} },
      });
    }
  });
});

describe('database-unavailable detection', () => {
  const pgError = (code: string) => Object.assign(new Error('server says no'), { code });

  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['admin shutdown (57P01)', pgError('57P01')],
    ['cannot connect now (57P03)', pgError('57P03')],
    ['a connection exception (08006)', pgError('08006')],
    ['a lost connection without a code', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a refusal wrapped in an AggregateError (IPv4 and IPv6 both refused)',
      Object.assign(new AggregateError([pgError('ECONNREFUSED')], 'connect failed'), {}),
    ],
    ['a refusal as the cause', new Error('query failed', { cause: pgError('57P01') })],
  ])('treats %s as DATABASE_UNAVAILABLE 503 with Retry-After', (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
    const mapped = toHttpError(error);
    expect(mapped.status).toBe(503);
    expect(mapped.body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect(mapped.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS.DATABASE_UNAVAILABLE));
  });

  it.each([
    ['a unique violation (23505)', pgError('23505')],
    ['a syntax error (42601)', pgError('42601')],
    ['a client that hung up mid-body', Object.assign(pgError('ECONNRESET'), { statusCode: 400 })],
  ])('does not treat %s as the database being down', (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });

  it('reports a serialization failure that escaped the retry loop as CONFLICT_RETRY_EXHAUSTED, not a 500', () => {
    const mapped = toHttpError(pgError('40001'));
    expect(mapped.status).toBe(503);
    expect(mapped.body.error.code).toBe('CONFLICT_RETRY_EXHAUSTED');
  });
});

describe.each(ENGINES)('http errors on %s', (engine) => {
  let h: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    h = await openTestApp(engine, { logger: { level: 'error', stream } });
  });
  afterAll(async () => h?.close());

  it('answers an unknown route with 404 NOT_FOUND in the error shape', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/no-such-thing?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: expect.stringContaining('/api/v1/no-such-thing'),
        details: { method: 'GET', path: '/api/v1/no-such-thing' },
      },
    });
  });

  it('refuses a body over httpBodyBytesMax with 413 LIMIT_EXCEEDED naming the limit', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: `{"amountMinor":"1","pad":"${'x'.repeat(LIMITS.httpBodyBytesMax)}"}`,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      details: { field: 'body', limit: 'httpBodyBytesMax', max: LIMITS.httpBodyBytesMax },
    });
  });

  it('refuses malformed JSON with 400 VALIDATION_FAILED on field body', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"amountMinor": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'body' },
    });
  });

  it('names the offending field of a schema failure as a dotted path', async () => {
    const wrongType = await h.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { amountMinor: 12.5 },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'body.amountMinor' },
    });

    const nested = await h.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { amountMinor: '1', lines: [{ quantity: 1 }, { quantity: 0 }] },
    });
    expect(nested.statusCode).toBe(400);
    const error = nested.json().error;
    expect(error.details.field).toBe('body.lines.1.quantity');
    expect(error.details.issues).toEqual([
      { field: 'body.lines.1.quantity', code: 'too_small', message: expect.any(String) },
    ]);
  });

  it.each<[ErrorCode, number]>([
    ['EXCEEDS_CREDITS', 422],
    ['PENDING_ALREADY_RESOLVED', 409],
    ['ACCOUNT_NOT_FOUND', 404],
    ['FORBIDDEN', 403],
  ])(
    'maps a DomainError %s thrown by a route to %i with its message and details',
    async (code, status) => {
      const response = await h.app.inject({
        method: 'GET',
        url: `/api/v1/test/domain-error/${code}`,
      });
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({
        error: {
          code,
          message: ERROR_CATALOGUE[code],
          details: { field: 'body.amountMinor', availableMinor: '5' },
        },
      });
    },
  );

  it('adds Retry-After to transient refusals and WWW-Authenticate to 401', async () => {
    const retry = await h.app.inject({
      method: 'GET',
      url: '/api/v1/test/domain-error/CONFLICT_RETRY_EXHAUSTED',
    });
    expect(retry.statusCode).toBe(503);
    expect(retry.headers['retry-after']).toBe('1');
    const unauthenticated = await h.app.inject({
      method: 'GET',
      url: '/api/v1/test/domain-error/UNAUTHENTICATED',
    });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers a bug with a generic 500 INTERNAL and logs the real error under the request id', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/test/bug' });
    expect(response.statusCode).toBe(500);
    const requestId = response.headers['x-request-id'];
    expect(response.json()).toEqual({
      error: { code: 'INTERNAL', message: ERROR_CATALOGUE.INTERNAL, details: { requestId } },
    });
    expect(response.body).not.toMatch(/SELECT|secret_column|at .*\.ts/);
    const logged = logLines.map((line) => JSON.parse(line)).find((l) => l.requestId === requestId);
    expect(logged).toMatchObject({
      level: 50,
      errorCode: 'INTERNAL',
      err: { message: expect.stringContaining('secret_column'), stack: expect.any(String) },
    });
  });
});

describe('a database that cannot be reached', () => {
  it('makes health answer 503 DATABASE_UNAVAILABLE with Retry-After (PostgreSQL refusing connections)', async () => {
    // Port 1 on loopback: nothing listens there, so every connection is refused at once.
    const database = await openDatabase({ url: 'postgres://purl@127.0.0.1:1/purl', poolSize: 1 });
    const app = await buildApp({ database });
    try {
      const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().error).toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        details: { requestId: response.headers['x-request-id'] },
      });
      expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
