import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { splitByDecimalWeights, splitByWeights } from './split.js';

describe('splitByWeights', () => {
  it('splits a joint package: $500M by 275/112.5/112.5 gives exact parts', () => {
    expect(splitByDecimalWeights(50_000_000_000n, ['275', '112.5', '112.5'])).toEqual([
      27_500_000_000n,
      11_250_000_000n,
      11_250_000_000n,
    ]);
  });

  it('gives leftover units to the largest remainders: 100 by 1/1/1 is 34/33/33', () => {
    expect(splitByWeights(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
  });

  it('breaks equal remainders by the lower index, whatever the order of weights', () => {
    expect(splitByWeights(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
    expect(splitByWeights(1n, [1n, 1n, 1n, 1n])).toEqual([1n, 0n, 0n, 0n]);
    // 10 by 3/3/4: exact shares 3, 3, 4 — no leftover.
    expect(splitByWeights(10n, [3n, 3n, 4n])).toEqual([3n, 3n, 4n]);
    // 10 by 1/2/4: shares 1.43, 2.86, 5.71 → floors 1, 2, 5, leftover 2 to remainders .86, .71.
    expect(splitByWeights(10n, [1n, 2n, 4n])).toEqual([1n, 3n, 6n]);
  });

  it('gives a zero weight nothing and splits a negative total as the negated split', () => {
    expect(splitByWeights(7n, [0n, 1n, 0n, 1n])).toEqual([0n, 4n, 0n, 3n]);
    expect(splitByWeights(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
  });

  it('refuses no weights, a negative weight and all-zero weights, naming the field', () => {
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof DomainError ? [error.code, error.details.field] : error;
      }
      return 'no error';
    };
    expect(codeOf(() => splitByWeights(1n, []))).toEqual(['VALIDATION_FAILED', 'weights']);
    expect(codeOf(() => splitByWeights(1n, [1n, -1n]))).toEqual(['VALIDATION_FAILED', 'weights.1']);
    expect(codeOf(() => splitByWeights(1n, [0n, 0n]))).toEqual(['VALIDATION_FAILED', 'weights']);
    expect(codeOf(() => splitByDecimalWeights(1n, ['1', '1e2']))).toEqual([
      'VALIDATION_FAILED',
      'weights.1',
    ]);
  });
});

describe('split properties', () => {
  const total = fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n });
  const weights = fc
    .array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 })
    .filter((ws) => ws.some((w) => w > 0n));

  it('the parts always sum to the total', () => {
    fc.assert(
      fc.property(total, weights, (t, ws) => {
        expect(splitByWeights(t, ws).reduce((a, b) => a + b, 0n)).toBe(t);
      }),
    );
  });

  it('each part is within 1 minor unit of its exact share (floor or ceiling of it)', () => {
    fc.assert(
      fc.property(total, weights, (t, ws) => {
        const sum = ws.reduce((a, b) => a + b, 0n);
        splitByWeights(t, ws).forEach((part, i) => {
          // |part − t·wᵢ/W| < 1  ⇔  |part·W − t·wᵢ| < W
          const gap = part * sum - t * ws[i]!;
          expect(gap < sum && -gap < sum).toBe(true);
        });
      }),
    );
  });

  it('is deterministic, sign-symmetric, and gives zero weights zero', () => {
    fc.assert(
      fc.property(total, weights, (t, ws) => {
        const parts = splitByWeights(t, ws);
        expect(splitByWeights(t, [...ws])).toEqual(parts);
        expect(splitByWeights(-t, ws)).toEqual(parts.map((p) => -p));
        ws.forEach((w, i) => {
          if (w === 0n) expect(parts[i]).toBe(0n);
        });
      }),
    );
  });

  it('scaling all weights by the same factor does not change the split', () => {
    fc.assert(
      fc.property(total, weights, fc.bigInt({ min: 1n, max: 1000n }), (t, ws, k) => {
        expect(
          splitByWeights(
            t,
            ws.map((w) => w * k),
          ),
        ).toEqual(splitByWeights(t, ws));
      }),
    );
  });
});
