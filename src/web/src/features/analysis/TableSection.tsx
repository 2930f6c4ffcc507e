/** A full table of an analysis under its own heading (an `h2`, like the chart cards'). */
import { Card, Stack, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';

export function TableSection({
  title,
  description,
  children,
  testId,
  actions,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  testId?: string;
  actions?: ReactNode;
}) {
  const headingId = useId();
  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      component="section"
      aria-labelledby={headingId}
      data-testid={testId}
    >
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h4" id={headingId}>
            {title}
          </Title>
          {description ? (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
        </Stack>
        {children}
        {actions}
      </Stack>
    </Card>
  );
}
