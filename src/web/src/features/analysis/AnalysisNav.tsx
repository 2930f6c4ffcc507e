/**
 * The navigation between the analyses: one link per analysis (each a shareable URL), keeping the
 * basis of the figures (currency, rates, as of) from one analysis to the next. The current one
 * is marked `aria-current="page"` and drawn filled, not by colour alone.
 */
import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { analysisSearchEntries, useAnalysisOptions } from '../../api/analysis-options';
import { ANALYSES, type AnalysisName } from './analyses';

export function analysisHref(name: AnalysisName, search: string): string {
  return search ? `/analysis/${name}?${search}` : `/analysis/${name}`;
}

export function AnalysisNav({ current }: { current?: AnalysisName }) {
  const { t } = useTranslation('analysis');
  const [options] = useAnalysisOptions();
  const search = new URLSearchParams(analysisSearchEntries(options)).toString();
  return (
    <nav aria-label={t('nav.label')} data-testid="analysis-nav">
      <Group
        gap="xs"
        wrap="wrap"
        component="ul"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
      >
        {ANALYSES.map(({ name }) => {
          const active = name === current;
          return (
            <li key={name}>
              <Button
                component={Link}
                to={analysisHref(name, search)}
                variant={active ? 'filled' : 'default'}
                size="sm"
                aria-current={active ? 'page' : undefined}
                fw={active ? 700 : 500}
              >
                {t(`analyses.${name}.short`)}
              </Button>
            </li>
          );
        })}
      </Group>
    </nav>
  );
}
