import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  checkEarmark,
  checkLineQuantity,
  earmarkVerdict,
  type LineItemPackaging,
} from './packages.js';

describe('the earmark rule', () => {
  const pkg = { packageId: 7n, lineAreas: ['artillery', 'drones', 'artillery'] };

  it('lets a contribution without earmarks, or earmarked to the package, fund it', () => {
    expect(earmarkVerdict({ capabilityAreas: [], packageId: null }, pkg)).toEqual({
      eligible: true,
    });
    expect(earmarkVerdict({ capabilityAreas: [], packageId: 7n }, pkg)).toEqual({
      eligible: true,
    });
  });

  it('refuses one earmarked to another package, naming it', () => {
    expect(earmarkVerdict({ capabilityAreas: [], packageId: 3n }, pkg)).toEqual({
      eligible: false,
      reason: 'package',
      packageId: 3n,
    });
  });

  it('needs every area of the lines inside the earmarked areas, naming those outside once', () => {
    expect(earmarkVerdict({ capabilityAreas: ['artillery'], packageId: null }, pkg)).toEqual({
      eligible: false,
      reason: 'areas',
      outside: ['drones'],
    });
    expect(
      earmarkVerdict(
        { capabilityAreas: ['artillery', 'drones', 'demining'], packageId: null },
        pkg,
      ),
    ).toEqual({ eligible: true });
  });

  it('lets any earmark fund a package without lines', () => {
    const empty = { packageId: 9n, lineAreas: [] };
    expect(earmarkVerdict({ capabilityAreas: ['drones'], packageId: null }, empty)).toEqual({
      eligible: true,
    });
  });

  it('checkEarmark refuses exactly what the verdict refuses, as EARMARK_MISMATCH', () => {
    expect(() => checkEarmark({ capabilityAreas: [], packageId: 7n }, pkg)).not.toThrow();
    for (const earmarks of [
      { capabilityAreas: [], packageId: 3n },
      { capabilityAreas: ['artillery'], packageId: null },
    ]) {
      try {
        checkEarmark(earmarks, pkg);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe('EARMARK_MISMATCH');
        expect((error as DomainError).details.field).toBe('contributionId');
      }
    }
  });
});

describe('the packaging rule of a line', () => {
  const item = (change: Partial<LineItemPackaging> = {}): LineItemPackaging => ({
    itemId: 12n,
    unit: 'rounds',
    quantityStep: 5,
    wholeOnly: false,
    remainingQuantity: 17,
    ...change,
  });
  const refusal = (packaging: LineItemPackaging, quantity: number) => {
    try {
      checkLineQuantity(packaging, quantity);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('takes any quantity up to what is left when the step is 1', () => {
    for (const quantity of [1, 2, 16, 17]) checkLineQuantity(item({ quantityStep: 1 }), quantity);
    expect(refusal(item({ quantityStep: 1 }), 18).message).toBe(
      'Only 17 of the approved quantity is not yet in a package.',
    );
  });

  it('takes multiples of the step, or exactly what is left (the last part)', () => {
    for (const quantity of [5, 10, 15, 17]) checkLineQuantity(item(), quantity);
    for (const quantity of [1, 4, 6, 16]) {
      const error = refusal(item(), quantity);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toMatchObject({
        field: 'quantity',
        quantityStep: 5,
        remainingQuantity: 17,
      });
      expect(error.message).toBe(
        'Item 12 is packaged in steps of 5 rounds: use a multiple of 5, or the 17 rounds left.',
      );
    }
    // Never more than is left, even in steps.
    expect(refusal(item(), 20).details.field).toBe('quantity');
  });

  it('takes only what is left when the step is larger than that', () => {
    checkLineQuantity(item({ remainingQuantity: 3 }), 3);
    expect(refusal(item({ remainingQuantity: 3 }), 2).message).toBe(
      'Item 12 is packaged in steps of 5 rounds and only 3 rounds are left: use 3.',
    );
  });

  it('takes only the whole remaining quantity of a whole-only item', () => {
    const whole = item({ wholeOnly: true, quantityStep: 1 });
    checkLineQuantity(whole, 17);
    for (const quantity of [1, 5, 16]) {
      const error = refusal(whole, quantity);
      expect(error.details).toMatchObject({ field: 'quantity', wholeOnly: true });
      expect(error.message).toBe('Item 12 is packaged whole only: use the 17 rounds left.');
    }
  });
});
