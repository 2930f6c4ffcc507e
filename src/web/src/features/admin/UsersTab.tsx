/**
 * The users tab: the role legend, filters (role, party, status, search — in the URL), the
 * "New user" form, and the list a page at a time, each user with "Edit" and "Disable" (or
 * "Enable"). The signed-in admin is marked and cannot disable or demote itself (the server
 * refuses it too).
 */
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { USER_FILTERS, useUsers, type User } from '../../api/admin';
import { ROLES } from '../../api/auth';
import { useListSearch, type ListSearch } from '../../app/list-search';
import { useSession } from '../../app/session';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { CreateUserForm } from './CreateUserForm';
import { EditUserButton } from './EditUserModal';
import { PartySelect } from './PartySelect';
import { RoleLegend } from './RoleLegend';
import { ToggleDisabledButton } from './ToggleDisabledButton';
import { PagedList } from '../../ui/ListFrame';

export function UsersTab() {
  const { t } = useTranslation('admin');
  const list = useListSearch(USER_FILTERS);
  const users = useUsers(list.filters, list.cursor);
  const [creating, setCreating] = useState(false);
  return (
    <Stack gap="md">
      <RoleLegend />
      <UserFilters list={list} />
      {creating ? (
        <CreateUserForm onDone={() => setCreating(false)} />
      ) : (
        <Group>
          <Button onClick={() => setCreating(true)} data-testid="new-user">
            {t('users.new')}
          </Button>
        </Group>
      )}
      <PagedList query={users} list={list} empty={t('users.empty')} emptyTestId="users-empty">
        {(items) => <UserTable users={items} />}
      </PagedList>
    </Stack>
  );
}

function UserFilters({ list }: { list: ListSearch<(typeof USER_FILTERS)[number]> }) {
  const { t } = useTranslation(['admin', 'common']);
  const [search, setSearch] = useState(list.filters.search);
  return (
    <SimpleGrid
      cols={{ base: 2, md: 4 }}
      spacing="sm"
      component="form"
      data-testid="user-filters"
      aria-label={t('filters.label')}
      onSubmit={(event) => {
        event.preventDefault();
        list.setFilter('search', search.trim());
      }}
    >
      <Select
        label={t('filters.role')}
        placeholder={t('filters.any')}
        data={ROLES.map((role) => ({ value: role, label: t(`common:roles.${role}`) }))}
        value={list.filters.role || null}
        onChange={(value) => list.setFilter('role', value ?? '')}
        clearable
        data-testid="filter-role"
      />
      <PartySelect
        label={t('filters.party')}
        placeholder={t('filters.any')}
        value={list.filters.partyId || null}
        onChange={(value) => list.setFilter('partyId', value ?? '')}
        clearable
        data-testid="filter-party"
      />
      <Select
        label={t('filters.status')}
        placeholder={t('filters.any')}
        data={[
          { value: 'active', label: t('status.active') },
          { value: 'disabled', label: t('status.disabled') },
        ]}
        value={list.filters.status || null}
        onChange={(value) => list.setFilter('status', value ?? '')}
        clearable
        data-testid="filter-status"
      />
      <TextInput
        label={t('filters.search')}
        description={t('filters.searchHint')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        onBlur={() =>
          search.trim() !== list.filters.search && list.setFilter('search', search.trim())
        }
        data-testid="filter-search"
      />
    </SimpleGrid>
  );
}

function UserTable({ users }: { users: User[] }) {
  const { t } = useTranslation(['admin', 'common']);
  const format = useFormat();
  const me = useSession().me.user?.id;
  const columns = useMemo(
    (): ColumnDef<User, unknown>[] => [
      {
        id: 'email',
        header: t('columns.email'),
        accessorFn: (user) => user.email,
        cell: ({ row }) => (
          <Group gap={6} wrap="nowrap">
            <Text size="sm">{row.original.email}</Text>
            {row.original.id === me ? (
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                ({t('users.you')})
              </Text>
            ) : null}
          </Group>
        ),
      },
      {
        id: 'displayName',
        header: t('columns.displayName'),
        accessorFn: (user) => user.displayName,
      },
      {
        id: 'role',
        header: t('columns.role'),
        accessorFn: (user) => user.role,
        cell: ({ row }) => t(`common:roles.${row.original.role}`),
      },
      {
        id: 'party',
        header: t('columns.party'),
        accessorFn: (user) => user.partyId ?? '',
        cell: ({ row }) => (row.original.partyId ? format.party(row.original.partyId) : '—'),
      },
      {
        id: 'status',
        header: t('columns.status'),
        accessorFn: (user) => (user.disabled ? 1 : 0),
        cell: ({ row }) => (
          <Text size="sm" fw={row.original.disabled ? 700 : 400} style={{ whiteSpace: 'nowrap' }}>
            {row.original.disabled ? t('status.disabled') : t('status.active')}
          </Text>
        ),
      },
      {
        id: 'version',
        header: t('columns.version'),
        accessorFn: (user) => user.version,
        meta: { numeric: true },
      },
      {
        id: 'actions',
        header: t('columns.actions'),
        enableSorting: false,
        cell: ({ row }) => (
          <Group gap="xs" wrap="nowrap">
            <EditUserButton user={row.original} self={row.original.id === me} />
            {row.original.id === me ? null : <ToggleDisabledButton user={row.original} />}
          </Group>
        ),
      },
    ],
    [t, format, me],
  );
  return (
    <DataTable
      data={users}
      columns={columns}
      caption={t('users.caption')}
      rowKey={(user) => user.id}
      testId="users-table"
    />
  );
}
