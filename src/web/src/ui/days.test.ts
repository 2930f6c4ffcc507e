import { describe, expect, it } from 'vitest';
import { isIsoDay, todayIso } from './days';

describe('days', () => {
  it('checks a day is a real calendar day written YYYY-MM-DD', () => {
    expect(isIsoDay('2025-02-28')).toBe(true);
    expect(isIsoDay('2024-02-29')).toBe(true);
    expect(isIsoDay('2025-02-30')).toBe(false);
    expect(isIsoDay('28-02-2025')).toBe(false);
  });

  it('gives today in UTC', () => {
    expect(todayIso(new Date('2025-06-30T23:30:00-02:00'))).toBe('2025-07-01');
  });
});
