/**
 * The audit log (`/audit`, auditors): the state of the hash chain on top, then the events,
 * newest first — filtered by action, entity type and id, actor and days (all in the URL, so a
 * filtered log is a link one can share), a page at a time. Each row opens to its payload
 * (before and after, as indented JSON) and its hashes; an entity with a page is a link to it.
 */
import { Anchor, Badge, Button, Code, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AUDIT_FILTERS, useAuditEvent, useAuditEvents, type AuditEvent } from '../../api/audit';
import { useListSearch } from '../../app/list-search';
import { useFormat } from '../../i18n/format';
import { DataTable } from '../../ui/DataTable';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/QueryState';
import { AuditFilters } from './AuditFilters';
import { VerificationPanel } from './VerificationPanel';
import { entityPath, isEntityType, prettyJson, shortHash } from './entity-link';
import { PagedList } from '../../ui/ListFrame';

const ACTOR_ROLES = [
  'coordinator',
  'contributor',
  'recipient',
  'validator',
  'supplier',
  'auditor',
  'admin',
  'system',
] as const;

function isActorRole(role: string): role is (typeof ACTOR_ROLES)[number] {
  return (ACTOR_ROLES as readonly string[]).includes(role);
}

export default function AuditPage() {
  const { t } = useTranslation('audit');
  const list = useListSearch(AUDIT_FILTERS);
  const events = useAuditEvents(list.filters, list.cursor);
  return (
    <Stack gap="lg">
      <PageHeader title={t('title')} description={t('description')} />
      <VerificationPanel />
      <Stack gap="sm" component="section" aria-labelledby="log-heading">
        <Text component="h2" fw={700} size="lg" id="log-heading" m={0}>
          {t('log.title')}
        </Text>
        <AuditFilters key={JSON.stringify(list.filters)} list={list} />
        <PagedList query={events} list={list} empty={t('log.empty')} emptyTestId="audit-empty">
          {(items) => <EventTable events={items} />}
        </PagedList>
      </Stack>
    </Stack>
  );
}

function EventTable({ events }: { events: AuditEvent[] }) {
  const { t } = useTranslation('audit');
  const format = useFormat();
  const columns = useMemo(
    (): ColumnDef<AuditEvent, unknown>[] => [
      {
        id: 'id',
        header: t('columns.id'),
        accessorFn: (event) => BigInt(event.id),
        meta: { numeric: true },
        cell: ({ row }) => row.original.id,
      },
      {
        id: 'at',
        header: t('columns.at'),
        accessorFn: (event) => event.at,
        meta: { nowrap: true },
        cell: ({ row }) => format.dateTime(row.original.at),
      },
      {
        id: 'actor',
        header: t('columns.actor'),
        accessorFn: (event) => event.actor.email ?? event.actor.id,
        cell: ({ row }) => <ActorCell event={row.original} />,
      },
      {
        id: 'action',
        header: t('columns.action'),
        accessorFn: (event) => event.action,
        cell: ({ row }) => <Code>{row.original.action}</Code>,
      },
      {
        id: 'entity',
        header: t('columns.entity'),
        accessorFn: (event) => `${event.entity}:${event.entityId ?? ''}`,
        cell: ({ row }) => <EntityCell event={row.original} />,
      },
      {
        id: 'payload',
        header: t('columns.payload'),
        enableSorting: false,
        cell: ({ row }) => <PayloadCell event={row.original} />,
      },
    ],
    [t, format],
  );
  return (
    <DataTable
      data={events}
      columns={columns}
      caption={t('log.caption')}
      rowKey={(event) => event.id}
      testId="audit-table"
    />
  );
}

function ActorCell({ event }: { event: AuditEvent }) {
  const { t } = useTranslation('audit');
  const format = useFormat();
  const { actor } = event;
  const role = isActorRole(actor.role) ? t(`actorRoles.${actor.role}`) : actor.role;
  return (
    <Stack gap={0}>
      <Text size="sm">{actor.email ?? actor.id}</Text>
      <Text size="xs" c="dimmed">
        {role}
        {actor.partyId ? ` · ${format.party(actor.partyId)}` : ''}
      </Text>
    </Stack>
  );
}

function EntityCell({ event }: { event: AuditEvent }) {
  const { t } = useTranslation('audit');
  const path = entityPath(event.entity, event.entityId);
  const label = isEntityType(event.entity) ? t(`entities.${event.entity}`) : event.entity;
  return (
    <Stack gap={0}>
      <Text size="sm">{label}</Text>
      {event.entityId ? (
        path ? (
          <Anchor component={Link} to={path} size="xs">
            {t('log.open', { id: event.entityId })}
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed">
            {event.entityId}
          </Text>
        )
      ) : null}
    </Stack>
  );
}

function PayloadCell({ event }: { event: AuditEvent }) {
  const { t } = useTranslation('audit');
  const [open, setOpen] = useState(false);
  const panelId = `audit-event-${event.id}`;
  return (
    <Stack gap={4} maw={420}>
      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {event.summary || '—'}
      </Text>
      <Button
        size="compact-xs"
        variant="subtle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        data-testid="toggle-payload"
        aria-label={t(open ? 'log.hideFor' : 'log.showFor', { id: event.id })}
      >
        {open ? t('log.hide') : t('log.show')}
      </Button>
      {open ? <EventDetails event={event} id={panelId} /> : null}
    </Stack>
  );
}

function EventDetails({ event, id }: { event: AuditEvent; id: string }) {
  const { t } = useTranslation('audit');
  // A payload too long for the list is read whole when opened.
  const whole = useAuditEvent(event.id, event.payloadTruncated);
  const shown = event.payloadTruncated ? whole.data : event;
  return (
    <Stack gap={6} id={id} data-testid="event-details">
      {event.payloadTruncated && !shown ? (
        <QueryState query={whole} height={60}>
          {() => null}
        </QueryState>
      ) : null}
      {shown ? (
        <>
          <PayloadBlock label={t('log.before')} value={shown.before} />
          <PayloadBlock label={t('log.after')} value={shown.after} />
        </>
      ) : null}
      <Text size="xs">
        {t('log.hash')}{' '}
        <Text span ff="monospace" size="xs" title={event.hash}>
          {shortHash(event.hash)}
        </Text>
      </Text>
      <Text size="xs">
        {t('log.prevHash')}{' '}
        <Text span ff="monospace" size="xs" title={event.prevHash}>
          {shortHash(event.prevHash)}
        </Text>
      </Text>
    </Stack>
  );
}

function PayloadBlock({ label, value }: { label: string; value: unknown }) {
  const { t } = useTranslation('audit');
  const text = prettyJson(value);
  return (
    <Stack gap={2}>
      <Badge variant="outline" color="gray" radius="sm" size="sm">
        {label}
      </Badge>
      {text === null ? (
        <Text size="xs" c="dimmed">
          {t('log.none')}
        </Text>
      ) : (
        <Code block style={{ maxHeight: 320, overflow: 'auto', fontSize: 12 }} tabIndex={0}>
          {text}
        </Code>
      )}
    </Stack>
  );
}
