/**
 * The one shape every CSV and XLSX export is written from: a titled table with typed columns
 * and a block of metadata (currency, rate mode, rate date, generation time, filters) that the
 * writers put at the top of the file. Lists and analyses each provide a function turning their
 * result into an `ExportTable`; the writers (services/exports) know nothing else. Pure.
 */

export type ExportColumnKind =
  /** Free text (written safely: a leading =, +, -, @ never becomes a formula). */
  | 'text'
  /** Minor units of `currency` (or of the row's `currencyKey` column), written as a decimal. */
  | 'money'
  | 'integer'
  /** A decimal given as exact text ("12.35"). */
  | 'decimal'
  /** A percentage given as exact decimal text ("12.35" means 12.35 %). */
  | 'percent'
  | 'date'
  | 'boolean';

export interface ExportColumn {
  key: string;
  /** The header, in the export's language. */
  label: string;
  kind: ExportColumnKind;
  /** `money`: the currency of every row, or… */
  currency?: string;
  /** …`money`: the column of the row holding its currency code. */
  currencyKey?: string;
}

export type ExportCell = string | number | bigint | boolean | null | undefined;

export interface ExportTable {
  /** File-name friendly: `contributions`, `burden-sharing`. */
  name: string;
  title: string;
  /** Written above the table, in order: `Currency: USD`, `Rate mode: value_date`, `Generated at: …`. */
  meta: [label: string, value: string][];
  columns: ExportColumn[];
  rows: Record<string, ExportCell>[];
}
