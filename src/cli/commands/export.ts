/**
 * `purl export csv|xlsx DATASET --out FILE` — any list or analysis as a file — and
 * `purl export iati --out FILE`, the IATI 2.03 activity file. Run as `system` (the CLI sees
 * everything, redacts nothing).
 *
 * The output path is resolved once; a directory, a device or anything else that is not a regular
 * file, a symbolic-link loop, or a folder that does not exist, is refused (`VALIDATION_FAILED`,
 * field `out`). The file is written next to it under a temporary name and renamed over it only
 * when complete, so a failed export leaves no half file and never replaces a good one; the
 * rename replaces a symbolic link rather than writing through it. Progress on
 * stderr (a counter on a terminal, a line every `PROGRESS_LINE_ROWS` rows otherwise), one
 * summary line on stdout: rows, bytes, seconds.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { checkAnalyticsOptions } from '../../core/analytics.js';
import { DomainError } from '../../core/errors.js';
import { openExport, type ExportFormat } from '../../services/exports/datasets.js';
import type { ExportFilters } from '../../services/exports/export-query.js';
import { IATI_VERSION, exportIati } from '../../services/exports/iati.js';
import { EXPORT_LANGUAGES, type ExportLanguage } from '../../services/exports/labels.js';
import { withDatabase } from '../context.js';

/** Rows between two progress lines when stderr is not a terminal. */
const PROGRESS_LINE_ROWS = 10_000;

interface TableOptions {
  out: string;
  lang: string;
  currency?: string;
  rateMode?: string;
  rateDate?: string;
  asOf?: string;
  meeting?: string;
  package?: string;
  status?: string;
  kind?: string;
  cycle?: string;
  donor?: string;
  capabilityArea?: string;
  from?: string;
  to?: string;
  cycleFrom?: string;
  cycleTo?: string;
  targetPerMonth?: string;
  goal?: string;
  stalledAfterDays?: string;
  year?: string;
}

export function registerExport(program: Command): void {
  const command = program
    .command('export')
    .description('export a list or an analysis (CSV, XLSX), or the IATI activity file');
  for (const format of ['csv', 'xlsx'] as const) {
    const sub = command
      .command(format)
      .description(
        format === 'csv'
          ? 'a dataset as CSV (UTF-8 with BOM; a # meta block, a blank line, then the table)'
          : 'a dataset as XLSX (meta block above a frozen, filterable table)',
      )
      .argument(
        '<dataset>',
        'contributions, packages, package-lines, allocations, … or an analysis',
      )
      .requiredOption('--out <file>', 'the file to write (its folder must exist)');
    withTableOptions(sub).action(async (dataset: string, options: TableOptions) => {
      await exportTable(format, dataset, options);
    });
  }
  const show = program
    .command('show')
    .description(
      'print a list or an analysis as a table on the terminal (funnel, burden-sharing, coverage, pace, lead-times, stalled-packages, follow-up, context, contributions, …)',
    )
    .argument('<dataset>', 'an analysis or a list, as for `purl export`');
  withTableOptions(show).action(async (dataset: string, options: Omit<TableOptions, 'out'>) => {
    await showTable(dataset, options);
  });
  command
    .command('iati')
    .description('the IATI 2.03 activity file: one activity per package, transactions 11, 1, 3')
    .requiredOption('--out <file>', 'the XML file to write (its folder must exist)')
    .option('--reporting-org-ref <ref>', 'reporting-org/@ref: the identifier IATI allocated')
    .action(async (options: { out: string; reportingOrgRef?: string }) => {
      const out = await checkOut(options.out);
      const startedMs = performance.now();
      await withDatabase(async (database) => {
        const file = await exportIati(database, systemActor('cli:export'), {
          reportingOrgRef: options.reportingOrgRef,
        });
        const bytes = Buffer.byteLength(file.xml, 'utf8');
        await writeAtomically(out, (temporary) => writeFile(temporary, file.xml, { flag: 'wx' }));
        process.stdout.write(
          `exported IATI ${IATI_VERSION} to ${out}: ${count(file.activities, 'activity', 'activities')}, ` +
            `${count(file.transactions, 'transaction', 'transactions')}, ${bytes} bytes, ` +
            `in ${seconds(startedMs)} s\n`,
        );
      });
    });
}

/** The options every table command takes: language, analysis basis and filters. */
function withTableOptions(command: Command): Command {
  return command
    .option('--lang <lang>', 'en or fr', 'en')
    .option('--currency <code>', 'analyses: USD or EUR')
    .option('--rate-mode <mode>', 'analyses: value_date or fixed')
    .option('--rate-date <date>', 'analyses with --rate-mode fixed: YYYY-MM-DD')
    .option('--as-of <date>', 'analyses: computed as of this day')
    .option('--meeting <id>', 'follow-up, announcements: the meeting id')
    .option('--package <id>', 'one package (lines, allocations, deliveries)')
    .option('--status <status>', 'lists: the records’ status')
    .option('--kind <kind>', 'meetings, announcements, parties: the kind')
    .option('--cycle <YYYY-MM>', 'packages, requirement lists: the cycle')
    .option('--donor <party>', 'contributions of, or packages funded by, this party')
    .option('--capability-area <code>', 'contributions, packages: the capability area')
    .option('--from <date>', 'from this day (the dataset says which date)')
    .option('--to <date>', 'up to this day, inclusive')
    .option('--cycle-from <YYYY-MM>', 'coverage: the first cycle shown')
    .option('--cycle-to <YYYY-MM>', 'coverage: the last cycle shown')
    .option('--target-per-month <amount>', 'pace: target per month, reporting currency')
    .option('--goal <amount>', 'pace: goal, reporting currency')
    .option('--stalled-after-days <days>', 'lead times, stalled packages: the threshold')
    .option('--year <year>', 'context: the Kiel year');
}

/** Language, analysis basis and filters from the options, each checked and named. */
function queryOf(o: Omit<TableOptions, 'out'>) {
  if (!(EXPORT_LANGUAGES as readonly string[]).includes(o.lang)) {
    throw new DomainError('VALIDATION_FAILED', `lang: ${EXPORT_LANGUAGES.join(' or ')}.`, {
      field: 'lang',
    });
  }
  const analytics = checkAnalyticsOptions({
    currency: o.currency,
    rateMode: o.rateMode,
    rateDate: o.rateDate,
    asOf: o.asOf,
  });
  const filters: ExportFilters = {
    status: o.status,
    kind: o.kind,
    cycle: o.cycle,
    donor: o.donor,
    capabilityArea: o.capabilityArea,
    packageId: recordId(o.package, 'package'),
    meetingId: recordId(o.meeting, 'meeting'),
    from: o.from,
    to: o.to,
    cycleFrom: o.cycleFrom,
    cycleTo: o.cycleTo,
    targetPerMonth: o.targetPerMonth,
    goal: o.goal,
    stalledAfterDays: wholeNumber(o.stalledAfterDays, 'stalled-after-days'),
    year: wholeNumber(o.year, 'year'),
  };
  return { lang: o.lang as ExportLanguage, analytics, filters };
}

/** `purl show DATASET`: the table on stdout, as the system actor. */
async function showTable(dataset: string, o: Omit<TableOptions, 'out'>) {
  const query = queryOf(o);
  await withDatabase(async (database) => {
    const opened = await openExport(database, systemActor('cli:show'), dataset, 'text', query);
    await opened.write(process.stdout);
  });
}

async function exportTable(format: ExportFormat, dataset: string, o: TableOptions) {
  const query = queryOf(o);
  const out = await checkOut(o.out);
  const startedMs = performance.now();
  await withDatabase(async (database) => {
    const opened = await openExport(database, systemActor('cli:export'), dataset, format, query);
    const progress = progressReporter(dataset);
    try {
      const result = await writeAtomically(out, (temporary) =>
        opened.write(createWriteStream(temporary, { flags: 'wx' }), progress.update),
      );
      progress.stop();
      process.stdout.write(
        `exported ${dataset} (${format}, ${query.lang}) to ${out}: ${count(result.rows, 'row', 'rows')}, ` +
          `${result.bytes} bytes, in ${seconds(startedMs)} s\n`,
      );
    } finally {
      progress.stop();
    }
  });
}

function recordId(text: string | undefined, field: string): bigint | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,18}$/.test(text)) {
    throw new DomainError('VALIDATION_FAILED', `${field}: a record id such as 3.`, { field });
  }
  return BigInt(text);
}

function wholeNumber(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,6}$/.test(text)) {
    throw new DomainError('VALIDATION_FAILED', `${field}: a whole number.`, { field });
  }
  return Number(text);
}

/**
 * The resolved output path. Refuses a directory, anything else that is not a regular file (a
 * device such as /dev/null or /dev/stdout, a FIFO, a socket — even through a symbolic link: the
 * rename would replace the link or the device node with a file, as root too), a path that cannot
 * be followed (a symbolic-link loop), and a folder that does not exist.
 */
async function checkOut(out: string): Promise<string> {
  const path = resolve(out);
  let existing: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    existing = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new DomainError(
        'VALIDATION_FAILED',
        `out: cannot write ${path} (${code === 'ELOOP' ? 'a loop of symbolic links' : (code ?? String(error))}); name another file.`,
        { field: 'out' },
      );
    }
  }
  if (existing?.isDirectory()) {
    throw new DomainError('VALIDATION_FAILED', `out: ${path} is a directory; name a file in it.`, {
      field: 'out',
    });
  }
  if (existing && !existing.isFile()) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `out: ${path} is not a regular file (a device, pipe or socket); name a file to write.`,
      { field: 'out' },
    );
  }
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `out: the folder ${dirname(path)} does not exist; create it first or name another.`,
      { field: 'out' },
    );
  }
  return path;
}

/** Writes to a temporary file beside `path`, then renames it over `path`; removes it on failure. */
async function writeAtomically<T>(path: string, write: (temporary: string) => Promise<T>) {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    const result = await write(temporary);
    await rename(temporary, path);
    return result;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function seconds(startedMs: number): string {
  return ((performance.now() - startedMs) / 1000).toFixed(1);
}

/** A row counter on a terminal; otherwise a line every `PROGRESS_LINE_ROWS` rows. */
function progressReporter(dataset: string): { update: (rows: number) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `exporting ${dataset}: {value} rows`,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(rows) {
        if (!started) bar.start(0, rows);
        started = true;
        bar.update(rows);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let reported = 0;
  return {
    update(rows) {
      if (rows - reported < PROGRESS_LINE_ROWS) return;
      reported = rows;
      process.stderr.write(`exporting ${dataset}: ${rows} rows\n`);
    },
    stop() {},
  };
}
