import { describe, expect, it } from 'vitest';
import { createUserErrors, partyForRole, passwordError } from './user-form';

const valid = {
  email: 'new.user@demo.purl',
  displayName: 'New User',
  role: 'coordinator',
  partyId: '',
  password: 'a long enough passphrase',
};

describe('the user form rules', () => {
  it('accepts a complete form', () => {
    expect(createUserErrors(valid)).toEqual({});
  });

  it('names each field in trouble', () => {
    expect(createUserErrors({ ...valid, email: '' })).toEqual({ email: 'emailRequired' });
    expect(createUserErrors({ ...valid, email: 'no-at-sign' }).email).toBe('emailFormat');
    expect(createUserErrors({ ...valid, password: 'short' })).toEqual({
      password: 'passwordTooShort',
    });
    expect(createUserErrors({ ...valid, role: 'contributor' })).toEqual({
      partyId: 'partyRequired',
    });
    expect(createUserErrors({ ...valid, displayName: 'x'.repeat(201) }).displayName).toBe(
      'displayNameTooLong',
    );
  });

  it('refuses the email (or its local part) as password, case-insensitively', () => {
    expect(passwordError('New.User@demo.purl', 'new.user@demo.purl')).toBe('passwordIsEmail');
    expect(passwordError('averylonglocalpart', 'averylonglocalpart@x.org')).toBe('passwordIsEmail');
    expect(passwordError('x'.repeat(257), 'a@b.c')).toBe('passwordTooLong');
  });

  it('sends a party only for a contributor', () => {
    expect(partyForRole('contributor', 'NLD')).toBe('NLD');
    expect(partyForRole('coordinator', 'NLD')).toBeNull();
    expect(partyForRole('contributor', '')).toBeNull();
  });
});
