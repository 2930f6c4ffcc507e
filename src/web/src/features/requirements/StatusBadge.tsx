/**
 * A requirement list's status as a badge: its name in words (the colour only repeats it), in
 * dark text on a light tint of its colour (even teal's darkest shade is under 4.5:1 there).
 */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RequirementListStatus } from '../../api/requirements';

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
    <Badge
      color={COLOURS[status]}
      c="dark.9"
      variant="light"
      // Never cut to an ellipsis in a narrow column: the status is read, not guessed.
      styles={{ root: { flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } }}
      data-status={status}
      data-testid="list-status"
    >
      {t(`status.${status}`)}
    </Badge>
  );
}
