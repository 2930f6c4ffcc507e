import type { Command } from 'commander';

/** `purl import …` — filled in by the FX work. */
export function registerImport(program: Command): void {
  program.command('import').description('import reference data');
}
