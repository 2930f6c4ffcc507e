/**
 * Previous / next page of a cursor-paged list (`useListSearch`), with the page number for the
 * reader and for screen readers.
 */
import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ListSearch } from '../app/list-search';

export function Pager({
  list,
  nextCursor,
  shown,
}: {
  list: Pick<ListSearch<string>, 'pageNumber' | 'next' | 'previous'>;
  /** The server's `nextCursor` of the page shown (null on the last page). */
  nextCursor: string | null | undefined;
  /** How many rows the page shows. */
  shown: number;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" mt="sm" aria-label={t('pager.label')} role="navigation">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('pager.page', { page: list.pageNumber, count: shown })}
      </Text>
      <Group gap="xs">
        <Button size="xs" variant="default" disabled={list.pageNumber <= 1} onClick={list.previous}>
          {t('pager.previous')}
        </Button>
        <Button
          size="xs"
          variant="default"
          disabled={!nextCursor}
          onClick={() => nextCursor && list.next(nextCursor)}
        >
          {t('pager.next')}
        </Button>
      </Group>
    </Group>
  );
}
