/**
 * The meetings (`/meetings`): filtered by kind and dates (in the URL), newest first, a page at a
 * time, each row linking to the meeting. A coordinator records a new meeting here.
 */
import { Anchor, Badge, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  MEETING_KINDS,
  useMeetings,
  type Meeting,
  type MeetingKind,
  type MeetingListQuery,
} from '../../api/meetings';
import { useMay } from '../../app/access';
import { useListSearch } from '../../app/list-search';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { NewMeetingForm } from './NewMeetingForm';
import { isIsoDay } from '../../ui/days';
import { FilterBar, PagedList } from '../../ui/ListFrame';

const FILTERS = ['kind', 'from', 'to'] as const;
const PAGE_SIZE = 25;

export default function MeetingsPage() {
  const { t } = useTranslation('meetings');
  const list = useListSearch(FILTERS);
  const mayWrite = useMay('meetings.write');
  const [creating, setCreating] = useState(false);
  const f = list.filters;
  const query: MeetingListQuery = {
    limit: PAGE_SIZE,
    ...(list.cursor ? { cursor: list.cursor } : {}),
    ...(f.kind ? { kind: f.kind as MeetingKind } : {}),
    ...(isIsoDay(f.from) ? { from: f.from } : {}),
    ...(isIsoDay(f.to) ? { to: f.to } : {}),
  };
  const meetings = useMeetings(query);
  const anyFilter = FILTERS.some((key) => f[key] !== '');

  return (
    <Stack gap="lg">
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          mayWrite && !creating ? (
            <Button onClick={() => setCreating(true)} data-testid="new-meeting">
              {t('create.open')}
            </Button>
          ) : undefined
        }
      />
      {creating ? <NewMeetingForm onClose={() => setCreating(false)} /> : null}
      <FilterBar
        label={t('filters.label')}
        testId="meeting-filters"
        clear={anyFilter ? { label: t('filters.clear'), onClick: list.clearFilters } : undefined}
      >
        <Select
          label={t('filters.kind')}
          placeholder={t('filters.any')}
          clearable
          data={MEETING_KINDS.map((kind) => ({ value: kind, label: t(`kind.${kind}`) }))}
          value={f.kind || null}
          onChange={(value) => list.setFilter('kind', value ?? '')}
          w={220}
        />
        {(['from', 'to'] as const).map((key) => (
          <TextInput
            key={key}
            type="date"
            label={t(`filters.${key}`)}
            value={f[key]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              if (value === '' || isIsoDay(value)) list.setFilter(key, value);
            }}
            w={170}
          />
        ))}
      </FilterBar>
      <PagedList query={meetings} list={list} empty={t('list.empty')} emptyTestId="meetings-empty">
        {(items) => <MeetingsTable items={items} />}
      </PagedList>
    </Stack>
  );
}

function MeetingsTable({ items }: { items: Meeting[] }) {
  const { t } = useTranslation(['meetings', 'common']);
  const format = useFormat();
  const columns = useMemo(
    (): ColumnDef<Meeting, unknown>[] => [
      {
        id: 'number',
        header: t('columns.number'),
        accessorFn: (m) => m.number,
        meta: { numeric: true },
        cell: ({ row }) => (
          <Anchor component={Link} to={`/meetings/${row.original.id}`} fw={600} size="sm">
            {t('heading', { kind: t(`kind.${row.original.kind}`), number: row.original.number })}
          </Anchor>
        ),
      },
      {
        id: 'kind',
        header: t('columns.kind'),
        accessorFn: (m) => m.kind,
        cell: ({ row }) => t(`kind.${row.original.kind}`),
      },
      {
        id: 'heldOn',
        header: t('columns.heldOn'),
        accessorFn: (m) => m.heldOn,
        meta: { nowrap: true },
        cell: ({ row }) => format.day(row.original.heldOn),
      },
      { id: 'place', header: t('columns.place'), accessorFn: (m) => m.place },
      {
        id: 'chairs',
        header: t('columns.chairs'),
        accessorFn: (m) => m.chairs.join(','),
        enableSorting: false,
        cell: ({ row }) => format.list(row.original.chairs.map(format.party)),
      },
      {
        id: 'title',
        header: t('columns.title'),
        accessorFn: (m) => m.title ?? '',
        cell: ({ row }) => (
          <Group gap={6} wrap="nowrap">
            <Text size="sm">{row.original.title ?? ''}</Text>
            {row.original.synthetic ? (
              <Badge variant="default" radius="sm" size="xs">
                {t('common:synthetic')}
              </Badge>
            ) : null}
          </Group>
        ),
      },
    ],
    [t, format],
  );
  return (
    <DataTable
      data={items}
      columns={columns}
      caption={t('list.caption')}
      rowKey={(m) => m.id}
      testId="meetings-table"
    />
  );
}
