/**
 * The options of a plan, folded away under the one button: the approved list's cycle (empty:
 * the latest with items left), the package target and tolerance (exact US cents), the donors
 * that asked to fund whole packages alone (those with money to allocate), and whether items
 * may be funded in part. A refusal of the server naming one of them shows under it.
 */
import { Group, MultiSelect, Switch, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlanDonors } from '../../api/plans';
import { useFormat } from '../../i18n/format';
import { fieldErrorOf } from '../../ui/form-errors';
import { MoneyInput } from '../../ui/MoneyInput';
import { isCycle, type PlanOptions } from './plan-request';

const CURRENCY = 'USD';

export function PlanOptionsForm({
  options,
  onChange,
  error,
}: {
  options: PlanOptions;
  onChange: (options: PlanOptions) => void;
  /** The last refusal of the server, shown against the field it names. */
  error: unknown;
}) {
  const { t } = useTranslation('planner');
  const format = useFormat();
  const donors = usePlanDonors();
  const donorOptions = useMemo(
    () =>
      (donors.data ?? [])
        .map((id) => ({ value: id, label: format.party(id) }))
        .sort((a, b) => a.label.localeCompare(b.label, format.locale)),
    [donors.data, format],
  );
  const set = <K extends keyof PlanOptions>(key: K, value: PlanOptions[K]) =>
    onChange({ ...options, [key]: value });
  const toleranceAboveTarget =
    options.targetMinor !== null &&
    options.toleranceMinor !== null &&
    BigInt(options.toleranceMinor) > BigInt(options.targetMinor);

  return (
    <Group align="flex-start" wrap="wrap" data-testid="plan-options">
      <TextInput
        label={t('options.cycle')}
        description={t('options.cycleHint')}
        placeholder="2026-02"
        value={options.cycle}
        onChange={(event) => set('cycle', event.currentTarget.value.trim())}
        error={
          options.cycle !== '' && !isCycle(options.cycle)
            ? t('options.cycleFormat')
            : fieldErrorOf(error, 'cycle')
        }
        w={200}
        data-testid="plan-cycle"
      />
      <MoneyInput
        label={t('options.target')}
        description={t('options.targetHint')}
        required
        currency={CURRENCY}
        valueMinor={options.targetMinor}
        onChangeMinor={(minor) => set('targetMinor', minor)}
        error={fieldErrorOf(error, 'scenarios.0.targetMinor')}
        w={240}
        data-testid="plan-target"
      />
      <MoneyInput
        label={t('options.tolerance')}
        description={t('options.toleranceHint')}
        required
        allowZero
        currency={CURRENCY}
        valueMinor={options.toleranceMinor}
        onChangeMinor={(minor) => set('toleranceMinor', minor)}
        error={
          toleranceAboveTarget
            ? t('options.toleranceAboveTarget')
            : fieldErrorOf(error, 'scenarios.0.toleranceMinor')
        }
        w={240}
        data-testid="plan-tolerance"
      />
      <MultiSelect
        label={t('options.donorsAlone')}
        description={t('options.donorsAloneHint')}
        placeholder={options.donorsFundingAlone.length === 0 ? t('options.noDonor') : undefined}
        data={donorOptions}
        value={options.donorsFundingAlone}
        onChange={(value) => set('donorsFundingAlone', value)}
        searchable
        clearable
        nothingFoundMessage={t('options.noDonorFound')}
        error={fieldErrorOf(error, 'scenarios.0.donorsFundingAlone')}
        w={320}
        data-testid="plan-donors-alone"
      />
      <Switch
        label={t('options.partial')}
        description={t('options.partialHint')}
        checked={options.partialQuantities}
        onChange={(event) => set('partialQuantities', event.currentTarget.checked)}
        mt="xl"
        maw={320}
        data-testid="plan-partial"
      />
    </Group>
  );
}
