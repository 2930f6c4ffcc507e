/** The analysis options live in the URL: read leniently, written without defaults, shareable. */
import { describe, expect, it } from 'vitest';
import { analysisOptionsOf, analysisSearchEntries, drillHref } from './analysis-options';

describe('analysis options in the URL', () => {
  it('defaults to US dollars at each value date', () => {
    expect(analysisOptionsOf(new URLSearchParams(''))).toEqual({
      currency: 'USD',
      rateMode: 'value_date',
    });
  });

  it('reads every option and writes them back without the defaults', () => {
    const search = new URLSearchParams(
      'currency=EUR&rateMode=fixed&rateDate=2025-10-01&asOf=2025-12-31&other=kept',
    );
    const options = analysisOptionsOf(search);
    expect(options).toEqual({
      currency: 'EUR',
      rateMode: 'fixed',
      rateDate: '2025-10-01',
      asOf: '2025-12-31',
    });
    expect(analysisSearchEntries(options)).toEqual([
      ['currency', 'EUR'],
      ['rateMode', 'fixed'],
      ['rateDate', '2025-10-01'],
      ['asOf', '2025-12-31'],
    ]);
    expect(analysisSearchEntries({ currency: 'USD', rateMode: 'value_date' })).toEqual([]);
  });

  it('ignores malformed values, and a rate date without the fixed mode', () => {
    expect(
      analysisOptionsOf(
        new URLSearchParams('currency=GBP&rateMode=spot&rateDate=2025-10-01&asOf=x'),
      ),
    ).toEqual({ currency: 'USD', rateMode: 'value_date' });
  });

  it('links a figure’s drill-down on the same basis', () => {
    expect(drillHref('burden.committed:NLD', { currency: 'EUR', rateMode: 'value_date' })).toBe(
      '/analysis/drill?figure=burden.committed%3ANLD&currency=EUR',
    );
  });
});
