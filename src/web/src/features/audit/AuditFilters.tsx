/**
 * The filters of the audit log, held in the URL (`useListSearch`): typed here, applied with
 * "Filter" (one request per search, not per keystroke), cleared with "Clear".
 */
import { Button, Group, Paper, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilter } from '../../api/audit';
import type { ListSearch } from '../../app/list-search';
import { ENTITY_TYPES } from './entity-link';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function AuditFilters({ list }: { list: ListSearch<AuditFilter> }) {
  const { t } = useTranslation('audit');
  const [draft, setDraft] = useState(list.filters);
  const set = (key: AuditFilter) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const dayError = (value: string) =>
    value !== '' && !ISO_DAY.test(value) ? t('filters.dayFormat') : undefined;
  const rangeError =
    draft.from &&
    draft.to &&
    ISO_DAY.test(draft.from) &&
    ISO_DAY.test(draft.to) &&
    draft.to < draft.from
      ? t('filters.rangeOrder')
      : undefined;
  const invalid = Boolean(dayError(draft.from) || dayError(draft.to) || rangeError);

  return (
    <Paper
      withBorder
      p="sm"
      component="form"
      data-testid="audit-filters"
      aria-label={t('filters.label')}
      onSubmit={(event) => {
        event.preventDefault();
        if (invalid) return;
        list.setFilters(
          Object.fromEntries(
            (Object.keys(draft) as AuditFilter[]).map((key) => [key, draft[key].trim()]),
          ),
        );
      }}
    >
      <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} spacing="sm">
        <TextInput
          label={t('filters.action')}
          placeholder={t('filters.actionHint')}
          value={draft.action}
          onChange={(e) => set('action')(e.currentTarget.value)}
          data-testid="filter-action"
        />
        <Select
          label={t('filters.entityType')}
          placeholder={t('filters.any')}
          data={ENTITY_TYPES.map((type) => ({ value: type, label: t(`entities.${type}`) }))}
          value={draft.entityType || null}
          onChange={(value) => set('entityType')(value ?? '')}
          clearable
          searchable
          data-testid="filter-entity-type"
        />
        <TextInput
          label={t('filters.entityId')}
          value={draft.entityId}
          onChange={(e) => set('entityId')(e.currentTarget.value)}
          data-testid="filter-entity-id"
        />
        <TextInput
          label={t('filters.actor')}
          placeholder={t('filters.actorHint')}
          value={draft.actor}
          onChange={(e) => set('actor')(e.currentTarget.value)}
          data-testid="filter-actor"
        />
        <TextInput
          type="date"
          label={t('filters.from')}
          value={draft.from}
          onChange={(e) => set('from')(e.currentTarget.value)}
          error={dayError(draft.from)}
          data-testid="filter-from"
        />
        <TextInput
          type="date"
          label={t('filters.to')}
          value={draft.to}
          onChange={(e) => set('to')(e.currentTarget.value)}
          error={dayError(draft.to) ?? rangeError}
          data-testid="filter-to"
        />
      </SimpleGrid>
      <Group justify="flex-end" mt="sm" gap="xs">
        <Button
          variant="default"
          onClick={() => {
            setDraft(Object.fromEntries(Object.keys(draft).map((k) => [k, ''])) as typeof draft);
            list.clearFilters();
          }}
        >
          {t('filters.clear')}
        </Button>
        <Button type="submit" disabled={invalid} data-testid="apply-filters">
          {t('filters.apply')}
        </Button>
      </Group>
    </Paper>
  );
}
