/**
 * The confirmations and failures shown after a command: a Mantine notification (announced to
 * screen readers) whose close button always has a name in the reader's language.
 */
import { notifications } from '@mantine/notifications';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Notify {
  success(message: string, title?: string): void;
  error(message: string): void;
}

export function useNotify(): Notify {
  const { t } = useTranslation('common');
  const close = t('actions.close');
  return useMemo(() => {
    const closeButtonProps = { 'aria-label': close, title: close };
    return {
      success: (message, title) =>
        notifications.show({ color: 'teal', withBorder: true, title, message, closeButtonProps }),
      error: (message) =>
        notifications.show({ color: 'red', withBorder: true, message, closeButtonProps }),
    };
  }, [close]);
}
