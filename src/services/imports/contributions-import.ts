/**
 * `purl import contributions FILE [--dry-run] [--skip-invalid]`: contributions from a CSV or
 * XLSX file (header row, column names case-insensitive, any order): `donor`, `title`,
 * `currency`, `amount` (decimal text in the currency's units), `announced_on`, and optionally
 * `status` (pledged | committed; default pledged), `committed_on` (required when committed),
 * `earmark_areas` (capability area ids separated by `;`), `source_note`, `external_id` (the
 * donor's own reference, unique per donor).
 *
 * Rules:
 * - Every row is checked and ALL problems are collected, each `{ line, field, code, message }`
 *   (line: the file's line, header = 1; for XLSX the sheet row): unknown donor, bad or unknown
 *   currency, malformed / negative / zero amount or too many decimals, bad date, committed
 *   without committed_on, unknown capability area, a duplicate row in the file (same donor and
 *   external_id, or — for a row without external_id — same donor, title, amount, currency and
 *   announced_on as an earlier row), a row already recorded (same natural key, no external_id),
 *   or an external_id imported before with different facts.
 * - A row whose external_id was imported before with the same facts is *already imported*: not
 *   an error, not written again — so re-importing a file with external ids is idempotent.
 * - `dryRun`: the report only, nothing written (read in one REPEATABLE READ snapshot).
 * - Otherwise, any invalid row fails the whole import with `IMPORT_ROWS_INVALID` (details.errors,
 *   at most `LIMITS.importErrorsReportedMax`, and the exact `errorCount`) and nothing is written;
 *   with `skipInvalid` the valid rows are imported and the invalid ones reported.
 * - The writes go through the contributions service's bulk path (`createContributionsIn`: the
 *   same rules, the commit's ledger entries) in ONE transaction with ONE audit event listing
 *   every contribution created; contribution imports are serialised by an advisory lock.
 * - Access: `contributions.write` (a contributor imports only its own party's rows; others are
 *   reported as FORBIDDEN rows). Limits: `LIMITS.importBytesMax`, `LIMITS.importRowsMax`.
 */
import type { Actor } from '../../core/actor.js';
import { isCurrencyCodeSyntax, type Currency } from '../../core/currency.js';
import { DomainError, isDomainError, type ErrorCode } from '../../core/errors.js';
import { isIsoDate } from '../../core/fx.js';
import { LIMITS } from '../../core/limits.js';
import { formatAmount, parseAmount, tryParseDecimal } from '../../core/money.js';
import { checkPositiveAmount } from '../../core/contributions.js';
import { authorize } from '../../core/policy.js';
import {
  donorsWithContributions,
  findContributionsByExternalIds,
  findContributionsByNaturalKeys,
  lockContributionImports,
  partyKinds,
  type ContributionKeyMatch,
} from '../../storage/contributions-repository.js';
import type { Database } from '../../storage/database.js';
import { listCurrencies } from '../../storage/fx-repository.js';
import { listCapabilityAreas } from '../../storage/reference-repository.js';
import { inTransaction, type Tx } from '../../storage/transaction.js';
import { recordAudit } from '../audit-service.js';
import {
  EXTERNAL_ID_MAX_CHARS,
  createContributionsIn,
  type NewContributionEntry,
} from '../contributions-service.js';
import { readSheet, type Sheet, type SheetFormat, type SheetRow } from './contribution-sheet.js';
import { columnIndex } from './csv-table.js';
import {
  clip,
  loadImportFile,
  type ImportProgressListener,
  type ImportSource,
} from './import-file.js';

const REQUIRED_COLUMNS = ['donor', 'title', 'currency', 'amount', 'announced_on'] as const;
const OPTIONAL_COLUMNS = [
  'status',
  'committed_on',
  'earmark_areas',
  'source_note',
  'external_id',
] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

const TITLE_MAX_CHARS = 200;
const SOURCE_NOTE_MAX_CHARS = 1_000;

export interface ContributionImportRowError {
  /** The file's line (header = 1); for XLSX the sheet row. */
  line: number;
  /** The column (`amount`), or `row` for the row as a whole. */
  field: string;
  code: ErrorCode;
  message: string;
}

export type ImportContributionsInput = ImportSource & {
  /** Report only; write nothing. */
  dryRun?: boolean;
  /** Import the valid rows and report the invalid ones (default: any invalid row stops all). */
  skipInvalid?: boolean;
  onProgress?: ImportProgressListener;
};

export interface ContributionImportTotal {
  currency: string;
  rows: number;
  amountMinor: bigint;
  /** `amountMinor` as decimal text in the currency's units. */
  amount: string;
}

export interface ContributionImportResult {
  file: string;
  sha256: string;
  bytes: number;
  format: SheetFormat;
  dryRun: boolean;
  skipInvalid: boolean;
  /** Data rows of the file. */
  rows: number;
  /** Rows with at least one error. */
  invalidRows: number;
  /** Rows whose external_id was imported before with the same facts (not written again). */
  alreadyImported: number;
  /** Contributions created (in a dry run: that would be created). */
  imported: number;
  committed: number;
  pledged: number;
  /** Of the contributions created (or that would be), per currency. */
  totals: ContributionImportTotal[];
  /** Each contribution created, with its file line (empty in a dry run). */
  created: { line: number; id: bigint; commitTransferId: bigint | null }[];
  /** At most `LIMITS.importErrorsReportedMax`, in line order; `errorCount` is exact. */
  errors: ContributionImportRowError[];
  errorCount: number;
}

/** A row that passed every check of its own, and what it becomes. */
interface CandidateRow {
  line: number;
  entry: NewContributionEntry & { committedOn: string | null; externalId: string | null };
  exponent: number;
}

export async function importContributions(
  database: Database,
  actor: Actor,
  input: ImportContributionsInput,
): Promise<ContributionImportResult> {
  authorize(actor, 'contributions.write');
  const dryRun = input.dryRun ?? false;
  const skipInvalid = input.skipInvalid ?? false;
  const progress = input.onProgress;
  const file = await loadImportFile(input);
  progress?.({ phase: 'parse', done: 0, total: 1 });
  const sheet = await readSheet(file);
  const columns = columnIndex(sheet.header, file.fileName, REQUIRED_COLUMNS, OPTIONAL_COLUMNS);

  const run = async (tx: Tx): Promise<ContributionImportResult> => {
    if (!dryRun) await lockContributionImports(tx);
    const reference = await loadReference(tx, sheet, columns);
    const errors: ContributionImportRowError[] = [];
    const candidates: CandidateRow[] = [];
    const every = Math.max(1, Math.ceil(sheet.rows.length / 20));
    sheet.rows.forEach((row, index) => {
      const checked = checkRow(row, sheet, columns, reference, actor);
      errors.push(...checked.errors);
      if (checked.candidate) candidates.push(checked.candidate);
      if ((index + 1) % every === 0 || index + 1 === sheet.rows.length)
        progress?.({ phase: 'parse', done: index + 1, total: sheet.rows.length });
    });
    progress?.({ phase: 'check', done: 0, total: 2 });
    const unique = dropFileDuplicates(candidates, errors);
    progress?.({ phase: 'check', done: 1, total: 2 });
    const { fresh, alreadyImported } = await dropRecorded(tx, unique, errors);
    progress?.({ phase: 'check', done: 2, total: 2 });

    errors.sort((a, b) => a.line - b.line);
    const report = {
      file: file.fileName,
      sha256: file.sha256,
      bytes: file.bytes.length,
      format: sheet.format,
      dryRun,
      skipInvalid,
      rows: sheet.rows.length,
      invalidRows: new Set(errors.map((e) => e.line)).size,
      alreadyImported,
      imported: fresh.length,
      committed: fresh.filter((c) => c.entry.committedOn !== null).length,
      pledged: fresh.filter((c) => c.entry.committedOn === null).length,
      totals: totalsOf(fresh),
      created: [] as ContributionImportResult['created'],
      errors: errors.slice(0, LIMITS.importErrorsReportedMax),
      errorCount: errors.length,
    };
    if (dryRun) return report;
    if (errors.length > 0 && !skipInvalid) throw rowsInvalid(report);

    progress?.({ phase: 'write', done: 0, total: fresh.length });
    const created = await createContributionsIn(
      tx,
      actor,
      fresh.map((c) => c.entry),
      (done, total) =>
        progress?.({
          phase: 'write',
          done: Math.round((done * fresh.length) / Math.max(total, 1)),
          total: fresh.length,
        }),
    );
    const result: ContributionImportResult = {
      ...report,
      created: created.map((c, i) => ({
        line: fresh[i]!.line,
        id: c.id,
        commitTransferId: c.commitTransferId,
      })),
    };
    await recordAudit(tx, actor, {
      entity: 'contribution',
      entityId: null,
      action: 'import',
      after: auditFacts(result, fresh, created),
    });
    return result;
  };
  return dryRun
    ? inTransaction(database, run, { isolation: 'repeatable read' })
    : inTransaction(database, run);
}

// ---- Reference data the rows are checked against ----

interface Reference {
  currencies: Map<string, Currency>;
  partyKinds: Map<string, string>;
  areas: Set<string>;
}

async function loadReference(
  tx: Tx,
  sheet: Sheet,
  columns: Record<Column, number | undefined>,
): Promise<Reference> {
  const donorAt = columns.donor!;
  const donors = new Set(sheet.rows.map((r) => r.cells[donorAt] ?? '').filter((d) => d !== ''));
  return {
    currencies: new Map((await listCurrencies(tx)).map((c) => [c.code, c])),
    partyKinds: await partyKinds(tx, [...donors]),
    areas: new Set((await listCapabilityAreas(tx)).map((a) => a.code)),
  };
}

// ---- One row's own checks ----

function checkRow(
  row: SheetRow,
  sheet: Sheet,
  columns: Record<Column, number | undefined>,
  reference: Reference,
  actor: Actor,
): { errors: ContributionImportRowError[]; candidate?: CandidateRow } {
  const errors: ContributionImportRowError[] = [];
  const fail = (field: string, code: ErrorCode, message: string) =>
    errors.push({ line: row.line, field, code, message });
  const headerWidth = sheet.header.cells.length;
  if (
    row.cells.length > headerWidth ||
    (sheet.format === 'csv' && row.cells.length !== headerWidth)
  ) {
    fail(
      'row',
      'IMPORT_MALFORMED',
      `expected ${headerWidth} fields as in the header, found ${row.cells.length}; check for an unquoted comma.`,
    );
    return { errors };
  }
  /** The cell's text, or undefined (reported) when the XLSX cell could not be read. */
  const cell = (column: Column): string | undefined => {
    const at = columns[column];
    if (at === undefined) return '';
    const problem = row.unreadable?.get(at);
    if (problem !== undefined) {
      fail(column, 'VALIDATION_FAILED', `${column}: cannot read the cell (${problem}).`);
      return undefined;
    }
    return row.cells[at] ?? '';
  };

  const donor = checkDonor(cell('donor'), reference, actor, fail);
  const title = cell('title');
  if (title !== undefined && (title.length === 0 || title.length > TITLE_MAX_CHARS))
    fail('title', 'VALIDATION_FAILED', `title must be 1 to ${TITLE_MAX_CHARS} characters.`);
  const currency = checkCurrency(cell('currency'), reference, fail);
  const amountMinor = checkAmount(cell('amount'), currency, fail);
  const announcedOn = checkDate(cell('announced_on'), 'announced_on', true, fail);
  const { status, committedOn } = checkStatus(cell('status'), cell('committed_on'), fail);
  const earmarkAreas = checkAreas(cell('earmark_areas'), reference, fail);
  const sourceNote = cell('source_note');
  if (sourceNote !== undefined && sourceNote.length > SOURCE_NOTE_MAX_CHARS) {
    fail(
      'source_note',
      'VALIDATION_FAILED',
      `source_note must be at most ${SOURCE_NOTE_MAX_CHARS} characters.`,
    );
  }
  const externalId = cell('external_id');
  if (externalId !== undefined && externalId.length > EXTERNAL_ID_MAX_CHARS) {
    fail(
      'external_id',
      'VALIDATION_FAILED',
      `external_id must be at most ${EXTERNAL_ID_MAX_CHARS} characters.`,
    );
  }
  if (errors.length > 0) return { errors };
  return {
    errors,
    candidate: {
      line: row.line,
      exponent: currency!.minorUnit,
      entry: {
        donorPartyId: donor!,
        title: title!,
        currency: currency!.code,
        amountMinor: amountMinor!,
        announcedOn: announcedOn!,
        committedOn: status === 'committed' ? committedOn! : null,
        earmarkAreas: earmarkAreas!,
        sourceNote: sourceNote || null,
        externalId: externalId || null,
      },
    },
  };
}

type Fail = (field: string, code: ErrorCode, message: string) => void;

function checkDonor(
  text: string | undefined,
  reference: Reference,
  actor: Actor,
  fail: Fail,
): string | undefined {
  if (text === undefined) return undefined;
  if (text === '') {
    fail('donor', 'VALIDATION_FAILED', 'donor is required: the donor party’s id, such as NLD.');
    return undefined;
  }
  const kind = reference.partyKinds.get(text);
  if (kind === undefined) {
    fail('donor', 'NOT_FOUND', `donor: no party "${clip(text)}"; use a party id such as NLD.`);
    return undefined;
  }
  if (kind !== 'ally' && kind !== 'partner') {
    fail(
      'donor',
      'VALIDATION_FAILED',
      `donor: ${text} is a ${kind}; only allies and partners contribute.`,
    );
    return undefined;
  }
  if (actor.role === 'contributor' && actor.partyId !== text) {
    fail(
      'donor',
      'FORBIDDEN',
      `donor: a contributor imports only its own party’s contributions (${actor.partyId ?? 'none'}), not ${text}'s.`,
    );
    return undefined;
  }
  return text;
}

function checkCurrency(
  text: string | undefined,
  reference: Reference,
  fail: Fail,
): Currency | undefined {
  if (text === undefined) return undefined;
  const code = text.toUpperCase();
  if (!isCurrencyCodeSyntax(code)) {
    fail(
      'currency',
      'CURRENCY_UNKNOWN',
      `currency: "${clip(text)}" is not a three-letter ISO 4217 code such as EUR.`,
    );
    return undefined;
  }
  const currency = reference.currencies.get(code);
  if (!currency) {
    fail('currency', 'CURRENCY_UNKNOWN', `currency: ${code} is not an ISO 4217 currency.`);
    return undefined;
  }
  if (currency.withdrawn) {
    fail(
      'currency',
      'CURRENCY_UNKNOWN',
      `currency: ${code} (${currency.name}) is withdrawn; give the amount in the currency that replaced it.`,
    );
    return undefined;
  }
  return currency;
}

function checkAmount(
  text: string | undefined,
  currency: Currency | undefined,
  fail: Fail,
): bigint | undefined {
  if (text === undefined) return undefined;
  if (text === '') {
    fail('amount', 'AMOUNT_INVALID', 'amount is required, in the currency’s units: 500000.00.');
    return undefined;
  }
  try {
    if (!currency) {
      // The currency is wrong (reported): check what can be checked without its exponent.
      const decimal = tryParseDecimal(text);
      if (!decimal || decimal.mantissa <= 0n) parseAmount(text, 18, { field: 'amount' });
      if (decimal && decimal.mantissa === 0n) checkPositiveAmount(0n, 'amount');
      return undefined;
    }
    const amountMinor = parseAmount(text, currency.minorUnit, { field: 'amount' });
    checkPositiveAmount(amountMinor, 'amount');
    return amountMinor;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    fail('amount', error.code, error.message);
    return undefined;
  }
}

function checkDate(
  text: string | undefined,
  field: string,
  required: boolean,
  fail: Fail,
): string | undefined {
  if (text === undefined) return undefined;
  if (text === '' && !required) return undefined;
  if (!isIsoDate(text)) {
    fail(
      field,
      'VALIDATION_FAILED',
      text === ''
        ? `${field} is required, written YYYY-MM-DD.`
        : `${field}: "${clip(text)}" is not a date written YYYY-MM-DD.`,
    );
    return undefined;
  }
  return text;
}

function checkStatus(
  statusText: string | undefined,
  committedText: string | undefined,
  fail: Fail,
): { status?: 'pledged' | 'committed'; committedOn?: string } {
  if (statusText === undefined) return {};
  const status = statusText === '' ? 'pledged' : statusText.toLowerCase();
  if (status !== 'pledged' && status !== 'committed') {
    fail(
      'status',
      'VALIDATION_FAILED',
      `status: "${clip(statusText)}" is neither pledged nor committed (blank means pledged).`,
    );
    return {};
  }
  if (committedText === undefined) return { status };
  if (status === 'pledged') {
    if (committedText !== '') {
      fail(
        'committed_on',
        'VALIDATION_FAILED',
        'committed_on is given but status is pledged; set status to committed, or clear committed_on.',
      );
    }
    return { status };
  }
  if (committedText === '') {
    fail(
      'committed_on',
      'VALIDATION_FAILED',
      'committed_on is required when status is committed (the day of the commitment, YYYY-MM-DD).',
    );
    return { status };
  }
  const committedOn = checkDate(committedText, 'committed_on', true, fail);
  return committedOn === undefined ? { status } : { status, committedOn };
}

function checkAreas(
  text: string | undefined,
  reference: Reference,
  fail: Fail,
): string[] | undefined {
  if (text === undefined) return undefined;
  const areas = [
    ...new Set(
      text
        .split(';')
        .map((a) => a.trim().toLowerCase())
        .filter((a) => a !== ''),
    ),
  ];
  const unknown = areas.filter((a) => !reference.areas.has(a));
  if (unknown.length > 0) {
    fail(
      'earmark_areas',
      'VALIDATION_FAILED',
      `earmark_areas: unknown capability area ${unknown.map((a) => `"${clip(a)}"`).join(', ')}; ` +
        `the areas are ${[...reference.areas].join(', ')} (separate several with ";").`,
    );
    return undefined;
  }
  return areas;
}

// ---- Duplicates: within the file, and against what is recorded ----

function naturalKey(c: CandidateRow): string {
  const e = c.entry;
  return JSON.stringify([
    e.donorPartyId,
    e.title,
    e.amountMinor.toString(),
    e.currency,
    e.announcedOn,
  ]);
}

/**
 * Drops (and reports) rows that repeat an earlier row of the file: the same donor and
 * external_id, or, for a row without external_id, the same natural key as any earlier row.
 */
function dropFileDuplicates(
  candidates: readonly CandidateRow[],
  errors: ContributionImportRowError[],
): CandidateRow[] {
  const byExternalId = new Map<string, number>();
  const byNaturalKey = new Map<string, number>();
  return candidates.filter((c) => {
    const natural = naturalKey(c);
    if (c.entry.externalId !== null) {
      const key = JSON.stringify([c.entry.donorPartyId, c.entry.externalId]);
      const first = byExternalId.get(key);
      if (first !== undefined) {
        errors.push({
          line: c.line,
          field: 'external_id',
          code: 'DUPLICATE',
          message: `external_id "${clip(c.entry.externalId)}" of ${c.entry.donorPartyId} is already on line ${first}; each contribution once.`,
        });
        return false;
      }
      byExternalId.set(key, c.line);
      if (!byNaturalKey.has(natural)) byNaturalKey.set(natural, c.line);
      return true;
    }
    const first = byNaturalKey.get(natural);
    if (first !== undefined) {
      errors.push({
        line: c.line,
        field: 'row',
        code: 'DUPLICATE',
        message: `the same donor, title, amount, currency and announced_on as line ${first}; give each row its own external_id if both are meant.`,
      });
      return false;
    }
    byNaturalKey.set(natural, c.line);
    return true;
  });
}

/**
 * Looks the rows up among recorded contributions: an external_id recorded with the same facts
 * is already imported (dropped, counted); with other facts it is reported; a row without
 * external_id whose natural key is recorded is reported. Returns the rows still to create.
 */
async function dropRecorded(
  tx: Tx,
  candidates: readonly CandidateRow[],
  errors: ContributionImportRowError[],
): Promise<{ fresh: CandidateRow[]; alreadyImported: number }> {
  // Only donors with contributions recorded can have a row recorded (a first import asks nothing).
  const donors = await donorsWithContributions(tx, [
    ...new Set(candidates.map((c) => c.entry.donorPartyId)),
  ]);
  const withId = candidates.filter(
    (c) => c.entry.externalId !== null && donors.withExternalId.has(c.entry.donorPartyId),
  );
  const withoutId = candidates.filter(
    (c) => c.entry.externalId === null && donors.any.has(c.entry.donorPartyId),
  );
  const recordedById = new Map(
    (
      await findContributionsByExternalIds(
        tx,
        withId.map((c) => ({
          donorPartyId: c.entry.donorPartyId,
          externalId: c.entry.externalId!,
        })),
      )
    ).map((m) => [JSON.stringify([m.donorPartyId, m.externalId]), m]),
  );
  const recordedByKey = new Map<string, ContributionKeyMatch>();
  for (const m of await findContributionsByNaturalKeys(
    tx,
    withoutId.map((c) => ({ ...c.entry, pledgedMinor: c.entry.amountMinor })),
  )) {
    const key = JSON.stringify([
      m.donorPartyId,
      m.title,
      m.pledgedMinor.toString(),
      m.currency,
      m.announcedOn,
    ]);
    if (!recordedByKey.has(key) || recordedByKey.get(key)!.id > m.id) recordedByKey.set(key, m);
  }

  let alreadyImported = 0;
  const fresh = candidates.filter((c) => {
    if (c.entry.externalId !== null) {
      const recorded = recordedById.get(JSON.stringify([c.entry.donorPartyId, c.entry.externalId]));
      if (!recorded) return true;
      const differences = differencesFrom(c, recorded);
      if (differences.length === 0) {
        alreadyImported++;
        return false;
      }
      errors.push({
        line: c.line,
        field: 'external_id',
        code: 'DUPLICATE',
        message:
          `external_id "${clip(c.entry.externalId)}" of ${c.entry.donorPartyId} was imported before as contribution ${recorded.id}, ` +
          `which differs in ${differences.join('; ')}. Correct the row, or give a new contribution a new external_id.`,
      });
      return false;
    }
    const recorded = recordedByKey.get(naturalKey(c));
    if (!recorded) return true;
    errors.push({
      line: c.line,
      field: 'row',
      code: 'DUPLICATE',
      message:
        `already recorded as contribution ${recorded.id} (same donor, title, amount, currency and announced_on); ` +
        'remove the row, or give it an external_id if it is another contribution.',
    });
    return false;
  });
  return { fresh, alreadyImported };
}

/** What differs between a row and the contribution its external_id names. */
function differencesFrom(c: CandidateRow, recorded: ContributionKeyMatch): string[] {
  const e = c.entry;
  const differences: string[] = [];
  if (recorded.currency !== e.currency)
    differences.push(`currency (recorded ${recorded.currency}, the row ${e.currency})`);
  else if (recorded.pledgedMinor !== e.amountMinor) {
    differences.push(
      `amount (recorded ${formatAmount(recorded.pledgedMinor, c.exponent)}, the row ${formatAmount(e.amountMinor, c.exponent)})`,
    );
  }
  if (recorded.announcedOn !== e.announcedOn)
    differences.push(`announced_on (recorded ${recorded.announcedOn}, the row ${e.announcedOn})`);
  if (recorded.title !== e.title) differences.push('title');
  return differences;
}

// ---- Report ----

function totalsOf(rows: readonly CandidateRow[]): ContributionImportTotal[] {
  const totals = new Map<string, { rows: number; amountMinor: bigint; exponent: number }>();
  for (const c of rows) {
    const total = totals.get(c.entry.currency) ?? {
      rows: 0,
      amountMinor: 0n,
      exponent: c.exponent,
    };
    total.rows++;
    total.amountMinor += c.entry.amountMinor;
    totals.set(c.entry.currency, total);
  }
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, t]) => ({
      currency,
      rows: t.rows,
      amountMinor: t.amountMinor,
      amount: formatAmount(t.amountMinor, t.exponent),
    }));
}

function rowsInvalid(report: Omit<ContributionImportResult, 'created'>): DomainError {
  const first = report.errors[0]!;
  return new DomainError(
    'IMPORT_ROWS_INVALID',
    `${report.file}: ${report.invalidRows} of ${report.rows} rows are invalid (${report.errorCount} problems; ` +
      `the first: line ${first.line}, ${first.field}: ${first.message}). Nothing was written. ` +
      'Fix them, or pass --skip-invalid to import the valid rows only.',
    {
      field: 'file',
      errors: report.errors,
      errorCount: report.errorCount,
      invalidRows: report.invalidRows,
      rows: report.rows,
    },
  );
}

const AUDIT_COLUMNS = [
  'line',
  'id',
  'externalId',
  'donorPartyId',
  'currency',
  'amountMinor',
  'status',
  'announcedOn',
  'committedOn',
  'earmarkAreas',
  'title',
  'commitTransferId',
] as const;

/** The import's audit event: the file, the counts, and every contribution created. */
function auditFacts(
  result: ContributionImportResult,
  fresh: readonly CandidateRow[],
  created: readonly { id: bigint; commitTransferId: bigint | null }[],
) {
  return {
    file: result.file,
    sha256: result.sha256,
    bytes: result.bytes,
    format: result.format,
    rows: result.rows,
    imported: result.imported,
    alreadyImported: result.alreadyImported,
    invalidRowsSkipped: result.invalidRows,
    errorCount: result.errorCount,
    totals: result.totals,
    // One row per contribution (columns named once: a large import stays a compact event).
    contributions: {
      columns: AUDIT_COLUMNS,
      rows: fresh.map((c, i) => [
        c.line,
        created[i]!.id,
        c.entry.externalId,
        c.entry.donorPartyId,
        c.entry.currency,
        c.entry.amountMinor,
        c.entry.committedOn === null ? 'pledged' : 'committed',
        c.entry.announcedOn,
        c.entry.committedOn,
        c.entry.earmarkAreas?.join(';') ?? '',
        c.entry.title,
        created[i]!.commitTransferId,
      ]),
    },
  };
}
