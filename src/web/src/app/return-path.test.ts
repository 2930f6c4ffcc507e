/** After sign-in the browser goes back only to a path of this app: never to another site. */
import { describe, expect, it } from 'vitest';
import { safeReturnTo, signInPath } from './return-path';

describe('safeReturnTo', () => {
  it('keeps paths of the app, with their query', () => {
    expect(safeReturnTo('/')).toBe('/');
    expect(safeReturnTo('/analysis/drill?figure=funnel.paid&currency=EUR')).toBe(
      '/analysis/drill?figure=funnel.paid&currency=EUR',
    );
    expect(safeReturnTo('/packages/3')).toBe('/packages/3');
    expect(safeReturnTo('/sign-in-help')).toBe('/sign-in-help');
    expect(safeReturnTo('/packages?q=a%2F%2Fb#top')).toBe('/packages?q=a%2F%2Fb#top');
  });

  it('refuses other sites, scheme-relative and backslash tricks, and the sign-in page', () => {
    for (const value of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      'dashboard',
      '/sign-in?returnTo=/',
      '/sign-in',
      '/\t/evil.example',
      '/\n/evil.example',
      '/packages\\..\\evil',
      '/api/v1/auth/me',
      `/${'a'.repeat(1000)}`,
      ' /packages',
      '',
      null,
      undefined,
    ]) {
      expect(safeReturnTo(value), String(value)).toBeUndefined();
    }
  });
});

describe('signInPath', () => {
  it('carries the return path and the reason', () => {
    expect(signInPath('/?currency=EUR', 'expired')).toBe(
      '/sign-in?returnTo=%2F%3Fcurrency%3DEUR&reason=expired',
    );
    expect(signInPath('/', undefined)).toBe('/sign-in');
    expect(signInPath('//evil.example', 'signedOut')).toBe('/sign-in?reason=signedOut');
  });
});
