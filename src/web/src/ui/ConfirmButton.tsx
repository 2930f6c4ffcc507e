/**
 * A button whose action is asked for again in a dialog ("Submit this list?"): the dialog says
 * what will happen, and its confirm button runs the action — disabled while it runs, with the
 * server's refusal shown in the dialog.
 */
import { Alert, Button, Group, Stack, Text, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';
import { useFormError } from './form-errors';

export function ConfirmButton({
  label,
  title,
  message,
  confirmLabel,
  onConfirm,
  testId,
  buttonProps,
  ariaLabel,
  danger = false,
}: {
  label: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Runs the action; a thrown error stays in the dialog. */
  onConfirm: () => Promise<unknown>;
  /** The button's test id; its confirm button gets `<testId>-confirm`. */
  testId?: string;
  buttonProps?: ButtonProps;
  ariaLabel?: string;
  /** The confirm button in red: the action cannot be taken back. */
  danger?: boolean;
}) {
  const { t } = useTranslation('common');
  const formError = useFormError();
  const [opened, setOpened] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    if (pending) return;
    setOpened(false);
    setError(null);
  };
  const errorText = formError(error);
  return (
    <>
      <Button
        {...buttonProps}
        data-testid={testId}
        aria-label={ariaLabel}
        onClick={() => setOpened(true)}
      >
        {label}
      </Button>
      <Dialog opened={opened} onClose={close} title={title}>
        <Stack gap="md">
          <Text size="sm">{message}</Text>
          {errorText ? (
            <Alert color="red" variant="light" role="alert">
              {errorText}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={pending}>
              {t('actions.cancel')}
            </Button>
            <Button
              {...(danger ? { color: 'red' } : {})}
              loading={pending}
              data-testid={testId ? `${testId}-confirm` : undefined}
              onClick={async () => {
                setPending(true);
                setError(null);
                try {
                  await onConfirm();
                  setOpened(false);
                } catch (caught) {
                  setError(caught);
                } finally {
                  setPending(false);
                }
              }}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Dialog>
    </>
  );
}
