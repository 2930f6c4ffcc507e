import type { Command } from 'commander';
import { formatAmount } from '../../core/money.js';
import { loadDemo, type DemoProgress, type DemoSummary } from '../../services/demo-service.js';
import { SCALE_MAX, SCALE_MIN } from '../../core/scale.js';
import {
  DEFAULT_SCALE_SEED,
  loadScaleDemo,
  type ScaleProgress,
  type ScaleSummary,
} from '../../services/demo/scale.js';
import type { Database } from '../../storage/database.js';
import { withDatabase } from '../context.js';
import { phaseProgressReporter, type PhaseProgress } from '../progress.js';

/**
 * `purl demo load`: the publicly announced PURL contributions and UDCG meetings, with synthetic
 * requirement lists, packages, payments and deliveries around them. Progress on stderr, a
 * summary on stdout. Into an empty database only; on a database that already holds the demo it
 * changes nothing (exit 0); on one with other data it refuses (exit 4).
 */
export function registerDemo(program: Command): void {
  const command = program.command('demo').description('demo data');
  command
    .command('load')
    .description(
      'load the demo into an empty database: announced contributions (public record), meetings, ' +
        'and synthetic requirement lists, packages and deliveries; idempotent ' +
        '(env: PURL_SHARED_DATA, the folder holding eurofxref-hist.zip)',
    )
    .option('--shared-data <dir>', 'folder holding eurofxref-hist.zip (default ../shared/data)')
    .option(
      '--scale <n>',
      `also load ten years of synthetic history before the demo, for performance work: 1 = ` +
        `5,000 packages, 50,000 contributions, about 1,000,000 ledger transfers ` +
        `(${SCALE_MIN} to ${SCALE_MAX})`,
    )
    .option('--seed <n>', `seed of the synthetic history (default ${DEFAULT_SCALE_SEED})`)
    .action(async (options: { sharedData?: string; scale?: string; seed?: string }) => {
      if (options.scale !== undefined) {
        await withDatabase(async (database) => {
          const summary = await loadScale(database, options);
          process.stdout.write(
            formatScaleSummary(summary, `${database.engine} (${database.location})`) + '\n',
          );
        });
        return;
      }
      await withDatabase(async (database) => {
        const summary = await loadDemo(database, {
          onProgress: progressReporter(),
          ...(options.sharedData ? { sharedDataDir: options.sharedData } : {}),
        });
        process.stdout.write(
          formatSummary(summary, `${database.engine} (${database.location})`) + '\n',
        );
      });
    });
}

/** One line per step; the ECB import at its start and every quarter of each phase. */
function progressReporter(): (progress: DemoProgress) => void {
  let reported = '';
  return (progress) => {
    if (progress.fx) {
      const { phase, done, total } = progress.fx;
      const quarter = total === 0 ? 4 : Math.floor((done * 4) / total);
      const key = `${phase}:${quarter}`;
      if (key === reported) return;
      reported = key;
    }
    process.stderr.write(`${progress.step}: ${progress.message}\n`);
  };
}

/** `12345678900n` → `"123,456,789.00"` (every demo currency has two decimals). */
function money(amountMinor: bigint, currency: string): string {
  const [whole = '', fraction = ''] = formatAmount(amountMinor, 2).split('.');
  return `${currency} ${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

export function formatSummary(summary: DemoSummary, where: string): string {
  const lines: string[] = [];
  lines.push(
    summary.outcome === 'loaded'
      ? `Demo loaded into ${where} in ${summary.seconds.toFixed(1)} s.`
      : `The demo is already loaded in ${where}: nothing changed.`,
  );
  lines.push(
    'Public record: the announced contributions, meeting dates, places and reported words. ' +
      'SYNTHETIC (marked synthetic in the data and its notes): requirement lists, package ' +
      'contents and prices, payments, authorisations, deliveries and the 2026-02-12 meeting content.',
  );
  if (summary.fx) {
    const fx = summary.fx;
    lines.push(
      `ECB rates: ${fx.days} days, ${fx.rates} rates of ${fx.currencies} currencies ` +
        `(${fx.firstDate} to ${fx.lastDate}); ${fx.inserted} inserted, ${fx.updated} updated, ` +
        `${fx.unchanged} unchanged.`,
    );
  }
  const byStatus = new Map<string, number>();
  for (const list of summary.requirementLists) {
    byStatus.set(list.status, (byStatus.get(list.status) ?? 0) + 1);
  }
  lines.push(
    `Requirement lists (synthetic): ${summary.requirementLists.length}, ` +
      `${summary.requirementLists[0]?.cycle ?? '-'} to ${summary.requirementLists.at(-1)?.cycle ?? '-'} ` +
      `(${[...byStatus].map(([status, n]) => `${n} ${status}`).join(', ')}).`,
  );
  const totals = new Map<string, { committed: bigint; paid: bigint; pledgedOnly: bigint }>();
  for (const c of summary.contributions) {
    const t = totals.get(c.currency) ?? { committed: 0n, paid: 0n, pledgedOnly: 0n };
    t.committed += c.committedMinor;
    t.paid += c.paidMinor;
    if (c.status === 'pledged') t.pledgedOnly += c.pledgedMinor;
    totals.set(c.currency, t);
  }
  lines.push(`Contributions: ${summary.contributions.length}`);
  for (const [currency, t] of [...totals].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const parts: string[] = [];
    if (t.committed > 0n) {
      parts.push(`committed ${money(t.committed, currency)}`, `paid ${money(t.paid, currency)}`);
    }
    if (t.pledgedOnly > 0n) {
      parts.push(`pledged only ${money(t.pledgedOnly, currency)} (not funding)`);
    }
    lines.push(`  ${currency}: ${parts.join(', ')}`);
  }
  lines.push(`Packages (synthetic contents): ${summary.packages.length}`);
  for (const p of summary.packages) {
    lines.push(
      `  ${p.number}  ${p.status.padEnd(11)}  price ${money(p.priceMinor, p.currency).padStart(18)}` +
        `  funded ${money(p.fundedMinor, p.currency).padStart(18)}` +
        `  gap ${money(p.gapMinor, p.currency).padStart(18)}` +
        `  disbursed ${money(p.disbursedMinor, p.currency).padStart(18)}`,
    );
  }
  lines.push(`Meetings: ${summary.meetings.length}`);
  for (const m of summary.meetings) {
    lines.push(
      `  ${m.heldOn}  ${m.kind.padEnd(11)} no. ${String(m.number).padEnd(5)} ${m.announcements} announcements`,
    );
  }
  return lines.join('\n');
}

/** The scale load with a bar per phase (generation, then each table written). */
async function loadScale(
  database: Database,
  options: { sharedData?: string; scale?: string; seed?: string },
): Promise<ScaleSummary> {
  const demoReport = progressReporter();
  const bars = phaseProgressReporter<PhaseProgress>((phase) => phase);
  try {
    return await loadScaleDemo(database, {
      scale: Number(options.scale),
      seed: options.seed === undefined ? undefined : Number(options.seed),
      sharedDataDir: options.sharedData,
      onProgress: (p: ScaleProgress) => {
        if (p.phase === 'demo') demoReport(p.demo);
        else if (p.phase === 'generate')
          bars.update({ phase: 'generating cycles', done: p.done, total: p.total });
        else if (p.phase === 'write')
          bars.update({ phase: `writing ${p.table}`, done: p.done, total: p.total });
        else {
          bars.stop();
          process.stderr.write('analyze: refreshing the planner statistics\n');
        }
      },
    });
  } finally {
    bars.stop();
  }
}

export function formatScaleSummary(summary: ScaleSummary, where: string): string {
  if (summary.outcome === 'already_loaded') {
    return `The scale history is already loaded in ${where}: nothing changed.`;
  }
  const c = summary.counts;
  const n = (x: number) => x.toLocaleString('en-GB');
  return [
    `Demo and scale ${summary.scale} history (seed ${summary.seed}) loaded into ${where} in ${summary.seconds.toFixed(1)} s.`,
    `SYNTHETIC, generated for performance work: cycles ${summary.cycles?.first} to ${summary.cycles?.last}, ${summary.donors} donors.`,
    `${n(c.requirementLists)} requirement lists (${n(c.requirementItems)} items), ${n(c.packages)} packages (${n(c.packageLines)} lines), ` +
      `${n(c.contributions)} contributions (${n(c.payments)} payments), ${n(c.allocations)} allocations, ` +
      `${n(c.transfers)} ledger transfers on ${n(c.accounts)} new accounts, ${n(c.shipments)} shipments, ` +
      `${n(c.receipts)} receipts (${n(c.discrepancies)} discrepancies), ${n(c.auditEvents)} audit events.`,
  ].join('\n');
}
