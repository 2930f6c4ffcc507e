/**
 * Packages: about $500M of approved requirement items, funded by allocations of contributions,
 * authorised and delivered by the supplier. Pure rules.
 *
 *   draft ─open─▶ open ─(allocations cover the price)─▶ funded ─authorise─▶ authorized
 *     │            ▲  └──────────── re-price above funding re-opens ◀──────┘      │
 *     │            │                                                     first shipment
 *     └─cancel─────┴─ cancel (voids every pending allocation) ◀─ funded     ▼
 *                                          closed ◀─ delivered ◀─ in_delivery
 */
import { DomainError, assert } from './errors.js';

export const PACKAGE_STATUSES = [
  'draft',
  'open',
  'funded',
  'authorized',
  'in_delivery',
  'delivered',
  'closed',
  'cancelled',
] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

export type PackageAction =
  'edit_lines' | 'open' | 'allocate' | 'authorize' | 'disburse' | 'cancel';

export const PACKAGE_TRANSITIONS: Record<PackageAction, readonly PackageStatus[]> = {
  edit_lines: ['draft'],
  open: ['draft'],
  allocate: ['open'],
  authorize: ['funded'],
  disburse: ['authorized', 'in_delivery', 'delivered'],
  cancel: ['draft', 'open', 'funded'],
};

/** The supplier party: the US authority sells the equipment. */
export const SUPPLIER_PARTY = 'USA';

export const PACKAGE_ACCOUNT_CODES = { packageFunding: 200, supplierPaid: 300 } as const;
export const PACKAGE_TRANSFER_CODES = {
  allocation: 2_001,
  disbursement: 2_002,
  surplusReturn: 2_003,
} as const;

export function packageFundingAccount(id: bigint) {
  return `package:${id}:funding`;
}

export function supplierAccount(partyId: string, currency: string) {
  return `supplier:${partyId}:${currency}:paid`;
}

export function checkPackageTransition(status: PackageStatus, action: PackageAction): void {
  const allowed = PACKAGE_TRANSITIONS[action];
  if (!allowed.includes(status)) {
    if (action === 'allocate') {
      throw new DomainError(
        'PACKAGE_NOT_OPEN',
        `The package is ${status}; allocations need an open package.`,
        {
          entity: 'package',
          from: status,
          action,
          allowed,
        },
      );
    }
    if (action === 'authorize' && status === 'open') {
      throw new DomainError('PACKAGE_NOT_FUNDED', undefined, {
        entity: 'package',
        from: status,
        action,
        allowed,
      });
    }
    throw new DomainError(
      'INVALID_TRANSITION',
      `A ${status} package cannot ${action.replace('_', ' ')}.`,
      {
        entity: 'package',
        from: status,
        action,
        allowed,
      },
    );
  }
}

/** Price of the lines: Σ quantity × unit price. */
export function linesPrice(lines: readonly { quantity: number; unitPriceMinor: bigint }[]): bigint {
  return lines.reduce((sum, l) => sum + BigInt(l.quantity) * l.unitPriceMinor, 0n);
}

/** How an approved requirement item may be split into package lines (migration 0024). */
export interface LineItemPackaging {
  itemId: bigint;
  unit: string;
  /** Lines take the item in multiples of this, the last part excepted (1: any quantity). */
  quantityStep: number;
  /** Lines take only the whole remaining quantity. */
  wholeOnly: boolean;
  /** Approved quantity not yet in a package that is not cancelled. */
  remainingQuantity: number;
}

/**
 * THE packaging rule of a line: at most what is left of the approved quantity; and of that,
 * a multiple of the item's step or exactly what is left (the last part) — for an item packaged
 * whole only, exactly what is left. The planner (core/planner.ts `itemUnit`) plans in the same
 * units, so an accepted plan passes. `VALIDATION_FAILED` naming `quantity`, with a message that
 * says which quantities are allowed.
 */
export function checkLineQuantity(item: LineItemPackaging, quantity: number): void {
  const { itemId, unit, quantityStep: step, wholeOnly, remainingQuantity: left } = item;
  assert(Number.isInteger(quantity) && quantity > 0, 'a line quantity is a positive integer');
  assert(Number.isInteger(step) && step >= 1, 'an item step is a positive integer');
  const details = {
    field: 'quantity',
    remainingQuantity: left,
    quantityStep: step,
    wholeOnly,
  };
  if (quantity > left) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Only ${left} of the approved quantity is not yet in a package.`,
      details,
    );
  }
  if (quantity === left) return;
  if (wholeOnly) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `Item ${itemId} is packaged whole only: use the ${left} ${unit} left.`,
      details,
    );
  }
  if (quantity % step === 0) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    step <= left
      ? `Item ${itemId} is packaged in steps of ${step} ${unit}: use a multiple of ${step}, or the ${left} ${unit} left.`
      : `Item ${itemId} is packaged in steps of ${step} ${unit} and only ${left} ${unit} are left: use ${left}.`,
    details,
  );
}

/** Status once allocations total `fundedMinor` against `priceMinor`. */
export function fundingStatus(priceMinor: bigint, fundedMinor: bigint): 'open' | 'funded' {
  return priceMinor > 0n && fundedMinor >= priceMinor ? 'funded' : 'open';
}

/**
 * An allocation may not overshoot the gap by more than rounding: the value of one minor unit of
 * the contribution's currency in the package's (so an exact fill is always reachable).
 */
export function checkAllocationFitsGap(input: {
  gapMinor: bigint;
  packageAmountMinor: bigint;
  oneUnitInPackageMinor: bigint;
}): void {
  if (input.gapMinor <= 0n) {
    throw new DomainError('PACKAGE_NOT_OPEN', 'The package is already fully funded.', {
      field: 'amountMinor',
    });
  }
  const tolerance = input.oneUnitInPackageMinor > 1n ? input.oneUnitInPackageMinor : 1n;
  if (input.packageAmountMinor > input.gapMinor + tolerance - 1n) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'The allocation is larger than the funding gap; allocate at most the gap.',
      {
        field: 'amountMinor',
        gapMinor: input.gapMinor,
        packageAmountMinor: input.packageAmountMinor,
      },
    );
  }
}

/** A contribution's earmarks: capability areas, or one package (never both: a CHECK holds it). */
export interface Earmarks {
  capabilityAreas: readonly string[];
  packageId: bigint | null;
}

/** Whether earmarks let a contribution fund a package, and why not. */
export type EarmarkVerdict =
  | { eligible: true }
  | { eligible: false; reason: 'package'; packageId: bigint }
  | { eligible: false; reason: 'areas'; outside: string[] };

/**
 * THE earmark rule: a contribution earmarked for capability areas funds only packages whose
 * every line is in those areas (a package without lines is within any earmark); one earmarked
 * for a package funds only that package; one without earmarks funds any package.
 *
 * Held twice, and the two must agree: here (allocation refuses with `checkEarmark`) and in SQL
 * as `earmarkAllowsPackage` (storage/contributions-repository.ts), the list filter
 * `GET /contributions?eligibleFor=` — tests/contributions/contribution-filters.test.ts compares
 * them on both engines.
 */
export function earmarkVerdict(
  earmarks: Earmarks,
  target: { packageId: bigint; lineAreas: readonly string[] },
): EarmarkVerdict {
  if (earmarks.packageId !== null && earmarks.packageId !== target.packageId) {
    return { eligible: false, reason: 'package', packageId: earmarks.packageId };
  }
  if (earmarks.capabilityAreas.length > 0) {
    const outside = [...new Set(target.lineAreas)].filter(
      (a) => !earmarks.capabilityAreas.includes(a),
    );
    if (outside.length > 0) return { eligible: false, reason: 'areas', outside };
  }
  return { eligible: true };
}

/** `earmarkVerdict`, as the allocation's refusal (`EARMARK_MISMATCH`). */
export function checkEarmark(
  earmarks: Earmarks,
  target: { packageId: bigint; lineAreas: readonly string[] },
): void {
  const verdict = earmarkVerdict(earmarks, target);
  if (verdict.eligible) return;
  if (verdict.reason === 'package') {
    throw new DomainError(
      'EARMARK_MISMATCH',
      `The contribution is earmarked for package ${verdict.packageId}.`,
      {
        field: 'contributionId',
        earmarkedPackageId: verdict.packageId,
      },
    );
  }
  throw new DomainError(
    'EARMARK_MISMATCH',
    `The package holds ${verdict.outside.join(', ')}, outside the contribution's earmarks.`,
    {
      field: 'contributionId',
      earmarkedAreas: earmarks.capabilityAreas,
      outside: verdict.outside,
    },
  );
}
