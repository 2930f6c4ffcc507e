import { describe, expect, it } from 'vitest';
import { exportHref, exportLanguageOf } from './export-href';

describe('exportHref', () => {
  it('carries the basis, the format and the file language', () => {
    expect(
      exportHref('funnel', 'csv', 'en', {
        currency: 'EUR',
        rateMode: 'fixed',
        rateDate: '2025-10-01',
      }),
    ).toBe(
      '/api/v1/exports/funnel?format=csv&lang=en&currency=EUR&rateMode=fixed&rateDate=2025-10-01',
    );
  });

  it('leaves the rate date out on value dates, and keeps as-of', () => {
    expect(
      exportHref('coverage', 'xlsx', 'fr', {
        currency: 'USD',
        rateMode: 'value_date',
        rateDate: '2025-10-01',
        asOf: '2025-12-31',
      }),
    ).toBe(
      '/api/v1/exports/coverage?format=xlsx&lang=fr&currency=USD&rateMode=value_date&asOf=2025-12-31',
    );
  });

  it('adds the analysis’s own options, leaving out those not set', () => {
    expect(
      exportHref(
        'pace',
        'csv',
        'en',
        { currency: 'USD', rateMode: 'value_date' },
        { targetPerMonth: '2000000000.00', goal: undefined, stalledAfterDays: '' },
      ),
    ).toBe(
      '/api/v1/exports/pace?format=csv&lang=en&currency=USD&rateMode=value_date&targetPerMonth=2000000000.00',
    );
  });

  it('gives Ukrainian readers the English file (files exist in English and French)', () => {
    expect(exportLanguageOf('uk')).toBe('en');
    expect(exportLanguageOf('fr')).toBe('fr');
    expect(
      exportHref('context', 'csv', 'uk', { currency: 'USD', rateMode: 'value_date' }),
    ).toContain('lang=en');
  });
});
