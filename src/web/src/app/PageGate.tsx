/**
 * Shows a page only to those who may perform its `access` operation (pages.ts); another role
 * gets a short "not for your role" page instead (the server would refuse its calls anyway).
 */
import { Stack, Text, Title } from '@mantine/core';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../ui/page-title';
import { mayAccess, type Access } from './access';
import { useSession } from './session';

export function PageGate({ access, page: Page }: { access: Access; page: ComponentType }) {
  const session = useSession();
  if (!mayAccess(access, session.me.operations)) return <Forbidden />;
  return <Page />;
}

function Forbidden() {
  const { t } = useTranslation();
  const session = useSession();
  usePageTitle(t('forbidden.title'));
  return (
    <Stack gap="sm">
      <Title order={1} size="h2" tabIndex={-1} data-page-heading>
        {t('forbidden.title')}
      </Title>
      <Text>{t('forbidden.body', { role: t(`roles.${session.role}`) })}</Text>
    </Stack>
  );
}
