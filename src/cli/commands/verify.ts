import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { verifyAudit } from '../../services/audit-service.js';
import { withDatabase } from '../context.js';
import { EXIT_OK, EXIT_VERIFY_FAILED } from '../exit-codes.js';

export function registerVerify(program: Command): void {
  program
    .command('audit')
    .description('the audit log')
    .command('verify')
    .description('recompute the hash chain; exit 1 naming every edited, deleted or reordered event')
    .action(async () => {
      await withDatabase(async (database) => {
        const result = await verifyAudit(database, systemActor('cli:audit-verify'));
        for (const p of result.problems)
          process.stdout.write(`FAIL ${p.problem} event ${p.id}: ${p.message}\n`);
        process.stdout.write(
          result.ok
            ? `audit chain OK: ${result.events} events verified\n`
            : `audit chain BROKEN: ${result.problems.length} problem(s) in ${result.events} events\n`,
        );
        process.exitCode = result.ok ? EXIT_OK : EXIT_VERIFY_FAILED;
      });
    });
}
