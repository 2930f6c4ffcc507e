import type { Command } from 'commander';

/** `purl serve` — filled in by the HTTP work. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the web server and API')
    .action(() => {
      throw new Error('serve is not wired yet');
    });
}
