/**
 * The demo imports the World Bank files it finds beside the ECB file (burden sharing needs GDP
 * and population), and says which one is missing. One engine: the demo itself is tested on both
 * in tests/demo; this checks the indicator step, with a GDP extract and no population file.
 */
import { readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, type DemoProgress } from '../../src/services/demo-service.js';
import { listCountryIndicators } from '../../src/storage/indicators-repository.js';
import { openTestDatabase, type TestDatabase } from '../support/engines.js';
import { SHARED_DATA, tempFolder } from './support.js';

describe('demo load with World Bank files on postgres', () => {
  let t: TestDatabase;
  let files: Awaited<ReturnType<typeof tempFolder>>;

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    files = await tempFolder('purl-demo-wb-');
  });
  afterAll(async () => {
    await t?.close();
    await files?.remove();
  });

  it('imports gdp.csv when present and names population.csv as missing', async () => {
    await symlink(join(SHARED_DATA, 'eurofxref-hist.zip'), join(files.dir, 'eurofxref-hist.zip'));
    const lines = (await readFile(join(SHARED_DATA, 'gdp.csv'), 'utf8')).split(/\r?\n/);
    const nld = lines.filter((l) => l.startsWith('Netherlands,NLD,'));
    expect(nld.length).toBeGreaterThan(20);
    await files.write([lines[0], ...nld].join('\n'), 'gdp.csv');

    const messages: DemoProgress[] = [];
    const summary = await loadDemo(t.database, {
      sharedDataDir: files.dir,
      onProgress: (p) => messages.push(p),
    });
    expect(summary.outcome).toBe('loaded');
    const said = messages.filter((m) => m.step === 'indicators').map((m) => m.message);
    expect(said).toEqual([
      `World Bank GDP (current US$): ${nld.length} values of 1 countries (1960 to 2023) from ${join(files.dir, 'gdp.csv')}`,
      `no population.csv in ${files.dir}: burden sharing will have no population figures`,
    ]);
    const stored = await listCountryIndicators(t.database.kysely, 'gdp_usd', ['NLD']);
    expect(stored.map((s) => s.value)).toEqual(nld.map((l) => l.split(',')[3]));
    expect(await listCountryIndicators(t.database.kysely, 'population', ['NLD'])).toEqual([]);
  }, 240_000);
});
