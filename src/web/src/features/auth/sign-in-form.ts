/**
 * The sign-in form's rules, apart from its look: what each field needs (checked as one types,
 * once a field was left or the form was sent) and where a refusal of the server goes — a wrong
 * email or password against the password field (the server does not say which one was wrong,
 * on purpose), a malformed field against that field, a lockout or rate limit above the form with
 * the time one may try again.
 */
import type { TFunction } from 'i18next';
import { isApiError } from '../../api/errors';

export interface SignInValues {
  email: string;
  password: string;
}

export type SignInField = keyof SignInValues;
export type FieldErrors = Partial<Record<SignInField, string>>;

/** The server's limits (`POST /auth/login`): 254 characters of email. */
const EMAIL_MAX_CHARS = 254;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

export function validateSignIn(
  values: SignInValues,
  t: TFunction<['auth', 'common']>,
): FieldErrors {
  const errors: FieldErrors = {};
  const email = values.email.trim();
  if (email === '') errors.email = t('validation.emailRequired');
  else if (email.length > EMAIL_MAX_CHARS || !EMAIL_SHAPE.test(email)) {
    errors.email = t('validation.emailInvalid');
  }
  if (values.password === '') errors.password = t('validation.passwordRequired');
  return errors;
}

export interface SignInRefusal {
  /** Shown against a field. */
  fields: FieldErrors;
  /** Shown above the form. */
  form?: string;
}

/** Where the server's refusal of a sign-in is shown, in the reader's language. */
export function refusalOf(
  error: unknown,
  t: TFunction<['auth', 'common']>,
  timeAfter: (seconds: number) => string,
): SignInRefusal {
  if (!isApiError(error)) return { fields: {}, form: t('errors.unexpected') };
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return { fields: { password: t('errors.wrongCredentials') } };
    case 'LOGIN_LOCKED': {
      const seconds = error.retryAfterSeconds ?? 60;
      return {
        fields: {},
        form: t('errors.locked', { time: timeAfter(seconds), count: seconds }),
      };
    }
    case 'RATE_LIMITED': {
      const seconds = error.retryAfterSeconds ?? 60;
      return {
        fields: {},
        form: t('errors.rateLimited', { time: timeAfter(seconds), count: seconds }),
      };
    }
    case 'VALIDATION_FAILED':
      if (error.field === 'email' || error.field === 'password') {
        return {
          fields: {
            [error.field]:
              error.field === 'email'
                ? t('validation.emailInvalid')
                : t('validation.passwordRequired'),
          },
        };
      }
      return { fields: {}, form: error.message };
    case 'NETWORK':
      return { fields: {}, form: t('common:errors.network') };
    default:
      return { fields: {}, form: t('errors.unavailable', { message: error.message }) };
  }
}

/** What the page says when a sign-in through the identity provider was refused. */
export type OidcRefusal =
  | 'denied'
  | 'noRole'
  | 'noParty'
  | 'noEmail'
  | 'emailTaken'
  | 'disabled'
  | 'expired'
  | 'unavailable'
  | 'failed';

/**
 * The refusal named by `/sign-in?oidcError=<reason>` — the reason the server gives when the
 * identity provider's sign-in ends badly (`src/http/routes/oidc.ts`) — as what the page says;
 * undefined when there is none. An unknown reason reads as a failure to start again.
 */
export function oidcRefusalOf(reason: string | null): OidcRefusal | undefined {
  if (!reason) return undefined;
  switch (reason) {
    case 'provider_access_denied':
    case 'provider_consent_required':
    case 'provider_interaction_required':
    case 'provider_login_required':
      return 'denied';
    case 'role_missing':
    case 'role_unknown':
      return 'noRole';
    case 'party_missing':
    case 'party_unknown':
      return 'noParty';
    case 'email_missing':
      return 'noEmail';
    case 'email_taken':
      return 'emailTaken';
    case 'disabled':
      return 'disabled';
    case 'state_mismatch':
    case 'attempt_unknown':
      return 'expired';
    case 'unavailable':
      return 'unavailable';
    default:
      return 'failed';
  }
}
