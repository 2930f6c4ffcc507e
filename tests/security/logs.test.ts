/**
 * No secret in the log, on both engines: with the most verbose logger, a sign-in (right and
 * wrong password), an API token's creation and use, and cookie-authenticated requests leave no
 * password, session id, CSRF token or API token in the output; a log call that does include
 * headers or such fields has them `[redacted]`.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { buildApp, type App } from '../../src/http/app.js';
import { createUser } from '../../src/services/identity-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const PASSWORD = 'a long enough passphrase';
const WRONG = 'this is the wrong passphrase';

describe.each(ENGINES)('log redaction on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    app = await buildApp({ database: t.database, logger: { level: 'trace', stream } });
    await createUser(t.database, systemActor('test'), {
      email: 'auditor@test.purl',
      role: 'auditor',
      password: PASSWORD,
    });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('a sign-in and a token creation log no password, session, CSRF token or API token', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'auditor@test.purl', password: WRONG },
    });
    expect(wrong.statusCode).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'auditor@test.purl', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const { token: session, csrfToken } = login.json().session as {
      token: string;
      csrfToken: string;
    };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { 'x-csrf-token': csrfToken },
      cookies: { purl_session: session },
      payload: { name: 'export', expiresInDays: 7 },
    });
    expect(created.statusCode).toBe(201);
    const secret = created.json().secret as string;
    const used = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(used.statusCode).toBe(200);

    const output = lines.join('');
    // The logger did log these requests: one line each, with the request and its answer.
    const completed = lines.filter((line) => line.includes('request completed'));
    expect(completed.length).toBeGreaterThanOrEqual(3);
    expect(completed.join('')).toContain('"url":"/api/v1/auth/me"');
    expect(completed.join('')).toContain('"statusCode":200');
    // Each line names its request, as every line the request logs does.
    for (const line of completed) expect(line).toMatch(/"requestId":"[^"]+"/);
    expect(output).not.toContain('incoming request');
    for (const value of [PASSWORD, WRONG, session, csrfToken, secret]) {
      expect(output).not.toContain(value);
    }
  });

  it("a request's own lines (made on its first message) name it and are redacted", async () => {
    lines.length = 0;
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-request-id': 'probe-refused-1' },
      payload: { email: 'auditor@test.purl', password: WRONG },
    });
    expect(refused.statusCode).toBe(401);
    const own = lines.filter((line) => line.includes('request refused'));
    expect(own).toHaveLength(1);
    expect(own[0]).toContain('"requestId":"probe-refused-1"');
    expect(own[0]).toContain(`"errorCode":"UNAUTHENTICATED"`);
    // The same request's completed line, through the line logger, names it too.
    const completed = lines.filter((line) => line.includes('request completed'));
    expect(completed.some((line) => line.includes('"requestId":"probe-refused-1"'))).toBe(true);
    expect(lines.join('')).not.toContain(WRONG);
  });

  it('redacts headers and secret fields when something logs them', async () => {
    lines.length = 0;
    app.log.info(
      {
        headers: { authorization: 'Bearer header-secret', cookie: 'purl_session=cookie-secret' },
        req: { headers: { authorization: 'Bearer req-secret' } },
        body: { email: 'auditor@test.purl', password: 'body-password' },
        session: { token: 'session-token' },
        created: { token: { secret: 'nested-secret' } },
      },
      'probe',
    );
    const output = lines.join('');
    expect(output).toContain('probe');
    expect(output).toContain('[redacted]');
    expect(output).toContain('auditor@test.purl');
    for (const value of [
      'header-secret',
      'cookie-secret',
      'req-secret',
      'body-password',
      'session-token',
      'nested-secret',
    ]) {
      expect(output).not.toContain(value);
    }
  });
});
