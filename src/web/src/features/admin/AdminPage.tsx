/**
 * Administration (`/admin`, admins): users (list with filters, create, edit role, party and
 * display name, disable or enable) and parties (names in three languages and usual currency).
 * The tab is in the URL (`?tab=parties`), so each is a link one can share.
 */
import { Stack, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { PartiesTab } from './PartiesTab';
import { UsersTab } from './UsersTab';

type Tab = 'users' | 'parties';

export default function AdminPage() {
  const { t } = useTranslation('admin');
  const [search, setSearch] = useSearchParams();
  const tab: Tab = search.get('tab') === 'parties' ? 'parties' : 'users';
  return (
    <Stack gap="lg">
      <PageHeader title={t('title')} description={t('description')} />
      <Tabs
        value={tab}
        onChange={(value) =>
          setSearch(value === 'parties' ? { tab: 'parties' } : {}, { replace: true })
        }
        keepMounted={false}
      >
        <Tabs.List aria-label={t('tabs.label')}>
          <Tabs.Tab value="users" data-testid="tab-users">
            {t('tabs.users')}
          </Tabs.Tab>
          <Tabs.Tab value="parties" data-testid="tab-parties">
            {t('tabs.parties')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <UsersTab />
        </Tabs.Panel>
        <Tabs.Panel value="parties" pt="md">
          <PartiesTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
