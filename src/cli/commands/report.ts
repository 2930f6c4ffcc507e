/** Placeholder: the `purl report` commands of issue 5 land here. */
import type { Command } from 'commander';

export function registerReport(program: Command): void {
  void program;
}
