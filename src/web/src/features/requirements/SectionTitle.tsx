/** The heading of a section of the list page (an `h2` under the page's `h1`). */
import { Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function SectionTitle({ children, id }: { children: ReactNode; id: string }) {
  return (
    <Title order={2} size="h3" id={id}>
      {children}
    </Title>
  );
}
