/**
 * The `purl` command line. Each command opens the configured database (PGlite in
 * PURL_DATA_DIR, or PostgreSQL at DATABASE_URL), calls services, and exits with a code from
 * `exit-codes.ts`. No SQL here.
 */
import { Command } from 'commander';
import { registerDb } from './commands/db.js';
import { registerDemo } from './commands/demo.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerPlan } from './commands/plan.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerUser } from './commands/user.js';
import { registerVerify } from './commands/verify.js';
import { reportError } from './context.js';

const program = new Command()
  .name('purl')
  .description('PURL Ledger — the coordination ledger of the Partnered Ukraine Resupply Line')
  .showHelpAfterError();

registerServe(program);
registerDb(program);
registerImport(program);
registerVerify(program);
registerDemo(program);
registerUser(program);
registerExport(program);
registerReport(program);
registerPlan(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}
