/**
 * What the planner page sends, from what the coordinator chose: the options of a plan (cycle,
 * target and tolerance, donors funding alone, partial quantities) → the common part of the body
 * and the base scenario; a what-if draft (hypothetical pledges, price changes, another target) →
 * the second scenario, or why it cannot be sent yet. Also the small figures the page derives
 * from a plan (items funded, signed deltas, the solver's gap as a percentage).
 */
import type {
  AcceptRequest,
  HypotheticalPledge,
  PlanRequest,
  PriceChange,
  ScenarioInput,
  ScenarioPlan,
} from '../../api/plans';

/** $500M in US cents: the usual PURL package. */
export const DEFAULT_TARGET_MINOR = '50000000000';
/** ±10 % of the default target. */
export const DEFAULT_TOLERANCE_MINOR = '5000000000';
/** Currencies a hypothetical pledge may be written in (those of the ECB reference rates). */
export const PLEDGE_CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'NOK',
  'SEK',
  'DKK',
  'PLN',
  'CZK',
  'AUD',
  'NZD',
  'CHF',
  'JPY',
] as const;

export interface PlanOptions {
  /** `YYYY-MM`, or empty for the latest approved list with items left to package. */
  cycle: string;
  /** US cents; null while the field holds no amount. */
  targetMinor: string | null;
  toleranceMinor: string | null;
  donorsFundingAlone: string[];
  partialQuantities: boolean;
}

export const DEFAULT_OPTIONS: PlanOptions = {
  cycle: '',
  targetMinor: DEFAULT_TARGET_MINOR,
  toleranceMinor: DEFAULT_TOLERANCE_MINOR,
  donorsFundingAlone: [],
  partialQuantities: true,
};

export function isCycle(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/** A plan as it is asked for: the part both scenarios share, and the base scenario. */
export interface BaseRequest {
  common: Pick<PlanRequest, 'cycle' | 'partialQuantities'>;
  scenario: ScenarioInput;
}

/** Why options cannot be planned: the field to fix. */
export type OptionsProblem = 'cycle' | 'targetMinor' | 'toleranceMinor';

export function optionsProblem(options: PlanOptions): OptionsProblem | null {
  if (options.cycle !== '' && !isCycle(options.cycle)) return 'cycle';
  if (options.targetMinor === null) return 'targetMinor';
  if (options.toleranceMinor === null) return 'toleranceMinor';
  if (BigInt(options.toleranceMinor) > BigInt(options.targetMinor)) return 'toleranceMinor';
  return null;
}

/** The request of a plan with these options, or null when they cannot be planned. */
export function baseRequest(options: PlanOptions): BaseRequest | null {
  if (optionsProblem(options) !== null) return null;
  return {
    common: {
      ...(options.cycle !== '' ? { cycle: options.cycle } : {}),
      partialQuantities: options.partialQuantities,
    },
    scenario: {
      targetMinor: options.targetMinor!,
      toleranceMinor: options.toleranceMinor!,
      ...(options.donorsFundingAlone.length > 0
        ? { donorsFundingAlone: [...options.donorsFundingAlone].sort() }
        : {}),
    },
  };
}

/** The body of `POST /plans` for the base alone, or the base and a what-if beside it. */
export function planBody(base: BaseRequest, whatIf?: ScenarioInput): PlanRequest {
  return {
    ...base.common,
    scenarios: whatIf ? [{ ...base.scenario, name: 'base' }, whatIf] : [base.scenario],
  };
}

/**
 * The body of `POST /plans/accept` for the plan made from `base`: its fingerprint and its
 * packages exactly as shown (the server checks them against today's data and creates them as
 * they are, so a plan that stopped at its time limit is accepted as reviewed).
 */
export function acceptBody(
  base: BaseRequest,
  plan: {
    fingerprint: string;
    packages: readonly {
      lines: readonly { requirementItemId: string; quantity: number }[];
      allocations: readonly { contributionId: string | null; amountMinor: string }[];
    }[];
  },
): AcceptRequest {
  return {
    ...base.common,
    scenario: base.scenario,
    fingerprint: plan.fingerprint,
    packages: plan.packages.map((p) => ({
      lines: p.lines.map((l) => ({ requirementItemId: l.requirementItemId, quantity: l.quantity })),
      allocations: p.allocations.flatMap((a) =>
        a.contributionId === null
          ? []
          : [{ contributionId: a.contributionId, amountMinor: a.amountMinor }],
      ),
    })),
  };
}

export interface PledgeDraft {
  key: number;
  donorPartyId: string | null;
  currency: string;
  amountMinor: string | null;
  earmarkAreas: string[];
}

export interface PriceDraft {
  key: number;
  kind: 'area' | 'item';
  capabilityArea: string | null;
  /** A whole percentage, −90 to 500, as typed. */
  changePercent: number | null;
  requirementItemId: string | null;
  unitCostMinor: string | null;
}

export interface WhatIfDraft {
  pledges: PledgeDraft[];
  prices: PriceDraft[];
  /** Another package target (US cents); null: the base plan's. */
  targetMinor: string | null;
}

export const EMPTY_WHAT_IF: WhatIfDraft = { pledges: [], prices: [], targetMinor: null };

export function pledgeComplete(p: PledgeDraft): p is PledgeDraft & {
  donorPartyId: string;
  amountMinor: string;
} {
  return p.donorPartyId !== null && p.amountMinor !== null;
}

export function priceComplete(p: PriceDraft): boolean {
  if (p.kind === 'area') {
    return (
      p.capabilityArea !== null &&
      p.changePercent !== null &&
      Number.isInteger(p.changePercent) &&
      p.changePercent >= -90 &&
      p.changePercent <= 500
    );
  }
  return p.requirementItemId !== null && p.unitCostMinor !== null;
}

/**
 * The what-if scenario of a draft on top of the base scenario: `'empty'` when it changes
 * nothing, `'incomplete'` while a row misses a field.
 */
export function whatIfScenario(
  base: ScenarioInput,
  draft: WhatIfDraft,
): ScenarioInput | 'empty' | 'incomplete' {
  if (draft.pledges.length === 0 && draft.prices.length === 0 && draft.targetMinor === null) {
    return 'empty';
  }
  if (!draft.pledges.every(pledgeComplete) || !draft.prices.every(priceComplete)) {
    return 'incomplete';
  }
  const pledges: HypotheticalPledge[] = draft.pledges.map((p) => ({
    donorPartyId: p.donorPartyId!,
    currency: p.currency,
    amountMinor: p.amountMinor!,
    ...(p.earmarkAreas.length > 0 ? { earmarkAreas: [...p.earmarkAreas] } : {}),
  }));
  const prices: PriceChange[] = draft.prices.map((p) =>
    p.kind === 'area'
      ? { capabilityArea: p.capabilityArea!, changePercent: p.changePercent! }
      : { requirementItemId: p.requirementItemId!, unitCostMinor: p.unitCostMinor! },
  );
  const { targetMinor, toleranceMinor, ...rest } = base;
  return {
    ...rest,
    name: 'what-if',
    // Another target takes the default tolerance (10 % of it); else the base plan's range.
    ...(draft.targetMinor !== null
      ? { targetMinor: draft.targetMinor }
      : {
          ...(targetMinor !== undefined ? { targetMinor } : {}),
          ...(toleranceMinor !== undefined ? { toleranceMinor } : {}),
        }),
    ...(pledges.length > 0 ? { hypotheticalPledges: pledges } : {}),
    ...(prices.length > 0 ? { priceChanges: prices } : {}),
  };
}

/** Items fully funded and partly funded by a plan. */
export function itemCounts(plan: ScenarioPlan): { funded: number; partly: number; not: number } {
  let funded = 0;
  let partly = 0;
  let not = 0;
  for (const item of plan.items) {
    if (item.status === 'funded') funded++;
    else if (item.status === 'partly_funded') partly++;
    else not++;
  }
  return { funded, partly, not };
}

/** A delta with its sign always written ("+3", "−2", "0"), from any formatted magnitude. */
export function signed(delta: bigint | number, magnitude: (abs: string) => string): string {
  const value = BigInt(delta);
  const abs = (value < 0n ? -value : value).toString();
  if (value > 0n) return `+${magnitude(abs)}`;
  if (value < 0n) return `−${magnitude(abs)}`;
  return magnitude(abs);
}

/** The solver's relative gap (0.0123) as the decimal text of a percentage ("1.23"). */
export function gapPercentText(gap: number): string {
  if (!Number.isFinite(gap) || gap <= 0) return '0';
  return (Math.round(gap * 10_000) / 100).toString();
}
