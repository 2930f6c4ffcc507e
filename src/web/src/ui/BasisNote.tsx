/**
 * The sentence every analysis states its figures' basis in: the reporting currency, the rates
 * (each value date's or one fixed date's), the as-of day, how many amounts were converted and
 * how many of those at an earlier day's rate, and the rates' source; and a warning when amounts
 * dated after the last imported rates were converted at those (provisional figures).
 */
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AnalyticsBasis } from '../api/analytics';
import { useFormat } from '../i18n/format';

export function BasisNote({ basis }: { basis: AnalyticsBasis }) {
  const { t } = useTranslation();
  const format = useFormat();
  const currency = t(`analysis.currencyName.${basis.currency}`);
  const asOf = format.day(basis.asOf);
  const rates =
    basis.rateMode === 'fixed'
      ? basis.rateDate
        ? t('analysis.basis.fixed', { currency, rateDate: format.day(basis.rateDate), asOf })
        : t('analysis.basis.fixedLatest', { currency, asOf })
      : t('analysis.basis.valueDate', { currency, asOf });
  const conversions = t('analysis.basis.conversions', { count: basis.conversions });
  const fellBack =
    basis.fellBack > 0 ? t('analysis.basis.fellBack', { count: basis.fellBack }) : '';
  return (
    <>
      <Text size="sm" c="dimmed" data-testid="basis-note">
        {rates} {conversions}
        {fellBack}. {t('analysis.basis.source', { source: basis.rateSource })}
      </Text>
      {basis.afterLastRate > 0 && basis.lastRateDate !== null ? (
        <Text size="sm" c="orange.9" data-testid="basis-after-last-rate" role="note">
          {t('analysis.basis.afterLastRate', {
            count: basis.afterLastRate,
            day: format.day(basis.lastRateDate),
          })}
        </Text>
      ) : null}
    </>
  );
}
