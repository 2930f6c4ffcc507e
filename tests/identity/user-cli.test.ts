/**
 * `purl user create` through the real CLI (a child process on a PGlite data folder), then a
 * login with that password through the app on the same folder; a weak password is refused
 * naming the field, and no user exists before one is created.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openDatabase } from '../../src/storage/database.js';

const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
const PASSWORD = 'first admin passphrase';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'purl-user-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function purl(args: string[], env: Record<string, string> = {}, stdin?: string) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PURL_DATA_DIR: dataDir, ...env };
  delete childEnv.DATABASE_URL;
  if (!('PURL_NEW_PASSWORD' in env)) delete childEnv.PURL_NEW_PASSWORD;
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [PURL, ...args], { env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

it('creates the first admin from the CLI, who can then sign in', { timeout: 120_000 }, async () => {
  const empty = await purl(['user', 'list']);
  expect(empty.code, empty.stderr).toBe(0);
  expect(empty.stdout).toContain('no users');

  const weak = await purl(['user', 'create', '--role', 'admin', '--email', 'a@x.org'], {
    PURL_NEW_PASSWORD: 'Xy7-weak',
  });
  expect(weak.code).toBe(2);
  expect(weak.stderr).toContain('VALIDATION_FAILED (field: password)');
  expect(weak.stderr + weak.stdout).not.toContain('Xy7-weak');

  const created = await purl(
    ['user', 'create', '--role', 'admin', '--email', 'First.Admin@Example.org', '--name', 'Ops'],
    { PURL_NEW_PASSWORD: PASSWORD },
  );
  expect(created.code, created.stderr).toBe(0);
  expect(created.stdout).toContain('created first.admin@example.org  admin  "Ops"');

  // The password may also come on stdin (scripts without the variable).
  const viaStdin = await purl(
    ['user', 'create', '--role', 'contributor', '--party', 'NLD', '--email', 'nl@example.org'],
    {},
    'ministry passphrase nl\n',
  );
  expect(viaStdin.code, viaStdin.stderr).toBe(0);

  const database = await openDatabase({ dataDir });
  try {
    const app = await buildApp({ database });
    for (const [email, password, role] of [
      ['first.admin@example.org', PASSWORD, 'admin'],
      ['nl@example.org', 'ministry passphrase nl', 'contributor'],
    ]) {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
      });
      expect(login.statusCode, login.body).toBe(200);
      expect(login.json().user.role).toBe(role);
    }
    await app.close();
  } finally {
    await database.close();
  }

  const disabled = await purl(['user', 'disable', '--email', 'nl@example.org']);
  expect(disabled.code, disabled.stderr).toBe(0);
  const list = await purl(['user', 'list']);
  expect(list.stdout).toContain('nl@example.org  contributor:NLD');
  expect(list.stdout).toContain('(disabled)');
});
