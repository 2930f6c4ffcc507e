import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { checkEarmark, earmarkVerdict } from './packages.js';

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
