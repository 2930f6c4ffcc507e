/**
 * A button whose action is asked for again in a dialog: the dialog says what will happen, its
 * confirm button runs the action (disabled while it runs) and shows the server's refusal.
 */
import { Alert, Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormError } from '../../ui/form-errors';

export function ConfirmAction({
  label,
  ariaLabel,
  title,
  message,
  confirmLabel,
  onConfirm,
  testId,
  buttonProps,
}: {
  label: ReactNode;
  ariaLabel?: string;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  testId?: string;
  buttonProps?: ButtonProps;
}) {
  const { t } = useTranslation('admin');
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
        size="xs"
        variant="default"
        {...buttonProps}
        aria-label={ariaLabel}
        data-testid={testId}
        onClick={() => setOpened(true)}
      >
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered lockScroll={false}>
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
              color="red"
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
      </Modal>
    </>
  );
}
