/**
 * Ending a package: cancel (coordinator; draft, open or funded — its pending allocations are
 * voided) with a reason, or close (coordinator; delivered and fully disbursed — any surplus
 * returns to its contributions). Shown only where the policy and the package's state allow.
 */
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCancelPackage, useClosePackage, type PackageDetail } from '../../api/packages';
import { useMay } from '../../app/access';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { useNotify } from '../../ui/notify';

const CANCELLABLE = ['draft', 'open', 'funded'];

export function StatusActions({ pkg }: { pkg: PackageDetail }) {
  const mayCancel = useMay('packages.write') && CANCELLABLE.includes(pkg.status);
  const mayClose =
    useMay('packages.close') &&
    pkg.status === 'delivered' &&
    BigInt(pkg.disbursedMinor) === BigInt(pkg.priceMinor);
  if (!mayCancel && !mayClose) return null;
  return (
    <Stack gap="md">
      {mayClose ? <CloseForm pkg={pkg} /> : null}
      {mayCancel ? <CancelForm pkg={pkg} /> : null}
    </Stack>
  );
}

function CloseForm({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const notify = useNotify();
  const formError = useFormError();
  const close = useClosePackage();
  const error = formError(close.error);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="close-heading">
      <Stack gap="xs">
        <Title order={2} size="h4" id="close-heading">
          {t('close.heading')}
        </Title>
        <Text size="sm">{t('close.hint')}</Text>
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Group>
          <Button
            data-testid="close-package"
            loading={close.isPending}
            disabled={close.isPending}
            onClick={() =>
              close.mutate(
                { pkg },
                { onSuccess: (done) => notify.success(t('close.done', { number: done.number })) },
              )
            }
          >
            {t('close.submit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function CancelForm({ pkg }: { pkg: PackageDetail }) {
  const { t } = useTranslation('packages');
  const notify = useNotify();
  const formError = useFormError();
  const cancel = useCancelPackage();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const reasonError =
    touched && reason.trim() === ''
      ? t('cancel.reasonRequired')
      : reason.length > 1000
        ? t('cancel.reasonTooLong')
        : undefined;
  const valid = reason.trim() !== '' && reason.length <= 1000;
  const aboveForm = formError(cancel.error, ['reason']);
  if (!open) {
    return (
      <Group>
        <Button
          variant="outline"
          color="red.9"
          onClick={() => setOpen(true)}
          data-testid="cancel-package-open"
        >
          {t('cancel.open')}
        </Button>
      </Group>
    );
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="cancel-heading">
      <form
        data-testid="cancel-form"
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (!valid) return;
          cancel.mutate(
            { pkg, reason: reason.trim() },
            { onSuccess: (done) => notify.success(t('cancel.done', { number: done.number })) },
          );
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4" id="cancel-heading">
            {t('cancel.heading')}
          </Title>
          <Text size="sm">{t('cancel.hint')}</Text>
          {aboveForm ? (
            <Alert color="red" role="alert">
              {aboveForm}
            </Alert>
          ) : null}
          <TextInput
            label={t('cancel.reason')}
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={reasonError ?? fieldErrorOf(cancel.error, 'reason')}
            maw={520}
          />
          <Group>
            <Button
              type="submit"
              color="red.9"
              data-testid="cancel-package"
              disabled={!valid || cancel.isPending}
              loading={cancel.isPending}
            >
              {t('cancel.submit')}
            </Button>
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('actions.cancelForm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
