/** The refusals of a sign-in through the identity provider, as the sign-in page tells them. */
import { describe, expect, it } from 'vitest';
import { oidcRefusalOf } from './sign-in-form';

describe('oidcRefusalOf', () => {
  it('names what to do for each reason the server gives', () => {
    expect(oidcRefusalOf(null)).toBeUndefined();
    expect(oidcRefusalOf('')).toBeUndefined();
    expect(oidcRefusalOf('provider_access_denied')).toBe('denied');
    expect(oidcRefusalOf('role_missing')).toBe('noRole');
    expect(oidcRefusalOf('role_unknown')).toBe('noRole');
    expect(oidcRefusalOf('party_unknown')).toBe('noParty');
    expect(oidcRefusalOf('email_missing')).toBe('noEmail');
    expect(oidcRefusalOf('email_taken')).toBe('emailTaken');
    expect(oidcRefusalOf('disabled')).toBe('disabled');
    expect(oidcRefusalOf('attempt_unknown')).toBe('expired');
    expect(oidcRefusalOf('state_mismatch')).toBe('expired');
    expect(oidcRefusalOf('unavailable')).toBe('unavailable');
  });

  it('reads an unknown reason as a failure to start again', () => {
    expect(oidcRefusalOf('provider_server_error')).toBe('failed');
    expect(oidcRefusalOf('token_rejected')).toBe('failed');
    expect(oidcRefusalOf('<script>')).toBe('failed');
  });
});
