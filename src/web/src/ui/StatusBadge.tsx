/**
 * A record's status as a badge: its name in words (the colour only repeats it, never alone),
 * the colour from the feature's map, `data-status` for tests, and never cut to an ellipsis in a
 * narrow column — the status is read, not guessed.
 */
import { Badge, type BadgeProps } from '@mantine/core';

/** A badge's label is never cut short in a narrow table column. */
export const UNCLIPPED = {
  root: { flexShrink: 0, overflow: 'visible' },
  label: { overflow: 'visible' },
} as const;

export function StatusBadge<S extends string>({
  status,
  label,
  colours,
  testId,
  ...props
}: {
  status: S;
  /** The status in the reader's language. */
  label: string;
  colours: Record<S, string>;
  testId?: string;
} & Omit<BadgeProps, 'color' | 'children'>) {
  return (
    <Badge
      color={colours[status]}
      styles={UNCLIPPED}
      {...props}
      data-status={status}
      data-testid={testId}
    >
      {label}
    </Badge>
  );
}
