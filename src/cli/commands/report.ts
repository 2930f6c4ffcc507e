/**
 * `purl report briefing --meeting N --lang en|fr --out FILE.pdf [--currency USD|EUR]
 * [--rate-mode value_date|fixed] [--rate-date YYYY-MM-DD] [--as-of YYYY-MM-DD]`: the meeting
 * briefing PDF (`services/reports/briefing-service.ts`).
 *
 * `--meeting` is the meeting's NUMBER (the UDCG's own numbering, as `purl demo load` lists them:
 * "no. 33"), not its database id. The PDF is written next to FILE first and renamed into place,
 * so a failed run never leaves a half-written file; the shared browser is closed at the end.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DomainError } from '../../core/errors.js';
import { withDatabase } from '../context.js';

interface BriefingFlags {
  meeting: string;
  lang: string;
  out: string;
  currency?: string;
  rateMode?: string;
  rateDate?: string;
  asOf?: string;
}

export function registerReport(program: Command): void {
  const command = program.command('report').description('reports for ministers and staff');
  command
    .command('briefing')
    .description(
      'the meeting briefing PDF: headline figures, pace, burden sharing, coverage, the previous ' +
        'meeting’s announcements and what became of them, stalled packages',
    )
    .requiredOption('--meeting <number>', 'the meeting’s number (as `purl demo load` lists it)')
    .requiredOption('--lang <lang>', 'en or fr')
    .requiredOption('--out <file>', 'the PDF file to write')
    .option('--currency <code>', 'USD or EUR (default USD)')
    .option('--rate-mode <mode>', 'value_date (default) or fixed')
    .option('--rate-date <date>', 'with --rate-mode fixed: the day whose rates are used')
    .option('--as-of <date>', 'figures as of this day (default today, UTC)')
    .action(async (flags: BriefingFlags) => {
      const startedMs = performance.now();
      // Loaded here, not at start-up: ECharts and Playwright would slow every other command.
      const { checkBriefingLanguage, findMeetingByNumber, renderBriefing } =
        await import('../../services/reports/briefing-service.js');
      const { closeBrowser } = await import('../../services/reports/browser.js');
      const number = meetingNumber(flags.meeting);
      const lang = checkBriefingLanguage(flags.lang, 'lang');
      const out = resolve(flags.out);
      const actor = systemActor('cli:report-briefing');
      try {
        await withDatabase(async (database) => {
          const meeting = await findMeetingByNumber(database, actor, number);
          process.stderr.write(`rendering the briefing for meeting no. ${number} (${lang})…\n`);
          const briefing = await renderBriefing(database, actor, {
            meetingId: meeting.id,
            lang,
            currency: flags.currency,
            rateMode: flags.rateMode,
            rateDate: flags.rateDate,
            asOf: flags.asOf,
          });
          await writeAtomically(out, briefing.pdf);
          const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
          process.stdout.write(
            `wrote ${out}: ${briefing.title} (${lang}, ${briefing.basis.currency}, ` +
              `as of ${briefing.basis.asOf}), ${briefing.pdf.length} bytes, in ${seconds} s\n`,
          );
        });
      } finally {
        await closeBrowser();
      }
    });
}

function meetingNumber(text: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(text)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `--meeting: the meeting's number, a positive whole number (got "${text}"); \`purl demo load\` lists them.`,
      { field: 'meeting' },
    );
  }
  return Number(text);
}

async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const partial = `${file}.${process.pid}.partial`;
  try {
    await writeFile(partial, data);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new DomainError(
      'VALIDATION_FAILED',
      `--out: cannot write ${file} (${reason}); name a file in a folder that exists and you may write to.`,
      { field: 'out' },
    );
  }
}
