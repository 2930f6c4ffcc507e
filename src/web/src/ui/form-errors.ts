/**
 * Where a refusal of the server shows in a form: against the field it names (`details.field`,
 * e.g. `approvedQuantity` or `items.2.quantity`), else above the form — in the reader's
 * language for the errors the app knows (conflict, forbidden, network, server), in the server's
 * words otherwise (they say what to do next).
 */
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/errors';

/** The server's message when it names `field` (or one of `fields`), else undefined. */
export function fieldErrorOf(error: unknown, ...fields: string[]): string | undefined {
  if (!isApiError(error) || error.field === undefined) return undefined;
  return fields.includes(error.field) ? error.message : undefined;
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
      return error.message;
  }
}

/** `formErrorOf` bound to the reader's language: `const formError = useFormError();`. */
export function useFormError(): (error: unknown, fields?: readonly string[]) => string | undefined {
  const { t } = useTranslation('common');
  return useCallback((error, fields) => formErrorOf(error, t, fields), [t]);
}
