/**
 * The list of the analyses, each with what it shows and a link: the page `/analysis` (once a
 * route names it) and, with a "not found" heading, an analysis name the app does not know.
 */
import { Anchor, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { analysisSearchEntries, useAnalysisOptions } from '../../api/analysis-options';
import { PageHeader } from '../../ui/PageHeader';
import { analysisHref } from './AnalysisNav';
import { ANALYSES } from './analyses';

export function AnalysisIndex({ unknown }: { unknown?: string }) {
  const { t } = useTranslation('analysis');
  const [options] = useAnalysisOptions();
  const search = new URLSearchParams(analysisSearchEntries(options)).toString();
  return (
    <Stack gap="lg" data-testid={unknown === undefined ? 'analysis-index' : 'analysis-not-found'}>
      {unknown === undefined ? (
        <PageHeader title={t('index.title')} description={t('index.description')} />
      ) : (
        <PageHeader
          title={t('notFound.title')}
          description={t('notFound.body', { name: unknown })}
        />
      )}
      <SimpleGrid
        cols={{ base: 1, sm: 2, lg: 3 }}
        spacing="md"
        component="ul"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
      >
        {ANALYSES.map(({ name }) => (
          <Card key={name} component="li" withBorder padding="md" radius="md">
            <Stack gap={4}>
              <Title order={2} size="h4">
                <Anchor component={Link} to={analysisHref(name, search)}>
                  {t(`analyses.${name}.title`)}
                </Anchor>
              </Title>
              <Text size="sm" c="dimmed">
                {t(`analyses.${name}.description`)}
              </Text>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
