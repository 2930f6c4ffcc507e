/**
 * Which quantities a package line may take of an approved item — the server's rule
 * (core/packages.ts `checkLineQuantity`), checked as the coordinator types so the form says
 * what is allowed before it is sent: at most what is left; of that, a multiple of the item's
 * step or exactly what is left; for an item packaged whole only, exactly what is left.
 */
export interface LineQuantityRule {
  /** Approved quantity not yet in a package. */
  remaining: number;
  /** Lines take the item in multiples of this, the last part excepted (1: any quantity). */
  step: number;
  /** Lines take only the whole remaining quantity. */
  wholeOnly: boolean;
}

export type LineQuantityProblem =
  | { key: 'quantityFormat' }
  | { key: 'quantityPositive' }
  | { key: 'quantityAbove'; max: number }
  | { key: 'quantityWholeOnly'; left: number }
  | { key: 'quantityStep'; step: number; left: number };

/** The first problem with `quantity` (NaN: not a whole number), or undefined when allowed. */
export function lineQuantityProblem(
  quantity: number,
  rule: LineQuantityRule,
): LineQuantityProblem | undefined {
  if (!Number.isInteger(quantity)) return { key: 'quantityFormat' };
  if (quantity < 1) return { key: 'quantityPositive' };
  if (quantity > rule.remaining) return { key: 'quantityAbove', max: rule.remaining };
  if (quantity === rule.remaining) return undefined;
  if (rule.wholeOnly) return { key: 'quantityWholeOnly', left: rule.remaining };
  const step = Math.max(1, rule.step);
  if (quantity % step !== 0) return { key: 'quantityStep', step, left: rule.remaining };
  return undefined;
}
