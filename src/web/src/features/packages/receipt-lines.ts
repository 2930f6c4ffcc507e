/**
 * What a line of a receipt implies: fewer than shipped is a `short` discrepancy of the
 * difference, more is an `over` one, and damaged or wrong items are a discrepancy of that kind
 * for the number affected — each with the recipient's notes as its reason (the rule of
 * `core/deliveries.ts` \`checkReceiptLine\`, so the form sends what the server accepts).
 */
import type { ReceiptLineInput } from '../../api/deliveries';

/** The state of the goods that arrived, as the recipient reports it. */
export type Condition = 'good' | 'damaged' | 'wrong_item';

export function discrepanciesOf(
  shipped: number,
  state: { received: number; condition: Condition; affected: number; notes: string },
): NonNullable<ReceiptLineInput['discrepancies']> {
  const reason = state.notes.trim();
  const list: NonNullable<ReceiptLineInput['discrepancies']> = [];
  if (state.received < shipped)
    list.push({ kind: 'short', quantity: shipped - state.received, reason });
  if (state.received > shipped)
    list.push({ kind: 'over', quantity: state.received - shipped, reason });
  if (state.condition !== 'good' && state.affected > 0)
    list.push({ kind: state.condition, quantity: state.affected, reason });
  return list;
}
