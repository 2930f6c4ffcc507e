import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { importFxRates, type FxImportProgress } from '../../services/fx-service.js';
import { withDatabase } from '../context.js';

/** `purl import fx FILE` (and, later, gdp, population, contributions, kiel). */
export function registerImport(program: Command): void {
  const command = program.command('import').description('import reference data');
  command
    .command('fx')
    .description(
      'import ECB euro reference rates (eurofxref-hist.zip or its .csv); re-importing is idempotent',
    )
    .argument('<file>', 'eurofxref-hist.zip, or eurofxref-hist.csv')
    .action(async (file: string) => {
      const startedMs = performance.now();
      const progress = progressReporter();
      try {
        await withDatabase(async (database) => {
          const result = await importFxRates(database, systemActor('cli:import-fx'), {
            file,
            onProgress: progress.update,
          });
          progress.stop();
          const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
          process.stdout.write(
            `imported ${result.file} into ${database.engine}: ${result.days} days, ` +
              `${result.rates} rates of ${result.currencies} currencies ` +
              `(${result.firstDate} to ${result.lastDate}); ` +
              `${result.inserted} inserted, ${result.updated} updated, ` +
              `${result.unchanged} unchanged, in ${seconds} s\n`,
          );
        });
      } finally {
        progress.stop();
      }
    });
}

/**
 * A progress bar on stderr when it is a terminal; otherwise (a log, a pipe) a line at the start
 * of each phase and at every quarter, so logs stay short.
 */
function progressReporter(): { update: (p: FxImportProgress) => void; stop: () => void } {
  const label = { parse: 'checking rows', write: 'writing rates' } as const;
  if (process.stderr.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    let phase: FxImportProgress['phase'] | undefined;
    const stop = () => {
      bar?.stop();
      bar = undefined;
    };
    return {
      update(p) {
        if (p.phase !== phase) {
          stop();
          phase = p.phase;
          bar = new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: `${label[p.phase].padEnd(13)} [{bar}] {percentage}% | {value}/{total}`,
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, p.done);
        } else {
          bar?.update(p.done);
        }
      },
      stop,
    };
  }
  let reported = '';
  return {
    update(p) {
      const quarter = p.total === 0 ? 4 : Math.floor((p.done * 4) / p.total);
      const key = `${p.phase}:${quarter}`;
      if (key === reported) return;
      reported = key;
      process.stderr.write(`${label[p.phase]}: ${p.done}/${p.total} (${quarter * 25}%)\n`);
    },
    stop() {},
  };
}
