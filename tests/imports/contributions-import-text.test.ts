/**
 * The bulk writes of a contributions import send each column as one comma-joined text when no
 * value is empty or holds a comma, and as a text array otherwise (`bulkColumn`). On both
 * engines, free text survives either way exactly as written — commas, quotes, backslashes,
 * braces, non-Latin letters — absent values stay NULL, and the ledger rows the commitments write
 * (accounts, transfers with their reserved ids) are the ones the result names.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { contributionAccounts } from '../../src/core/contributions.js';
import { importContributions } from '../../src/services/imports/contributions-import.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { tempFolder } from './support.js';

const system = systemActor('test:import-text');
const HEADER =
  'donor,title,currency,amount,announced_on,status,committed_on,earmark_areas,source_note,external_id';
const csv = (lines: string[]) => lines.join('\n') + '\n';

interface Stored {
  id: bigint;
  title: string;
  source_note: string | null;
  external_id: string | null;
  earmark_areas: string[];
}

describe.each(ENGINES)('contributions import of free text on %s', (engine) => {
  let t: TestDatabase;
  let files: Awaited<ReturnType<typeof tempFolder>>;
  const stored = async (ids: bigint[]) =>
    new Map(
      (
        await sql<Stored>`
          SELECT id, title, source_note, external_id, earmark_areas FROM contribution
          WHERE id = ANY(${ids.map(String)}::int8[])`.execute(t.database.kysely)
      ).rows.map((r) => [r.id, r]),
    );

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    files = await tempFolder('purl-contrib-text-');
  });
  afterAll(async () => {
    await t?.close();
    await files?.remove();
  });

  it('keeps titles, notes and external ids with commas and quotes exactly (the array path)', async () => {
    const result = await importContributions(t.database, system, {
      file: await files.write(
        csv([
          HEADER,
          'NLD,"Air defence, phase 2",EUR,1000.00,2025-09-01,committed,2025-09-02,,"MoD, press release","NLD-1,a"',
          'SWE,"Quote ""this"" \\ {brace}",SEK,2000.00,2025-09-01,,,drones;demining,,SWE-1',
          'NOR,Підтримка ППО,NOK,3000.00,2025-09-01,committed,2025-09-03,,,',
        ]),
      ),
    });
    expect(result).toMatchObject({ imported: 3, committed: 2, errorCount: 0 });
    const rows = await stored(result.created.map((c) => c.id));
    const [a, b, c] = result.created.map((x) => rows.get(x.id)!);
    expect(a).toMatchObject({
      title: 'Air defence, phase 2',
      source_note: 'MoD, press release',
      external_id: 'NLD-1,a',
      earmark_areas: [],
    });
    expect(b).toMatchObject({
      title: 'Quote "this" \\ {brace}',
      source_note: null,
      external_id: 'SWE-1',
      earmark_areas: ['drones', 'demining'],
    });
    expect(c).toMatchObject({ title: 'Підтримка ППО', source_note: null, external_id: null });
    // Re-importing finds the external id with a comma: nothing is written twice.
    const again = await importContributions(t.database, system, {
      file: await files.write(
        csv([
          HEADER,
          'NLD,"Air defence, phase 2",EUR,1000.00,2025-09-01,committed,2025-09-02,,"MoD, press release","NLD-1,a"',
        ]),
      ),
    });
    expect(again).toMatchObject({ imported: 0, alreadyImported: 1 });
  });

  it('writes plain text, NULLs and the commitments through the joined path', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 40; i++) {
      lines.push(
        `DNK,Tranche ${i},DKK,${i}00.00,2025-09-01,${i % 2 ? 'committed,2025-09-04' : ','},,${
          i % 3 ? '' : 'Danish MoD'
        },${i % 4 ? `DNK-${i}` : ''}`,
      );
    }
    const result = await importContributions(t.database, system, {
      file: await files.write(csv(lines)),
    });
    expect(result).toMatchObject({ imported: 40, committed: 20, errorCount: 0 });
    const rows = await stored(result.created.map((c) => c.id));
    result.created.forEach((created, index) => {
      const i = index + 1;
      expect(rows.get(created.id)).toMatchObject({
        title: `Tranche ${i}`,
        source_note: i % 3 ? null : 'Danish MoD',
        external_id: i % 4 ? `DNK-${i}` : null,
      });
    });
    // Each commitment transfer is the one the result names, between the contribution's accounts.
    const committed = result.created.filter((c) => c.commitTransferId !== null);
    expect(committed).toHaveLength(20);
    const transfers = await sql<{
      id: bigint;
      idempotency_key: string;
      debit: string;
      credit: string;
    }>`
      SELECT t.id, t.idempotency_key, d.reference AS debit, c.reference AS credit
      FROM ledger_transfer t
      JOIN ledger_account d ON d.id = t.debit_account_id
      JOIN ledger_account c ON c.id = t.credit_account_id
      WHERE t.id = ANY(${committed.map((c) => String(c.commitTransferId))}::int8[])`.execute(
      t.database.kysely,
    );
    const byId = new Map(transfers.rows.map((r) => [r.id, r]));
    for (const c of committed) {
      const names = contributionAccounts(c.id);
      expect(byId.get(c.commitTransferId!)).toMatchObject({
        idempotency_key: `contribution:${c.id}:commit`,
        debit: names.receivable,
        credit: names.available,
      });
    }
    expect((await verifyLedger(t.database, system)).ok).toBe(true);
  });
});
