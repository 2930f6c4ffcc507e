/** The analysis's main figure, large, opening its records; with what it is and a note. */
import { Box, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { FigureLink } from '../../ui/FigureLink';

export function Headline({
  label,
  figure,
  value,
  note,
}: {
  label: string;
  figure: string;
  value: string;
  note?: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" data-testid="analysis-headline">
      <Stack gap={2}>
        <Text size="sm" c="dimmed" fw={600}>
          {label}
        </Text>
        <Text
          size="xl"
          fw={700}
          style={{ fontVariantNumeric: 'tabular-nums' }}
          data-testid="headline-figure"
        >
          <FigureLink figure={figure} label={label}>
            {value}
          </FigureLink>
        </Text>
        {note ? (
          <Box fz="sm" c="dimmed">
            {note}
          </Box>
        ) : null}
      </Stack>
    </Paper>
  );
}
