/**
 * `purl plan`: the allocation planner on the terminal (`services/planner-service.ts`) — the
 * packages it proposes for the money available, each item's reason, the binding constraints and
 * what extra money in which area would cover the next items; with `--what-if-…` options a second
 * scenario beside it and the differences; `--accept FINGERPRINT` creates the reviewed plan's
 * packages (`--accept-file plan.json`: the packages of a plan saved with `--json`, exactly as
 * they were shown). `--json` prints the whole result as JSON (amounts as decimal strings of minor units).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { toJsonValue } from '../../core/canonical-json.js';
import { DomainError } from '../../core/errors.js';
import { formatAmount, parseAmount } from '../../core/money.js';
import type { SettledPlan } from '../../core/planner.js';
import { grouped, terminalText } from '../../services/exports/text-writer.js';
import type {
  HypotheticalPledge,
  PlanScenarioInput,
  PriceChange,
  ScenarioPlan,
} from '../../services/planner-service.js';
import type { Database } from '../../storage/database.js';
import { withDatabase } from '../context.js';

interface PlanFlags {
  cycle?: string;
  target?: string;
  tolerance?: string;
  alone: string[];
  wholeOnly?: boolean;
  timeLimit?: string;
  whatIfPledge: string[];
  whatIfPrice: string[];
  whatIfTarget?: string;
  json?: boolean;
  accept?: string;
  acceptFile?: string;
  titlePrefix?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'propose packages that cover the most urgent approved requirements with the money ' +
        'available (a mixed-integer program), with the reasons; a what-if beside it; accept it',
    )
    .option('--cycle <YYYY-MM>', 'the approved list to plan (default: the latest with items left)')
    .option('--target <usd>', 'package target in US dollars (default 500000000)')
    .option('--tolerance <usd>', 'a package holds at most target + tolerance (default 10 %)')
    .option('--alone <party>', 'a donor that funds whole packages alone (repeatable)', collect, [])
    .option('--whole-only', 'fund items whole or not at all (default: any whole number of units)')
    .option('--time-limit <seconds>', 'solver time per scenario (default 6)')
    .option(
      '--what-if-pledge <DONOR:CUR:AMOUNT[:AREA+AREA]>',
      'a hypothetical pledge in a what-if beside the plan (repeatable)',
      collect,
      [],
    )
    .option(
      '--what-if-price <AREA:±PERCENT|ITEM_ID:USD>',
      'a price change in the what-if: an area up or down by a percentage, or one item’s unit cost (repeatable)',
      collect,
      [],
    )
    .option('--what-if-target <usd>', 'a different package target in the what-if')
    .option('--json', 'print the whole result as JSON')
    .option('--accept <fingerprint>', 'create the packages of the plan with this fingerprint')
    .option(
      '--accept-file <plan.json>',
      'create the packages of a plan saved with --json (exactly as it showed them)',
    )
    .option('--title-prefix <text>', 'with --accept: the packages’ titles start with this')
    .action(async (flags: PlanFlags) => {
      const actor = systemActor('cli:plan');
      const started = performance.now();
      const { acceptPlan, currencyExponent, plan } =
        await import('../../services/planner-service.js');
      const { stopSolver } = await import('../../services/planner-solver.js');
      try {
        await withDatabase(async (database) => {
          const base: PlanScenarioInput = {
            targetMinor: flags.target ? usd(flags.target, 'target') : undefined,
            toleranceMinor: flags.tolerance ? usd(flags.tolerance, 'tolerance') : undefined,
            donorsFundingAlone: flags.alone.length > 0 ? flags.alone : undefined,
          };
          const options = {
            cycle: flags.cycle,
            partialQuantities: flags.wholeOnly ? false : undefined,
            timeLimitSeconds: flags.timeLimit ? seconds(flags.timeLimit) : undefined,
          };
          if (flags.accept || flags.acceptFile) {
            const saved = flags.acceptFile ? await readSavedPlan(flags.acceptFile) : undefined;
            process.stderr.write(
              saved
                ? 'checking the saved plan against today’s data, then creating the packages…\n'
                : 'planning again on today’s data, then creating the packages…\n',
            );
            const accepted = await acceptPlan(database, actor, {
              ...options,
              scenario: base,
              fingerprint: saved?.fingerprint ?? flags.accept!,
              packages: saved?.packages,
              titlePrefix: flags.titlePrefix,
            });
            for (const p of accepted.packages) {
              process.stdout.write(
                `${p.number}  ${terminalText(p.title)}  ${p.status}  ` +
                  `price ${money(p.priceMinor)}  funded ${money(p.fundedMinor)}\n`,
              );
            }
            return;
          }
          const whatIf = await whatIfScenario(database, flags, base, currencyExponent);
          process.stderr.write(whatIf ? 'solving the plan and the what-if…\n' : 'solving…\n');
          const result = await plan(database, actor, {
            ...options,
            scenarios: whatIf ? [base, whatIf] : [base],
          });
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(toJsonValue(result), null, 2)}\n`);
            return;
          }
          const out: string[] = [];
          out.push(
            `Plan for the approved list ${result.list.cycle} (${terminalText(result.list.title)}): ` +
              `${result.itemsConsidered} items with quantity left, ${result.fundsConsidered} ` +
              `contributions with money available, valued at the rates of ${result.asOf}` +
              (result.fundsLeftOut > 0 ? ` (${result.fundsLeftOut} smaller ones left out)` : ''),
          );
          for (const s of result.scenarios) out.push('', ...describe(s));
          if (result.comparison) {
            const c = result.comparison;
            out.push('', 'What-if against the plan:');
            out.push(
              `  covered value ${signed(c.plannedValueDeltaMinor)}, packages ${c.packagesDelta >= 0 ? '+' : ''}${c.packagesDelta}`,
            );
            for (const a of c.areas) {
              if (a.baseMinor !== a.otherMinor)
                out.push(`  ${a.capabilityArea}: ${money(a.baseMinor)} → ${money(a.otherMinor)}`);
            }
            for (const i of c.items.slice(0, 20)) {
              out.push(
                `  item ${i.requirementItemId} (rank ${i.priorityRank}, ${i.capabilityArea}): ${i.baseQuantity} → ${i.otherQuantity}`,
              );
            }
          }
          const base0 = result.scenarios[0]!;
          if (!base0.whatIf && base0.packages.length > 0) {
            out.push(
              '',
              `To create these packages: purl plan --accept ${base0.fingerprint}` +
                (flags.target ? ` --target ${flags.target}` : '') +
                (flags.tolerance ? ` --tolerance ${flags.tolerance}` : '') +
                flags.alone.map((a) => ` --alone ${a}`).join('') +
                (flags.wholeOnly ? ' --whole-only' : '') +
                (flags.cycle ? ` --cycle ${flags.cycle}` : '') +
                (base0.solver.optimal
                  ? ''
                  : '\n(this plan stopped at its time limit and planning again may differ: save it with --json and accept it with --accept-file)'),
            );
          }
          out.push(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
          process.stdout.write(`${out.join('\n')}\n`);
        });
      } finally {
        await stopSolver();
      }
    });
}

/** The first scenario of a `purl plan --json` file: its fingerprint and packages. */
async function readSavedPlan(file: string): Promise<{
  fingerprint: string;
  packages: {
    lines: { requirementItemId: bigint; quantity: number }[];
    allocations: { contributionId: bigint; amountMinor: bigint }[];
  }[];
}> {
  const bad = (why: string): never => {
    throw new DomainError(
      'VALIDATION_FAILED',
      `--accept-file: ${file} ${why}; save a plan with \`purl plan --json > plan.json\`.`,
      { field: 'accept-file' },
    );
  };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return bad(
      `cannot be read as JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const plan = (json as { scenarios?: unknown[] }).scenarios?.[0] as
    { fingerprint?: unknown; packages?: unknown } | undefined;
  if (!plan || typeof plan.fingerprint !== 'string' || !Array.isArray(plan.packages)) {
    return bad('is not the output of `purl plan --json`');
  }
  try {
    return {
      fingerprint: plan.fingerprint,
      packages: (
        plan.packages as {
          lines: { requirementItemId: string; quantity: number }[];
          allocations: { contributionId: string; amountMinor: string }[];
        }[]
      ).map((p) => ({
        lines: p.lines.map((l) => ({
          requirementItemId: BigInt(l.requirementItemId),
          quantity: l.quantity,
        })),
        allocations: p.allocations.map((a) => ({
          contributionId: BigInt(a.contributionId),
          amountMinor: BigInt(a.amountMinor),
        })),
      })),
    };
  } catch {
    return bad('holds a package that is not as `purl plan --json` writes it');
  }
}

function usd(text: string, field: string): bigint {
  return parseAmount(text, 2, { field });
}

function seconds(text: string): number {
  if (!/^[1-9][0-9]?$/.test(text)) {
    throw new DomainError('VALIDATION_FAILED', '--time-limit: whole seconds from 1 to 60.', {
      field: 'time-limit',
    });
  }
  return Number(text);
}

async function whatIfScenario(
  database: Database,
  flags: PlanFlags,
  base: PlanScenarioInput,
  exponent: (database: Database, code: string, field: string) => Promise<number>,
): Promise<PlanScenarioInput | undefined> {
  if (flags.whatIfPledge.length === 0 && flags.whatIfPrice.length === 0 && !flags.whatIfTarget) {
    return undefined;
  }
  const pledges: HypotheticalPledge[] = [];
  for (const [i, text] of flags.whatIfPledge.entries()) {
    const field = `what-if-pledge.${i}`;
    const m = /^([A-Z][A-Z0-9-]{1,19}):([A-Z]{3}):([0-9]+(?:\.[0-9]+)?)(?::([a-z_+]+))?$/.exec(
      text,
    );
    if (!m) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `--what-if-pledge: "${text}" is not DONOR:CUR:AMOUNT[:AREA+AREA] (e.g. DEU:EUR:250000000:air_missile_defence).`,
        { field },
      );
    }
    pledges.push({
      donorPartyId: m[1]!,
      currency: m[2]!,
      amountMinor: parseAmount(m[3]!, await exponent(database, m[2]!, field), { field }),
      earmarkAreas: m[4] ? m[4].split('+') : undefined,
    });
  }
  const prices: PriceChange[] = flags.whatIfPrice.map((text, i) => {
    const field = `what-if-price.${i}`;
    const area = /^([a-z_]+):([+-]?[0-9]{1,3})$/.exec(text);
    if (area) return { capabilityArea: area[1]!, changePercent: Number(area[2]) };
    const item = /^([0-9]{1,19}):([0-9]+(?:\.[0-9]{1,2})?)$/.exec(text);
    if (item) return { requirementItemId: BigInt(item[1]!), unitCostMinor: usd(item[2]!, field) };
    throw new DomainError(
      'VALIDATION_FAILED',
      `--what-if-price: "${text}" is not AREA:±PERCENT (artillery:+10) or ITEM_ID:USD (41:4100000).`,
      { field },
    );
  });
  return {
    ...base,
    name: 'what-if',
    targetMinor: flags.whatIfTarget ? usd(flags.whatIfTarget, 'what-if-target') : base.targetMinor,
    hypotheticalPledges: pledges,
    priceChanges: prices,
  };
}

function money(minor: bigint): string {
  return `$${grouped(formatAmount(minor, 2))}`;
}

function signed(minor: bigint): string {
  return minor < 0n ? `-${money(-minor)}` : `+${money(minor)}`;
}

const REASONS: Record<string, string> = {
  no_eligible_money: 'no money may pay for its area',
  money_ran_out: 'the money that may pay for it ran out here',
  ranked_below_cut: 'ranked below the cut: the money ran out at an item ranked higher',
  too_large_for_room: 'too large for the room left in any package',
  step_larger_than_remaining:
    'what is left is less than one quantity step: add it to a package by hand',
};

function describe(s: ScenarioPlan): string[] {
  const out: string[] = [];
  const { targetMinor, toleranceMinor } = s.options;
  out.push(
    `${s.whatIf ? 'What-if' : 'Plan'} "${terminalText(s.name)}": ${s.packages.length} package(s), ` +
      `${money(s.plannedValueMinor)} of requirements covered; target ${money(targetMinor)} ± ${money(toleranceMinor)}; ` +
      (s.solver.optimal
        ? `proven best (${s.solver.milliseconds} ms)`
        : `within ${(s.solver.gap * 100).toFixed(2)} % of the best possible (time limit)`),
  );
  for (const [n, p] of s.packages.entries()) {
    const kind =
      p.kind === 'joint'
        ? 'joint'
        : p.kind === 'sole'
          ? `funded by ${p.donorPartyId} alone`
          : `earmarked money: ${p.areas.join(', ')}`;
    out.push(
      `  Package ${n + 1} (${kind}): ${money(p.valueMinor)}` +
        (p.belowRange ? ` — below the target range (${money(p.lowerMinor)})` : ''),
    );
    for (const l of p.lines) {
      out.push(
        `    item ${l.requirementItemId} rank ${l.priorityRank} ${l.capabilityArea}: ${l.quantity} × ${money(l.unitCostMinor)} = ${money(l.valueMinor)}`,
      );
    }
    for (const a of p.allocations) {
      const from =
        a.contributionId === null
          ? `hypothetical ${a.fundKey}`
          : `contribution ${a.contributionId}`;
      const own =
        a.currency === 'USD'
          ? ''
          : ` (${a.currency} ${grouped(formatAmount(a.amountMinor, fundExponent(s, a.fundKey)))})`;
      out.push(`    from ${a.donorPartyId} ${from}: ${money(a.usdMinor)}${own}`);
    }
  }
  const outItems = s.items.filter((i) => i.status !== 'funded');
  if (outItems.length > 0) out.push('  Items not (fully) funded:');
  for (const i of outItems.slice(0, 30)) {
    out.push(
      `    rank ${i.priorityRank} ${i.capabilityArea} (item ${i.requirementItemId}): ${i.plannedQuantity}/${i.remainingQuantity} — ${REASONS[i.reason ?? ''] ?? i.reason}` +
        ((i.reason === 'ranked_below_cut' || i.reason === 'money_ran_out') &&
        i.leftMinor !== null &&
        i.nextPartMinor !== null
          ? ` (${money(i.leftMinor)} left, ${money(i.nextPartMinor)} needed)`
          : i.reason === 'too_large_for_room' && i.leftMinor !== null && i.nextPartMinor !== null
            ? ` (${money(i.nextPartMinor)} against ${money(i.leftMinor)} of room)`
            : ''),
    );
  }
  if (outItems.length > 30) out.push(`    … and ${outItems.length - 30} more (--json lists all)`);
  for (const b of s.binding) out.push(`  Binding: ${binding(s, b)}`);
  for (const m of s.nextMoney) {
    const first = m.next[0];
    if (!first) continue;
    out.push(
      `  ${m.capabilityArea}: ${money(first.extraMinor)} more would cover rank ${first.priorityRank}` +
        (m.next.length > 1
          ? `; ${money(m.next[m.next.length - 1]!.extraMinor)} the next ${m.next.length}`
          : ''),
    );
  }
  return out;
}

function fundExponent(s: ScenarioPlan, key: string): number {
  return s.funds.find((f) => f.fundKey === key)?.rate.from.minorUnit ?? 2;
}

function binding(s: ScenarioPlan, b: SettledPlan['binding'][number]): string {
  const fund = s.funds.find((f) => f.fundKey === b.fundKey);
  const who = fund
    ? `${fund.contributionId === null ? `hypothetical ${fund.fundKey}` : `contribution ${fund.fundKey}`} of ${fund.donorPartyId}`
    : '';
  switch (b.kind) {
    case 'package_size':
      return `package size: ${money(b.amountMinor)} of room left keeps ${b.itemsKeptOut} item(s) out`;
    case 'money':
      return `money for ${b.capabilityArea}: ${money(b.amountMinor)} left keeps ${b.itemsKeptOut} item(s) out`;
    case 'earmark':
      return `the earmark of ${who} (${fund?.earmarkAreas.join(', ')}): ${money(b.amountMinor)} unused, ${b.itemsKeptOut} item(s) outside it`;
    case 'sole_funding':
      return `${who} funds whole packages alone: ${money(b.amountMinor)} unused`;
  }
}
