/**
 * Splits an amount in minor units by weights with the largest-remainder (Hamilton) method, so
 * the parts always sum to the whole — a joint package's share per donor, a pro-rata surplus.
 *
 * For a total T ≥ 0 and weights w with sum W > 0, part i's exact share is T·wᵢ/W. Each part
 * first gets the floor of its share; the units left over (fewer than the number of parts) go
 * one each to the parts with the LARGEST REMAINDER (T·wᵢ mod W), ties broken by the LOWER INDEX
 * (the earlier part in the caller's order). So each part is its share rounded down or up, never
 * further than 1 minor unit from it; a zero weight always gets 0; the result depends only on
 * the inputs. A negative total is split as its absolute value and every part negated, so
 * `split(-T)` is exactly `-split(T)` (no sign-dependent bias).
 */
import { DomainError, assert } from './errors.js';
import { tryParseDecimal } from './money.js';

/** Parts of one split; a split of more parts than this is refused as a programming error. */
export const SPLIT_PARTS_MAX = 100_000;

/** Splits `totalMinor` by integer weights (≥ 0, not all 0). */
export function splitByWeights(totalMinor: bigint, weights: readonly bigint[]): bigint[] {
  return weightedSplitter(weights)(totalMinor);
}

/**
 * `splitByWeights` by these weights for any total, the weights checked and summed once (many
 * amounts split by the same weights: each allocation of a package over its groups).
 */
export function weightedSplitter(weights: readonly bigint[]): (totalMinor: bigint) => bigint[] {
  assert(weights.length <= SPLIT_PARTS_MAX, `a split has at most ${SPLIT_PARTS_MAX} parts`);
  if (weights.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'weights: at least one weight is required.', {
      field: 'weights',
    });
  }
  let weightSum = 0n;
  weights.forEach((weight, index) => {
    if (weight < 0n) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `weights.${index}: a weight must not be negative.`,
        {
          field: `weights.${index}`,
        },
      );
    }
    weightSum += weight;
  });
  if (weightSum === 0n) {
    throw new DomainError('VALIDATION_FAILED', 'weights: at least one weight must be positive.', {
      field: 'weights',
    });
  }
  const own = [...weights];
  const count = own.length;
  return (totalMinor) => {
    const negative = totalMinor < 0n;
    const total = negative ? -totalMinor : totalMinor;
    const parts = new Array<bigint>(count);
    const remainders = new Array<bigint>(count);
    let leftover = total;
    for (let index = 0; index < count; index++) {
      const product = total * own[index]!;
      parts[index] = product / weightSum;
      remainders[index] = product % weightSum;
      leftover -= parts[index]!;
    }
    assert(leftover >= 0n && leftover < BigInt(count), 'leftover is fewer than the parts');
    if (leftover > 0n) {
      const order = own.map((_, index) => index);
      order.sort((a, b) => {
        const ra = remainders[a]!;
        const rb = remainders[b]!;
        return ra === rb ? a - b : ra > rb ? -1 : 1;
      });
      for (const index of order) {
        if (leftover === 0n) break;
        assert(remainders[index]! > 0n, 'a leftover unit only goes to a part with a remainder');
        parts[index]! += 1n;
        leftover -= 1n;
      }
    }
    assert(leftover === 0n, 'the parts sum to the total');
    if (negative) for (let index = 0; index < count; index++) parts[index] = -parts[index]!;
    return parts;
  };
}

/**
 * Splits `totalMinor` by decimal-text weights (`["275", "112.5", "112.5"]`, shares such as
 * `"0.55"`): the weights are brought to a common scale exactly and split as integers.
 */
export function splitByDecimalWeights(totalMinor: bigint, weights: readonly string[]): bigint[] {
  const decimals = weights.map((text, index) => {
    const decimal = tryParseDecimal(text);
    if (!decimal) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `weights.${index}: ${JSON.stringify(text)} is not a plain decimal.`,
        { field: `weights.${index}` },
      );
    }
    return decimal;
  });
  const scale = Math.max(0, ...decimals.map((d) => d.scale));
  return splitByWeights(
    totalMinor,
    decimals.map((d) => d.mantissa * 10n ** BigInt(scale - d.scale)),
  );
}
