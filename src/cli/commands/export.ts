/** Placeholder: the `purl export` commands of issue 5 land here. */
import type { Command } from 'commander';

export function registerExport(program: Command): void {
  void program;
}
