/**
 * An amount as the API sends it — minor units as decimal text beside its currency — formatted
 * exactly for the reader's language; a restricted field the reader may not see
 * (`{ redacted: true }`) shows as a "Redacted" badge, never as an empty or zero amount.
 */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';

export type Restricted<T> = T | { redacted: true };

export function isRedacted<T>(value: Restricted<T>): value is { redacted: true } {
  return typeof value === 'object' && value !== null && 'redacted' in value;
}

/** The "Redacted" mark, for any field the reader may not see. */
export function RedactedMark() {
  const { t } = useTranslation();
  return (
    <Badge color="gray" variant="light" size="sm" data-redacted="true">
      {t('redacted')}
    </Badge>
  );
}

export function Money({
  minor,
  currency,
  compact = false,
}: {
  minor: Restricted<string>;
  currency: string;
  compact?: boolean;
}) {
  const format = useFormat();
  if (isRedacted(minor)) return <RedactedMark />;
  return <span style={{ whiteSpace: 'nowrap' }}>{format.money(minor, currency, { compact })}</span>;
}
