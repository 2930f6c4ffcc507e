/**
 * The server serves the built web application beside the API: `index.html` for every app URL
 * (shareable deep links) with a fresh CSP nonce each time, hashed assets cached as immutable and
 * pre-compressed, nothing outside the build folder, and the API's own 404 under /api. An app not
 * built yet answers 503 with what to do, and the API still works.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { webApp } from '../../src/http/web.js';
import { CSP_NONCE_PLACEHOLDER, WEB_DIST, isWebBuilt } from '../../src/web/tools/paths.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

describe.each(ENGINES)('the web application served on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  beforeAll(async () => {
    expect(isWebBuilt(WEB_DIST), 'the global setup builds src/web/dist').toBe(true);
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('answers index.html for the app’s URLs, never cached, with a fresh nonce in its CSP', async () => {
    const nonces: string[] = [];
    for (const url of ['/', '/analysis/drill?figure=funnel.paid', '/packages/12', '/public']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="root"></div>');
      expect(response.body).not.toContain(CSP_NONCE_PLACEHOLDER);
      const csp = String(response.headers['content-security-policy']);
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, csp).toBeDefined();
      // Every tag Vite wrote carries this response's nonce; styles need it, scripts come from self.
      expect(response.body).toContain(`nonce="${nonce}"`);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain(`style-src-elem 'self' 'nonce-${nonce}'`);
      expect(csp).toContain("frame-ancestors 'none'");
      nonces.push(nonce ?? '');
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('serves hashed assets as immutable, pre-compressed for clients that accept it', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeDefined();
    const plain = await app.inject({ method: 'GET', url: script ?? '' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toMatch(/javascript/);
    const brotli = await app.inject({
      method: 'GET',
      url: script ?? '',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    const head = await app.inject({ method: 'HEAD', url: script ?? '' });
    expect(head.statusCode).toBe(200);
  });

  it('serves other files of the build, revalidated; 404 for a missing file, never HTML', async () => {
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    for (const url of ['/assets/missing-abc123.js', '/robots.txt', '/.purl-build.json']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/application\/json/);
    }
  });

  it('never serves a file outside the build folder', async () => {
    for (const url of [
      '/..%2f..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2f..%2f..%2fpackage.json',
      '/%00index.html',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain('"name": "purl-ledger"');
      // The app shell, not found, or (a NUL in the path) refused as malformed.
      expect([200, 400, 404], url).toContain(response.statusCode);
    }
  });

  it('leaves /api to the API: its JSON 404 and its routes', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const health = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    const openapi = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(openapi.json().paths as object)).not.toContain('/*');
  });
});

describe('an app that is not built', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'purl-web-unbuilt-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('answers 503 with how to build it', async () => {
    const app = Fastify();
    await app.register(webApp, { root });
    const response = await app.inject({ method: 'GET', url: '/dashboard' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run web:build');
    expect(response.headers['cache-control']).toBe('no-store');
    await app.close();
  });
});
