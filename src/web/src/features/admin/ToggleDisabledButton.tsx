/** Disable (signs the user out everywhere, revokes its tokens) or enable a user, after asking. */
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useUpdateUser, type User } from '../../api/admin';
import { ConfirmAction } from './ConfirmAction';

export function ToggleDisabledButton({ user }: { user: User }) {
  const { t } = useTranslation('admin');
  const update = useUpdateUser();
  const disabling = !user.disabled;
  return (
    <ConfirmAction
      label={disabling ? t('users.disable') : t('users.enable')}
      ariaLabel={t(disabling ? 'users.disableFor' : 'users.enableFor', { email: user.email })}
      title={t(disabling ? 'users.disableTitle' : 'users.enableTitle', { email: user.email })}
      message={disabling ? t('users.disableMessage') : t('users.enableMessage')}
      confirmLabel={disabling ? t('users.disable') : t('users.enable')}
      testId={disabling ? 'disable-user' : 'enable-user'}
      onConfirm={async () => {
        await update.mutateAsync({ user, body: { disabled: disabling } });
        notifications.show({
          color: 'teal',
          message: t(disabling ? 'users.disabledDone' : 'users.enabledDone', { email: user.email }),
        });
      }}
    />
  );
}
