/** Disable (signs the user out everywhere, revokes its tokens) or enable a user, after asking. */
import { useTranslation } from 'react-i18next';
import { useUpdateUser, type User } from '../../api/admin';
import { ConfirmButton } from '../../ui/ConfirmButton';
import { useNotify } from '../../ui/notify';

export function ToggleDisabledButton({ user }: { user: User }) {
  const { t } = useTranslation('admin');
  const notify = useNotify();
  const update = useUpdateUser();
  const disabling = !user.disabled;
  return (
    <ConfirmButton
      buttonProps={{ size: 'xs', variant: 'default' }}
      danger
      label={disabling ? t('users.disable') : t('users.enable')}
      ariaLabel={t(disabling ? 'users.disableFor' : 'users.enableFor', { email: user.email })}
      title={t(disabling ? 'users.disableTitle' : 'users.enableTitle', { email: user.email })}
      message={disabling ? t('users.disableMessage') : t('users.enableMessage')}
      confirmLabel={disabling ? t('users.disable') : t('users.enable')}
      testId={disabling ? 'disable-user' : 'enable-user'}
      onConfirm={async () => {
        await update.mutateAsync({ user, body: { disabled: disabling } });
        notify.success(
          t(disabling ? 'users.disabledDone' : 'users.enabledDone', { email: user.email }),
        );
      }}
    />
  );
}
