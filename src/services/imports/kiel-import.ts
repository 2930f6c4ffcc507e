/**
 * `purl import kiel`: the Kiel Institute Ukraine Support Tracker's `data_explorer.csv` (columns
 * `country, iso, year, month, total, financial, humanitarian, military, commitments,
 * to_be_allocated, gdp, pct_gdp`, in any order, names case-insensitive; amounts in EUR bn; `gdp`
 * is the donor's GDP in EUR bn, so `pct_gdp` = total / gdp × 100) into `kiel_figure`.
 *
 * Rules: the whole file is checked first (a malformed row is `IMPORT_MALFORMED` naming its line
 * and column; nothing is written), then upserted with the file's name and SHA-256 and ONE audit
 * event, in one transaction; a re-import of the same file changes nothing. A blank month is a
 * yearly row (month 0); a blank figure is NULL, never 0. Figures are exact decimal text and may
 * be negative (corrections), except `gdp`, which is positive. A row whose stated `pct_gdp` does
 * not agree with total / gdp × 100 rounded to its own decimals is imported as published and
 * reported in `pctGdpDisagreements` — Kiel's figures are shown as Kiel published them.
 * Access: `indicators.import` (admin, system).
 */
import type { Actor } from '../../core/actor.js';
import { LIMITS } from '../../core/limits.js';
import { authorize } from '../../core/policy.js';
import type { Database } from '../../storage/database.js';
import {
  upsertKielFigures,
  type KielFigureInput,
  type UpsertCounts,
} from '../../storage/indicators-repository.js';
import { KIEL_FIGURE_COLUMNS } from '../../storage/schema-analytics.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit-service.js';
import { walkStrictCsv } from './csv-table.js';
import { divideDecimalText, exactDecimalText, scaleOf } from './decimal-text.js';
import {
  clip,
  importText,
  loadImportFile,
  type ImportProgressListener,
  type ImportSource,
} from './import-file.js';

/**
 * Kiel's share of GDP recomputed exactly: total / gdp × 100, rounded half to even to `decimals`
 * (both EUR bn as decimal text; gdp positive). `kielPctGdp("10.5", "4121.16", 4)` → `"0.2548"`.
 */
export function kielPctGdp(total: string, gdp: string, decimals: number): string {
  return divideDecimalText(total, gdp, decimals, 2);
}

/**
 * Whether a stated `pct_gdp` is total / gdp × 100 "within rounding": equal to the exact ratio
 * rounded to as many decimals as the stated figure has.
 */
export function kielPctGdpAgrees(total: string, gdp: string, pctGdp: string): boolean {
  return sameNumber(kielPctGdp(total, gdp, scaleOf(pctGdp)), pctGdp);
}

/** `"0.50"` and `"0.5"` are the same number. */
function sameNumber(a: string, b: string): boolean {
  const scale = Math.max(scaleOf(a), scaleOf(b));
  return divideDecimalText(a, '1', scale) === divideDecimalText(b, '1', scale);
}

export type ImportKielFiguresInput = ImportSource & { onProgress?: ImportProgressListener };

export interface KielPctGdpDisagreement {
  line: number;
  iso: string;
  year: number;
  month: number;
  stated: string;
  recomputed: string;
}

export interface KielImportResult extends UpsertCounts {
  file: string;
  sha256: string;
  bytes: number;
  /** Data rows of the file. */
  rows: number;
  donors: number;
  firstYear: number;
  lastYear: number;
  /** Rows whose pct_gdp could be checked (total, gdp and pct_gdp all given). */
  pctGdpChecked: number;
  /** The rows whose pct_gdp disagrees (at most `LIMITS.importErrorsReportedMax` listed). */
  pctGdpDisagreements: KielPctGdpDisagreement[];
  pctGdpDisagreementCount: number;
}

export async function importKielFigures(
  database: Database,
  actor: Actor,
  input: ImportKielFiguresInput,
): Promise<KielImportResult> {
  authorize(actor, 'indicators.import');
  const file = await loadImportFile(input);
  const parsed = parseKielCsv(importText(file), file.fileName, (done, total) =>
    input.onProgress?.({ phase: 'parse', done, total }),
  );
  const rows = parsed.map((p) => p.figure);
  // reduce, not Math.min(...years): a spread of 200,000 arguments overflows the stack.
  const years = rows.map((r) => r.year);
  const disagreements = parsed.flatMap(({ line, figure: f }) => {
    if (f.total === null || f.gdp === null || f.pctGdp === null) return [];
    if (kielPctGdpAgrees(f.total, f.gdp, f.pctGdp)) return [];
    const recomputed = kielPctGdp(f.total, f.gdp, scaleOf(f.pctGdp));
    return [{ line, iso: f.iso, year: f.year, month: f.month, stated: f.pctGdp, recomputed }];
  });

  return inTransaction(database, async (tx) => {
    input.onProgress?.({ phase: 'write', done: 0, total: rows.length });
    const counts = await upsertKielFigures(tx, file.fileName, file.sha256, rows, (done) =>
      input.onProgress?.({ phase: 'write', done, total: rows.length }),
    );
    const result: KielImportResult = {
      file: file.fileName,
      sha256: file.sha256,
      bytes: file.bytes.length,
      rows: rows.length,
      donors: new Set(rows.map((r) => r.iso)).size,
      firstYear: years.reduce((a, b) => Math.min(a, b)),
      lastYear: years.reduce((a, b) => Math.max(a, b)),
      ...counts,
      pctGdpChecked: rows.filter((f) => f.total !== null && f.gdp !== null && f.pctGdp !== null)
        .length,
      pctGdpDisagreements: disagreements.slice(0, LIMITS.importErrorsReportedMax),
      pctGdpDisagreementCount: disagreements.length,
    };
    await recordAudit(tx, actor, {
      entity: 'kiel_figure',
      entityId: null,
      action: 'import',
      after: result,
    });
    return result;
  });
}

const TEXT_COLUMNS = ['country', 'iso', 'year', 'month'] as const;
const FIGURE_COLUMNS = KIEL_FIGURE_COLUMNS;
const COLUMNS = [...TEXT_COLUMNS, ...FIGURE_COLUMNS] as const;

export interface ParsedKielRow {
  line: number;
  figure: KielFigureInput;
}

/**
 * Checks every row of a Kiel `data_explorer.csv` and returns them with their lines, sorted by
 * (iso, year, month). The first problem is `IMPORT_MALFORMED` naming its line and column.
 */
export function parseKielCsv(
  text: string,
  fileName: string,
  onProgress?: (rowsDone: number, rowsTotal: number) => void,
): ParsedKielRow[] {
  const firstLine = new Map<string, number>();
  const parsed = walkStrictCsv(
    text,
    fileName,
    COLUMNS,
    ({ line, cell, malformed }): ParsedKielRow => {
      const country = cell('country');
      if (country.length === 0 || country.length > 200)
        throw malformed(line, 'country', 'the country must be 1 to 200 characters.', country);
      const iso = cell('iso');
      if (!/^[A-Z]{3}$/.test(iso))
        throw malformed(line, 'iso', `"${clip(iso)}" is not a three-letter ISO code.`, iso);
      const yearText = cell('year');
      const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
      if (!(year >= 2000 && year <= 2200))
        throw malformed(
          line,
          'year',
          `"${clip(yearText)}" is not a year from 2000 to 2200.`,
          yearText,
        );
      const monthText = cell('month');
      const month = monthText === '' ? 0 : /^\d{1,2}$/.test(monthText) ? Number(monthText) : NaN;
      if (!(month >= 0 && month <= 12) || (monthText !== '' && month === 0)) {
        throw malformed(
          line,
          'month',
          `"${clip(monthText)}" is not a month from 1 to 12 (leave it blank for a yearly row).`,
          monthText,
        );
      }
      const figures = {} as Record<(typeof FIGURE_COLUMNS)[number], string | null>;
      for (const column of FIGURE_COLUMNS) {
        const raw = cell(column);
        if (raw === '') {
          figures[column] = null;
          continue;
        }
        const value = exactDecimalText(raw, { allowNegative: column !== 'gdp' });
        if (value === undefined || (column === 'gdp' && /^0*(\.0*)?$/.test(value))) {
          throw malformed(
            line,
            column,
            column === 'gdp'
              ? `gdp "${clip(raw)}" is not a positive number of EUR bn (or blank).`
              : `${column} "${clip(raw)}" is not a number of EUR bn (or blank).`,
            raw,
          );
        }
        figures[column] = value;
      }
      const key = `${iso}:${year}:${month}`;
      const earlier = firstLine.get(key);
      if (earlier !== undefined) {
        throw malformed(
          line,
          'month',
          `${iso} ${year}${month === 0 ? '' : `-${month}`} appears twice (first on line ${earlier}).`,
        );
      }
      firstLine.set(key, line);
      return {
        line,
        figure: {
          iso,
          year,
          month,
          country,
          total: figures.total,
          financial: figures.financial,
          humanitarian: figures.humanitarian,
          military: figures.military,
          commitments: figures.commitments,
          toBeAllocated: figures.to_be_allocated,
          gdp: figures.gdp,
          pctGdp: figures.pct_gdp,
        },
      };
    },
    onProgress,
  );
  const order = (r: KielFigureInput) =>
    `${r.iso}:${String(r.year)}:${String(r.month).padStart(2, '0')}`;
  return parsed.sort((a, b) => (order(a.figure) < order(b.figure) ? -1 : 1));
}
