/**
 * What a part of a page shows while its data loads or when loading failed: a skeleton of the
 * expected height, or an alert saying what went wrong (in the reader's language) with
 * a retry button. Renders `children(data)` once the data is there.
 */
import { Alert, Button, Skeleton, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/errors';
import { readerErrorText } from './form-errors';

export function QueryState<T>({
  query,
  height = 120,
  children,
}: {
  query: UseQueryResult<T>;
  height?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <LoadingState height={height} />;
}

export function LoadingState({ height = 120 }: { height?: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" aria-busy="true">
      <Text size="sm" c="dimmed">
        {t('state.loading')}
      </Text>
      <Skeleton height={height} radius="sm" />
    </Stack>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  let message: string;
  if (isApiError(error) && error.code === 'NETWORK') message = t('errors.network');
  else if (isApiError(error) && error.status === 403) message = t('errors.forbidden');
  else if (isApiError(error) && error.status >= 500)
    message = t('errors.server', { requestId: error.requestId ?? '—' });
  else if (isApiError(error)) message = readerErrorText(error);
  else message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" variant="light" title={t('state.errorTitle')} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{message}</Text>
        {onRetry ? (
          <Button size="xs" variant="outline" color="red" onClick={onRetry}>
            {t('state.retry')}
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}
