import { describe, expect, it } from 'vitest';
import { lineQuantityProblem } from './line-quantity';

describe('the quantities a package line may take', () => {
  const any = { remaining: 7, step: 1, wholeOnly: false };
  const stepped = { remaining: 12, step: 5, wholeOnly: false };
  const whole = { remaining: 3, step: 1, wholeOnly: true };

  it('takes any whole number up to what is left when the step is 1', () => {
    for (let q = 1; q <= 7; q++) expect(lineQuantityProblem(q, any)).toBeUndefined();
    expect(lineQuantityProblem(8, any)).toEqual({ key: 'quantityAbove', max: 7 });
    expect(lineQuantityProblem(0, any)).toEqual({ key: 'quantityPositive' });
    expect(lineQuantityProblem(Number.NaN, any)).toEqual({ key: 'quantityFormat' });
  });

  it('takes multiples of the step, or exactly what is left (the last part)', () => {
    expect(lineQuantityProblem(5, stepped)).toBeUndefined();
    expect(lineQuantityProblem(10, stepped)).toBeUndefined();
    expect(lineQuantityProblem(12, stepped)).toBeUndefined();
    expect(lineQuantityProblem(6, stepped)).toEqual({ key: 'quantityStep', step: 5, left: 12 });
  });

  it('takes only what is left of an item packaged whole only', () => {
    expect(lineQuantityProblem(3, whole)).toBeUndefined();
    expect(lineQuantityProblem(1, whole)).toEqual({ key: 'quantityWholeOnly', left: 3 });
  });
});
