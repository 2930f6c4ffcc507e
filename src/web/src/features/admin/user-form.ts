/**
 * The rules a user form checks as the admin types — the same as the server's
 * (`core/identity.ts`): an email `local@domain.tld`, a display name of at most 200 characters,
 * an initial password of 12 to 256 characters that is not the email, and a party exactly for a
 * contributor. The server checks again (and refuses a common password or a taken email); each
 * problem here is a key of the `admin` namespace's `form.errors`.
 */
export const PASSWORD_MIN_CHARS = 12;
export const PASSWORD_MAX_CHARS = 256;
export const DISPLAY_NAME_MAX_CHARS = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type UserFormError =
  | 'emailRequired'
  | 'emailFormat'
  | 'displayNameTooLong'
  | 'passwordTooShort'
  | 'passwordTooLong'
  | 'passwordIsEmail'
  | 'partyRequired';

export interface UserFormValues {
  email: string;
  displayName: string;
  role: string;
  partyId: string;
  password: string;
}

export type UserFormErrors = Partial<Record<keyof UserFormValues, UserFormError>>;

export function emailError(email: string): UserFormError | undefined {
  const value = email.trim();
  if (value === '') return 'emailRequired';
  if (value.length > 254 || !EMAIL.test(value)) return 'emailFormat';
  return undefined;
}

export function passwordError(password: string, email: string): UserFormError | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_CHARS) return 'passwordTooShort';
  if (length > PASSWORD_MAX_CHARS) return 'passwordTooLong';
  const lower = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (lower === address || (local !== '' && lower === local)) return 'passwordIsEmail';
  return undefined;
}

export function displayNameError(name: string): UserFormError | undefined {
  return name.trim().length > DISPLAY_NAME_MAX_CHARS ? 'displayNameTooLong' : undefined;
}

export function partyError(role: string, partyId: string): UserFormError | undefined {
  return role === 'contributor' && partyId === '' ? 'partyRequired' : undefined;
}

/** Every problem of a create form, by field (empty when it may be sent). */
export function createUserErrors(values: UserFormValues): UserFormErrors {
  const errors: UserFormErrors = {};
  const email = emailError(values.email);
  if (email) errors.email = email;
  const name = displayNameError(values.displayName);
  if (name) errors.displayName = name;
  const password = passwordError(values.password, values.email);
  if (password) errors.password = password;
  const party = partyError(values.role, values.partyId);
  if (party) errors.partyId = party;
  return errors;
}

/** The party sent for a role: a contributor's, nobody else's. */
export function partyForRole(role: string, partyId: string): string | null {
  return role === 'contributor' && partyId !== '' ? partyId : null;
}
