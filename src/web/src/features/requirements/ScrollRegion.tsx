/**
 * A wide table's horizontal scroller (tablet widths): a focusable, labelled region, so keyboard
 * users can scroll it too even when the table holds nothing focusable.
 */
import { Box } from '@mantine/core';
import type { ReactNode } from 'react';

export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box
      role="region"
      aria-label={label}
      tabIndex={0}
      style={{ overflowX: 'auto', maxWidth: '100%' }}
    >
      {children}
    </Box>
  );
}
