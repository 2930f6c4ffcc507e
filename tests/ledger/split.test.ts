/**
 * The largest-remainder split (core/split.ts) against its definition, for any total and weights:
 * the parts sum to the total; each is its exact share rounded down or up; the units left over go
 * to the largest remainders, ties to the lower index; a zero weight gets 0; a negative total is
 * the positive one negated. A splitter made once gives what each split gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByWeights, weightedSplitter } from '../../src/core/split.js';

/** The definition, written out plainly: floors, then one unit per largest remainder. */
function reference(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  const abs = total < 0n ? -total : total;
  const parts = weights.map((w) => (abs * w) / sum);
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, index) => ({ index, remainder: (abs * w) % sum }))
    .sort((a, b) =>
      a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
    );
  for (const { index } of order) {
    if (left === 0n) break;
    parts[index]! += 1n;
    left -= 1n;
  }
  return total < 0n ? parts.map((p) => -p) : parts;
}

const weightsArb = fc
  .array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { minLength: 1, maxLength: 12 })
  .filter((w) => w.some((x) => x > 0n));
const totalArb = fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n });

describe('splitByWeights', () => {
  it('is the largest-remainder split of its definition, summing to the total', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const parts = splitByWeights(total, weights);
        expect(parts).toEqual(reference(total, weights));
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
        const sum = weights.reduce((a, b) => a + b, 0n);
        parts.forEach((part, i) => {
          // |part − total·wᵢ/W| < 1
          const diff = part * sum - total * weights[i]!;
          expect(diff < sum && -diff < sum).toBe(true);
          if (weights[i] === 0n) expect(part).toBe(0n);
        });
        expect(splitByWeights(-total, weights)).toEqual(parts.map((p) => -p));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives the same parts from one splitter for many totals', () => {
    fc.assert(
      fc.property(weightsArb, fc.array(totalArb, { maxLength: 20 }), (weights, totals) => {
        const split = weightedSplitter(weights);
        for (const total of totals) expect(split(total)).toEqual(splitByWeights(total, weights));
      }),
      { numRuns: 500 },
    );
  });

  it('breaks ties of remainders towards the lower index', () => {
    expect(splitByWeights(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(splitByWeights(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
    expect(splitByWeights(-2n, [1n, 1n, 1n])).toEqual([-1n, -1n, 0n]);
    expect(splitByWeights(10n, [0n, 3n, 0n, 1n])).toEqual([0n, 8n, 0n, 2n]);
  });

  it('refuses weights it cannot split by, naming the field', () => {
    expect(() => splitByWeights(1n, [])).toThrow(/weights: at least one weight/);
    expect(() => weightedSplitter([1n, -1n])).toThrow(/weights\.1: a weight must not be negative/);
    expect(() => splitByWeights(1n, [0n, 0n])).toThrow(/at least one weight must be positive/);
  });
});
