/**
 * A requirement list's status as a badge: its name in words (the colour only repeats it), in
 * dark text on a light tint of its colour (even teal's darkest shade is under 4.5:1 there).
 */
import { useTranslation } from 'react-i18next';
import type { RequirementListStatus } from '../../api/requirements';
import { StatusBadge as BaseStatusBadge } from '../../ui/StatusBadge';

const COLOURS: Record<RequirementListStatus, string> = {
  draft: 'gray',
  submitted: 'blue',
  validated: 'indigo',
  approved: 'teal',
  closed: 'dark',
  withdrawn: 'red',
};

export function StatusBadge({ status }: { status: RequirementListStatus }) {
  const { t } = useTranslation('requirements');
  return (
    <BaseStatusBadge
      status={status}
      label={t(`status.${status}`)}
      colours={COLOURS}
      c="dark.9"
      variant="light"
      testId="list-status"
    />
  );
}
