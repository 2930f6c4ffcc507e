import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/storage/migrate.js';
import { PACKAGE_VERSION } from '../../src/http/version.js';
import { ENGINES } from '../support/engines.js';
import { openTestApp, type TestApp } from './support.js';

describe.each(ENGINES)('http app on %s', (engine) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(engine);
  });
  afterAll(async () => h?.close());

  it('GET /api/v1/health reports the engine, the applied migration version and the package version', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    const latest = (await loadMigrations()).at(-1)!.version;
    expect(response.json()).toEqual({
      status: 'ok',
      engine,
      migrationVersion: latest,
      version: PACKAGE_VERSION,
    });
  });

  it('serves an OpenAPI 3.1 document with the health route and the ErrorResponse component', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\.1\./);
    const health = document.paths['/api/v1/health'].get;
    expect(health.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Health',
    });
    expect(health.responses['4XX'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorResponse',
    });
    const error = document.components.schemas.ErrorResponse;
    expect(error.required).toEqual(['error']);
    expect(error.properties.error.required).toEqual(['code', 'message', 'details']);
    expect(error.properties.error.properties.code.enum).toContain('VALIDATION_FAILED');
    // Only referenced components are kept (no unused `ErrorResponseInput` twin).
    expect(Object.keys(document.components.schemas).filter((n) => n.endsWith('Input'))).toEqual([]);
    // Documentation routes document nothing about themselves.
    expect(Object.keys(document.paths).filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
  });

  it('documents a bigint field as a decimal string in requests and responses', async () => {
    const document = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const echo = document.paths['/api/v1/test/echo'].post;
    const request = echo.requestBody.content['application/json'].schema.properties.amountMinor;
    const response =
      echo.responses['200'].content['application/json'].schema.properties.amountMinor;
    for (const schema of [request, response]) {
      expect(schema).toMatchObject({ type: 'string', pattern: '^-?(0|[1-9][0-9]*)$' });
    }
  });

  it('serves the API reference at /api/docs from this server alone: no script from the internet', async () => {
    const redirect = await h.app.inject({ method: 'GET', url: '/api/docs' });
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe('/api/docs/');

    const page = await h.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const sources = [...page.body.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    expect(page.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(page.body).toContain('/api/openapi.json');
    for (const source of sources) {
      const script = await h.app.inject({
        method: 'GET',
        url: new URL(source, 'http://localhost/api/docs/').pathname,
      });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
    }
  });

  it('writes every bigint as a decimal string, with or without a response schema', async () => {
    const typed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { amountMinor: '9223372036854775807' },
    });
    expect(typed.statusCode).toBe(200);
    expect(typed.body).toBe('{"amountMinor":"9223372036854775807"}');

    const untyped = await h.app.inject({ method: 'GET', url: '/api/v1/test/untyped-bigint' });
    expect(untyped.statusCode).toBe(200);
    expect(untyped.body).toBe('{"amountMinor":"9223372036854775807"}');
  });

  it('answers every request with an X-Request-Id, keeping a plain one the client sent', async () => {
    const given = await h.app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(given.headers['x-request-id']).toBe('trace-42');
    const odd = await h.app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { 'x-request-id': 'not plain <script>' },
    });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
