import { describe, expect, it } from 'vitest';
import { amountMinorOf, amountParam, paceSettingsOf } from './pace-settings';

describe('pace settings in the URL', () => {
  it('reads well-formed amounts and ignores the others', () => {
    expect(paceSettingsOf(new URLSearchParams('targetPerMonth=2000000000.00&goal=1e9'))).toEqual({
      targetPerMonth: '2000000000.00',
    });
    expect(paceSettingsOf(new URLSearchParams('goal=7500000000.5'))).toEqual({
      goal: '7500000000.5',
    });
    expect(paceSettingsOf(new URLSearchParams('targetPerMonth=1.234'))).toEqual({});
  });

  it('turns minor units into the API’s decimal text and back, exactly', () => {
    expect(amountParam('200000000000')).toBe('2000000000.00');
    expect(amountParam('5')).toBe('0.05');
    expect(amountMinorOf('2000000000.00')).toBe('200000000000');
    expect(amountMinorOf('7500000000.5')).toBe('750000000050');
    expect(amountMinorOf('0.05')).toBe('5');
    expect(amountMinorOf(undefined)).toBeNull();
  });
});
