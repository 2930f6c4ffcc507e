/**
 * The basis controls of every analysis page: reporting currency (USD, EUR), exchange rates (each
 * record's value date, or one fixed date), the fixed date, and the as-of date. They write the URL
 * query (`useAnalysisOptions`), so the page refetches on the new basis and a link shares it.
 */
import { Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REPORTING_CURRENCIES,
  useAnalysisOptions,
  type RateMode,
  type ReportingCurrency,
} from '../api/analysis-options';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function AnalysisControls() {
  const { t } = useTranslation();
  const [options, setOptions] = useAnalysisOptions();
  const currencyLabel = useId();
  const rateLabel = useId();
  return (
    <Group gap="lg" align="flex-end" wrap="wrap" role="group" aria-label={t('analysis.controls')}>
      <Stack gap={4}>
        <Text size="sm" fw={600} id={currencyLabel}>
          {t('analysis.currency')}
        </Text>
        <SegmentedControl
          aria-labelledby={currencyLabel}
          value={options.currency}
          onChange={(value) =>
            setOptions((current) => ({ ...current, currency: value as ReportingCurrency }))
          }
          data={REPORTING_CURRENCIES.map((code) => ({ value: code, label: code }))}
          data-testid="currency-control"
        />
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={600} id={rateLabel}>
          {t('analysis.rates')}
        </Text>
        <SegmentedControl
          aria-labelledby={rateLabel}
          value={options.rateMode}
          onChange={(value) => {
            const rateMode = value as RateMode;
            setOptions(({ rateDate, ...current }) =>
              rateMode === 'fixed'
                ? { ...current, rateMode, ...(rateDate ? { rateDate } : {}) }
                : { ...current, rateMode },
            );
          }}
          data={[
            { value: 'value_date', label: t('analysis.valueDate') },
            { value: 'fixed', label: t('analysis.fixed') },
          ]}
          data-testid="rate-mode-control"
        />
      </Stack>
      {options.rateMode === 'fixed' ? (
        <TextInput
          type="date"
          label={t('analysis.rateDate')}
          description={t('analysis.rateDateHint')}
          value={options.rateDate ?? ''}
          onChange={(event) => {
            const day = event.currentTarget.value;
            setOptions(({ rateDate: _dropped, ...current }) =>
              ISO_DAY.test(day) ? { ...current, rateDate: day } : current,
            );
          }}
        />
      ) : null}
      <TextInput
        type="date"
        label={t('analysis.asOf')}
        description={t('analysis.asOfHint')}
        value={options.asOf ?? ''}
        onChange={(event) => {
          const day = event.currentTarget.value;
          setOptions(({ asOf: _dropped, ...current }) =>
            ISO_DAY.test(day) ? { ...current, asOf: day } : current,
          );
        }}
      />
    </Group>
  );
}
