import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { verifyAudit } from '../../services/audit-service.js';
import { verifyLedger } from '../../services/ledger-service.js';
import { withDatabase } from '../context.js';
import { EXIT_OK, EXIT_VERIFY_FAILED } from '../exit-codes.js';

/** `purl ledger verify` and `purl audit verify`: exit 0 when sound, 1 with a report otherwise. */
export function registerVerify(program: Command): void {
  program
    .command('ledger')
    .description('the double-entry ledger')
    .command('verify')
    .description(
      'recompute every balance from the transfers and check Σ debits = Σ credits per ledger',
    )
    .action(async () => {
      await withDatabase(async (database) => {
        const result = await verifyLedger(database, systemActor('cli:ledger-verify'));
        const out = (line: string) => process.stdout.write(`${line}\n`);
        for (const l of result.ledgers) {
          out(
            `${l.balanced ? 'ok  ' : 'FAIL'} ledger ${l.ledger}: ${l.accounts} accounts, ${l.transfers} transfers, ` +
              `posted debits ${l.debitsPostedMinor} = credits ${l.creditsPostedMinor}, ` +
              `pending debits ${l.debitsPendingMinor} = credits ${l.creditsPendingMinor} (minor units)`,
          );
        }
        for (const m of result.mismatches) {
          out(
            `FAIL account ${m.accountId} (${m.reference}, ${m.ledger}): ${m.field} stored ${m.storedMinor} ` +
              `but its transfers sum to ${m.computedMinor}`,
          );
        }
        for (const i of result.inconsistencies) out(`FAIL ${i.problem} (id ${i.transferId})`);
        out(
          result.ok
            ? `ledger OK: ${result.ledgers.length} ledger(s) balanced, every balance equals its transfers`
            : `ledger BROKEN: ${result.mismatches.length} balance mismatch(es), ${result.inconsistencies.length} inconsistent transfer(s), ` +
                `${result.ledgers.filter((l) => !l.balanced).length} unbalanced ledger(s)`,
        );
        process.exitCode = result.ok ? EXIT_OK : EXIT_VERIFY_FAILED;
      });
    });

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
