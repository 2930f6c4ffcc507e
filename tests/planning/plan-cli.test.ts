/**
 * `purl plan` end to end on PGlite: the real command (`node bin/purl.js`) against a data folder
 * filled here through the API (an approved list of two items, two committed contributions, one
 * of them in EUR). The proposal on the terminal (package, lines, allocations, the reasons), a
 * what-if beside it, `--json`, a refused option naming its field, and `--accept` creating the
 * package that the plan printed — funded, its allocations pending.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { systemActor } from '../../src/core/actor.js';
import { buildApp } from '../../src/http/app.js';
import { importFxRates } from '../../src/services/fx-service.js';
import { listPackages } from '../../src/services/packages-service.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';

const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
const SPAWNING_TEST_MS = 180_000;
const M = 100_000_000n;

function purl(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [PURL, ...args], { env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('purl plan', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'purl-plan-cli-'));
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    env = { ...rest, PURL_DATA_DIR: join(dir, 'data') };
    const database = await openDatabase({ dataDir: join(dir, 'data') });
    await migrate(database);
    await writeFile(join(dir, 'rates.csv'), 'Date,USD,NOK,\n2025-08-04,1.1578,11.8590,\n');
    await importFxRates(database, systemActor('test'), { file: join(dir, 'rates.csv') });
    const app = await buildApp({ database, devActors: true });
    const ok = async (url: string, actor: string, body: unknown) => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1${url}`,
        headers: { 'x-purl-actor': actor },
        payload: body as object,
      });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const list = await ok('/requirement-lists', 'recipient', {
      cycle: '2025-08',
      title: 'August 2025 (synthetic)',
      synthetic: true,
    });
    for (const [category, area, quantity, cost] of [
      ['interceptors', 'air_missile_defence', 10, 20n * M],
      ['shells', 'artillery', 100, 1n * M],
    ] as const) {
      await ok(`/requirement-lists/${list.id}/items`, 'recipient', {
        capabilityArea: area,
        category,
        lethal: true,
        requestedQuantity: quantity,
        unit: 'units',
        estimatedUnitCost: { amountMinor: String(cost), currency: 'USD' },
      });
    }
    await ok(`/requirement-lists/${list.id}/submit`, 'recipient', {});
    await ok(`/requirement-lists/${list.id}/validate`, 'validator', {});
    for (const role of ['recipient', 'coordinator', 'supplier'])
      await ok(`/requirement-lists/${list.id}/approve`, role, {});
    for (const [donor, currency, amount] of [
      ['NLD', 'EUR', 100n * M],
      ['DNK', 'USD', 50n * M],
    ] as const) {
      const c = await ok('/contributions', `contributor:${donor}`, {
        donorPartyId: donor,
        currency,
        amountMinor: String(amount),
        announcedOn: '2025-08-04',
        title: `${donor} for the plan (synthetic)`,
      });
      await ok(`/contributions/${c.id}/commit`, `contributor:${donor}`, {
        committedOn: '2025-08-04',
      });
    }
    await app.close();
    await database.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'proposes, compares a what-if, prints JSON, refuses a bad option and accepts the plan',
    async () => {
      const run = await purl(['plan', '--target', '200000000'], env);
      expect(run.code, run.stderr).toBe(0);
      // €100M at 1.1578 = $115.78M + $50M = $165.78M: 8 interceptors ($160M) and 5 shells.
      expect(run.stdout).toContain('Plan for the approved list 2025-08');
      expect(run.stdout).toContain('1 package(s), $165,000,000.00 of requirements covered');
      expect(run.stdout).toContain('8 × $20,000,000.00 = $160,000,000.00');
      expect(run.stdout).toContain('5 × $1,000,000.00 = $5,000,000.00');
      expect(run.stdout).toMatch(/from NLD contribution \d+: \$\d[\d,]*\.\d\d \(EUR /);
      expect(run.stdout).toContain('the money that may pay for it ran out here');
      const fingerprint = /purl plan --accept ([0-9a-f]{64})/.exec(run.stdout)?.[1];
      expect(fingerprint).toBeDefined();

      const whatIf = await purl(
        ['plan', '--target', '200000000', '--what-if-pledge', 'DEU:EUR:50000000', '--json'],
        env,
      );
      expect(whatIf.code, whatIf.stderr).toBe(0);
      const json = JSON.parse(whatIf.stdout);
      expect(json.scenarios).toHaveLength(2);
      expect(BigInt(json.comparison.plannedValueDeltaMinor)).toBeGreaterThan(0n);
      expect(json.scenarios[0].fingerprint).toBe(fingerprint);

      const bad = await purl(['plan', '--what-if-price', 'artillery:lots'], env);
      expect(bad.code).toBe(EXIT_CODES.VALIDATION_FAILED);
      expect(bad.stderr).toContain('field: what-if-price.0');

      // A saved plan is accepted exactly as it was shown; a file that is not one is refused.
      const saved = join(dir, 'plan.json');
      const asJson = await purl(['plan', '--target', '200000000', '--json'], env);
      await writeFile(saved, asJson.stdout);
      await writeFile(join(dir, 'not-a-plan.json'), '{"x":1}');
      const notPlan = await purl(['plan', '--accept-file', join(dir, 'not-a-plan.json')], env);
      expect(notPlan.code).toBe(EXIT_CODES.VALIDATION_FAILED);
      expect(notPlan.stderr).toContain('field: accept-file');
      const accepted = await purl(['plan', '--target', '200000000', '--accept-file', saved], env);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stdout).toMatch(/PURL-001 .* funded +price \$165,000,000\.00/);
      const stale = await purl(['plan', '--target', '200000000', '--accept', fingerprint!], env);
      expect(stale.code).toBe(EXIT_CODES.PLAN_STALE);

      const database = await openDatabase({ dataDir: join(dir, 'data') });
      try {
        const packages = await listPackages(database, systemActor('test'), {});
        expect(packages.items.map((p) => p.status)).toEqual(['funded']);
      } finally {
        await database.close();
      }
    },
    SPAWNING_TEST_MS,
  );
});
