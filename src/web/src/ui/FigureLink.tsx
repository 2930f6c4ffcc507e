/**
 * A figure that opens its drill-down (`/analysis/drill?figure=KEY` on the current basis): the
 * records it is made of, which add up to it.
 */
import { Anchor } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { drillHref, useAnalysisOptions } from '../api/analysis-options';

export function FigureLink({
  figure,
  label,
  children,
}: {
  figure: string;
  /** What the figure is, for the link's accessible name ("Committed, Netherlands"). */
  label: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [options] = useAnalysisOptions();
  return (
    <Anchor
      component={Link}
      to={drillHref(figure, options)}
      aria-label={t('analysis.drillLink', { figure: label, value: textOf(children) })}
      data-figure={figure}
    >
      {children}
    </Anchor>
  );
}

function textOf(node: ReactNode): string {
  return typeof node === 'string' || typeof node === 'number' ? String(node) : '';
}
