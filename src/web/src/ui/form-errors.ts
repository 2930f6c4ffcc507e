/**
 * Where a refusal of the server shows in a form: against the field it names (`details.field`,
 * e.g. `approvedQuantity` or `items.2.quantity`), else above the form — always in the reader's
 * language: the app's own words for conflict, forbidden, network and server errors, else the
 * `errors` namespace's sentence for the code (`api/error-text.ts`: in French and Ukrainian with
 * the server's specific English message after it; in English the server's message itself).
 */
import i18next, { type TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, type ErrorsT } from '../api/error-text';
import { isApiError, type ApiError } from '../api/errors';
import { currentLanguage } from '../i18n';

/** A refusal in the current language: what happened and what to do, then the server's words. */
export function readerErrorText(error: ApiError): string {
  const language = currentLanguage();
  const t = i18next.getFixedT(language, 'errors') as unknown as ErrorsT;
  const text = errorText(error, t, language);
  return text.detail ? `${text.message} ${text.detail}` : text.message;
}

/** The refusal, in the reader's language, when it names `field` (or one of `fields`). */
export function fieldErrorOf(error: unknown, ...fields: string[]): string | undefined {
  if (!isApiError(error) || error.field === undefined) return undefined;
  return fields.includes(error.field) ? readerErrorText(error) : undefined;
}

/**
 * The message above the form: undefined when there is no error, or when it is shown against one
 * of the form's own `fields`.
 */
export function formErrorOf(
  error: unknown,
  t: TFunction<'common'>,
  fields: readonly string[] = [],
): string | undefined {
  if (error === null || error === undefined) return undefined;
  if (!isApiError(error)) return error instanceof Error ? error.message : String(error);
  if (error.field !== undefined && fields.includes(error.field)) return undefined;
  switch (error.code) {
    case 'NETWORK':
      return t('errors.network');
    case 'FORBIDDEN':
      return t('errors.forbiddenAction');
    case 'PRECONDITION_FAILED':
      return t('errors.versionConflict');
    default:
      if (error.status >= 500) return t('errors.server', { requestId: error.requestId ?? '—' });
      return readerErrorText(error);
  }
}

/** `formErrorOf` bound to the reader's language: `const formError = useFormError();`. */
export function useFormError(): (error: unknown, fields?: readonly string[]) => string | undefined {
  const { t } = useTranslation('common');
  return useCallback((error, fields) => formErrorOf(error, t, fields), [t]);
}
