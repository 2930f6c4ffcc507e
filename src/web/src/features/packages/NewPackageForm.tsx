/**
 * A coordinator starts a draft package: cycle, title and target price. Packages are priced and
 * funded in US dollars (the supplier sells in dollars; allocations are converted to them), so
 * the currency is shown, not chosen. On success the new package's page opens.
 */
import { Button, Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCreatePackage } from '../../api/packages';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { MoneyInput } from '../../ui/MoneyInput';
import { isCycle } from './funding';
import { todayIso } from '../../ui/days';
import { useNotify } from '../../ui/notify';
import { FormCard } from '../../ui/FormCard';

export const PACKAGE_CURRENCY = 'USD';
const FIELDS = ['cycle', 'title', 'targetMinor'] as const;

export function NewPackageForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation('packages');
  const navigate = useNavigate();
  const notify = useNotify();
  const formError = useFormError();
  const create = useCreatePackage();
  const [cycle, setCycle] = useState(todayIso().slice(0, 7));
  const [title, setTitle] = useState('');
  const [titleTouched, setTitleTouched] = useState(false);
  const [targetMinor, setTargetMinor] = useState<string | null>(null);

  const cycleError = isCycle(cycle) ? undefined : t('create.cycleFormat');
  const titleError =
    titleTouched && title.trim() === ''
      ? t('create.titleRequired')
      : title.length > 200
        ? t('create.titleTooLong')
        : undefined;
  const valid =
    isCycle(cycle) && title.trim() !== '' && title.length <= 200 && targetMinor !== null;
  const aboveForm = formError(create.error, FIELDS);

  return (
    <FormCard
      title={t('create.heading')}
      headingOrder={2}
      testId="new-package-form"
      nativeValidation
      error={aboveForm}
      onSubmit={() => {
        setTitleTouched(true);
        if (!valid || targetMinor === null) return;
        create.mutate(
          { cycle, title: title.trim(), targetMinor },
          {
            onSuccess: (created) => {
              notify.success(t('create.done', { number: created.number }));
              void navigate(`/packages/${created.id}`);
            },
          },
        );
      }}
    >
      <Group align="flex-start" wrap="wrap">
        <TextInput
          label={t('create.cycle')}
          description={t('create.cycleHint')}
          required
          value={cycle}
          onChange={(event) => setCycle(event.currentTarget.value.trim())}
          error={cycleError ?? fieldErrorOf(create.error, 'cycle')}
          w={160}
        />
        <TextInput
          label={t('create.titleLabel')}
          required
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          onBlur={() => setTitleTouched(true)}
          error={titleError ?? fieldErrorOf(create.error, 'title')}
          style={{ flex: 1, minWidth: 240 }}
        />
      </Group>
      <Group align="flex-start" wrap="wrap">
        <TextInput
          label={t('create.currency')}
          description={t('create.currencyHint')}
          value={PACKAGE_CURRENCY}
          readOnly
          w={160}
        />
        <MoneyInput
          label={t('create.target')}
          required
          currency={PACKAGE_CURRENCY}
          valueMinor={targetMinor}
          onChangeMinor={setTargetMinor}
          error={fieldErrorOf(create.error, 'targetMinor')}
          w={240}
        />
      </Group>
      <Group>
        <Button
          type="submit"
          loading={create.isPending}
          disabled={!valid || create.isPending}
          data-testid="create-package"
        >
          {t('create.submit')}
        </Button>
        <Button variant="default" onClick={onCancel}>
          {t('actions.cancelForm')}
        </Button>
      </Group>
    </FormCard>
  );
}
