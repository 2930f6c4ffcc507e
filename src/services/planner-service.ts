/**
 * The allocation planner's use cases: plan (one scenario, or a base and a what-if side by side,
 * writing nothing) and accept (a plan made on today's data becomes packages through the normal
 * package services: lines, opening, allocations held pending in the ledger, each audited).
 * The model and its exact settlement are in `core/planner.ts`; the solver runs in a worker
 * (`planner-solver.ts`).
 */
import type { Actor } from '../core/actor.js';
import { systemActor } from '../core/actor.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { convertAmount, divideRoundHalfEven } from '../core/fx.js';
import { LIMITS } from '../core/limits.js';
import {
  buildPlanModel,
  comparePlans,
  greedyStart,
  planFingerprint,
  planInputsFingerprint,
  settlePlan,
  type ProposedPackage,
  type PlanComparison,
  type PlannerFund,
  type PlannerItem,
  type PlannerOptions,
  type PlannerRate,
  type SettledPlan,
} from '../core/planner.js';
import { authorize } from '../core/policy.js';
import type { Database } from '../storage/database.js';
import { findCurrency, findLatestRateDate } from '../storage/fx-repository.js';
import {
  countAvailableFunding,
  findAvailableFunding,
  findPlanList,
} from '../storage/planner-repository.js';
import { capabilityAreasExist } from '../storage/contributions-repository.js';
import { findApprovedRequirementItems } from '../storage/requirements-repository.js';
import { inTransaction } from '../storage/transaction.js';
import { recordAudit } from './audit-service.js';
import { convert } from './fx-service.js';
import {
  addPackageLine,
  allocateToPackage,
  cancelPackage,
  createPackage,
  openPackage,
  type PackageDetail,
} from './packages-service.js';
import { solveLp } from './planner-solver.js';

const FX = systemActor('planner');

/** Refusals of the package services that mean the plan's inputs changed while it was accepted. */
const STALE_CAUSES = new Set<string>([
  'ALLOCATION_EXCEEDS_AVAILABLE',
  'CONTRIBUTION_NOT_COMMITTED',
  'EARMARK_MISMATCH',
  'ITEM_NOT_APPROVED',
  'VALIDATION_FAILED',
  'PACKAGE_NOT_OPEN',
]);

/** $500M, the usual PURL package. */
export const DEFAULT_TARGET_MINOR = 500_000_000_00n;
/** ±10 % of the target. */
export const DEFAULT_TOLERANCE_PERCENT = 10n;
/** Relative optimality gap the solver stops at: the plan is proven within 0.1 % of the best. */
export const PLAN_RELATIVE_GAP = 0.001;
export const DEFAULT_SOLVE_SECONDS = 6;

export interface HypotheticalPledge {
  donorPartyId: string;
  currency: string;
  amountMinor: bigint;
  earmarkAreas?: string[] | undefined;
  fundsPackageAlone?: boolean | undefined;
}

export interface PriceChange {
  /** One item's new unit cost (US cents)… */
  requirementItemId?: bigint | undefined;
  unitCostMinor?: bigint | undefined;
  /** …or every item of an area up or down by a whole percentage (−90 … +500). */
  capabilityArea?: string | undefined;
  changePercent?: number | undefined;
}

export interface PlanScenarioInput {
  name?: string | undefined;
  targetMinor?: bigint | undefined;
  toleranceMinor?: bigint | undefined;
  /** Donors (party ids) that asked to fund whole packages alone. */
  donorsFundingAlone?: string[] | undefined;
  hypotheticalPledges?: HypotheticalPledge[] | undefined;
  priceChanges?: PriceChange[] | undefined;
  /** Contributions kept out of this scenario. */
  excludedContributionIds?: bigint[] | undefined;
}

export interface PlanRequest {
  /** The approved list's cycle (YYYY-MM); default: the latest approved list with items left. */
  cycle?: string | undefined;
  /** Items that can only be funded whole (all their remaining quantity, or none). */
  wholeOnlyItemIds?: bigint[] | undefined;
  /** false: every item whole only. Default true (any whole number of units). */
  partialQuantities?: boolean | undefined;
  timeLimitSeconds?: number | undefined;
  /** One scenario, or two side by side (the first is the base). Default: one, as is. */
  scenarios?: PlanScenarioInput[] | undefined;
}

export interface ScenarioPlan extends SettledPlan {
  name: string;
  /** Holds hypothetical pledges, price changes or excluded contributions. */
  whatIf: boolean;
  options: PlannerOptions;
  donorsFundingAlone: string[];
  solver: {
    status: string;
    /** Proven best (within `PLAN_RELATIVE_GAP`). */
    optimal: boolean;
    /** Relative gap between the plan and the best possible bound (0.001 = 0.1 %). */
    gap: number;
    milliseconds: number;
    variables: number;
    integerVariables: number;
    rows: number;
  };
  /** What accepting checks: the plan and every input it was made from. */
  fingerprint: string;
}

export interface PlanResult {
  list: { id: bigint; cycle: string; title: string };
  /** The day whose rates value the money (the latest with rates, on or before today). */
  asOf: string;
  itemsConsidered: number;
  fundsConsidered: number;
  /** Contributions with money available beyond `LIMITS.planContributionsMax` (not planned). */
  fundsLeftOut: number;
  scenarios: ScenarioPlan[];
  comparison: PlanComparison | null;
}

function fail(field: string, message: string): never {
  throw new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}

function limit(name: keyof typeof LIMITS, count: number, field: string): void {
  const max = LIMITS[name] as number;
  if (count > max) {
    throw new DomainError('LIMIT_EXCEEDED', `${field}: at most ${max} (${name}).`, {
      field,
      limit: name,
      max,
    });
  }
}

function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

interface Inputs {
  list: { id: bigint; cycle: string; title: string };
  items: PlannerItem[];
  funds: PlannerFund[];
  fundsLeftOut: number;
  rates: Map<string, PlannerRate>;
  asOf: string;
}

async function rateFor(
  database: Database,
  rates: Map<string, PlannerRate>,
  currency: string,
  asOf: string,
  field: string,
): Promise<PlannerRate> {
  const known = rates.get(currency);
  if (known) return known;
  const from = await findCurrency(database.kysely, currency);
  if (!from) fail(field, `${JSON.stringify(currency)} is not a known currency.`);
  // US dollars: looked up once per plan (every rate of a plan is into USD).
  const to =
    (rates.values().next().value as PlannerRate | undefined)?.to ??
    (await findCurrency(database.kysely, 'USD'))!;
  const c = await convert(database, FX, {
    amountMinor: 1n,
    from: currency,
    to: 'USD',
    valueDate: asOf,
  });
  const rate: PlannerRate = {
    from: { code: from.code, minorUnit: from.minorUnit },
    to: { code: to.code, minorUnit: to.minorUnit },
    fromRatePerEur: c.fromRatePerEur,
    toRatePerEur: c.toRatePerEur,
    rateDate: c.rateDate,
    source: c.source,
    rate: c.rate,
  };
  rates.set(currency, rate);
  return rate;
}

function usdOf(rate: PlannerRate, amountMinor: bigint): bigint {
  if (rate.from.code === 'USD') return amountMinor;
  return convertAmount({ amountMinor, ...rate }).amountMinor;
}

async function readInputs(database: Database, request: PlanRequest): Promise<Inputs> {
  if (request.cycle !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(request.cycle)) {
    fail('cycle', 'a month written YYYY-MM.');
  }
  const db = database.kysely;
  // Today's rates: the latest day the ECB file has, on or before today.
  const asOf = (await findLatestRateDate(db, todayIso())) ?? todayIso();
  const list = await findPlanList(db, request.cycle);
  if (!list) {
    throw new DomainError(
      'NOT_FOUND',
      request.cycle
        ? `No approved requirement list of ${request.cycle} has items left to package.`
        : 'No approved requirement list has items left to package; approve a list first.',
      { field: 'cycle' },
    );
  }
  const rows = await findApprovedRequirementItems(db, {
    listId: list.id,
    remainingOnly: true,
    limit: LIMITS.planItemsMax + 1,
  });
  limit('planItemsMax', rows.length, 'items');
  const whole = new Set((request.wholeOnlyItemIds ?? []).map(String));
  const partial = request.partialQuantities ?? true;
  const items: PlannerItem[] = rows.map((r) => ({
    id: r.id,
    priorityRank: r.priorityRank,
    capabilityArea: r.capabilityArea,
    category: r.category,
    unit: r.unit,
    remainingQuantity: r.approvedQuantity - r.packagedQuantity,
    unitCostMinor: r.estimatedUnitCostUsdMinor,
    listUnitCostMinor: r.estimatedUnitCostUsdMinor,
    quantityStep: r.quantityStep,
    wholeOnly: r.wholeOnly || !partial || whole.has(String(r.id)),
  }));
  const found = await findAvailableFunding(db, LIMITS.planContributionsMax);
  const total =
    found.length < LIMITS.planContributionsMax ? found.length : await countAvailableFunding(db);
  const rates = new Map<string, PlannerRate>();
  const funds: PlannerFund[] = [];
  for (const f of found) {
    const rate = await rateFor(database, rates, f.currency, asOf, 'currency');
    funds.push({
      key: String(f.contributionId),
      contributionId: f.contributionId,
      donorPartyId: f.donorPartyId,
      currency: f.currency,
      availableMinor: f.availableMinor,
      usdMinor: usdOf(rate, f.availableMinor),
      rate,
      earmarkAreas: [...f.earmarkAreas].sort(),
      earmarkPackageNumber: f.earmarkPackageNumber,
      fundsPackageAlone: f.fundsPackageAlone,
      hypothetical: false,
    });
  }
  return { list, items, funds, fundsLeftOut: total - found.length, rates, asOf };
}

interface Scenario {
  name: string;
  whatIf: boolean;
  items: PlannerItem[];
  funds: PlannerFund[];
  options: PlannerOptions;
  donorsFundingAlone: string[];
}

async function applyScenario(
  database: Database,
  inputs: Inputs,
  s: PlanScenarioInput,
  index: number,
): Promise<Scenario> {
  const at = `scenarios.${index}.`;
  const targetMinor = s.targetMinor ?? DEFAULT_TARGET_MINOR;
  if (targetMinor <= 0n || targetMinor > LIMITS.transferAmountMaxMinor) {
    fail(`${at}targetMinor`, 'a positive amount of US cents.');
  }
  const toleranceMinor = s.toleranceMinor ?? (targetMinor * DEFAULT_TOLERANCE_PERCENT) / 100n;
  if (toleranceMinor < 0n || toleranceMinor > targetMinor) {
    fail(`${at}toleranceMinor`, 'between 0 and the target.');
  }
  const pledges = s.hypotheticalPledges ?? [];
  limit('planHypotheticalPledgesMax', pledges.length, `${at}hypotheticalPledges`);
  const changes = s.priceChanges ?? [];
  limit('planPriceChangesMax', changes.length, `${at}priceChanges`);
  const alone = [...new Set(s.donorsFundingAlone ?? [])].sort();
  const excluded = new Set((s.excludedContributionIds ?? []).map(String));

  const areas = new Set<string>();
  for (const c of changes) if (c.capabilityArea) areas.add(c.capabilityArea);
  for (const p of pledges) for (const a of p.earmarkAreas ?? []) areas.add(a);
  const unknown = await capabilityAreasExist(database.kysely, [...areas]);
  if (unknown.length > 0) {
    fail(`${at}capabilityArea`, `unknown capability area ${unknown.join(', ')}.`);
  }
  const items = inputs.items.map((it) => ({ ...it }));
  const byId = new Map(items.map((it) => [String(it.id), it]));
  changes.forEach((c, i) => {
    const field = `${at}priceChanges.${i}`;
    if (c.requirementItemId !== undefined) {
      const item = byId.get(String(c.requirementItemId));
      if (!item) fail(`${field}.requirementItemId`, 'not an item of the list with quantity left.');
      if (c.unitCostMinor === undefined || c.unitCostMinor <= 0n) {
        fail(`${field}.unitCostMinor`, 'a positive unit cost in US cents.');
      }
      item.unitCostMinor = c.unitCostMinor;
      return;
    }
    if (c.capabilityArea !== undefined) {
      const p = c.changePercent;
      if (p === undefined || !Number.isInteger(p) || p < -90 || p > 500) {
        fail(`${field}.changePercent`, 'a whole percentage from -90 to 500.');
      }
      for (const it of items) {
        if (it.capabilityArea !== c.capabilityArea) continue;
        it.unitCostMinor = divideRoundHalfEven(it.unitCostMinor * BigInt(100 + p), 100n);
        if (it.unitCostMinor <= 0n) it.unitCostMinor = 1n;
      }
      return;
    }
    fail(field, 'name requirementItemId and unitCostMinor, or capabilityArea and changePercent.');
  });
  const funds = inputs.funds
    .filter((f) => !excluded.has(f.key))
    .map((f) => ({
      ...f,
      fundsPackageAlone: f.fundsPackageAlone || alone.includes(f.donorPartyId),
    }));
  for (const [i, p] of pledges.entries()) {
    const field = `${at}hypotheticalPledges.${i}`;
    if (!/^[A-Z][A-Z0-9-]{1,19}$/.test(p.donorPartyId))
      fail(`${field}.donorPartyId`, 'a party id.');
    if (p.amountMinor <= 0n || p.amountMinor > LIMITS.transferAmountMaxMinor) {
      fail(`${field}.amountMinor`, 'a positive amount in minor units.');
    }
    const rate = await rateFor(
      database,
      inputs.rates,
      p.currency,
      inputs.asOf,
      `${field}.currency`,
    );
    funds.push({
      key: `H${i + 1}`,
      contributionId: null,
      donorPartyId: p.donorPartyId,
      currency: p.currency,
      availableMinor: p.amountMinor,
      usdMinor: usdOf(rate, p.amountMinor),
      rate,
      earmarkAreas: [...new Set(p.earmarkAreas ?? [])].sort(),
      earmarkPackageNumber: null,
      fundsPackageAlone: p.fundsPackageAlone ?? alone.includes(p.donorPartyId),
      hypothetical: true,
    });
  }
  return {
    name: s.name ?? (index === 0 ? 'base' : `what-if ${index}`),
    whatIf: pledges.length > 0 || changes.length > 0 || excluded.size > 0,
    items,
    funds,
    options: { targetMinor, toleranceMinor },
    donorsFundingAlone: alone,
  };
}

async function solveScenario(scenario: Scenario, timeLimitSeconds: number): Promise<ScenarioPlan> {
  const { items, funds, options } = scenario;
  const model = buildPlanModel(items, funds, options, LIMITS.planEarmarkPackagesMax);
  const outcome = await solveLp(model.lp, {
    timeLimitSeconds,
    relativeGap: PLAN_RELATIVE_GAP,
    start: greedyStart(items, funds, options, model),
  });
  if (!['Optimal', 'Time limit reached', 'Empty'].includes(outcome.status)) {
    throw new DomainError('PLAN_SOLVER_FAILED', `The solver ended with "${outcome.status}".`, {
      status: outcome.status,
    });
  }
  const settled = settlePlan(items, funds, options, model, outcome.values);
  const fingerprint = planFingerprint(
    planInputsFingerprint(items, funds, options),
    settled.packages,
  );
  const gap = outcome.status === 'Empty' ? 0 : Number.isFinite(outcome.gap) ? outcome.gap : 1;
  return {
    ...settled,
    name: scenario.name,
    whatIf: scenario.whatIf,
    options,
    donorsFundingAlone: scenario.donorsFundingAlone,
    solver: {
      status: outcome.status,
      optimal: outcome.status === 'Optimal' || outcome.status === 'Empty',
      gap,
      milliseconds: Math.round(outcome.milliseconds),
      variables: model.variables,
      integerVariables: model.integerVariables,
      rows: model.rows,
    },
    fingerprint,
  };
}

/** A currency's minor-unit exponent, to read amounts typed in major units (the CLI). */
export async function currencyExponent(
  database: Database,
  code: string,
  field: string,
): Promise<number> {
  const currency = await findCurrency(database.kysely, code);
  if (!currency) fail(field, `${JSON.stringify(code)} is not a known ISO 4217 currency.`);
  return currency.minorUnit;
}

/** Plans one scenario, or a base and a what-if side by side. Writes nothing. */
export async function plan(
  database: Database,
  actor: Actor,
  request: PlanRequest,
): Promise<PlanResult> {
  authorize(actor, 'plans.compute');
  const scenarios = request.scenarios ?? [{}];
  if (scenarios.length === 0) fail('scenarios', 'at least one scenario.');
  limit('planScenariosMax', scenarios.length, 'scenarios');
  const seconds = request.timeLimitSeconds ?? DEFAULT_SOLVE_SECONDS;
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > LIMITS.planSolveSecondsMax) {
    fail('timeLimitSeconds', `from 1 to ${LIMITS.planSolveSecondsMax} seconds.`);
  }
  const inputs = await readInputs(database, request);
  const applied: Scenario[] = [];
  for (const [i, s] of scenarios.entries())
    applied.push(await applyScenario(database, inputs, s, i));
  const solved: ScenarioPlan[] = [];
  for (const s of applied) solved.push(await solveScenario(s, seconds));
  return {
    list: inputs.list,
    asOf: inputs.asOf,
    itemsConsidered: inputs.items.length,
    fundsConsidered: inputs.funds.length,
    fundsLeftOut: inputs.fundsLeftOut,
    scenarios: solved,
    comparison: solved.length === 2 ? comparePlans(solved[0]!, solved[1]!) : null,
  };
}

export interface AcceptPlanInput {
  cycle?: string | undefined;
  wholeOnlyItemIds?: bigint[] | undefined;
  partialQuantities?: boolean | undefined;
  timeLimitSeconds?: number | undefined;
  scenario?: PlanScenarioInput | undefined;
  /** The fingerprint of the plan the coordinator reviewed. */
  fingerprint: string;
  /**
   * The packages of that plan, as it showed them. Given, they are checked against the
   * fingerprint and today's inputs and created as they are; omitted, the plan is made again
   * (the same when its solve was proven best; after a time limit it may differ: `PLAN_STALE`).
   */
  packages?:
    | {
        lines: { requirementItemId: bigint; quantity: number }[];
        allocations: { contributionId: bigint; amountMinor: bigint }[];
      }[]
    | undefined;
  /** Package titles start with this (default "Plan"). */
  titlePrefix?: string | undefined;
}

export interface AcceptedPlan {
  fingerprint: string;
  packages: PackageDetail[];
}

/**
 * Turns the plan the coordinator reviewed into packages: the plan is made again on today's data
 * and must be the same (else `PLAN_STALE`); then each package is created with its lines, opened,
 * and funded by its allocations (pending holds in the ledger) through the package services —
 * their rules, ledger postings and audit events. If any step is refused, the packages already
 * created are cancelled (releasing their holds) and the refusal is reported.
 */
export async function acceptPlan(
  database: Database,
  actor: Actor,
  input: AcceptPlanInput,
): Promise<AcceptedPlan> {
  authorize(actor, 'plans.accept');
  if (!/^[0-9a-f]{64}$/.test(input.fingerprint)) fail('fingerprint', 'the plan fingerprint.');
  const scenario = input.scenario ?? {};
  if (
    (scenario.hypotheticalPledges?.length ?? 0) > 0 ||
    (scenario.priceChanges?.length ?? 0) > 0 ||
    (scenario.excludedContributionIds?.length ?? 0) > 0
  ) {
    throw new DomainError('PLAN_NOT_ACCEPTABLE', undefined, { reason: 'what_if' });
  }
  const request: PlanRequest = {
    cycle: input.cycle,
    wholeOnlyItemIds: input.wholeOnlyItemIds,
    partialQuantities: input.partialQuantities,
    timeLimitSeconds: input.timeLimitSeconds,
    scenarios: [scenario],
  };
  let proposal: { packages: ProposedPackage[]; options: PlannerOptions; plannedValueMinor: bigint };
  let cycle: string;
  let valueDate: string;
  /** Each planned item's capability area, for the packages' titles. */
  let areaOf: Map<bigint, string>;
  if (input.packages) {
    limit('planContributionsMax', input.packages.length, 'packages');
    authorize(actor, 'plans.compute');
    const inputs = await readInputs(database, request);
    const applied = await applyScenario(database, inputs, scenario, 0);
    const packages: ProposedPackage[] = input.packages.map((p) => ({
      lines: p.lines,
      allocations: p.allocations.map((a) => ({
        fundKey: String(a.contributionId),
        amountMinor: a.amountMinor,
      })),
    }));
    const fingerprint = planFingerprint(
      planInputsFingerprint(applied.items, applied.funds, applied.options),
      packages,
    );
    if (fingerprint !== input.fingerprint) throw new DomainError('PLAN_STALE');
    const costOf = new Map(applied.items.map((i) => [i.id, i.unitCostMinor]));
    areaOf = new Map(applied.items.map((i) => [i.id, i.capabilityArea]));
    proposal = {
      packages,
      options: applied.options,
      plannedValueMinor: packages
        .flatMap((p) => p.lines)
        .reduce((n, l) => n + (costOf.get(l.requirementItemId) ?? 0n) * BigInt(l.quantity), 0n),
    };
    cycle = inputs.list.cycle;
    valueDate = inputs.asOf;
  } else {
    const result = await plan(database, actor, request);
    const made = result.scenarios[0]!;
    if (made.fingerprint !== input.fingerprint) {
      throw new DomainError('PLAN_STALE', undefined, { fingerprint: made.fingerprint });
    }
    proposal = made;
    areaOf = new Map(
      made.packages.flatMap((p) => p.lines.map((l) => [l.requirementItemId, l.capabilityArea])),
    );
    cycle = result.list.cycle;
    valueDate = result.asOf;
  }
  if (proposal.packages.length === 0) {
    throw new DomainError('PLAN_NOT_ACCEPTABLE', undefined, { reason: 'empty' });
  }
  const prefix = (input.titlePrefix ?? 'Plan').trim().slice(0, 60) || 'Plan';
  const created: PackageDetail[] = [];
  try {
    for (const [n, p] of proposal.packages.entries()) {
      const label = [...new Set(p.lines.map((l) => areaOf.get(l.requirementItemId) ?? '?'))]
        .sort()
        .join(', ');
      let pkg = await createPackage(database, actor, {
        cycle,
        title: `${prefix} ${cycle} ${n + 1}/${proposal.packages.length} (${label})`,
        targetMinor: proposal.options.targetMinor,
      });
      created.push(pkg);
      for (const line of p.lines) {
        pkg = await addPackageLine(database, actor, pkg.id, {
          requirementItemId: line.requirementItemId,
          quantity: line.quantity,
        });
      }
      pkg = await openPackage(database, actor, pkg.id);
      for (const a of p.allocations) {
        pkg = await allocateToPackage(database, actor, pkg.id, {
          contributionId: BigInt(a.fundKey),
          amountMinor: a.amountMinor,
          valueDate,
        });
      }
      created[created.length - 1] = pkg;
    }
  } catch (error) {
    const undone: string[] = [];
    const left: string[] = [];
    for (const pkg of created) {
      try {
        await cancelPackage(database, actor, pkg.id, {
          reason: 'The plan could not be accepted whole; this package was undone.',
        });
        undone.push(pkg.number);
      } catch {
        left.push(pkg.number);
      }
    }
    // A refusal of the package rules here means the data moved under the plan (another
    // coordinator allocated the same money, a list changed): the plan is stale.
    if (isDomainError(error) && STALE_CAUSES.has(error.code)) {
      throw new DomainError('PLAN_STALE', undefined, {
        cause: error.code,
        cancelledPackages: undone.join(', '),
        ...(left.length > 0 ? { packagesToCancel: left.join(', ') } : {}),
      });
    }
    throw error;
  }
  await inTransaction(database, async (tx) => {
    await recordAudit(tx, actor, {
      entity: 'plan',
      entityId: input.fingerprint.slice(0, 16),
      action: 'accept',
      before: null,
      after: {
        fingerprint: input.fingerprint,
        cycle,
        packages: created.map((p) => p.number),
        plannedValueMinor: String(proposal.plannedValueMinor),
      },
    });
  });
  return { fingerprint: input.fingerprint, packages: created };
}
