import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.js';
import { DomainError } from './errors.js';
import {
  REQUIREMENT_LIST_ACTIONS,
  REQUIREMENT_LIST_STATUSES,
  REQUIREMENT_LIST_TRANSITIONS,
  allowedActions,
  checkApprovedQuantity,
  checkCycle,
  checkItemCount,
  checkItemPackaging,
  checkItemPatch,
  checkNewItem,
  checkNewList,
  checkRankFree,
  checkSubmit,
  checkTransition,
  nextRank,
  planApproval,
  planReorder,
  planValidation,
  requirementTotals,
  signerRole,
  type NewRequirementItem,
  type RequirementListAction,
  type RequirementListStatus,
} from './requirements.js';

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const item: NewRequirementItem = {
  capabilityArea: 'artillery',
  category: '155mm artillery ammunition',
  lethal: true,
  requestedQuantity: 10_000,
  unit: 'rounds',
  estimatedUnitCostUsdMinor: 400_000n,
};

const actor = (role: Actor['role']): Actor => ({ id: `test:${role}`, role });

describe('the requirement list state machine', () => {
  const expected: Record<RequirementListStatus, RequirementListAction[]> = {
    draft: ['add_item', 'update_item', 'remove_item', 'reorder_items', 'submit', 'withdraw'],
    submitted: ['set_approved_quantity', 'validate', 'withdraw'],
    validated: ['approve', 'withdraw'],
    approved: ['close'],
    closed: [],
    withdrawn: [],
  };

  it.each(REQUIREMENT_LIST_STATUSES)('allows exactly the documented actions from %s', (status) => {
    expect(allowedActions(status)).toEqual(expected[status]);
  });

  it('leads each transition to its documented status', () => {
    expect(checkTransition('draft', 'submit')).toBe('submitted');
    expect(checkTransition('submitted', 'validate')).toBe('validated');
    expect(checkTransition('approved', 'close')).toBe('closed');
    for (const from of ['draft', 'submitted', 'validated'] as const) {
      expect(checkTransition(from, 'withdraw')).toBe('withdrawn');
    }
    // Item edits and signatures keep the status (the third signature is planApproval's).
    expect(checkTransition('draft', 'add_item')).toBe('draft');
    expect(checkTransition('validated', 'approve')).toBe('validated');
  });

  it('refuses every other (status, action) with INVALID_TRANSITION naming from, action and allowed', () => {
    let refused = 0;
    for (const status of REQUIREMENT_LIST_STATUSES) {
      for (const action of REQUIREMENT_LIST_ACTIONS) {
        if (expected[status].includes(action)) continue;
        const error = thrown(() => checkTransition(status, action));
        expect(error.code).toBe('INVALID_TRANSITION');
        expect(error.details).toMatchObject({
          entity: 'requirement_list',
          from: status,
          action,
          allowed: expected[status],
          allowedFrom: [...REQUIREMENT_LIST_TRANSITIONS[action].from],
        });
        refused++;
      }
    }
    expect(refused).toBe(6 * 10 - 12);
  });

  it('never leaves closed or withdrawn, and withdraws only before approval', () => {
    expect(allowedActions('closed')).toEqual([]);
    expect(allowedActions('withdrawn')).toEqual([]);
    expect(thrown(() => checkTransition('approved', 'withdraw')).code).toBe('INVALID_TRANSITION');
  });

  it('submits a draft only with at least one item', () => {
    const error = thrown(() => checkSubmit('draft', 0));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.details.reason).toMatch(/one item/);
    expect(checkSubmit('draft', 1)).toBe('submitted');
    expect(thrown(() => checkSubmit('submitted', 3)).code).toBe('INVALID_TRANSITION');
  });
});

describe('validation', () => {
  it('defaults every unset approved quantity to the requested one, and keeps the set ones', () => {
    const items = [
      { id: 1n, requestedQuantity: 10, approvedQuantity: null },
      { id: 2n, requestedQuantity: 20, approvedQuantity: 0 },
      { id: 3n, requestedQuantity: 30, approvedQuantity: 35 },
    ];
    expect(planValidation('submitted', items)).toEqual([{ id: 1n, approvedQuantity: 10 }]);
    expect(thrown(() => planValidation('draft', items)).code).toBe('INVALID_TRANSITION');
  });

  it('accepts approved quantities from 0 up, as integers', () => {
    checkApprovedQuantity(0);
    checkApprovedQuantity(1_000_000);
    for (const bad of [-1, 1.5, Number.NaN, '3', 2 ** 31]) {
      const error = thrown(() => checkApprovedQuantity(bad));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.field).toBe('approvedQuantity');
    }
  });
});

describe('the joint approval', () => {
  it('approves on the third signature only, in any order', () => {
    expect(planApproval('validated', [], 'supplier')).toEqual({
      complete: false,
      status: 'validated',
      missing: ['recipient', 'coordinator'],
    });
    expect(planApproval('validated', ['supplier'], 'recipient').complete).toBe(false);
    expect(planApproval('validated', ['supplier', 'recipient'], 'coordinator')).toEqual({
      complete: true,
      status: 'approved',
      missing: [],
    });
  });

  it('refuses a second signature of the same role', () => {
    const error = thrown(() => planApproval('validated', ['recipient'], 'recipient'));
    expect(error.code).toBe('APPROVAL_ALREADY_SIGNED');
    expect(error.details.role).toBe('recipient');
  });

  it('signs only a validated list', () => {
    for (const status of ['draft', 'submitted', 'approved', 'closed', 'withdrawn'] as const) {
      expect(thrown(() => planApproval(status, [], 'recipient')).code).toBe('INVALID_TRANSITION');
    }
  });

  it('signs in the actor’s own role; other roles are FORBIDDEN; system names its role', () => {
    expect(signerRole(actor('recipient'))).toBe('recipient');
    expect(signerRole(actor('coordinator'))).toBe('coordinator');
    expect(signerRole(actor('supplier'), 'supplier')).toBe('supplier');
    for (const role of ['validator', 'contributor', 'auditor', 'admin'] as const) {
      expect(thrown(() => signerRole(actor(role))).code).toBe('FORBIDDEN');
    }
    expect(thrown(() => signerRole(actor('recipient'), 'supplier')).code).toBe('FORBIDDEN');
    expect(signerRole(actor('system'), 'coordinator')).toBe('coordinator');
    expect(thrown(() => signerRole(actor('system'))).details.field).toBe('signAs');
  });
});

describe('input rules', () => {
  it('takes a cycle as YYYY-MM', () => {
    checkCycle('2025-08');
    for (const bad of ['2025-13', '2025-8', '2025-00', '25-08', '2025-08-01', 202508]) {
      expect(thrown(() => checkCycle(bad)).details.field).toBe('cycle');
    }
  });

  it('checks a new list', () => {
    checkNewList({ cycle: '2025-09', title: 'September', synthetic: true, sourceNote: null });
    expect(thrown(() => checkNewList({ cycle: '2025-09', title: '  ' })).details.field).toBe(
      'title',
    );
    expect(
      thrown(() => checkNewList({ cycle: '2025-09', title: 'x', sourceNote: 'n'.repeat(2001) }))
        .details.field,
    ).toBe('sourceNote');
  });

  it('checks each field of a new item and names the field', () => {
    checkNewItem(item);
    checkNewItem({ ...item, priorityRank: 3, description: 'd', justification: null });
    const cases: [Partial<NewRequirementItem>, string][] = [
      [{ capabilityArea: 'Artillery!' }, 'capabilityArea'],
      [{ category: '' }, 'category'],
      [{ lethal: 'yes' as unknown as boolean }, 'lethal'],
      [{ requestedQuantity: 0 }, 'requestedQuantity'],
      [{ requestedQuantity: 1.5 }, 'requestedQuantity'],
      [{ unit: 'u'.repeat(51) }, 'unit'],
      [{ estimatedUnitCostUsdMinor: -1n }, 'estimatedUnitCostUsdMinor'],
      [{ estimatedUnitCostUsdMinor: 10n ** 15n + 1n }, 'estimatedUnitCostUsdMinor'],
      [{ estimatedUnitCostUsdMinor: 5 as unknown as bigint }, 'estimatedUnitCostUsdMinor'],
      [{ priorityRank: 0 }, 'priorityRank'],
      [{ description: 'd'.repeat(4001) }, 'description'],
      [{ justification: '' }, 'justification'],
    ];
    for (const [change, field] of cases) {
      const error = thrown(() => checkNewItem({ ...item, ...change }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.field).toBe(field);
    }
  });

  it('needs a patch to name a field, and checks the ones it names', () => {
    expect(thrown(() => checkItemPatch({})).details.field).toBe('body');
    checkItemPatch({ requestedQuantity: 5 });
    expect(thrown(() => checkItemPatch({ requestedQuantity: -5 })).details.field).toBe(
      'requestedQuantity',
    );
  });

  it('takes a step from 1 to the requested quantity and a whole-only flag, naming the field', () => {
    checkNewItem({ ...item, quantityStep: 500, wholeOnly: true });
    checkNewItem({ ...item, quantityStep: item.requestedQuantity });
    const cases: [Partial<NewRequirementItem>, string][] = [
      [{ quantityStep: 0 }, 'quantityStep'],
      [{ quantityStep: 2.5 }, 'quantityStep'],
      [{ quantityStep: '5' as unknown as number }, 'quantityStep'],
      [{ quantityStep: 2_147_483_648 }, 'quantityStep'],
      [{ quantityStep: 10_001 }, 'quantityStep'],
      [{ wholeOnly: 'yes' as unknown as boolean }, 'wholeOnly'],
      [{ wholeOnly: null as unknown as boolean }, 'wholeOnly'],
    ];
    for (const [change, field] of cases) {
      const error = thrown(() => checkNewItem({ ...item, ...change }));
      expect(error.code, JSON.stringify(change)).toBe('VALIDATION_FAILED');
      expect(error.details.field).toBe(field);
      expect(error.message).toContain(field);
    }
    expect(thrown(() => checkItemPatch({ quantityStep: 0 })).details.field).toBe('quantityStep');
    checkItemPatch({ wholeOnly: false });
  });

  it('keeps the step within the requested quantity as the item will be stored', () => {
    checkItemPackaging({ quantityStep: 1, requestedQuantity: 1 });
    checkItemPackaging({ quantityStep: 6, requestedQuantity: 6 });
    const error = thrown(() => checkItemPackaging({ quantityStep: 7, requestedQuantity: 6 }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toMatchObject({ field: 'quantityStep', max: 6 });
  });

  it('limits the items of a list', () => {
    checkItemCount(999);
    const error = thrown(() => checkItemCount(1_000));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.details.limit).toBe('requirementItemsPerListMax');
  });
});

describe('priority ranks', () => {
  const items = [
    { id: 1n, priorityRank: 1 },
    { id: 2n, priorityRank: 2 },
    { id: 3n, priorityRank: 5 },
  ];

  it('refuses a rank another item holds, naming priorityRank', () => {
    const error = thrown(() => checkRankFree(items, 2));
    expect(error.code).toBe('PRIORITY_RANK_TAKEN');
    expect(error.details).toMatchObject({ field: 'priorityRank', priorityRank: 2, heldBy: 2n });
    checkRankFree(items, 2, 2n); // its own rank
    checkRankFree(items, 3);
  });

  it('puts a new item after the last one', () => {
    expect(nextRank(items)).toBe(6);
    expect(nextRank([])).toBe(1);
  });

  it('reorders to ranks 1..n and returns only the changes', () => {
    expect(planReorder(items, [3n, 1n, 2n])).toEqual([
      { id: 3n, from: 5, to: 1 },
      { id: 1n, from: 1, to: 2 },
      { id: 2n, from: 2, to: 3 },
    ]);
    expect(planReorder(items, [1n, 2n, 3n])).toEqual([{ id: 3n, from: 5, to: 3 }]);
  });

  it('refuses a reorder that does not name every item exactly once', () => {
    expect(thrown(() => planReorder(items, [1n, 2n])).details).toMatchObject({
      field: 'itemIds',
      missing: [3n],
    });
    expect(thrown(() => planReorder(items, [1n, 2n, 2n])).details.field).toBe('itemIds.2');
    expect(thrown(() => planReorder(items, [1n, 2n, 3n, 9n])).details.field).toBe('itemIds.3');
  });
});

describe('totals', () => {
  it('sums quantity × unit cost exactly, unset approved quantities as 0', () => {
    expect(
      requirementTotals([
        { requestedQuantity: 10_000, approvedQuantity: 8_000, estimatedUnitCostUsdMinor: 400_000n },
        { requestedQuantity: 2, approvedQuantity: null, estimatedUnitCostUsdMinor: 10n ** 15n },
      ]),
    ).toEqual({
      requestedUsdMinor: 4_000_000_000n + 2n * 10n ** 15n,
      approvedUsdMinor: 3_200_000_000n,
    });
    expect(requirementTotals([])).toEqual({ requestedUsdMinor: 0n, approvedUsdMinor: 0n });
  });
});
