/**
 * Small pieces of the contribution pages: the status badge (text, not colour alone; dark shades
 * so white text reads at 4.5:1 at least), today's
 * date for date fields, a date check, and the confirmation shown after a command succeeded.
 */
import { Badge } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContributionStatus } from '../../api/contributions';

const STATUS_COLOURS: Record<ContributionStatus, string> = {
  pledged: 'gray.7',
  committed: 'blue.8',
  partially_paid: 'cyan.9',
  paid: 'teal.9',
  cancelled: 'red.9',
};

export function ContributionStatusBadge({ status }: { status: ContributionStatus }) {
  const { t } = useTranslation('contributions');
  return (
    <Badge color={STATUS_COLOURS[status]} variant="filled" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day as the date inputs give it (`YYYY-MM-DD`). */
export function isIsoDay(text: string): boolean {
  return ISO_DAY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

/** Today in UTC (the server's calendar). */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Shows a short confirmation after a command succeeded (announced to screen readers). */
export function useConfirm() {
  const { t } = useTranslation('contributions');
  return useCallback(
    (message: string) => {
      notifications.show({
        message,
        color: 'green',
        withBorder: true,
        closeButtonProps: { 'aria-label': t('notice.close') },
      });
    },
    [t],
  );
}
