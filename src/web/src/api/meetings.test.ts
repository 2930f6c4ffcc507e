import { describe, expect, it } from 'vitest';
import { briefingHref } from './meetings';

describe('the briefing’s address', () => {
  it('names the language and keeps only the analysis options that differ from the defaults', () => {
    expect(briefingHref('5', 'fr', { currency: 'USD', rateMode: 'value_date' })).toBe(
      '/api/v1/meetings/5/briefing?lang=fr',
    );
    expect(
      briefingHref('5', 'en', {
        currency: 'EUR',
        rateMode: 'fixed',
        rateDate: '2025-10-01',
        asOf: '2025-12-31',
      }),
    ).toBe(
      '/api/v1/meetings/5/briefing?lang=en&currency=EUR&rateMode=fixed&rateDate=2025-10-01&asOf=2025-12-31',
    );
  });
});
