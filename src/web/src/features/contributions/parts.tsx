/**
 * Small pieces of the contribution pages: the status badge (text, not colour alone; dark shades
 * so white text reads at 4.5:1 at least).
 */
import { useTranslation } from 'react-i18next';
import type { ContributionStatus } from '../../api/contributions';
import { StatusBadge } from '../../ui/StatusBadge';

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
    <StatusBadge
      status={status}
      label={t(`status.${status}`)}
      colours={STATUS_COLOURS}
      variant="filled"
    />
  );
}
