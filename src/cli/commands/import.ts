/**
 * `purl import fx | gdp | population | kiel | contributions FILE`: each checks that FILE is a
 * readable regular file before it opens the database (a directory, a device, a missing file or
 * a link loop fails at once, naming it), then calls one import service as the system actor,
 * shows progress on stderr (a bar on a terminal; otherwise a line per phase and quarter, so logs
 * stay short) and prints a summary line on stdout.
 *
 * `import contributions` prints its per-row report (line, field, code, message) on stdout;
 * `--dry-run` writes nothing and exits 0 when every row is valid, 2 otherwise; without it, any
 * invalid row fails the import (exit 2, nothing written) unless `--skip-invalid` is given.
 */
import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DomainError, isDomainError } from '../../core/errors.js';
import { importFxRates } from '../../services/fx-service.js';
import {
  importContributions,
  type ContributionImportResult,
  type ContributionImportRowError,
} from '../../services/imports/contributions-import.js';
import { checkImportPath, type ImportProgress } from '../../services/imports/import-file.js';
import { importCountryIndicators } from '../../services/imports/indicators-import.js';
import { importKielFigures } from '../../services/imports/kiel-import.js';
import { reportError, withDatabase } from '../context.js';
import { EXIT_CODES, EXIT_OK } from '../exit-codes.js';
import { phaseProgressReporter, type PhaseProgressReporter } from '../progress.js';

export function registerImport(program: Command): void {
  const command = program.command('import').description('import reference data and records');
  command
    .command('fx')
    .description(
      'import ECB euro reference rates (eurofxref-hist.zip or its .csv); re-importing is idempotent',
    )
    .argument('<file>', 'eurofxref-hist.zip, or eurofxref-hist.csv')
    .action(async (file: string) => {
      await checkImportPath(file);
      await timed({ parse: 'checking rows', write: 'writing rates' }, async (progress, seconds) =>
        withDatabase(async (database) => {
          const result = await importFxRates(database, systemActor('cli:import-fx'), {
            file,
            onProgress: progress.update,
          });
          progress.stop();
          process.stdout.write(
            `imported ${result.file} into ${database.engine}: ${result.days} days, ` +
              `${result.rates} rates of ${result.currencies} currencies ` +
              `(${result.firstDate} to ${result.lastDate}); ` +
              `${result.inserted} inserted, ${result.updated} updated, ` +
              `${result.unchanged} unchanged, in ${seconds()} s\n`,
          );
        }),
      );
    });

  for (const [name, indicator, what] of [
    ['gdp', 'gdp_usd', 'GDP values (current US$)'],
    ['population', 'population', 'population figures'],
  ] as const) {
    command
      .command(name)
      .description(
        `import the World Bank ${name === 'gdp' ? 'GDP (current US$)' : 'population'} file ` +
          '(Country Name,Country Code,Year,Value); re-importing is idempotent',
      )
      .argument('<file>', `${name}.csv`)
      .action(async (file: string) => {
        await checkImportPath(file);
        await timed({ parse: 'checking rows', write: 'writing values' }, (progress, seconds) =>
          withDatabase(async (database) => {
            const result = await importCountryIndicators(
              database,
              systemActor(`cli:import-${name}`),
              { indicator, file, onProgress: progress.update },
            );
            progress.stop();
            process.stdout.write(
              `imported ${result.file} into ${database.engine}: ${result.rows} ${what} of ` +
                `${result.countries} countries (${result.firstYear} to ${result.lastYear}); ` +
                `${result.inserted} inserted, ${result.updated} updated, ` +
                `${result.unchanged} unchanged, in ${seconds()} s\n`,
            );
          }),
        );
      });
  }

  command
    .command('kiel')
    .description(
      'import the Kiel Institute Ukraine Support Tracker data_explorer.csv (EUR bn); ' +
        're-importing is idempotent',
    )
    .argument('<file>', 'data_explorer.csv')
    .action(async (file: string) => {
      await checkImportPath(file);
      await timed({ parse: 'checking rows', write: 'writing figures' }, (progress, seconds) =>
        withDatabase(async (database) => {
          const result = await importKielFigures(database, systemActor('cli:import-kiel'), {
            file,
            onProgress: progress.update,
          });
          progress.stop();
          for (const d of result.pctGdpDisagreements) {
            process.stdout.write(
              `line ${d.line}: ${d.iso} ${d.year}${d.month ? `-${d.month}` : ''} pct_gdp ` +
                `${d.stated} differs from total / gdp × 100 = ${d.recomputed} (imported as published)\n`,
            );
          }
          const agreement =
            result.pctGdpDisagreementCount === 0
              ? `pct_gdp agrees with total / gdp × 100 on all ${result.pctGdpChecked} rows that give them`
              : `pct_gdp differs from total / gdp × 100 on ${result.pctGdpDisagreementCount} of ${result.pctGdpChecked} rows`;
          process.stdout.write(
            `imported ${result.file} into ${database.engine}: ${result.rows} rows of ` +
              `${result.donors} donors (${result.firstYear} to ${result.lastYear}); ` +
              `${result.inserted} inserted, ${result.updated} updated, ` +
              `${result.unchanged} unchanged; ${agreement}; in ${seconds()} s\n`,
          );
        }),
      );
    });

  command
    .command('contributions')
    .description(
      'import contributions from CSV or XLSX (columns donor, title, currency, amount, ' +
        'announced_on; optional status, committed_on, earmark_areas, source_note, external_id); ' +
        'every row is checked and every problem reported by line and field',
    )
    .argument('<file>', 'a .csv (UTF-8) or .xlsx file (the first worksheet is read)')
    .option('--dry-run', 'check and report only; write nothing (exit 2 when a row is invalid)')
    .option('--skip-invalid', 'import the valid rows and report the invalid ones')
    .action(async (file: string, options: { dryRun?: boolean; skipInvalid?: boolean }) => {
      await checkImportPath(file);
      await timed(
        { parse: 'checking rows', check: 'looking up', write: 'writing' },
        (progress, seconds) =>
          withDatabase(async (database) => {
            let result: ContributionImportResult;
            try {
              result = await importContributions(
                database,
                systemActor('cli:import-contributions'),
                {
                  file,
                  dryRun: options.dryRun ?? false,
                  skipInvalid: options.skipInvalid ?? false,
                  onProgress: progress.update,
                },
              );
            } catch (error) {
              progress.stop();
              if (!isDomainError(error) || error.code !== 'IMPORT_ROWS_INVALID') throw error;
              printRowErrors(error.details.errors as ContributionImportRowError[]);
              const { errors: _listed, ...details } = error.details;
              process.exitCode = reportError(new DomainError(error.code, error.message, details));
              return;
            }
            progress.stop();
            printRowErrors(result.errors);
            process.stdout.write(contributionSummary(result, database.engine, seconds()) + '\n');
            process.exitCode =
              result.dryRun && result.errorCount > 0 ? EXIT_CODES.IMPORT_ROWS_INVALID : EXIT_OK;
          }),
      );
    });
}

function printRowErrors(errors: readonly ContributionImportRowError[]): void {
  for (const e of errors)
    process.stdout.write(`line ${e.line}, ${e.field} (${e.code}): ${e.message}\n`);
}

function contributionSummary(r: ContributionImportResult, engine: string, seconds: string): string {
  const totals = r.totals.map((t) => `${t.currency} ${t.amount} (${t.rows})`).join(', ');
  const kinds = `${r.committed} committed, ${r.pledged} pledged`;
  const problems =
    r.errorCount === 0
      ? 'no invalid rows'
      : `${r.invalidRows} invalid rows (${r.errorCount} problems${
          r.errorCount > r.errors.length ? `, the first ${r.errors.length} listed` : ''
        })`;
  return r.dryRun
    ? `dry run of ${r.file}: ${r.rows} rows, ${problems}; ${r.imported} would be imported ` +
        `(${kinds}${totals ? `; ${totals}` : ''}), ${r.alreadyImported} already imported; nothing written`
    : `imported ${r.file} into ${engine}: ${r.imported} contributions (${kinds}${
        totals ? `; ${totals}` : ''
      }), ${r.alreadyImported} already imported, ${problems}${
        r.errorCount > 0 ? ' skipped' : ''
      }; in ${seconds} s`;
}

type Labels = Partial<Record<ImportProgress['phase'], string>>;

type ProgressReporter = PhaseProgressReporter<ImportProgress>;

/** Runs `fn` with a progress reporter and a clock, and always stops the bar. */
async function timed(
  labels: Labels,
  fn: (progress: ProgressReporter, seconds: () => string) => Promise<void>,
): Promise<void> {
  const startedMs = performance.now();
  const progress = phaseProgressReporter<ImportProgress>((phase) => labels[phase] ?? phase);
  try {
    await fn(progress, () => ((performance.now() - startedMs) / 1000).toFixed(1));
  } finally {
    progress.stop();
  }
}
