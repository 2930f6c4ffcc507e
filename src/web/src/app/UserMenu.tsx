/**
 * The account menu of the header: who is signed in, as which role and for which party, "My
 * account" (sessions and API tokens) and "Sign out" (ends the session on the server, then shows
 * the sign-in page saying so).
 */
import { Button, Menu, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLogout } from '../api/auth';
import { useFormat } from '../i18n/format';
import { mayAccess } from './access';
import { markSignedIn, signInPath, useSession } from './session';

export function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const format = useFormat();
  const navigate = useNavigate();
  const logout = useLogout();
  const roleName = t(`roles.${session.role}`);

  const signOut = () =>
    logout.mutate(undefined, {
      onSettled: () => {
        markSignedIn(false);
        void navigate(signInPath(undefined, 'signedOut'), { replace: true });
      },
    });

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          size="sm"
          aria-label={t('user.menu', { name: session.displayName })}
          data-testid="user-menu"
        >
          {roleName}
          {session.partyId ? ` · ${session.partyId}` : ''}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('user.signedInAs')}</Menu.Label>
        <Text size="sm" px="sm" fw={600}>
          {session.displayName}
        </Text>
        <Text size="sm" px="sm" c="dimmed">
          {roleName}
          {session.partyId ? ` — ${t('user.party', { party: format.party(session.partyId) })}` : ''}
        </Text>
        <Menu.Divider />
        {mayAccess('tokens.manage', session.me.operations) ? (
          <Menu.Item component={Link} to="/account" data-testid="my-account">
            {t('nav.account')}
          </Menu.Item>
        ) : null}
        <Menu.Item onClick={signOut} disabled={logout.isPending} data-testid="sign-out">
          {logout.isPending ? t('user.signingOut') : t('user.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
