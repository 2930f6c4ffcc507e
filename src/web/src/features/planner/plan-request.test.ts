import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  EMPTY_WHAT_IF,
  acceptBody,
  baseRequest,
  gapPercentText,
  optionsProblem,
  planBody,
  signed,
  whatIfScenario,
} from './plan-request';

describe('the planner requests', () => {
  it('plans the latest list at $500M ± 10 % by default', () => {
    const base = baseRequest(DEFAULT_OPTIONS)!;
    expect(planBody(base)).toEqual({
      partialQuantities: true,
      scenarios: [{ targetMinor: '50000000000', toleranceMinor: '5000000000' }],
    });
    const shown = {
      fingerprint: 'f'.repeat(64),
      packages: [
        {
          lines: [{ requirementItemId: '41', quantity: 3, priorityRank: 1 }],
          allocations: [{ contributionId: '10', amountMinor: '1031616983', usdMinor: '1' }],
        },
      ],
    };
    expect(acceptBody(base, shown)).toEqual({
      partialQuantities: true,
      scenario: { targetMinor: '50000000000', toleranceMinor: '5000000000' },
      fingerprint: 'f'.repeat(64),
      packages: [
        {
          lines: [{ requirementItemId: '41', quantity: 3 }],
          allocations: [{ contributionId: '10', amountMinor: '1031616983' }],
        },
      ],
    });
  });

  it('names the option to fix', () => {
    expect(optionsProblem({ ...DEFAULT_OPTIONS, cycle: '2026-13' })).toBe('cycle');
    expect(optionsProblem({ ...DEFAULT_OPTIONS, targetMinor: null })).toBe('targetMinor');
    expect(optionsProblem({ ...DEFAULT_OPTIONS, toleranceMinor: '50000000001' })).toBe(
      'toleranceMinor',
    );
    expect(baseRequest({ ...DEFAULT_OPTIONS, cycle: 'May' })).toBeNull();
    const base = baseRequest({
      ...DEFAULT_OPTIONS,
      cycle: '2026-02',
      donorsFundingAlone: ['NOR', 'DNK'],
      partialQuantities: false,
    })!;
    expect(planBody(base)).toEqual({
      cycle: '2026-02',
      partialQuantities: false,
      scenarios: [
        {
          targetMinor: '50000000000',
          toleranceMinor: '5000000000',
          donorsFundingAlone: ['DNK', 'NOR'],
        },
      ],
    });
  });

  it('builds the what-if beside the base, or says why it cannot yet', () => {
    const base = baseRequest(DEFAULT_OPTIONS)!;
    expect(whatIfScenario(base.scenario, EMPTY_WHAT_IF)).toBe('empty');
    const pledge = {
      key: 1,
      donorPartyId: 'NLD',
      currency: 'EUR',
      amountMinor: null,
      earmarkAreas: [],
    };
    expect(whatIfScenario(base.scenario, { ...EMPTY_WHAT_IF, pledges: [pledge] })).toBe(
      'incomplete',
    );
    const whatIf = whatIfScenario(base.scenario, {
      pledges: [{ ...pledge, amountMinor: '60000000000', earmarkAreas: ['artillery'] }],
      prices: [
        {
          key: 2,
          kind: 'area',
          capabilityArea: 'drones',
          changePercent: -20,
          requirementItemId: null,
          unitCostMinor: null,
        },
      ],
      targetMinor: null,
    });
    expect(whatIf).toEqual({
      name: 'what-if',
      targetMinor: '50000000000',
      toleranceMinor: '5000000000',
      hypotheticalPledges: [
        {
          donorPartyId: 'NLD',
          currency: 'EUR',
          amountMinor: '60000000000',
          earmarkAreas: ['artillery'],
        },
      ],
      priceChanges: [{ capabilityArea: 'drones', changePercent: -20 }],
    });
    // Another target takes the server's default tolerance (10 % of it).
    expect(
      whatIfScenario(base.scenario, { ...EMPTY_WHAT_IF, targetMinor: '100000000000' }),
    ).toEqual({ name: 'what-if', targetMinor: '100000000000' });
    expect(
      planBody(base, { name: 'what-if', targetMinor: '1' }).scenarios?.map((s) => s.name),
    ).toEqual(['base', 'what-if']);
  });

  it('writes deltas with their sign and the gap as a percentage', () => {
    expect(signed(3n, (abs) => abs)).toBe('+3');
    expect(signed(-2, (abs) => abs)).toBe('−2');
    expect(signed(0, (abs) => abs)).toBe('0');
    expect(gapPercentText(0.0123)).toBe('1.23');
    expect(gapPercentText(0)).toBe('0');
  });
});
