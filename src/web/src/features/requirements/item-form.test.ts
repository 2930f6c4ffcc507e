import { describe, expect, it } from 'vitest';
import {
  checkApprovedQuantity,
  checkCycle,
  checkQuantityStep,
  checkRequestedQuantity,
  checkText,
  currentCycle,
} from './item-form';

describe('item form rules', () => {
  it('needs a requested quantity that is a whole number from 1', () => {
    expect(checkRequestedQuantity('')).toBe('validation.required');
    expect(checkRequestedQuantity('1.5')).toBe('validation.wholeNumber');
    expect(checkRequestedQuantity('-3')).toBe('validation.wholeNumber');
    expect(checkRequestedQuantity('0')).toBe('validation.quantityPositive');
    expect(checkRequestedQuantity('2147483648')).toBe('validation.quantityTooLarge');
    expect(checkRequestedQuantity(' 12 ')).toBeUndefined();
  });

  it('needs a step that is a whole number from 1 to the requested quantity', () => {
    expect(checkQuantityStep('', '10')).toBe('validation.required');
    expect(checkQuantityStep('2.5', '10')).toBe('validation.wholeNumber');
    expect(checkQuantityStep('0', '10')).toBe('validation.quantityPositive');
    expect(checkQuantityStep('11', '10')).toBe('validation.stepAboveRequested');
    expect(checkQuantityStep(' 10 ', '10')).toBeUndefined();
    expect(checkQuantityStep('5', '')).toBeUndefined();
    expect(checkQuantityStep('5', 'abc')).toBeUndefined();
  });

  it('takes 0 as an approved quantity (a rejected item) and leaves upper bounds to the server', () => {
    expect(checkApprovedQuantity('0')).toBeUndefined();
    expect(checkApprovedQuantity('99999999999')).toBeUndefined();
    expect(checkApprovedQuantity('')).toBe('validation.required');
    expect(checkApprovedQuantity('2,5')).toBe('validation.wholeNumber');
  });

  it('needs text and a month as YYYY-MM', () => {
    expect(checkText('  ', 10)).toBe('validation.required');
    expect(checkText('abcdefghijk', 10)).toBe('validation.tooLong');
    expect(checkText('ok', 10)).toBeUndefined();
    expect(checkCycle('2026-13')).toBe('validation.cycle');
    expect(checkCycle('2026-12')).toBeUndefined();
    expect(currentCycle(new Date('2026-11-28T10:00:00Z'))).toBe('2026-11');
  });
});
