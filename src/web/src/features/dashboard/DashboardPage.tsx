/**
 * The dashboard (`/`): the basis controls and the stated basis beside the next meeting, the
 * funnel's headline figures, the funnel, pace against target, burden sharing, coverage and the
 * stalled packages. Every figure opens its records.
 */
import { Card, Grid, SimpleGrid, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAnalysisOptions } from '../../api/analysis-options';
import {
  useBurdenSharing,
  useCoverage,
  useFunnel,
  useLeadTimes,
  usePace,
} from '../../api/analytics';
import { AnalysisControls } from '../../ui/AnalysisControls';
import { BasisNote } from '../../ui/BasisNote';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/QueryState';
import { BurdenCard } from './BurdenCard';
import { CoverageCard } from './CoverageCard';
import { FunnelCard } from './FunnelCard';
import { FunnelTiles } from './FunnelTiles';
import { NextMeetingCard } from './NextMeetingCard';
import { PaceCard } from './PaceCard';
import { StalledCard } from './StalledCard';

export default function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const [options] = useAnalysisOptions();
  const funnel = useFunnel(options);
  const pace = usePace(options);
  const burden = useBurdenSharing(options);
  const coverage = useCoverage(options);
  const leadTimes = useLeadTimes(options);

  return (
    <Stack gap="lg">
      <PageHeader title={t('title')} description={t('intro')} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder padding="md" radius="md" h="100%">
            <Stack gap="sm">
              <AnalysisControls />
              {funnel.data ? <BasisNote basis={funnel.data.basis} /> : null}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <NextMeetingCard />
        </Grid.Col>
      </Grid>
      <QueryState query={funnel} height={90}>
        {(data) => <FunnelTiles funnel={data} />}
      </QueryState>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <QueryState query={funnel} height={300}>
          {(data) => <FunnelCard funnel={data} />}
        </QueryState>
        <QueryState query={pace} height={300}>
          {(data) => <PaceCard pace={data} />}
        </QueryState>
        <QueryState query={burden} height={300}>
          {(data) => <BurdenCard burden={data} />}
        </QueryState>
        <QueryState query={coverage} height={300}>
          {(data) => <CoverageCard coverage={data} />}
        </QueryState>
      </SimpleGrid>
      <QueryState query={leadTimes} height={200}>
        {(data) => <StalledCard leadTimes={data} />}
      </QueryState>
    </Stack>
  );
}
