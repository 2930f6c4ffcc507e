/** Kysely table types of the analytics reference data — see migration 0015. */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type CountryIndicatorKind = 'gdp_usd' | 'population';

export interface CountryIndicatorTable {
  indicator: CountryIndicatorKind;
  country_code: string;
  year: number;
  /** numeric, read as exact decimal text. */
  value: string;
  country_name: string;
  source: string;
  imported_at: Timestamp;
}

/**
 * The figure columns of a Kiel `data_explorer.csv` row, named as in the file and in
 * `kiel_figure` (EUR bn; `pct_gdp` a percentage).
 */
export const KIEL_FIGURE_COLUMNS = [
  'total',
  'financial',
  'humanitarian',
  'military',
  'commitments',
  'to_be_allocated',
  'gdp',
  'pct_gdp',
] as const;

export interface KielFigureTable {
  iso: string;
  year: number;
  /** 1–12, or 0 for a yearly row. */
  month: number;
  country: string;
  /** EUR bn as exact decimal text; null where the file's cell is blank. */
  total: string | null;
  financial: string | null;
  humanitarian: string | null;
  military: string | null;
  commitments: string | null;
  to_be_allocated: string | null;
  gdp: string | null;
  pct_gdp: string | null;
  source_file: string;
  source_sha256: string;
  imported_at: Timestamp;
}

export interface AnalyticsSchema {
  country_indicator: CountryIndicatorTable;
  kiel_figure: KielFigureTable;
}
