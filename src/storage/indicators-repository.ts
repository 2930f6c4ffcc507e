/**
 * SQL of the analytics reference data (migration 0015): World Bank country indicators (GDP in
 * current US$, population) and the Kiel Institute Ukraine Support Tracker figures. Values are
 * numeric in the database and travel as exact decimal text both ways — never a JS number.
 * Every function takes the Kysely instance or the caller's `Tx`.
 */
import { sql, type Kysely } from 'kysely';
import { assert } from '../core/errors.js';
import { KIEL_FIGURE_COLUMNS, type CountryIndicatorKind } from './schema-analytics.js';
import type { Schema } from './schema.js';

type Executor = Kysely<Schema>;

export type { CountryIndicatorKind } from './schema-analytics.js';

export interface CountryIndicatorValue {
  countryCode: string;
  year: number;
  /** Exact decimal text as stored (GDP in current US$, or persons). */
  value: string;
}

/**
 * Every year of `indicator` for the given countries (ISO alpha-3), ordered by country then year.
 * An empty list of countries returns no rows.
 */
export async function listCountryIndicators(
  db: Executor,
  indicator: CountryIndicatorKind,
  countryCodes: readonly string[],
): Promise<CountryIndicatorValue[]> {
  if (countryCodes.length === 0) return [];
  return db
    .selectFrom('country_indicator')
    .select(['country_code as countryCode', 'year', 'value'])
    .where('indicator', '=', indicator)
    .where('country_code', 'in', [...countryCodes])
    .orderBy('country_code')
    .orderBy('year')
    .execute();
}

/** A stored Kiel row: the file's row, its source file and when it was imported. */
export interface KielFigureRow extends KielFigureInput {
  sourceFile: string;
  sourceSha256: string;
  importedAt: Date;
}

/** Every Kiel figure (optionally of one year), ordered by iso, year, month. */
export async function listKielFigures(
  db: Executor,
  filter: { year?: number } = {},
): Promise<KielFigureRow[]> {
  let query = db
    .selectFrom('kiel_figure')
    .select([
      'iso',
      'year',
      'month',
      'country',
      'total',
      'financial',
      'humanitarian',
      'military',
      'commitments',
      'to_be_allocated as toBeAllocated',
      'gdp',
      'pct_gdp as pctGdp',
      'source_file as sourceFile',
      'source_sha256 as sourceSha256',
      'imported_at as importedAt',
    ]);
  if (filter.year !== undefined) query = query.where('year', '=', filter.year);
  return query.orderBy('iso').orderBy('year').orderBy('month').execute();
}

// ---- Writes (imports) ----

/** Rows per upsert statement: few round trips, bounded parameter size. */
export const INDICATOR_UPSERT_BATCH_ROWS = 1_000;

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface CountryIndicatorInput {
  countryCode: string;
  year: number;
  /** Exact decimal text. */
  value: string;
  countryName: string;
}

/**
 * Inserts new indicator values and rewrites existing ones whose value (numerically: "5" and
 * "5.0" are the same) or country name differs, stamping `source` on every row it writes; a row
 * that is the same is not touched, so a re-import of the same file changes nothing. Rows must be
 * unique by (country, year) and should be sorted by it so concurrent imports lock in one order.
 */
export async function upsertCountryIndicators(
  tx: Executor,
  indicator: CountryIndicatorKind,
  source: string,
  rows: readonly CountryIndicatorInput[],
  onBatch?: (rowsDone: number) => void,
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < rows.length; start += INDICATOR_UPSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + INDICATOR_UPSERT_BATCH_ROWS);
    // As in fx-repository: the outer SELECT sees the table as it was before this statement, so
    // a returned row that already EXISTS there was updated, any other inserted.
    const result = await sql<{ inserted: number; updated: number }>`
      WITH input AS (
        SELECT * FROM unnest(
          ${batch.map((r) => r.countryCode)}::char(3)[],
          ${batch.map((r) => r.year)}::smallint[],
          ${batch.map((r) => r.value)}::numeric[],
          ${batch.map((r) => r.countryName)}::text[]
        ) AS i (country_code, year, value, country_name)
      ), upserted AS (
        INSERT INTO country_indicator (indicator, country_code, year, value, country_name, source)
        SELECT ${indicator}, country_code, year, value, country_name, ${source} FROM input
        ON CONFLICT (indicator, country_code, year) DO UPDATE
          SET value = EXCLUDED.value, country_name = EXCLUDED.country_name,
              source = EXCLUDED.source, imported_at = now()
          WHERE country_indicator.value <> EXCLUDED.value
             OR country_indicator.country_name <> EXCLUDED.country_name
        RETURNING country_code, year
      ), judged AS (
        SELECT EXISTS (
          SELECT 1 FROM country_indicator c
          WHERE c.indicator = ${indicator} AND c.country_code = u.country_code AND c.year = u.year
        ) AS existed
        FROM upserted u
      )
      SELECT count(*) FILTER (WHERE NOT existed)::int AS inserted,
             count(*) FILTER (WHERE existed)::int AS updated
      FROM judged`.execute(tx);
    addCounts(counts, result.rows[0], batch.length);
    onBatch?.(start + batch.length);
  }
  return counts;
}

function addCounts(
  counts: UpsertCounts,
  row: { inserted: number; updated: number } | undefined,
  batchRows: number,
): void {
  assert(
    row && row.inserted >= 0 && row.updated >= 0 && row.inserted + row.updated <= batchRows,
    'an upsert batch inserts or updates at most the rows it was given',
  );
  counts.inserted += row.inserted;
  counts.updated += row.updated;
  counts.unchanged += batchRows - row.inserted - row.updated;
}

/** A Kiel row as the file gives it: EUR bn as exact decimal text; null where a cell is blank. */
export interface KielFigureInput {
  iso: string;
  year: number;
  month: number;
  country: string;
  total: string | null;
  financial: string | null;
  humanitarian: string | null;
  military: string | null;
  commitments: string | null;
  toBeAllocated: string | null;
  gdp: string | null;
  pctGdp: string | null;
}

const KIEL_FIGURES = KIEL_FIGURE_COLUMNS;

/**
 * Inserts new Kiel rows and rewrites existing ones (by iso, year, month) when the country or any
 * figure differs (numerically; a blank cell is NULL and differs from 0), stamping the source
 * file and its SHA-256 on every row it writes. Rows must be unique by (iso, year, month).
 */
export async function upsertKielFigures(
  tx: Executor,
  sourceFile: string,
  sourceSha256: string,
  rows: readonly KielFigureInput[],
  onBatch?: (rowsDone: number) => void,
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const differs = sql.join(
    ['country', ...KIEL_FIGURES].map(
      (c) => sql`kiel_figure.${sql.ref(c)} IS DISTINCT FROM EXCLUDED.${sql.ref(c)}`,
    ),
    sql` OR `,
  );
  const assignments = sql.join(
    ['country', ...KIEL_FIGURES, 'source_file', 'source_sha256'].map(
      (c) => sql`${sql.ref(c)} = EXCLUDED.${sql.ref(c)}`,
    ),
  );
  for (let start = 0; start < rows.length; start += INDICATOR_UPSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + INDICATOR_UPSERT_BATCH_ROWS);
    const figure = (pick: (r: KielFigureInput) => string | null) =>
      sql`${batch.map(pick)}::numeric[]`;
    const result = await sql<{ inserted: number; updated: number }>`
      WITH input AS (
        SELECT * FROM unnest(
          ${batch.map((r) => r.iso)}::char(3)[],
          ${batch.map((r) => r.year)}::smallint[],
          ${batch.map((r) => r.month)}::smallint[],
          ${batch.map((r) => r.country)}::text[],
          ${figure((r) => r.total)}, ${figure((r) => r.financial)},
          ${figure((r) => r.humanitarian)}, ${figure((r) => r.military)},
          ${figure((r) => r.commitments)}, ${figure((r) => r.toBeAllocated)},
          ${figure((r) => r.gdp)}, ${figure((r) => r.pctGdp)}
        ) AS i (iso, year, month, country, ${sql.join(KIEL_FIGURES.map((c) => sql.ref(c)))})
      ), upserted AS (
        INSERT INTO kiel_figure (iso, year, month, country, ${sql.join(KIEL_FIGURES.map((c) => sql.ref(c)))},
                                 source_file, source_sha256)
        SELECT *, ${sourceFile}, ${sourceSha256} FROM input
        ON CONFLICT (iso, year, month) DO UPDATE
          SET ${assignments}, imported_at = now()
          WHERE ${differs}
        RETURNING iso, year, month
      ), judged AS (
        SELECT EXISTS (
          SELECT 1 FROM kiel_figure k
          WHERE k.iso = u.iso AND k.year = u.year AND k.month = u.month
        ) AS existed
        FROM upserted u
      )
      SELECT count(*) FILTER (WHERE NOT existed)::int AS inserted,
             count(*) FILTER (WHERE existed)::int AS updated
      FROM judged`.execute(tx);
    addCounts(counts, result.rows[0], batch.length);
    onBatch?.(start + batch.length);
  }
  return counts;
}

export interface CountryIndicatorSummary {
  rows: number;
  countries: number;
  firstYear: number | null;
  lastYear: number | null;
}

/** How many values of `indicator` are stored, for how many countries, over which years. */
export async function summariseCountryIndicator(
  db: Executor,
  indicator: CountryIndicatorKind,
): Promise<CountryIndicatorSummary> {
  const result = await sql<CountryIndicatorSummary>`
    SELECT count(*)::int AS rows, count(DISTINCT country_code)::int AS countries,
           min(year)::int AS "firstYear", max(year)::int AS "lastYear"
    FROM country_indicator WHERE indicator = ${indicator}`.execute(db);
  return result.rows[0]!;
}
