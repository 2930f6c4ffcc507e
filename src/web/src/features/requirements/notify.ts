/** The feature's success messages: a notification whose close button has a name. */
import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

export function useNotifySuccess(): (message: string) => void {
  const { t } = useTranslation('requirements');
  return useCallback(
    (message: string) =>
      notifications.show({
        color: 'teal',
        message,
        closeButtonProps: { 'aria-label': t('actions.close') },
      }),
    [t],
  );
}
