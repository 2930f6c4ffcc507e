/**
 * The export registry: every list and every analysis by name (`contributions`,
 * `burden-sharing`, …), and `openExport`, the one way the API and the CLI make a file of one.
 *
 * Rules:
 * - An unknown name is `NOT_FOUND` listing the known ones.
 * - The filters are checked against the dataset before anything is read: a filter the dataset
 *   does not take, a status or kind it does not have, a malformed date, cycle or party id are
 *   `VALIDATION_FAILED` naming the field.
 * - Access: the dataset's own operation is checked first (`authorize`), and again by every
 *   service it reads through, with the services' party rules and redaction.
 * - Every file states its basis in the meta block: currency, rate mode, rate date (lists:
 *   original currencies, no conversion), generation time, who generated it (role and party) and
 *   the filters.
 * - The first row is read before the file is begun (`openExport`), so a refusal or a bad filter
 *   found by a service is an error answer, not a truncated file.
 */
import type { Writable } from 'node:stream';
import type { Actor } from '../../core/actor.js';
import { checkAnalyticsOptions } from '../../core/analytics.js';
import { CAPABILITY_AREA_CODES, PARTY_ID_PATTERN } from '../../core/reference.js';
import { DomainError } from '../../core/errors.js';
import { requireDate } from '../../core/fx.js';
import { parseAmount } from '../../core/money.js';
import { authorize } from '../../core/policy.js';
import { checkCycle } from '../../core/requirements.js';
import type { Database } from '../../storage/database.js';
import {
  type ExportRow,
  type ExportRows,
  type ExportSource,
  type MinorUnits,
  type RowProgress,
  type WriteResult,
} from './cells.js';
import { writeCsv } from './csv-writer.js';
import {
  EXPORT_FILTERS,
  type DatasetDefinition,
  type ExportFilterName,
  type ExportFilters,
  type ExportQuery,
} from './export-query.js';
import { META, type ExportLanguage } from './labels.js';
import { ANALYSIS_DATASETS } from './analysis-datasets.js';
import { LIST_DATASETS } from './list-datasets.js';
import { readMinorUnits } from './list-reads.js';
import { writeText } from './text-writer.js';
import { writeXlsx } from './xlsx-writer.js';

/** Every dataset, lists first, by the name in `/api/v1/exports/:dataset` and `purl export`. */
export const DATASETS: Readonly<Record<string, DatasetDefinition>> = {
  ...LIST_DATASETS,
  ...ANALYSIS_DATASETS,
};

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The download formats, plus `text`: an aligned table for a terminal (`purl show`). */
export type OutputFormat = ExportFormat | 'text';

export const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  text: 'text/plain; charset=utf-8',
};

const WRITERS = { csv: writeCsv, xlsx: writeXlsx, text: writeText } as const;
const EXTENSIONS: Readonly<Record<OutputFormat, string>> = {
  csv: 'csv',
  xlsx: 'xlsx',
  text: 'txt',
};

export function datasetNames(): string[] {
  return Object.keys(DATASETS);
}

/** The dataset of that name, or `NOT_FOUND` listing the known ones. */
export function findDataset(name: string): DatasetDefinition {
  const dataset = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
  if (!dataset) {
    const known = datasetNames();
    throw new DomainError(
      'NOT_FOUND',
      `dataset: no export named "${name}"; choose one of ${known.join(', ')}.`,
      { field: 'dataset', known },
    );
  }
  return dataset;
}

function invalid(field: string, message: string, extra: Record<string, unknown> = {}) {
  return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { field, ...extra });
}

const PACKAGE_SCOPE: readonly ExportFilterName[] = [
  'status',
  'cycle',
  'capabilityArea',
  'donor',
  'from',
  'to',
];

/** Checks the filters against what the dataset takes; throws `VALIDATION_FAILED` naming one. */
export function checkFilters(name: string, dataset: DatasetDefinition, f: ExportFilters): void {
  const given = EXPORT_FILTERS.filter((key) => f[key] !== undefined);
  for (const key of given) {
    if (!dataset.filters.includes(key)) {
      const takes = dataset.filters.length > 0 ? dataset.filters.join(', ') : 'no filter';
      throw invalid(key, `the ${name} export takes ${takes}; leave ${key} out.`, {
        allowed: dataset.filters,
      });
    }
  }
  for (const key of dataset.required ?? []) {
    if (f[key] === undefined) throw invalid(key, `the ${name} export needs ${key}.`);
  }
  if (f.status !== undefined && !(dataset.statuses ?? []).includes(f.status))
    throw invalid('status', `one of ${(dataset.statuses ?? []).join(', ')}.`, {
      allowed: dataset.statuses,
    });
  if (f.kind !== undefined && !(dataset.kinds ?? []).includes(f.kind))
    throw invalid('kind', `one of ${(dataset.kinds ?? []).join(', ')}.`, {
      allowed: dataset.kinds,
    });
  for (const key of ['cycle', 'cycleFrom', 'cycleTo'] as const)
    if (f[key] !== undefined) checkCycle(f[key], key);
  for (const key of ['targetPerMonth', 'goal'] as const)
    if (f[key] !== undefined) parseAmount(f[key], 2, { field: key });
  for (const key of ['stalledAfterDays', 'year'] as const) {
    const value = f[key];
    if (value !== undefined && !Number.isSafeInteger(value)) throw invalid(key, 'a whole number.');
  }
  if (f.donor !== undefined && !PARTY_ID_PATTERN.test(f.donor))
    throw invalid('donor', 'a party id such as NLD or NSATU.');
  if (
    f.capabilityArea !== undefined &&
    !(CAPABILITY_AREA_CODES as readonly string[]).includes(f.capabilityArea)
  )
    throw invalid('capabilityArea', `one of ${CAPABILITY_AREA_CODES.join(', ')}.`, {
      allowed: CAPABILITY_AREA_CODES,
    });
  for (const key of ['packageId', 'meetingId'] as const) {
    const id = f[key];
    if (id !== undefined && id <= 0n) throw invalid(key, 'a record id, 1 or more.');
  }
  if (f.from !== undefined) requireDate(f.from, 'from');
  if (f.to !== undefined) requireDate(f.to, 'to');
  if (f.from !== undefined && f.to !== undefined && f.from > f.to)
    throw invalid('to', `on or after from (${f.from}).`);
  if (f.packageId !== undefined) {
    const other = PACKAGE_SCOPE.find((key) => f[key] !== undefined);
    if (other !== undefined)
      throw invalid(other, 'packageId picks one package; give either packageId or the filters.');
  }
}

/** "coordinator", "contributor (NLD)", "system (cli:export)", with ", read-only token". */
export function generatedBy(actor: Actor): string {
  const who =
    actor.role === 'system'
      ? `system (${actor.id.replace(/^system:/, '')})`
      : actor.partyId !== undefined
        ? `${actor.role} (${actor.partyId})`
        : actor.role;
  return actor.readOnly ? `${who}, read-only token` : who;
}

/** The filters as one line: `status=paid; donor=NLD; from=2025-01-01 (announced on …)`. */
export function filtersText(
  dataset: DatasetDefinition,
  f: ExportFilters,
  lang: ExportLanguage,
): string {
  const parts = EXPORT_FILTERS.filter((key) => f[key] !== undefined).map(
    (key) => `${key}=${String(f[key])}`,
  );
  if (parts.length === 0) return META.none[lang];
  const dated = (f.from !== undefined || f.to !== undefined) && dataset.dateMeaning;
  return parts.join('; ') + (dated ? ` — ${dataset.dateMeaning![lang]}` : '');
}

/** The meta block of a file: the dataset's own basis (analyses) or the list basis, then who and what. */
function metaBlock(
  dataset: DatasetDefinition,
  source: ExportSource,
  actor: Actor,
  query: ExportQuery & { now: Date },
): [string, string][] {
  const { lang } = query;
  const basis: [string, string][] =
    dataset.kind === 'list'
      ? [
          [META.currency[lang], META.listCurrency[lang]],
          [META.rateMode[lang], META.listRateMode[lang]],
          [META.rateDate[lang], META.notApplicable[lang]],
          [META.generatedAt[lang], query.now.toISOString()],
        ]
      : source.meta;
  return [
    ...basis,
    [META.generatedBy[lang], generatedBy(actor)],
    [META.filters[lang], filtersText(dataset, query.filters, lang)],
  ];
}

/** Reads the first row now (surfacing refusals and bad filters), then yields all of them. */
async function primeRows(rows: ExportRows): Promise<ExportRows> {
  const iterator =
    Symbol.asyncIterator in rows
      ? rows[Symbol.asyncIterator]()
      : (rows as Iterable<ExportRow>)[Symbol.iterator]();
  const first = await iterator.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield next.value;
  })();
}

/** An export ready to be written: its file name, content type and the writer. */
export interface OpenedExport {
  dataset: string;
  format: OutputFormat;
  /** `purl-contributions-2026-11-28.csv`. */
  fileName: string;
  contentType: string;
  source: ExportSource;
  /** Writes the file to `out` (and ends it). */
  write(out: Writable, onProgress?: RowProgress): Promise<WriteResult>;
}

/**
 * Opens the export `name` for `actor`: checks the name, access and the filters, produces the
 * table and reads its first row. Nothing is written until `write` is called.
 */
export async function openExport(
  database: Database,
  actor: Actor,
  name: string,
  format: OutputFormat,
  query: ExportQuery,
): Promise<OpenedExport> {
  const dataset = findDataset(name);
  authorize(actor, dataset.operation);
  checkFilters(name, dataset, query.filters);
  const now = query.now ?? new Date();
  checkAnalyticsOptions(query.analytics);
  const minorUnits: MinorUnits = await readMinorUnits(database, actor);
  const produced = await dataset.produce(database, actor, { ...query, now });
  const source: ExportSource = {
    ...produced,
    meta: metaBlock(dataset, produced, actor, { ...query, now }),
    rows: await primeRows(produced.rows),
  };
  const writer = WRITERS[format];
  return {
    dataset: name,
    format,
    fileName: `purl-${name}-${now.toISOString().slice(0, 10)}.${EXTENSIONS[format]}`,
    contentType: CONTENT_TYPES[format],
    source,
    write: (out, onProgress) => writer(source, out, { minorUnits, onProgress }),
  };
}
