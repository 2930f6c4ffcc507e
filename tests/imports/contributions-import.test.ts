/**
 * The contributions import on both engines: a dry run that reports each planted error (bad
 * currency, negative amount, unknown donor, bad date, duplicates, …) by its exact line and field
 * and writes nothing; the same file refused whole without --skip-invalid; --skip-invalid
 * importing only the valid rows; valid CSV and XLSX files (the XLSX built here with exceljs)
 * imported with their figures, the commitments on the ledger and one audit event; re-imports
 * made idempotent by external_id; access and limits.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/core/actor.js';
import { LIMITS } from '../../src/core/limits.js';
import { verifyAudit } from '../../src/services/audit-service.js';
import {
  importContributions,
  type ContributionImportRowError,
} from '../../src/services/imports/contributions-import.js';
import { verifyLedger } from '../../src/services/ledger-service.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import { counts, domainError, tempFolder } from './support.js';

const system = systemActor('test:import-contributions');
const HEADER =
  'donor,title,currency,amount,announced_on,status,committed_on,earmark_areas,source_note,external_id';

/** Line 1 is the header; the comment on each row is the line it lands on. */
const PLANTED = [
  HEADER,
  'NLD,PURL package 1,EUR,500000000.00,2025-08-04,committed,2025-08-05,air_missile_defence,Dutch MoD,NLD-1', // 2
  'SWE,Swedish tranche,SEK,275000000.50,2025-08-06,,,,,', // 3
  'NOR,Bad currency,EUX,1000.00,2025-08-06,,,,,', // 4
  'NOR,Negative amount,NOK,-5000.00,2025-08-06,,,,,', // 5
  'XXX,Unknown donor,EUR,1000.00,2025-08-06,,,,,', // 6
  'DNK,Bad date,DKK,1000.00,2025-13-01,,,,,', // 7
  'SWE,Swedish tranche,SEK,275000000.50,2025-08-06,,,,,', // 8: repeats line 3
  'NLD,Same id,EUR,1.00,2025-08-04,,,,,NLD-1', // 9: repeats line 2's external_id
  'CAN,Committed without a day,CAD,1000.00,2025-08-06,committed,,,,', // 10
  'JPN,Too many decimals,JPY,1000.5,2025-08-06,,,,,', // 11
  'DEU,Unknown area,EUR,1000.00,2025-08-06,,,space_force,,', // 12
  'POL,Two problems,ZZ,1000.00,06/08/2025,,,,,', // 13
];

const PLANTED_ERRORS: Pick<ContributionImportRowError, 'line' | 'field' | 'code'>[] = [
  { line: 4, field: 'currency', code: 'CURRENCY_UNKNOWN' },
  { line: 5, field: 'amount', code: 'AMOUNT_INVALID' },
  { line: 6, field: 'donor', code: 'NOT_FOUND' },
  { line: 7, field: 'announced_on', code: 'VALIDATION_FAILED' },
  { line: 8, field: 'row', code: 'DUPLICATE' },
  { line: 9, field: 'external_id', code: 'DUPLICATE' },
  { line: 10, field: 'committed_on', code: 'VALIDATION_FAILED' },
  { line: 11, field: 'amount', code: 'AMOUNT_INVALID' },
  { line: 12, field: 'earmark_areas', code: 'VALIDATION_FAILED' },
  { line: 13, field: 'currency', code: 'CURRENCY_UNKNOWN' },
  { line: 13, field: 'announced_on', code: 'VALIDATION_FAILED' },
];

const csv = (lines: string[]) => lines.join('\n') + '\n';

describe.each(ENGINES)('contributions import on %s', (engine) => {
  let t: TestDatabase;
  let files: Awaited<ReturnType<typeof tempFolder>>;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    files = await tempFolder('purl-contrib-');
  });
  afterAll(async () => {
    await t?.close();
    await files?.remove();
  });

  const contribution = async (donor: string, title: string) => {
    const result = await sql<{
      id: bigint;
      status: string;
      currency: string;
      pledged_minor: bigint;
      committed_minor: bigint;
      announced_on: string;
      committed_on: string | null;
      earmark_areas: string[];
      source_note: string | null;
      external_id: string | null;
      version: number;
    }>`SELECT id, status, currency, pledged_minor, committed_minor, announced_on, committed_on,
              earmark_areas, source_note, external_id, version
       FROM contribution WHERE donor_party_id = ${donor} AND title = ${title}`.execute(
      t.database.kysely,
    );
    expect(result.rows).toHaveLength(1);
    return result.rows[0]!;
  };

  const available = async (id: bigint) => {
    const result = await sql<{ credits_posted: bigint; debits_posted: bigint }>`
      SELECT credits_posted, debits_posted FROM ledger_account
      WHERE reference = ${`contribution:${id}:available`}`.execute(t.database.kysely);
    return result.rows[0];
  };

  it('dry run: reports each planted error by its exact line and field, and writes nothing', async () => {
    const file = await files.write(csv(PLANTED), 'planted.csv');
    const before = await counts(t.database);
    const result = await importContributions(t.database, system, { file, dryRun: true });
    expect(result.errors.map(({ line, field, code }) => ({ line, field, code }))).toEqual(
      PLANTED_ERRORS,
    );
    for (const error of result.errors) expect(error.message.length).toBeGreaterThan(10);
    expect(result.errors[0]!.message).toContain('EUX');
    expect(result.errors[4]!.message).toContain('line 3');
    expect(result.errors[5]!.message).toContain('line 2');
    expect(result).toMatchObject({
      dryRun: true,
      rows: 12,
      invalidRows: 10,
      errorCount: 11,
      imported: 2,
      committed: 1,
      pledged: 1,
      created: [],
      totals: [
        { currency: 'EUR', rows: 1, amountMinor: 50_000_000_000n, amount: '500000000.00' },
        { currency: 'SEK', rows: 1, amountMinor: 27_500_000_050n, amount: '275000000.50' },
      ],
    });
    expect(await counts(t.database)).toEqual(before);
  });

  it('without --skip-invalid: refuses the whole file with IMPORT_ROWS_INVALID, writing nothing', async () => {
    const file = await files.write(csv(PLANTED));
    const before = await counts(t.database);
    const error = await domainError(importContributions(t.database, system, { file }));
    expect(error.code).toBe('IMPORT_ROWS_INVALID');
    expect(error.details).toMatchObject({ errorCount: 11, invalidRows: 10, rows: 12 });
    const listed = error.details.errors as ContributionImportRowError[];
    expect(listed.map(({ line, field, code }) => ({ line, field, code }))).toEqual(PLANTED_ERRORS);
    expect(error.message).toContain('line 4');
    expect(await counts(t.database)).toEqual(before);
  });

  it('--skip-invalid: imports only the valid rows, commits on the ledger, audits once', async () => {
    const file = await files.write(csv(PLANTED));
    const before = await counts(t.database);
    const result = await importContributions(t.database, system, { file, skipInvalid: true });
    expect(result).toMatchObject({ imported: 2, committed: 1, pledged: 1, errorCount: 11 });
    expect(result.created.map((c) => c.line)).toEqual([2, 3]);
    const after = await counts(t.database);
    expect(after.contributions - before.contributions).toBe(2);
    expect(after.transfers - before.transfers).toBe(1);
    expect(after.audits - before.audits).toBe(1);

    const nld = await contribution('NLD', 'PURL package 1');
    expect(nld).toMatchObject({
      status: 'committed',
      currency: 'EUR',
      pledged_minor: 50_000_000_000n,
      committed_minor: 50_000_000_000n,
      announced_on: '2025-08-04',
      committed_on: '2025-08-05',
      earmark_areas: ['air_missile_defence'],
      source_note: 'Dutch MoD',
      external_id: 'NLD-1',
      version: 1,
    });
    expect(result.created[0]).toMatchObject({ id: nld.id });
    expect(await available(nld.id)).toEqual({
      credits_posted: 50_000_000_000n,
      debits_posted: 0n,
    });
    const transfer = await sql<{ id: bigint; amount: bigint; batch_id: bigint | null }>`
      SELECT id, amount, batch_id FROM ledger_transfer
      WHERE idempotency_key = ${`contribution:${nld.id}:commit`}`.execute(t.database.kysely);
    expect(transfer.rows[0]).toMatchObject({ amount: 50_000_000_000n, batch_id: null });
    expect(result.created[0]!.commitTransferId).toBe(transfer.rows[0]!.id);

    const swe = await contribution('SWE', 'Swedish tranche');
    expect(swe).toMatchObject({
      status: 'pledged',
      currency: 'SEK',
      pledged_minor: 27_500_000_050n,
      committed_minor: 0n,
      committed_on: null,
      earmark_areas: [],
      external_id: null,
    });
    expect(await available(swe.id)).toBeUndefined(); // a pledge never reaches the ledger

    const audit = await sql<{ entity: string; action: string; after: Record<string, unknown> }>`
      SELECT entity, action, after FROM audit_event ORDER BY id DESC LIMIT 1`.execute(
      t.database.kysely,
    );
    expect(audit.rows[0]).toMatchObject({
      entity: 'contribution',
      action: 'import',
      after: { imported: 2, sha256: result.sha256, errorCount: 11 },
    });
    const listed = (audit.rows[0]!.after.contributions as { rows: unknown[][] }).rows;
    expect(listed.map((r) => [r[0], r[1], r[5]])).toEqual([
      [2, String(nld.id), '50000000000'],
      [3, String(swe.id), '27500000050'],
    ]);
    expect((await verifyLedger(t.database, system)).ok).toBe(true);
    expect((await verifyAudit(t.database, system)).ok).toBe(true);
  });

  it('re-importing rows with an external_id is idempotent; one with other facts is refused', async () => {
    const lines = [
      HEADER,
      'DNK,Danish model,DKK,1500000000.00,2025-08-12,committed,2025-08-20,artillery;drones,,DNK-7',
      'BEL,Belgian pledge,EUR,2500000.00,2025-08-13,,,,,BEL-1',
    ];
    const first = await importContributions(t.database, system, {
      file: await files.write(csv(lines)),
    });
    expect(first).toMatchObject({ imported: 2, alreadyImported: 0 });
    const dnk = await contribution('DNK', 'Danish model');
    expect(dnk.earmark_areas).toEqual(['artillery', 'drones']);

    const before = await counts(t.database);
    const again = await importContributions(t.database, system, {
      file: await files.write(csv(lines)),
    });
    expect(again).toMatchObject({ imported: 0, alreadyImported: 2, errorCount: 0 });
    const after = await counts(t.database);
    expect(after.contributions).toBe(before.contributions);
    expect(after.transfers).toBe(before.transfers);

    const changed = [HEADER, lines[1]!.replace('1500000000.00', '1600000000.00')];
    const report = await importContributions(t.database, system, {
      file: await files.write(csv(changed)),
      dryRun: true,
    });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ line: 2, field: 'external_id', code: 'DUPLICATE' });
    expect(report.errors[0]!.message).toContain(`contribution ${dnk.id}`);
    expect(report.errors[0]!.message).toContain('recorded 1500000000.00, the row 1600000000.00');
  });

  it('reports a row without external_id that is already recorded', async () => {
    const lines = [HEADER, 'FIN,Finnish pledge,EUR,1000000.00,2025-08-14,,,,,'];
    await importContributions(t.database, system, { file: await files.write(csv(lines)) });
    const report = await importContributions(t.database, system, {
      file: await files.write(csv(lines)),
      dryRun: true,
    });
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 2, field: 'row', code: 'DUPLICATE' }),
    ]);
    expect(report.errors[0]!.message).toContain('already recorded as contribution');
  });

  it('imports an XLSX file (first worksheet; number, date, formula and rich-text cells)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Pledges');
    workbook.addWorksheet('Notes').addRow(['ignored']);
    sheet.addRow([
      'Donor',
      'Title',
      'Currency',
      'Amount',
      'Announced_On',
      'Status',
      'Committed_On',
      'External_ID',
    ]);
    sheet.addRow([
      'NOR',
      'Norwegian air defence',
      'NOK',
      1250000000.25,
      new Date(Date.UTC(2025, 8, 2)),
      'committed',
      new Date(Date.UTC(2025, 8, 9)),
      'NOR-XL-1',
    ]);
    sheet.addRow([
      'GBR',
      { richText: [{ text: 'British ' }, { text: 'munitions' }] },
      'GBP',
      { formula: '300000*2', result: 600000 },
      '2025-09-03',
      '',
      '',
      'GBR-XL-1',
    ]);
    sheet.addRow(['CAN', 'Bad currency row', 'CAX', 10, '2025-09-03']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

    const dry = await importContributions(t.database, system, {
      bytes,
      fileName: 'pledges.xlsx',
      dryRun: true,
    });
    expect(dry.format).toBe('xlsx');
    expect(dry.errors).toEqual([
      expect.objectContaining({ line: 4, field: 'currency', code: 'CURRENCY_UNKNOWN' }),
    ]);

    const result = await importContributions(t.database, system, {
      bytes,
      fileName: 'pledges.xlsx',
      skipInvalid: true,
    });
    expect(result).toMatchObject({ imported: 2, committed: 1, pledged: 1, errorCount: 1 });
    expect(result.created.map((c) => c.line)).toEqual([2, 3]);
    const nor = await contribution('NOR', 'Norwegian air defence');
    expect(nor).toMatchObject({
      status: 'committed',
      currency: 'NOK',
      pledged_minor: 125_000_000_025n,
      committed_minor: 125_000_000_025n,
      announced_on: '2025-09-02',
      committed_on: '2025-09-09',
      external_id: 'NOR-XL-1',
    });
    expect(await available(nor.id)).toEqual({
      credits_posted: 125_000_000_025n,
      debits_posted: 0n,
    });
    expect(await contribution('GBR', 'British munitions')).toMatchObject({
      currency: 'GBP',
      pledged_minor: 60_000_000n,
      status: 'pledged',
    });
  });

  it('refuses an XLSX number cell that a spreadsheet cannot hold exactly', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Pledges');
    sheet.addRow(['donor', 'title', 'currency', 'amount', 'announced_on']);
    sheet.addRow(['NLD', 'Too precise', 'EUR', 12345678901234.56, '2025-09-03']);
    const report = await importContributions(t.database, system, {
      bytes: new Uint8Array(await workbook.xlsx.writeBuffer()),
      fileName: 'precise.xlsx',
      dryRun: true,
    });
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 2, field: 'amount', code: 'VALIDATION_FAILED' }),
    ]);
    expect(report.errors[0]!.message).toContain('type it as text');
  });

  it('a contributor imports only its own party’s rows; other roles may not import', async () => {
    const contributor: Actor = { id: 'test:nld', role: 'contributor', partyId: 'NLD' };
    const lines = [
      HEADER,
      'NLD,Own pledge,EUR,1000.00,2025-09-04,,,,,NLD-OWN',
      'SWE,Another party,SEK,1000.00,2025-09-04,,,,,',
    ];
    const report = await importContributions(t.database, contributor, {
      file: await files.write(csv(lines)),
      dryRun: true,
    });
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 3, field: 'donor', code: 'FORBIDDEN' }),
    ]);
    for (const role of ['validator', 'auditor', 'supplier'] as const) {
      const error = await domainError(
        importContributions(
          t.database,
          { id: `test:${role}`, role },
          {
            file: await files.write(csv(lines)),
            dryRun: true,
          },
        ),
      );
      expect(error.code).toBe('FORBIDDEN');
    }
  });

  it('refuses a file whose header has an unknown or missing column, or another format', async () => {
    const unknown = await domainError(
      importContributions(t.database, system, {
        file: await files.write(csv([`${HEADER},ammount`, 'NLD,x,EUR,1.00,2025-09-04,,,,,,'])),
      }),
    );
    expect(unknown.code).toBe('IMPORT_MALFORMED');
    expect(unknown.details).toMatchObject({ line: 1, field: 'column 11' });
    const missing = await domainError(
      importContributions(t.database, system, {
        file: await files.write(csv(['donor,title,currency,announced_on', 'NLD,x,EUR,2025-09-04'])),
      }),
    );
    expect(missing.details).toMatchObject({ line: 1, field: 'amount' });
    const text = await domainError(
      importContributions(t.database, system, { file: await files.write('x', 'pledges.txt') }),
    );
    expect(text).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'file' } });
  });

  it('reports a row with more fields than the header (an unquoted comma)', async () => {
    const report = await importContributions(t.database, system, {
      file: await files.write(csv([HEADER, 'NLD,Bonds, series 2,EUR,1000.00,2025-09-04,,,,,'])),
      dryRun: true,
    });
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 2, field: 'row', code: 'IMPORT_MALFORMED' }),
    ]);
  });
});

describe('contributions import limits', () => {
  let t: TestDatabase;
  let files: Awaited<ReturnType<typeof tempFolder>>;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    files = await tempFolder('purl-contrib-limits-');
  });
  afterAll(async () => {
    await t?.close();
    await files?.remove();
  });

  it(`refuses more than LIMITS.importRowsMax (${LIMITS.importRowsMax}) rows with LIMIT_EXCEEDED`, async () => {
    const rows = 'x\n'.repeat(LIMITS.importRowsMax + 1);
    const error = await domainError(
      importContributions(t.database, system, { file: await files.write(`${HEADER}\n${rows}`) }),
    );
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.details).toMatchObject({
      limit: 'importRowsMax',
      max: LIMITS.importRowsMax,
      actual: LIMITS.importRowsMax + 1,
    });
  });

  it(`refuses an upload over LIMITS.importBytesMax bytes with LIMIT_EXCEEDED`, async () => {
    const error = await domainError(
      importContributions(t.database, system, {
        bytes: new Uint8Array(LIMITS.importBytesMax + 1),
        fileName: 'huge.csv',
      }),
    );
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.details).toMatchObject({ limit: 'importBytesMax' });
  });
});
