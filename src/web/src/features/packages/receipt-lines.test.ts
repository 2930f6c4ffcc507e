import { describe, expect, it } from 'vitest';
import { discrepanciesOf } from './receipt-lines';

const line = (
  received: number,
  condition: 'good' | 'damaged' | 'wrong_item' = 'good',
  affected = 0,
) => ({
  received,
  condition,
  affected,
  notes: '  One set missing  ',
});

describe('the discrepancies of a receipt line', () => {
  it('none when all arrived in good order', () => {
    expect(discrepanciesOf(5, line(5))).toEqual([]);
  });

  it('a shortfall or an excess for the difference, with the notes as reason', () => {
    expect(discrepanciesOf(5, line(4))).toEqual([
      { kind: 'short', quantity: 1, reason: 'One set missing' },
    ]);
    expect(discrepanciesOf(5, line(7))).toEqual([
      { kind: 'over', quantity: 2, reason: 'One set missing' },
    ]);
  });

  it('damaged or wrong items for the number affected, beside a shortfall', () => {
    expect(discrepanciesOf(5, line(4, 'damaged', 2))).toEqual([
      { kind: 'short', quantity: 1, reason: 'One set missing' },
      { kind: 'damaged', quantity: 2, reason: 'One set missing' },
    ]);
    expect(discrepanciesOf(5, line(5, 'wrong_item', 1))).toEqual([
      { kind: 'wrong_item', quantity: 1, reason: 'One set missing' },
    ]);
  });
});
