/**
 * The start page `/`: the dashboard for those who may read analyses; for another role (the
 * administrator) the first menu entry it has, or a short welcome.
 */
import { Stack, Text, Title } from '@mantine/core';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { usePageTitle } from '../ui/page-title';
import { mayAccess, type Access } from './access';
import { navFor } from './nav';
import { useSession } from './session';

export function HomePage({ access, page: Page }: { access: Access; page: ComponentType }) {
  const session = useSession();
  if (mayAccess(access, session.me.operations)) return <Page />;
  const first = navFor(session.me.operations).find((entry) => entry.to !== '/');
  if (first && first.to !== '/public') return <Navigate to={first.to} replace />;
  return <Welcome />;
}

function Welcome() {
  const { t } = useTranslation();
  usePageTitle(t('home.title'));
  return (
    <Stack gap="sm">
      <Title order={1} size="h2" tabIndex={-1} data-page-heading>
        {t('home.title')}
      </Title>
      <Text>{t('home.body')}</Text>
    </Stack>
  );
}
