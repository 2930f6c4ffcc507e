/**
 * The layout of the pages seen without signing in (the sign-in page, the public figures): the
 * app's name, the language switcher and a link to sign in or back to the app.
 */
import { Anchor, Box, Container, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { LanguageSwitcher } from '../ui/LanguageSwitcher';
import classes from './layout.module.css';
import { wasSignedIn } from './session';

export function PublicLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const onSignIn = location.pathname === '/sign-in';
  return (
    <Box mih="100vh" bg="gray.0">
      <a href="#main-content" className={classes.skipLink}>
        {t('skipToContent')}
      </a>
      <Box
        component="header"
        bg="white"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Container size="lg" py="sm">
          <Group justify="space-between" wrap="nowrap">
            <Anchor component={Link} to="/" underline="never" className={classes.brand}>
              <img src="/favicon.svg" alt="" width={28} height={28} />
              <Text fw={700} size="lg" component="span" c="dark">
                {t('appName')}
              </Text>
            </Anchor>
            <Group gap="sm" wrap="nowrap">
              <LanguageSwitcher />
              {onSignIn ? null : (
                <Anchor component={Link} to="/" fw={600}>
                  {wasSignedIn() ? t('publicLayout.backToApp') : t('publicLayout.signIn')}
                </Anchor>
              )}
            </Group>
          </Group>
        </Container>
      </Box>
      <Container size="lg" py="xl" component="main" id="main-content" tabIndex={-1}>
        <Outlet />
      </Container>
    </Box>
  );
}
