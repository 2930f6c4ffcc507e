/**
 * `purl import gdp | population`: the World Bank files (`Country Name,Country Code,Year,Value`,
 * one row per country and year, names with commas quoted) into `country_indicator`.
 *
 * Rules: the whole file is checked first — a malformed row is `IMPORT_MALFORMED` naming its line
 * and field, and nothing is written; then every value is upserted and ONE audit event recorded,
 * in one transaction. Values are exact decimal text (scientific notation is expanded exactly,
 * never through a float); GDP may carry decimals, a population is a whole number. A re-import of
 * the same file changes nothing (it reports every row unchanged). World Bank aggregates (EUU,
 * WLD, HIC, …) are kept: they are valid three-letter codes, do no harm, and the analyses look
 * donors up by their own ISO code. Access: `indicators.import` (admin, system).
 */
import type { Actor } from '../../core/actor.js';
import { DomainError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import type { Database } from '../../storage/database.js';
import {
  summariseCountryIndicator,
  upsertCountryIndicators,
  type CountryIndicatorInput,
  type CountryIndicatorKind,
  type CountryIndicatorSummary,
  type UpsertCounts,
} from '../../storage/indicators-repository.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit-service.js';
import { walkStrictCsv } from './csv-table.js';
import { exactDecimalText } from './decimal-text.js';
import {
  clip,
  importText,
  loadImportFile,
  type ImportProgressListener,
  type ImportSource,
} from './import-file.js';

/** What each World Bank file is, for the source recorded on every row. */
export const WORLD_BANK_INDICATORS: Record<
  CountryIndicatorKind,
  { series: string; dataset: string; wholeNumbers: boolean }
> = {
  gdp_usd: { series: 'NY.GDP.MKTP.CD', dataset: 'datasets/gdp', wholeNumbers: false },
  population: { series: 'SP.POP.TOTL', dataset: 'datasets/population', wholeNumbers: true },
};

/** `World Bank NY.GDP.MKTP.CD via datasets/gdp (file sha256 …)`. */
export function worldBankSource(indicator: CountryIndicatorKind, sha256: string): string {
  const { series, dataset } = WORLD_BANK_INDICATORS[indicator];
  return `World Bank ${series} via ${dataset} (file sha256 ${sha256})`;
}

export type ImportCountryIndicatorsInput = ImportSource & {
  indicator: CountryIndicatorKind;
  onProgress?: ImportProgressListener;
};

export interface CountryIndicatorImportResult extends UpsertCounts {
  indicator: CountryIndicatorKind;
  file: string;
  sha256: string;
  bytes: number;
  /** Data rows of the file. */
  rows: number;
  countries: number;
  firstYear: number;
  lastYear: number;
  source: string;
  /** What the table holds for this indicator after the import. */
  stored: CountryIndicatorSummary;
}

export async function importCountryIndicators(
  database: Database,
  actor: Actor,
  input: ImportCountryIndicatorsInput,
): Promise<CountryIndicatorImportResult> {
  authorize(actor, 'indicators.import');
  const { indicator, onProgress } = input;
  if (!(indicator in WORLD_BANK_INDICATORS)) {
    throw new DomainError('VALIDATION_FAILED', 'indicator must be gdp_usd or population.', {
      field: 'indicator',
    });
  }
  const file = await loadImportFile(input);
  const rows = parseWorldBankCsv(importText(file), file.fileName, indicator, (done, total) =>
    onProgress?.({ phase: 'parse', done, total }),
  );
  const source = worldBankSource(indicator, file.sha256);
  // reduce, not Math.min(...years): a spread of 200,000 arguments overflows the stack.
  const years = rows.map((r) => r.year);

  return inTransaction(database, async (tx) => {
    onProgress?.({ phase: 'write', done: 0, total: rows.length });
    const counts = await upsertCountryIndicators(tx, indicator, source, rows, (done) =>
      onProgress?.({ phase: 'write', done, total: rows.length }),
    );
    const result: CountryIndicatorImportResult = {
      indicator,
      file: file.fileName,
      sha256: file.sha256,
      bytes: file.bytes.length,
      rows: rows.length,
      countries: new Set(rows.map((r) => r.countryCode)).size,
      firstYear: years.reduce((a, b) => Math.min(a, b)),
      lastYear: years.reduce((a, b) => Math.max(a, b)),
      source,
      ...counts,
      stored: await summariseCountryIndicator(tx, indicator),
    };
    await recordAudit(tx, actor, {
      entity: 'country_indicator',
      entityId: indicator,
      action: 'import',
      after: result,
    });
    return result;
  });
}

const COLUMNS = ['country name', 'country code', 'year', 'value'] as const;

/**
 * Checks every row of a World Bank file and returns them sorted by (country, year). Strict:
 * exactly the four columns; a name of 1 to 200 characters; a code of three capital letters; a
 * year from 1900 to 2200; a non-negative number (whole for population); each (country, year)
 * once. The first problem is `IMPORT_MALFORMED` naming its line (header = 1) and column.
 */
export function parseWorldBankCsv(
  text: string,
  fileName: string,
  indicator: CountryIndicatorKind,
  onProgress?: (rowsDone: number, rowsTotal: number) => void,
): CountryIndicatorInput[] {
  const firstLine = new Map<string, number>();
  const rows = walkStrictCsv(
    text,
    fileName,
    COLUMNS,
    ({ line, cell, malformed }): CountryIndicatorInput => {
      const name = cell('country name');
      if (name.length === 0 || name.length > 200)
        throw malformed(
          line,
          'Country Name',
          'the country name must be 1 to 200 characters.',
          name,
        );
      const code = cell('country code');
      if (!/^[A-Z]{3}$/.test(code))
        throw malformed(
          line,
          'Country Code',
          `"${clip(code)}" is not three capital letters.`,
          code,
        );
      const yearText = cell('year');
      const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
      if (!(year >= 1900 && year <= 2200))
        throw malformed(
          line,
          'Year',
          `"${clip(yearText)}" is not a year from 1900 to 2200.`,
          yearText,
        );
      const valueText = cell('value');
      const value = exactDecimalText(valueText);
      if (value === undefined) {
        throw malformed(
          line,
          'Value',
          `"${clip(valueText)}" is not a non-negative number (digits, optional decimals or exponent).`,
          valueText,
        );
      }
      if (WORLD_BANK_INDICATORS[indicator].wholeNumbers && /\.\d*[1-9]/.test(value))
        throw malformed(
          line,
          'Value',
          `a population is a whole number, not "${clip(valueText)}".`,
          valueText,
        );
      const key = `${code}:${year}`;
      const earlier = firstLine.get(key);
      if (earlier !== undefined)
        throw malformed(line, 'Year', `${code} ${year} appears twice (first on line ${earlier}).`);
      firstLine.set(key, line);
      return { countryCode: code, year, value, countryName: name };
    },
    onProgress,
  );
  return rows.sort((a, b) =>
    a.countryCode < b.countryCode ? -1 : a.countryCode > b.countryCode ? 1 : a.year - b.year,
  );
}
