/**
 * Small pieces of the package pages: the status badge (text, not colour alone), the funded /
 * price bar with its percentage written out, and capability area names in the reader's language.
 */
import { Group, Progress, Text } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { PackageStatus } from '../../api/packages';
import { useCapabilityAreas } from '../../api/reference';
import { useFormat } from '../../i18n/format';
import { StatusBadge as BaseStatusBadge } from '../../ui/StatusBadge';
import { percentText, progressValue } from './funding';

const STATUS_COLOURS: Record<PackageStatus, string> = {
  draft: 'gray',
  open: 'yellow',
  funded: 'blue',
  authorized: 'indigo',
  in_delivery: 'cyan',
  delivered: 'teal',
  closed: 'dark',
  cancelled: 'red',
};

export function StatusBadge({ status }: { status: PackageStatus }) {
  const { t } = useTranslation('common');
  return (
    <BaseStatusBadge
      status={status}
      label={t(`packageStatus.${status}`)}
      colours={STATUS_COLOURS}
      variant="dot"
    />
  );
}

/** Funded against price: a bar and "42.17 % funded" in words beside it. */
export function FundingBar({
  fundedMinor,
  priceMinor,
  size = 'sm',
  showLabel = true,
}: {
  fundedMinor: string;
  priceMinor: string;
  size?: 'xs' | 'sm' | 'md' | 'lg';
  showLabel?: boolean;
}) {
  const { t } = useTranslation('packages');
  const format = useFormat();
  const funded = BigInt(fundedMinor);
  const price = BigInt(priceMinor);
  const percent = format.percent(percentText(funded, price), 0);
  const label = t('funding.fundedShare', { percent });
  return (
    <Group gap="xs" wrap="nowrap" miw={120}>
      <Progress
        value={progressValue(funded, price)}
        size={size}
        style={{ flex: 1 }}
        color={price > 0n && funded >= price ? 'teal' : 'blue'}
        aria-label={label}
      />
      {showLabel ? (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {percent}
        </Text>
      ) : null}
    </Group>
  );
}

/** A capability area's name in the reader's language (its code until the names load). */
export function useAreaName(): (code: string) => string {
  const areas = useCapabilityAreas();
  const format = useFormat();
  return useCallback(
    (code: string) =>
      areas.data?.items.find((area) => area.code === code)?.names[format.language] ?? code,
    [areas.data, format.language],
  );
}
